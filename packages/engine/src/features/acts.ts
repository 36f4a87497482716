/**
 * Clause-level speech acts aimed at the customer (chapter 8 (四) and 二.3, chapter 10): what an agent
 * utterance DOES to the customer, found from the shape of its clauses rather than from a list of
 * sentences. Used by the lexicon rules as extra occurrences beside their rulebook phrases (`cues` on a
 * lexicon module), computed at most once per utterance and act (cached on the `UtteranceFeatures`).
 *
 * - `mistake` (pointing_out_mistake): a mistake predicate (V+错/反/混, 不对, 有误, 没仔细/没按/没加…,
 *   忘了, 失误, 误会, 少了一位…) whose doer is the customer — 您/你 earlier in its clause (or the
 *   clause before, in the same sentence), not as an object (给您, 帮您), with no other subject between
 *   (我们, 系统, 同事…) — or the fault laid on the customer in so many words (是您自己…改的, 这属于您个人的
 *   失误) or a flat contradiction (不是您说的那样). Quiet: the agent's own mistake (是我们搞错了), negated
 *   (不会扣错, 不是您的问题), hedged or asked (是不是填错了?, 可能, 会不会), a condition (如果输错了),
 *   reassurance (没关系, 很正常), an echo of the customer (您是说…搞错了).
 * - `scolding`: blame and rebuke — 连…都不会, rhetorical negative questions at the customer (您平时都不看
 *   手机的吗, 难道您…, 不是很正常的事吗), blame (你自己不检查还怪我们, 谁让你, 你明明…还…), 早就说过,
 *   偏不听, telling the customer off (别嚷嚷, 冲我发什么火, 讲点道理, 这还用我教, 这么大个人了).
 * - `sarcasm`: sarcastic praise (您可真行, 记性可真好, 这都能看错也是挺不容易的, 厉害厉害), mock
 *   agreement (好好好您最有道理, 您说不懂就不懂), indifference (爱办不办, 随您便), mock deference (我哪敢,
 *   担待不起, 大人物), mock thanks or congratulation (难为您了, 恭喜您又多交…), "do it yourself" (要不您来).
 *   Sincere praise with plain 真 (您真厉害, 眼光真好) is not sarcasm: the marker is the ironic intensifier
 *   (可真, 也真, 还真) or a predicate that is ironic in itself (难伺候, 金贵, 大忙人).
 * - `disclosure` (internal_disclosure): an internal system named with a fault in other words (后台那个系统
 *   老是抽风, 数据库出了点事故, 程序写错了), staff-only or unpublished offers (员工专享的套餐, 不在官网上,
 *   降价…通知还没发出来), internal targets (业绩指标, 完不成要扣钱). Not the customer's own device (您手机
 *   的系统), not a fault ruled out or conditional (不是系统问题, 如果系统…).
 * - `overpromise`: a certainty word with an outcome (肯定比现在快一倍, 一定修好, 绝对到账), not negated.
 *
 * Kinds added from blind2's errors (2026-12-02, each with fresh dev calls 400-420): any V+错, the wrong
 * target, fault by copula (错的只能是您); reproach in advance (可别又打电话来), the question belittled (这都不
 * 知道), blame turned back (现在怪我们), V什么V; the ironic intensifier (也真够…的), mock warnings, competitor
 * sneers, belittling, singling out, self-mockery; inside troubles and prices, secrecy beside an offer;
 * certainty of never and of a waiver. Indifference right after a threat is left to forbidden_phrase (the
 * dare); a self-correction in the sentence (我说得不对, 我收回) clears disclosure and overpromise.
 *
 * Every cue looks no further than its own sentence, like the context features, so a cue on a partial
 * is settled once its sentence has ended. Matching runs on the normalised text with spaces removed (ASR
 * pauses: 您 搞错了, 您可 真行); offsets are mapped back to the normalised text.
 */
import type { UtteranceFeatures } from './utterance.js'

export type ActKind = 'mistake' | 'scolding' | 'sarcasm' | 'disclosure' | 'overpromise'

/** One act found: [start, end) in the normalised text, and the words that carry it. */
export interface ActCue {
  start: number
  end: number
  phrase: string
}


/** The normalised text without spaces, and for each of its code units the normalised offset. */
interface Compact {
  text: string
  /** Null when the text has no space (the offsets are the same). */
  at: Uint32Array | null
}

const CUSTOMER = /(您|你)(?!们|好)/g
// Words before 您/你 that make it an object or beneficiary (给您开错了: the agent did it).
const OBJECT_BEFORE = /(给|帮|为|替|跟|向|对|和|让|请|叫|告诉|提醒|通知|麻烦|打扰|祝|谢谢|感谢|听)$/
// Another doer between the customer and the predicate (您放心, 我们这边算错了; 您的单子, 系统录错了).
const OTHER_SUBJECT = /(?<![给跟对和帮向为替让把被与及])(我|咱|系统|后台|公司|同事|客服|营业员|工作人员|师傅|工程师|他|她|别人|客户|小妹|本人|技术|银行|快递)/
const HEDGE = /(可能|也许|或许|不一定|未必|不见得|是不是|会不会|是否|大概|估计|应该是|有没有|怕是|恐怕|万一|如果|要是|假如|的话)/
const REASSURE_BEFORE = /(没关系|不要紧|没事|别担心|不用担心|别着急|很正常|难免|不怪|放心)/
// 跟包没关系 ("has nothing to do with the plan") lays the fault elsewhere: no reassurance.
const REASSURE_AFTER = /^[^.!?;]{0,12}((?<![跟和与同][^,.!?;]{0,6})没关系|很正常|不要紧|难免|不怪|也不会|也可以|可以重新|再(输|填|来|试)一(次|遍|下)就)/
const NOT_YOUR_FAULT = /(不是(您|你)的(问题|错|责任|原因|失误)|不怪(您|你)|(您|你)没(有)?错|(您|你)没有问题|不是(您|你)(操作|弄|搞|填|输))/
const NEGATED = /(不|没|没有|不会|不要|别|防止|避免|以免|免得|以防|不用|不怕|不能)$/

/**
 * Patterns of one act, each with literal anchors one of which any match contains. Every anchor is
 * indexed by its first character (one-character anchors) or its first two: one pass over an utterance
 * marks the patterns whose anchors may occur, and only those run (most utterances: none), so the
 * patterns with bounded wildcards cost nothing where they cannot fire.
 */
interface Pattern {
  id: number
  re: RegExp
}
interface Patterns {
  list: Pattern[]
}
const PATTERN_COUNT = { n: 0 }
const BY_KEY = new Map<number, number[]>()
// Flags before the map lookup: SINGLE by character, PAIR by a hash of two characters (false positives only).
const SINGLE = new Uint8Array(0x10000)
const PAIR = new Uint8Array(0x10000)
const pairHash = (c1: number, c2: number): number => (c1 * 31 + c2) & 0xffff
const pairKey = (c1: number, c2: number): number => 0x10000 * (c1 + 1) + c2

function patterns(list: [anchors: string, source: string][], flags = 'g'): Patterns {
  return {
    list: list.map(([anchors, src]) => {
      const p: Pattern = { id: PATTERN_COUNT.n++, re: new RegExp(src, flags) }
      for (const a of anchors.split('|')) {
        const c1 = a.charCodeAt(0)
        let key: number
        if (a.length === 1) {
          SINGLE[c1] = 1
          key = c1
        } else {
          const c2 = a.charCodeAt(1)
          PAIR[pairHash(c1, c2)] = 1
          key = pairKey(c1, c2)
        }
        const ids = BY_KEY.get(key)
        if (!ids) BY_KEY.set(key, [p.id])
        else if (!ids.includes(p.id)) ids.push(p.id)
      }
      return p
    }),
  }
}

// The patterns marked for the utterance being looked at: marked[id] === stamp.
let stamp = 0
let marked = new Uint32Array(256)

function markPatterns(t: string): void {
  stamp++
  if (marked.length < PATTERN_COUNT.n) marked = new Uint32Array(PATTERN_COUNT.n)
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (SINGLE[c] === 1) for (const id of BY_KEY.get(c) ?? []) marked[id] = stamp
    if (i + 1 < t.length) {
      const c2 = t.charCodeAt(i + 1)
      if (PAIR[pairHash(c, c2)] === 1) for (const id of BY_KEY.get(pairKey(c, c2)) ?? []) marked[id] = stamp
    }
  }
}

/** Matches of the marked patterns, overlaps resolved to the earliest, then longest (like one alternation). */
function matchPatterns(t: string, p: Patterns): [number, number][] {
  let all: [number, number][] | null = null
  for (const { id, re } of p.list) {
    if (marked[id] !== stamp) continue
    for (const m of matchAll(t, re)) (all ??= []).push(m)
  }
  if (all === null) return []
  all.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const out: [number, number][] = []
  for (const m of all) if (out.length === 0 || m[0] >= out[out.length - 1]![1]) out.push(m)
  return out
}

const MISTAKE_PRED = patterns([
  // V+错 as a result complement, whatever the verb (开错, 订错, 插错, 买错): 错 after any character but
  // those that make another word of it (不错, 没错, 出错, 差错, 过错, 认错, 纠错, 改错, 别错过).
  ['错', '(?![不没出有差过对纠认知别犯容改无大小会是将])[\\u4e00-\\u9fff]错(?!过|误|觉|开|位|峰|落|综)'],
  ['错', '(理解|操作|记忆)错'],
  ['弄反|写反|记反|看反|插反|装反|搞反|填反|输反|按反|选反|接反|拿反|贴反|放反', '[弄写记看插装搞填输按选接拿贴放]反'],
  ['混', '[记搞弄看]混'],
  ['岔', '[记搞弄看听]岔'],
  ['张冠李戴|想当然|误区|误解', '张冠李戴|想当然|误区|有误解'],
  ['不符|片面|不准确|误以为', '不符|片面|不准确|误以为'],
  ['记成|看成|听成|写成|填成|输成|当成|理解成|搞成|弄成|开成|订成|选成|买成|充成|交成|点成|按成|插成|装成', '[记看听写填输当搞弄开订选买充交点按插装]成了?|理解成'],
  // The wrong target: paid or sent to someone else's number (充到别人的号码上了, 交到别的号上).
  ['到别|到其|到另', '[充交缴转汇打付存发寄办开绑]到了?(别的|别人|其他|其它|另一|另外)'],
  // 乱点, 乱按: the customer's careless action.
  ['乱', '乱(点|按|改|弄|删|设|装|下载|操作|填|订|开)'],
  ['分不清', '分不清'],
  ['是错的', '是错的'],
  ['错误的', '是错误的|错误的(想法|理解|说法|操作|认识)'],
  ['不对', '(?<!对)不对(?!劲|外|称|比|口|应)'],
  ['有问题|偏差|有误|不对|是错|不正确', '(理解|说法|记忆|操作|做法|认识|想法|记的|理解的|理解得)[^,.!?;]{0,2}(有问题|有偏差|有误|不对|是错|不正确)'],
  ['偏差', '有偏差'],
  ['有误', '有误(?!差)'],
  ['不正确', '不正确'],
  ['有仔|有加|有及|有听|有弄|有按|有搞|有核|有检|有注|有留|有看|有认|有发|有问|有读|没仔|没加|没及|没听|没弄|没按|没搞|没核|没检|没注|没留|没看|没认|没发|没问|没读', '没有?(仔细|认真|注意|看清|听清|弄清|搞清|看明白|按照?|及时|加上?|核对|检查|留意|发现|看到|问清|读懂|看懂)'],
  // Presumed not read (您当时就没看资费说明吧).
  ['就没', '就没有?(看|读|查|问)[^,.!?;]{0,8}吧'],
  ['忘', '忘(了|记了|记交|记缴|记充|交|缴)'],
  ['失误|疏忽', '(操作|个人)?(失误|疏忽)'],
  ['误会|误解', '误会了|误解了'],
  ['一位|一个数|一步|一项', '少了?[输填写点按加交充报]?了?一(位|个数|步|项)'],
  ['漏', '漏(填|写|输|点|交|掉|了)'],
  ['多输|多填|多写|多按|多点', '多[输填写按点]了'],
])
// The fault laid on the customer, or a flat contradiction, in so many words.
const MISTAKE_WHOLE = patterns([
  ['您自己|你自己|自己', '是(您|你)[^,.!?;]{0,10}自己[^,.!?;]{0,14}(改|点|关|退|删|设置|操作|订|开|选|弄|写|填|拨|充|交|同意|确认|取消|签|签字|下单|申请|报|答应|要求|办|勾|拔|插|换|卸|装|刷|动|碰|按|设|扔|丢|停|注销|转)(掉|成|错|完|好)?(的|了)'],
  ['是您|是你', '是(您|你)(自己)?[^,.!?;]{0,8}(没|没有|忘了|忘记)[^,.!?;]{1,8}'],
  // The fault placed on the customer by a copula (错的只能是您, 问题出在您那边, 是您那边的问题).
  ['错的|出在|您这|你这|您那|你那|您自|你自', '错的[^,.!?;]{0,4}是(您|你)|问题(就|都)?出在(您|你)|(是|就是)(您|你)(这边|那边|自己)的问题'],
  // Of course it failed, the way the customer did it (您自己白天用当然不生效).
  ['当然', '(您|你)[^,.!?;]{0,4}自己[^,.!?;]{0,10}当然(不|没|会)'],
  ['您自己|你自己', '(只能|得|要|需要)?(您|你)自己(负责|承担|担着|兜着)'],
  ['存在|有这|是错|这样|成立', '(您|你)(说|讲|提|要)的[^,.!?;]{0,8}(根本|压根|完全|其实)?(就)?(不存在|没有这|是错|不是这样|不成立)'],
  ['您个人|你个人|您自己|你自己', '(属于|是)(您|你)(个人|自己)的?(操作)?(失误|疏忽|责任)'],
  ['您个人|你个人|您自己|你自己', '(您|你)(个人|自己)的(操作)?(失误|疏忽|责任)'],
  ['那样', '不是(您|你)(说|想|讲)的那样'],
  ['事实|实际', '(事实|实际)上?并?不是(这样|那样|您说的|你说的)'],
  ['自己', '不是的,(您|你)自己'],
  ['明明', '(您|你)明明'],
  // Fault laid with certainty (分明是您家里人用您手机打的, 肯定是您自己忘了).
  ['分明|明明|肯定|一定|就是', '(?<!不)(分明|明明|肯定|一定|就是)是?(您|你)(自己|家里人|家人)[^,.!?;]{0,12}(的|了)'],
  // Sent back to their own records as the one who is wrong (您再好好回忆回忆, 您自己好好看看账单), not 好好考虑 or 好好休息.
  ['好好', '(您|你)(自己|再)?好好(想想|回忆|回想|看看|查查|翻翻)(?![^.!?;]{0,8}(要不要|再决定|划算|合适|优惠|挺好|不错|喜欢))'],
  ['这是把|这是将', '(您|你)这是(把|将)[^,.!?;]{1,14}(算|加|看成|记|弄|搞|混|合)'],
  ['明明', '明明(是|就是)[^,.!?;]{1,8},?(不是|而不是)'],
  ['以为', '(您|你)(还|一直|可能)?以为[^.!?;]{1,16},?其实'],
])

const SCOLDING = patterns([
  ['连', '连(?!续|忙|同|带|接|锁|号(?!码)|着|我|咱|工程师|师傅|技术|同事|专家|很多|别人|他|她|客服)[^,.!?;]{1,14}(都|也)(不会|不懂|不知道|不看|不明白|不记得|不清楚|不认识|[\\u4e00-\\u9fff]{1,2}不(会|懂|明白|清|清楚|对|出来|住|好|来|到)|没(搞|弄|看|听|记|填|输|做)(对|清|明白|懂|好|住)?|要问|要打电话|要来问|要我|能[^,.!?;]{0,2}错|[搞弄记看听填输报拨写]错)'],
  ['连', '(您|你)[^,.!?;]{0,4}连(?!续)[^,.!?;]{1,12}(都|也)(不|没|能|要|还|[搞弄记看听填输报拨写]错)'],
  ['就不能|就不会', '就不(能|会)[^,.!?;]{0,12}(吗|么)(?=[?!.]|$)'],
  ['怎么又|怎么老是|怎么总是', '(您|你)怎么(又|老是|总是)(?!收到|到账|没收到)'],
  ['这有什么|那有什么', '(这|那)有什么(难|不懂|好问|不明白|好奇怪|好说)的(?=[?!.,;啊呀]|$)'],
  ['自己不会', '(您|你)自己不会[^,.!?;]{0,8}(吗|么)'],
  ['到底', '(您|你)到底(想|要)(怎么样|干什么|干嘛)'],
  ['就是不|偏偏不|总是不|老是不|从来不|还是不', '(您|你)(就是|偏偏|总是|老是|从来|还是)不(听|看|信|记|注意|当回事)'],
  ['过', '(交代|说|讲|提醒|告诉|强调)过[^.!?;]{0,16}(您|你)(就是|偏偏|还是|总是)?不(听|信|记|当回事)'],
  ['当然|难怪|怪不得|肯定会|能不', '(您|你)(这样|那样|老是|总是|经常|来回)[^.!?;]{0,14}(当然|难怪|怪不得|肯定会|能不)'],
  ['上点心|长点心|用点心|长记性|长个心眼', '上点心|长点心|用点心|长记性|长个心眼'],
  ['都能|都会', '(个|点)[^,.!?;]{1,6}都(能|会)[^,.!?;]{0,3}(错|忘|搞混|弄混|弄丢)'],
  ['小事|点事|种事|么点', '(小事|这点事|这么点事|这种事|这么点)[^,.!?;]{0,4}(也|还|都)(要|得|值得)'],
  // The same, of any small thing asked back (这种小钱还要追着退?).
  ['这种|这点|么点', '(这种|这点|这么点)小?[^,.!?;]{0,3}(也|还|都)(要|得|值得)[^,.!?;]{0,6}(?=[?])'],
  // Not even checked before calling (您都不检查一下就打电话).
  ['一下就', '(您|你)(都|也)不[^,.!?;]{1,4}一下就'],
  ['有意思吗|有必要吗|至于吗|至于这样|好玩吗', '有意思吗|有必要吗|至于吗|至于这样吗|好玩吗'],
  // 别为难我了 pleads (no reproach); 这不是为难人吗 reproaches.
  ['为难|胡闹|添乱|捣乱|瞎闹|闹够', '(?<!(别|不要)[^,.!?;]{0,2})为难(人|我|我们)|胡闹|添乱|捣乱|瞎闹|闹够'],
  // Reproach in advance: don't come back complaining later (超了可别打电话来说我们乱扣钱, 别到时候又来问, 别后悔).
  ['打电|打过|说我|怪我|后悔|埋怨|抱怨|来问|来骂|来闹|来投|问我', '(别|不要)(到时候|回头|以后|事后|下次)?((又|再)?来?(打电话来|打过来|说我们|怪我们|后悔|埋怨|抱怨)|(又|再)?来(问|骂|闹|投诉)|(又|再)问我)'],
  // The question belittled: 这都不知道, 这么简单都要问, 这种小问题也值得来问, 这么明显您都找不到 (not 这个很多用户也不清楚).
  ['都要|都得|都还|都不|都找|都看|都拿|都来|都问|都打|都值|也要|也得|也还|也不|也找|也看|也拿|也来|也问|也打|也值', '(这(?!边|里|块|头)|这么简单|这么明显|这么容易|这种|这点|这么点)((?!我|咱|小妹|妹子|本人|这边|用户|客户|人|大家|别人|他|她|们)[^,.!?;]){0,6}(都|也)(要|得|还要|还得)?(不知道|不清楚|不会|不懂|不明白|找不到|看不到|看不懂|拿不定|要问|来问|问我|打电话|打[^,.!?;]{0,4}电话|值得)(?![^,.!?;]{0,6}(能不能|是不是|是否|能否|有没有|会不会))'],
  // Rhetorical "can't you even work it out?": 都算不明白吗, 你算不过来吗.
  ['不过|不明|不懂|不清', '(都|还|也|这么|这点)[^,.!?;]{0,4}(算|看|听|想|弄|搞|分|理解)不(过来|明白|懂|清楚)(吗|么)|算不(过来|明白|清)(吗|么)'],
  // Blame turned back: 不先问清楚, 现在怪我们.
  ['怪我', '(不|没)[^.!?;]{0,12}(现在|倒|反而|又|还)(来)?怪(我们|我)'],
  // Not even one: 您一条都没看吧.
  ['都没|也没|都不|也不', '(您|你)[^,.!?;]{0,4}一[个条次眼分下遍句封](都|也)(没|不)(看|点|听|读|回|查|理|记|打开|留意)'],
  // V什么V: 急什么急, 吵什么吵, 想什么想.
  ['么想|么急|么吵|么问|么说|么闹|么嚷|么喊|么哭|么催|么叫|么笑|么凶|么怕|么慌', '(想|急|吵|问|说|闹|嚷|喊|哭|催|叫|笑|凶|怕|慌)什么\\1(?=[\\s,.!?;啊呀嘛呢啦]|$)'],
  // Accused of denying or not bothering: 您自己改的还不承认, 你自己不去打听打听.
  ['自己', '(您|你)自己[^,.!?;]{0,8}还不(承认|认|信)|(您|你)自己(也)?不(去)?(查|看|打听|问|想|试|翻)'],
  ['有理了|客气点|放尊重', '(还|倒)有理了|(说话|嘴巴)[^,.!?;]{0,2}(客气|放尊重|注意)点'],
  ['清楚再|明白再|清楚了再|明白了再', '(想|弄|搞|看|算|问|查)(清楚|明白)了?再(打电话|打过来|来问|来找)'],
  ['这人|这个人', '(您|你)这(个)?人[^,.!?;]{0,3}(怎么|真是|也太)'],
  ['不讲|胡搅|无理|不可理喻|蛮不|强词|胡说|瞎说|瞎扯|抬杠|找茬|找事', '不讲道?理|胡搅蛮缠|无理取闹|不可理喻|蛮不讲理|强词夺理|胡说八道|瞎说|瞎扯|抬杠|找茬|没事找事'],
  ['有什么用|有啥用', '(闹|吵|喊|急|发火|生气|骂|嚷|哭)[^,.!?;]{0,2}有(什么|啥)用'],
  ['才怪', '[^,.!?;]{1,6}才怪'],
  ['才想起', '(每次|总是|老是)都?[^,.!?;]{0,10}才想起来'],
  ['没用|没办法|没有用|解决不了|不管用|改变不了', '(急|喊|吵|闹|嚷|生气|发火|骂|催)[^,.!?;]{0,2}(也|都)(没用|没办法|没有用|解决不了|不管用|改变不了)'],
  ['早点|早些|早一点', '早(点|些|一点)[^,.!?;]{0,8},?(哪|怎么)(会|至于|用得着|能)'],
  ['早点|早些|早一点', '(要是|如果)[^.!?;]{0,10}早(点|些|一点)[^.!?;]{0,12}(就不会|哪会|哪至于|也不至于|就没)'],
  ['难道', '难道(您|你)|(您|你)[^,.!?;]{0,6}难道'],
  ['都不|都没|从来|根本', '(您|你)[^.!?;]{0,16}(都|从来|根本)(不|没)[^,.!?;]{0,10}(吗|么)(?=[?!.]|$)'],
  ['的吗|的么', '(您|你)[^.!?;]{0,20}(不(?!是)|没)[^,.!?;]{1,10}的(吗|么)(?=[?!.]|$)'],
  ['正常|明摆着|清清楚楚|写着|简单|清楚|明显|常识', '不是(很|挺|明摆着|明明)?(正常|明摆着|清清楚楚|写着|很简单|简单|很清楚|很明显|常识)[^,.!?;]{0,6}(吗|么)'],
  ['还怪|还找我们|还问我们|还打电话|还好意思|还投诉', '(您|你)(自己)?[^.!?;]{0,14}(不|没)[^.!?;]{0,10}还(怪|找我们|问我们|打电话|好意思|投诉)'],
  ['明明', '(您|你)明明[^.!?;]{0,16}还'],
  ['明明', '明明是(您|你)'],
  ['自己都', '(您|你)[^,.!?;]{0,8}自己都(不|没)'],
  ['谁让|谁叫', '谁(让|叫)(您|你)'],
  ['怪您|怪你|怨不得|只能怪', '怪(您|你)自己|怨不得|只能怪(您|你)'],
  ['早干', '早(干嘛|干什么|干啥)'],
  ['现在才|现在知道', '现在(才|知道)[^,.!?;]{0,2}(着急|急了|想起来)'],
  ['早就|早跟|早和|早给|早对|早说|早讲|早提醒|早告诉|早强调|早交代', '早就?(跟|和|给|对)?(您|你)?(说|讲|提醒|强调|交代|告诉)过'],
  ['偏', '偏偏?(不|要)(听|信)'],
  ['太马虎|太粗心|太不|太过分|太懒', '(您|你)(也|可|真|实在)?太(马虎|粗心|不小心|不负责任?|过分|懒|不讲理)'],
  ['自己乱', '(您|你)[^,.!?;]{0,8}自己乱(动|点|按|改|弄|搞|操作|设置)'],
  ['嚷|吵|喊|吼|争|插嘴|打岔|废话|啰嗦|狡辩|跟我', '(别|不要)(再)?(嚷嚷|嚷|吵|喊|吼|争|插嘴|打岔|废话|啰嗦|狡辩|跟我(争|吵|喊|嚷|犟|抬杠|较劲))'],
  // 您先听我说完嘛 asks politely; 听我说完! cuts the customer off.
  ['听我', '(?<!先)听我(把话)?说完(?![嘛吧好])'],
  ['冲我|发什么|凶什么', '冲我(发|喊|嚷|吼|叫|凶)|发什么(火|脾气)|凶什么'],
  ['讲点|讲不讲|讲道理', '讲(点|不讲)道?理|讲道理好不好'],
  ['我教|我来教', '(还用|还要|也要|都要)我(来)?教'],
  ['这么大', '这么大(个|的)?人了'],
  ['不看一|不听一|不想一|不问一|不查一', '(您|你)(也|都)不(看|听|想|问|查)一(眼|下)'],
  ['仔细点|认真点|注意点|上点心|用点心|长点心|看清楚点', '(您|你)自己[^,.!?;]{0,6}(仔细点|认真点|注意点|上点心|用点心|长点心|看清楚点)'],
])

// Indifference (爱办不办, 随您便): sarcasm, except after the customer's threat, where it is the dare
// forbidden_phrase reports (那您随意).
const INDIFFERENCE = patterns([
  ['爱', '(?<!亲)爱(?<love>[^,.!?;的])不\\k<love>'],
  ['随你|随您|随意', '随(你|您)(便|的便)|(您|你)随意(吧)?(?=[,.!?]|$)'],
])

const SARCASM = patterns([
  // The ironic intensifier on its own (也真够舍得花的, 心也是够大的, 这标准够低的), not 真够实惠的.
  ['也够|可够|倒够|真够|是够|标准', '(也|可|倒)(真|是|真是|算是)?够[^,.!?;]{1,4}的|标准[^,.!?;]{0,2}够(低|高)'],
  // The ironic "how carefree": 也是心大, 也真是任性.
  ['心大|心宽|胆大|任性|想得开', '也(是|真|真是|算)(够)?(心大|心宽|胆大|任性|想得开)'],
  // The customer challenged to name a better one (那您倒是说说谁家服务好).
  ['倒是', '倒是(说说|讲讲|找找|试试)(看)?[^,.!?;]{0,6}(谁|哪)'],
  // Mock sympathy (真是委屈您了) with no apology in the utterance (checked below).
  ['委屈', '(真是|可真是|那可真是|可)委屈(您|你)了'],
  // A mocking warning: 到时候可别哭着回来, 有您受的, 您就知道谁好了.
  ['哭着|求着|跪着|有您|有你|就知道', '(别|不要)(哭着|求着|跪着)[^,.!?;]{0,2}(回来|来找)|有(您|你)(受|好受|后悔)的|就知道[^,.!?;]{0,2}谁[^,.!?;]{0,4}好了|(您|你)就知道[^,.!?;]{0,6}多(卡|慢|差|坑|贵|烂)了|就知道什么(叫|是)[^,.!?;]{1,6}了'],
  // A competitor sneered at: 电信也不见得比我们好, 他们修得比我们还慢.
  ['比我们|不如我们', '(电信|联通|广电|他们|人家|那边)[^,.!?;]{0,10}(比我们还(慢|差|贵|卡|烂|坑|黑)|不见得比我们|未必比我们|还不如我们)'],
  // Belittling the customer's stake: 对您来说也算贵?, 也算大钱?, 理你这种事.
  ['也算', '也算(大钱|钱|贵|多|个事|事|问题|损失)(吗|么|啊)?(?=[?]|$)'],
  ['这种事|这种小事|这点事', '(理|管|在乎)(您|你)这(种|点)(小)?事'],
  // Singled out: 别人都没说啥, 就您金贵 / 就您事多.
  ['就您|就你', '就(您|你)(最)?(金贵|事多|事儿多|特殊|讲究|娇气|矫情|麻烦|难伺候|毛病多)|别人都[^.!?;]{0,10}就(您|你)'],
  // Mock exaggeration: 短信箱得有多忙啊 (not 得有多少).
  ['得多|有多', '得(有)?多(?!少|久|远|长|大|高)[^,.!?;]{1,2}啊'],
  // Ironic praise turned by a contrast: 这主意真高明, 可惜….
  ['高明|聪明|创意|机智|想法|会想|会挑|会算', '(真|可真|太|好)(高明|聪明|有创意|机智|有想法|会想|会挑|会算)[^.!?;]{0,3},?(可惜|只可惜|就是|偏偏)'],
  // Rhetorical: 三个月都等了, 还差这几天? / 还在乎多等几天?
  ['还在乎|还差|还怕', '(都|已经)[^,.!?;]{0,8}[等用交忍熬]了[^.!?;]{0,6}还(在乎|差|怕)'],
  // A blessing of a complaint against us (祝您投诉顺利).
  ['投诉|举报|告状|起诉|维权', '祝(您|你)[^,.!?;]{0,4}(投诉|举报|告状|起诉|维权)[^,.!?;]{0,2}(顺利|成功|愉快|好运)'],
  // Rhetorical self-mockery answering the customer (我又不是神仙, 我也不是您肚子里的蛔虫), not 我不是机器人 (a plain clarification).
  ['神仙|算命|百科|机器|电脑|万能|千里|顺风|超人|悟空|诸葛|蛔虫|保姆|秘书', '我(又|也)不是(神仙|算命的|算命先生|百科全书|机器人|电脑|万能的|千里眼|顺风耳|超人|孙悟空|诸葛亮|(您|你)(肚子里的)?蛔虫|(您|你)(家|的)(保姆|秘书))'],
  // Exasperated admiration: 我是真服了.
  ['服了', '(是真|真是|真|算是)服了'],
  ['伺候|金贵|精贵|绝了|人才|有才|天才|够高|够可以|大忙人|大人物|大老板', '(您|你)[^,.!?;]{0,8}(可真|也真|还真|可是|可|也是|真是|真)[^,.!?;]{0,3}(难伺候|金贵|精贵|绝了|是个人才|人才|有才|天才|够高的|够可以的|大忙人|大人物|大老板)'],
  ['您这么|你这么|您那么|你那么', '(您|你)(这么|那么)(有钱|厉害|懂|聪明|能耐|大方|专业|牛|了不起|能干|精明)[^,.!?;]{0,6}还'],
  // Mock deference to the customer's wealth (您这么大方肯定不在乎).
  ['您这么|你这么|您那么|你那么', '(您|你)(这么|那么)(有钱|大方|阔气|财大气粗|土豪)[^,.!?;]{0,6}(肯定|哪|也|才)(不)?(在乎|差|心疼)'],
  ['这么|那么', '(这么|那么)(有本事|有钱|厉害|懂行|聪明|能耐|大方|专业|牛|了不起|能干|精明)[^.!?;]{0,8}(还|干嘛|何必|自己)'],
  ['真行', '(您|你)真行'],
  ['反正', '反正(您|你)(都|最|比我)?(懂|明白|知道|厉害|专业)'],
  ['比我', '(您|你)比我(们)?还(清楚|懂|专业|明白|内行)'],
  ['创意|有想法', '(太|真|可真)(有创意|有想法)'],
  ['忘性|架子|派头|口气', '(忘性|架子|派头|口气)[^,.!?;]{0,3}(真|可真|也真|够|太|好)?大'],
  ['可真|也真|还真', '(您|你)[^,.!?;]{0,6}(可真|也真|还真)(是)?(?!客气|细心|周到|好心|有心|热心|体贴|孝顺|年轻|有福气|幸运|不容易)[^,.!?;]{1,5}'],
  ['这么忙|那么忙|这么有钱|这么厉害|大忙人', '(您|你)(这么|那么)(忙[^.!?;]{0,10}(哪有|哪会|哪能|哪里|怎么会)|(有钱|厉害)[^.!?;]{0,10}(哪有|哪会|哪能|哪里|怎么会|还))'],
  ['远见|聪明|厉害|本事|能干|积极|勤快|及时|准时|会挑', '(真是|可真|真)太?(有远见|聪明|厉害|有本事|能干|积极|勤快|及时|准时|会挑)[^.!?;]{0,12}(才|终于|这么晚)'],
  ['终于|总算', '(终于|总算)(想起来|舍得|肯|记得|知道)'],
  ['操碎', '操碎了?心'],
  ['一个比一个', '一个比一个'],
  ['要求|事儿|毛病', '(要求|事儿|毛病)[^,.!?;]{0,3}(可真|真是|也太|太|真)(高|多)'],
  ['古董|老掉牙|老爷机', '古董|老掉牙|老爷机'],
  ['佩服|服了|想象力|脑洞', '佩服(您|你)|服了(您|你)|(您|你)的想象力|脑洞(真|可真|也太)?大'],
  ['大小姐|大少爷|老佛爷|姑奶奶|小祖宗|上帝', '大小姐|大少爷|老佛爷|姑奶奶|小祖宗|(您|你)是上帝'],
  ['想得', '想得[^,.!?;]{0,2}美'],
  ['还挺|倒挺|倒是挺|还真挺|可太|也太', '(还挺|倒挺|倒是挺|还真挺|可太|也太)(会|能|有才|厉害|聪明|行)(?!业)'],
  ['您以为|你以为', '(您|你)以为(我们|这里|这儿|这|我)是'],
  ['看着办', '(您|你)(自己)?看着办'],
  ['说什么就是|说啥就是|说怎样就是|说怎么样就是', '(您|你)说(什么|啥|怎样|怎么样)就是(什么|啥|怎样|怎么样)'],
  ['算我', '算我(错|倒霉|没说|多嘴)'],
  ['不愧', '不愧是(您|你)'],
  ['可真|也真|还真', '(您|你)[^,.!?;]{0,8}(可真|也真|还真|可是真)是?[^,.!?;不没]{0,2}(行|厉害|能干|了不起|有本事|会挑|会算|会过|大方|高|有意思|幽默|逗|牛|能耐|有钱|聪明|能|会)'],
  ['记性', '记性[^,.!?;]{0,4}(好|绝)'],
  ['这都能|也是挺|也是够|也是蛮|也是不容易|也是本事|也是厉害|也是人才', '这都能[^,.!?;]{1,6}(也是|也算|真是)|也是(挺|够|蛮)?(不容易|本事|厉害|人才)'],
  ['厉害厉害|佩服佩服|了不起了不起', '厉害厉害|佩服佩服|了不起了不起'],
  ['这是把', '(您|你)这是把[^,.!?;]{1,8}当[^,.!?;]{1,8}'],
  ['好好|行行|是是是|对对对', '(好好好|行行行|是是是|对对对|行行|好好)[^.!?;]{0,16}((您|你)(最|说得都|说的都|说什么都|说了算|有理|有道理)|都是我们的错|行了吧|全世界|全天下|就我们|都怪我们|全是我们|我们最(坏|黑|坑|差))'],
  ['您最|你最', '(您|你)最(懂|有理|有道理|专业|明白|厉害|对|棒|牛|强|伟大|了不起)'],
  ['您说|你说', '(您|你)说(?<say>[^,.!?;]{1,4})就\\k<say>'],
  ['行了吧', '都是我们的错[^.!?;]{0,3}行了吧'],

  ['可敢|哪敢|怎么敢|担待|担当|伺候不起|惹不起|大人物|大客户', '(我|我们)(可|哪|怎么)敢|担待不起|担当不起|伺候不起|惹不起|大人物|(您|你)是大客户嘛'],
  ['难为', '难为(您|你)了'],
  ['恭喜', '恭喜(您|你)[^.!?;]{0,14}(又|多交|欠费|超|扣|停机|多花)'],
  ['您来|你来|您自己来|你自己来', '(要不|那|干脆|不如)(您|你)(自己)?来(当|做|干|教|给我们)'],
])

// Reproach by the shape of the clause (issue 10, item 4): kinds of scolding nobody listed word by word.
// Each opens on a literal like the patterns above; the whole sentence is then checked (`reproachCues`)
// for the agent taking the blame (是我们没说清楚, 不怪您) or apologising, which no reproach survives.
const REPROACH = patterns([
  // Told, then defied: 跟你说了别乱点, 告诉你别拔电源你偏拔, 叫你等着你非不等, 都跟你讲了…你还开.
  ['跟你|跟您|和你|和您|给你|给您|告诉|提醒', '((跟|和|给)(你|您)|告诉(你|您)|提醒(了|过)?(你|您))(说|讲|交代)?(了|过)[^.!?;]{0,4}(别|不要|莫)(?!着急|担心|急|怕|慌|客气|忘|紧张)'],
  ['你偏|您偏|你非|您非|你还|您还|你又|您又', '(跟|和|叫|让|喊|告诉|提醒)(了)?(你|您)[^.!?;]{0,6}?(?<v>[\\u4e00-\\u9fff])[^.!?;]{0,12}(你|您)(还|偏偏?|非要?|又)\\k<v>'],
  ['非得|非要', '非(得|要)等到'],
  // Not listening: 就是不听, 你不听嘛, 不听劝.
  ['不听', '(就是|偏偏?|总是|老是|死活|硬是|还是)不听(?!说|到|清|懂)|不听劝|(你|您)(也|都|还|就)?不听(?=[嘛呢啊吧呀]?([,.!?;]|$))'],
  ['讲了|说了|提醒了|告诉了|交代了', '(说|讲|提醒|告诉|交代)了[^.!?;]{0,8}(你|您)(也|都|还|就是|偏偏?)?不(听|信)'],
  // Now you see: 现在知道贵了吧, 现在好了吧.
  ['现在', '现在(知道|晓得)[^,.!?;]{0,3}(贵|后悔|厉害|急|怕|错|麻烦|疼|心疼|着急|难受|重要)|现在(好|舒服|满意)了吧'],
  // The blame turned on the customer in a question: 还怪师傅?, 赖谁, 不扣您扣谁, 还好意思打来.
  ['还怪|还赖|还埋|还怨', '还(怪|赖|埋怨|怨)(师傅|别人|人家|网络|信号|我们|我|客服|运营商|移动|谁|哪个|系统|手机|工程师)'],
  ['怪谁|赖谁|怨谁|怪哪|赖哪|怪得|赖得', '(怪|赖|怨)(得了)?(谁|哪个)'],
  ['您扣|你扣|您找|你找|您收|你收|您怪|你怪', '不(?<v>[\\u4e00-\\u9fff])(你|您)\\k<v>谁'],
  ['还好意思', '还好意思(打|来|投诉|问|说|找|要|怪|闹|差评)'],
  ['还要我|还想让我|还让我', '自己[^.!?;]{0,8}还(要|想让|让)(我们|我)(赔|负责|承担|退|买单)'],
  ['就知道|就晓得|就会|只知道|只会', '(就|只)(知道|晓得|会)(投诉|骂|吵|闹|打电话|抱怨|怪|赖|找我们|催|发火)'],
  ['来闹|来吵', '来(闹|吵)(?!钟)'],
  ['就赖|就怪|就骂|就投诉|就闹|就吵', '一[^,.!?;]{1,6}就(赖|怪|骂|投诉|闹|吵)'],
  ['都怪我|都怪', '不能(什么都|啥都|都)怪(我们|我)'],
  ['故意', '(?<!不)(是不是|就是|分明是|肯定是|是)故意(的|找|刁难|捣乱|为难)'],
  ['难搞|难缠|难对付|难伺候', '(客户|人)[^,.!?;]{0,2}(最|真|太|真是)?(难搞|难缠|难对付)'],
  ['自找|自讨|自作|咎由|作的|惹出|找麻烦', '自找(的|麻烦)|自讨苦吃|自作自受|咎由自取|(自己|你)作的|惹出来的|给自己找麻烦'],
  ['还不是', '还不是(您|你)(自己)?'],
  ['不早', '不早(说|讲|办|交|问|来|打|弄|点)'],
  ['早听|早交|早办|早说', '(要是|如果|要)早(听|交|办|说)[^.!?;]{0,12}(就不会|哪会|哪来|哪至于|也不至于|就没|哪有)'],
  ['哪来|哪有', '(要是|如果|要)[^.!?;]{0,10}早(点|些|一点)[^.!?;]{0,12}(哪来|哪有)'],
  ['这都第|都第', '(这|都)(都|是)?第[\\d一二两三四五六七八九十几]+(次|回)(丢|忘|欠|停|补|弄|坏|输|锁|被|换)'],
  // Rhetorical questions at the customer: 信号能好吗, 你不会先问清楚再办啊?, 你咋想的嘛, 您凭什么.
  ['能好|能快|能不|能稳|能正', '能(好|快|不卡|不限速|不扣|不贵|不停|不断|稳定|正常)(吗|么|嘛)'],
  ['你不会|您不会', '(你|您)(就|自己)?不会(先|自己)[^,.!?;]{1,10}(啊|吗|么|嘛)'],
    ['你咋|您咋|你怎么|您怎么|怎么搞|咋搞|咋回', '(你|您)(咋|怎么)(想的|搞的|弄的)(嘛|啊|呀)|(你|您)咋回事|(怎么|咋)搞的(嘛|啊|呀)'],
  ['到底', '(您|你)到底(想|要)(怎样|咋样|干啥|咋地|怎么着)'],
  ['图什么|图啥|干啥|干嘛', '(您|你)[^,.!?;]{0,8}(图什么|图啥|干啥|干嘛)(?!用|去|的)'],
  ['钱多', '钱多(啊|呀|是吧)'],
  ['凭什么|凭啥', '(您|你)凭(什么|啥)'],
  ['犯得着|何必呢', '犯得着[^,.!?;]{0,6}(吗|么|嘛)?|何必呢'],
  // The request belittled: 这点小事也值当打个电话, 为这点事就投诉, 这种低级问题还好意思打电话来问.
  ['这点|么点|大点|这种|这类', '(这点|这么点|多大点|这种|这类)(小|低级|芝麻|鸡毛蒜皮的?)?(事儿?|问题|钱)[^.!?;]{0,8}(也|还|就|都)(值当|值得|犯得着|好意思|打(个)?电话|打过来|打来|投诉|来问|报)'],
  ['就为', '就为(了)?(这个|这点|这事)'],
  ['不就行|不就好|不就完|不就可以', '不就(行|好|完|可以)了[,]?还'],
  ['还嫌', '还嫌(慢|贵|少|不够|麻烦|多)'],
  ['还开什|还报什|还投诉什|还闹什|还吵什|还嫌什|还怪什', '还(开|报|投诉|闹|吵|嫌|怪)什么'],
  // Can't even: 开个WiFi都不会, 这点事儿都办不明白, 自己的手机都不会用, 验证码都能输错三次.
  ['都不会|都不懂|都不晓|都办不|都弄不|都搞不|都管不|都保管|都带不|都分不|都看不|都记不|都设不', '(个|点|自己的)((?!人|大家|们|客户|用户)[^,.!?;]){1,6}都(不会(?=[,.!?;啊呀嘛吗]|$|用|弄|设|操作|开|看|办)|不懂|不晓得|[\\u4e00-\\u9fff]{1,2}不(明白|清|好|齐|住|对|懂))'],
  ['都能|都会|都敢', '(你|您|这种事|这种|自己)[^.!?;]{0,8}都(能|会|敢)[^,.!?;]{0,3}(错|忘|丢|反|乱点|乱)'],
  ['都带不|都管不|都保管|都没听|都不带|都不交|都不看就', '都(带不齐|管不好|保管不好|没听完|不带就|不看就|不交)'],
  ['多大|一把年纪|一大把年纪|大男人|大小伙', '(多大|那么大)(的)?人了|一(大)?把年纪了?[^.!?;]{0,6}还|(大男人|大小伙子)[^,.!?;]{0,4}(怎么|还|这么)'],
  // Telling the customer off: 别老打断我, 莫插嘴, 少跟我来这一套, 你先别说话听我讲, 声音小点.
  ['别|不要|莫|少', '(别|不要|莫|少)(老|再|总|一直|老是|总是|跟我|在这)?(打断|插嘴|插话|大呼小叫|挑刺|挑毛病|来这一?套|嚷嚷?|吵|喊|吼|闹了|废话|啰嗦|狡辩|瞎说|乱说|胡说|抬杠|找茬|磨叽)'],
  ['先别说', '先别说(话)?[^.!?;]{0,3}听我(说|讲)'],
  ['好好听我|好好说话', '好好(听我(说|讲)|说话)'],
  ['小点|小一点|小声', '(声音|嗓门)(小|低)(一)?点|小声(一)?点'],
  ['大声', '(这么|那么)大声(干什么|干嘛|做什么|干啥)|大声(就)?有用|大声[^,.!?;]{0,2}(也|都)没用'],
  ['也没用|都没用|也没有用|都没有用', '(吼|凶|骂|嚷嚷?|喊|吵|急)我?(也|都)(没用|没有用)'],
  ['啥子|啥', '(想|急|吵|问|说|闹|嚷|喊|哭|催|叫|笑|凶|怕|慌|吼)(啥子|啥)\\1'],
  ['瞎', '瞎(弄|折腾|搞|整|点|操作|改|闹|捣鼓)[^,.!?;]{0,2}(什么|啥)'],
  ['嚷嚷|嚷|吵吵|吵|喊|吼|叫唤', '(嚷嚷|嚷|吵吵|吵|吼|叫唤)(什么|啥子|啥)(?![^,.!?;]{0,2}(事|问题|原因|时候|地方))'],
  ['我又|我也|我没|我不', '我(又|也)?(没|不)(欠|骗|惹|得罪)(你|您)'],
  ['我又不是|我也不是|出气筒', '我(又|也)不是(你|您)(家)?的?(佣人|保姆|下人|仆人|出气筒|丫鬟)|当(成)?出气筒'],
  ['态度', '(您|你)(这个|这种|什么|这)态度|态度(放|好)[^,.!?;]{0,2}点'],
  ['这样讲|这样说|这样子|这么说', '(您|你)(这样|这样子|这么)(讲话|说话)[^,.!?;]{0,4}(就)?(不对|没意思|不好)'],
  ['不要以为|别以为', '(不要|别)以为[^,.!?;]{0,6}(就|有用)'],
  ['再这么|再这样', '(您|你)再(这么|这样)(说话|讲话|闹|吵|骂)'],
  ['下次|以后', '(下次|以后)(可)?(别|不要)(再)?这样|以后别什么都不'],
  ['记性', '(长|涨)(点|个)?记性'],
  ['能不能|可不可以', '(能不能|可不可以)(认真|仔细|小心|注意|看好|管好|上心|安静|小声|客气|讲理|配合|专心|用心)[^,.!?;]{0,2}(点|些)'],
  ['一点都|一点也', '一点(都|也)不(配合|上心|注意|听|讲理|体谅)'],
  ['太不|太小题|太磨叽|太马虎|太粗心|太过分|太懒', '(您|你)(们家)?(也|可|真|实在)?太(不(上心|注意|小心|配合|讲理|像话|负责|认真|仔细|当回事|懂事|自觉|讲道理)|小题大做|磨叽|马虎|粗心|过分|懒)'],
  ['磨叽|小题大做', '(怎么|这么|那么)磨叽|小题大做'],
  // Guilt laid on the customer: 您倒好, 我好心给您打电话…您怎么这个态度, 账都给您算好了您还犹豫.
  ['您倒|你倒', '(您|你)倒(好|先|还|反而)'],
  ['好心|辛辛苦苦|好意|特意', '(我|师傅|我们)(好心|辛辛苦苦|好意|特意)[^.!?;]{0,16}(您|你)(还|倒|却|怎么|一句)'],
  ['还犹豫|还不满意|还不要|还嫌', '(给您|帮您|给你|帮你)[^,.!?;]{0,6}(好了|完了)[^.!?;]{0,4}还(犹豫|不满意|不要|嫌)'],
  ['都不要', '这么(划算|便宜|好|实惠)的都不要'],
  ['害惨', '害惨'],
])
// Reproach only when it is not said as a condition or advice (不懂的话就先别操作: guarded below).
const REPROACH_UNLESS_ADVICE = patterns([
  ['你偏|您偏|你非|您非', '(你|您)(偏偏?|非)(要|得)?(不)?(?!常|凡|法|但)[\\u4e00-\\u9fff]'],
  ['就别|就不要|就少|就莫', '(不会|不懂|不知道|不清楚)[^,.!?;]{0,3},?就(别|不要|莫)(乱|瞎|自己|用|办|开)|没钱就少'],
])
// The agent takes the blame, apologises or lifts it from the customer: no reproach in the sentence.
const OWN_BLAME = /(是我们(没|的|不好|疏忽)|我们的(问题|错|责任|失误|疏忽)|(这事儿?|这个)?怪我们(?!了)|不怪(您|你)|不是(您|你)的(问题|错|责任)|不好意思|抱歉|对不起|我理解|理解您|没关系)/
const ADVICE = /(如果|要是|假如|的话|建议|最好|可以)/

// Sarcasm by the shape of the utterance.
const IRONY = patterns([
  // A mocking interjection opening the sentence (哟, 好家伙, 呵呵, 啧啧).
  ['哟|呦|好家伙|啧啧|哎呦喂', '(?<=^|[.!?;,])(哟|呦|好家伙|啧啧|哎呦喂)(?![a-z])'],
  // Mock surprise at what the customer knows: 还知道打客服啊, 您还知道光猫呢 (not a question: 您还记得吗).
  ['还知道|还晓得', '(?<!(如果|要是|假如)[^,.!?;]{0,4})还(知道|晓得)(?![^,.!?;]{0,8}(哪|什么|几|多少|怎么|谁|吗))[^,.!?;]{0,8}(啊|呢|嘛|哦|哈)(?=[,.!?;]|$)'],
  ['还挺|倒挺|还真挺|可太|真是太|好有', '(还挺|倒挺|还真挺|可太)(懂行?|有主意|有本事|有水平|专业|会[算挑过])|好有(本事|能耐|水平)'],
  // A mock guess: 您这是拿路由器当摆件呢, 您这是要上天啊 (not a question: 您这是要办什么呢).
  ['这是', '(您|你)(家)?这是(要|在|拿|给|打算)(?![^,.!?;]{0,12}(什么|哪|怎么|几|多少|吗))[^,.!?;]{1,12}(呢|啊|哦|咯|呀)(?=[,.!?;]|$)'],
  // Hyperbole about the customer's things or money: 手机是从博物馆拿出来的吧, 话费是大风刮来的吧.
  ['博物馆|大风刮|开矿|慈善|印钞|全小区|修身养性|吉尼斯|世界末日|西边出|上天|发射卫星|钉子户|财神爷|土豪', '博物馆|大风刮来|开矿的|开慈善|搞慈善|印钞|全小区|修身养性|吉尼斯|世界末日|西边出来|要上天|发射卫星|钉子户|财神爷|是土豪|个土豪'],
  // Mock agreement: 对对对您永远是对的, 原来是我们的错, 就是专门坑您一个人, 谢谢您教我怎么做客服.
  ['永远', '(您|你)永远是对的'],
  ['原来是', '原来是(我们的错|我们错|我们不对|(您|你)(在)?教我)'],
  ['教我', '教我(做事|怎么(做|当)客服)'],
  ['错都没', '一点错都没(有|得)'],
  ['专门', '就是专门(坑|骗|整)(您|你)'],
  // Mock encouragement: 您继续欠嘛, 您就继续多交钱吧, 守着您那2G网慢慢用吧, 慢慢考虑, 反正优惠也不会等您.
  ['继续|接着', '(继续|接着)(欠|多交|多花|被扣|交滞纳金|等)[^.!?;]{0,8}(吧|嘛|呗|咯)'],
  ['守着', '守着[^,.!?;]{0,8}慢慢'],
  ['反正', '慢慢[^,.!?;]{0,4},?反正[^,.!?;]{0,6}(不会|也是|都是|天天)'],
  ['也是这个价', '等到[^,.!?;]{1,4}也是这个价'],
  // Mock wonder: 这年头还有人用老人机, 现在还有不要优惠的客户.
  ['还有人|还有客户|还有不', '(现在|这年头|居然|竟然)还有(人|客户|不)'],
  ['太巧', '(那|可|真是|可真是)(真是)?太巧了'],
  // Mock deference to money: 您是土豪还差这点流量费, 行您有钱不在乎这点, 钱多得都不用省.
  ['有钱|钱多得', '(您|你)(是|有)(有钱人?|钱)[^.!?;]{0,10}(还差|不在乎|都不在乎|不心疼|还在乎)|钱多得'],
  // Belittling: 能上网就不错了, 说得倒轻巧, 这么大的事啊, 您是第一个这么问的, 头一回听说.
  ['就不错', '能[^,.!?;]{1,6}就不错了'],
  ['轻巧', '(说|想)得(倒|真|可)?轻巧'],
  ['大的事', '这么大的事(啊|呀)|天大的事'],
  ['第一个', '(您|你)是第一个'],
  ['头一回|第一次听', '头一回(听说|见|听到)|第一次听说'],
  ['比我', '(您|你)比(我们|我)[^,.!?;]{0,6}还(懂|专业|清楚|明白|内行|会)'],
  // Mock suggestions: 您干脆别用手机了, 您咋不说让我们给您白装呢, 要不要顺手给您把房子也装修了, 研究明白了教教我.
  ['干脆', '干脆[^.!?;]{0,10}(得了|算了)|干脆别用'],
  ['不说让|不说叫', '(咋|怎么)不说(让|叫)'],
  ['顺手', '要不要顺手'],
  ['自己去', '自己去[^,.!?;]{1,6}(咯|呗)'],
  ['教教我', '教教我'],
  ['看把', '看把(您|你)(能|美|乐|急)的'],
  ['不嫌累', '(您|你)(也)?不嫌累'],
  ['也是挺|也是够|也是蛮', '也是(挺|够|蛮)[^,.!?;]{1,3}的?(哈|啊|呀)'],
  ['真当', '(您|你)真当(我们|这里|这)是'],
  ['创意|想法', '(蛮|挺|好)有(创意|想法)的?嘛'],
  ['都得笑|够我', '听了都得笑|够我[^,.!?;]{1,4}一年'],
  ['绝了|服了|服气|666|安逸', '这(操作|智商|脑子|记性|理解力|水平)[^.!?;]{0,4}(绝了|服了|服气|666|安逸)'],
])
// Ironic praise: a praise word in a sentence that also names the customer's mishap (您真是高手, 线都能接反;
// 您真大方, 一回充一块钱) — sincere praise names a success (一下就找到了) or thanks.
const PRAISE = patterns([
  ['厉害|高手|天才|人才|聪明|能耐|本事|了不起|牛|666|绝了|有才|水平|文采|大方|耐心|会过|精打|会算|能算|懂行|不得了|真有|不愧|老朋友|好客户|见过最|服了|精明|仔细', '厉害|高手|天才|人才|聪明|能耐|本事|了不起|牛|666|绝了|有才|有水平|文采|大方|(真|最|这么)有耐心|耐心(是)?真好|会过日子|精打细算|会算|能算|懂行|不得了|真有(您|你)的|不愧是|老朋友|好客户|我见过最|服了|精明|最仔细'],
])
const MISHAP = /(都能|都敢|这都|还来问|才来|才想起|才知道|才打|还被|还想|一分钱都不|都不心疼|都不看|不在乎|[接输报填拽弄搞记看刷][错反断丢坏成]|弄丢|丢[了手]|锁了|泡水|问了|攒了|停[一二两三四五六七八九十\d]|[一二两三四五六七八九十\d]+(回|次|遍|小时|下午)|一下午|隔三差五|天天|第一个|头一回|用到现在|下班前|一回充|一块钱|[\d一二两三四五六七八九十百]+块|欠费|都想|就是多|被骗)/
const SINCERE = /(一下就|一下子|一次就|第一次就|这么快|马上就|谢谢|感谢|多亏|帮了大忙|都不用我|确实|没错|对的|[报设填输弄]对|找到了|学会|配合|修好|搞定|连上|不赖|没事|不客气|不用客气)/

// An internal system with a fault (the fault word is checked for negation: 不会出错).
const SYSTEM_FAULT_SRC = String.raw`(系统|后台|服务器|数据库|平台|程序|机房|网管|crm|boss|内网|电脑|接口|交换机|核心网|网元|光缆)[^.!?;]{0,12}?(?<fault>报警|抽风|崩|瘫痪|宕[了过]?(一次|一下)?机|故障|掉线|死机|登不上|进不去|打不开|出[了过]?(点|些)?(事故|问题|状况|毛病|bug|错)|有bug|写错|报错|挂了|挂过|不稳定|坏[了过掉]|卡死|丢了?数据|异常(?=[了的啊,.!?;]|$)|漏洞|被攻击|被黑|搞砸|对不上|不同步|错乱|丢单|超时|连不上|不通)`
const SYSTEM_FAULT = patterns([['系统|后台|服务器|数据库|平台|程序|机房|网管|crm|boss|内网|电脑|接口|交换|核心|网元|光缆', SYSTEM_FAULT_SRC]], 'dg')
// Whose system: ours (the operator's), not the customer's phone, an app or a third party's server.
const OURS = /(我们|咱们|公司|我司|内部|这边|移动|联通|电信|营业厅|计费|工单|积分|办理|受理|业务|技术部|IT部|crm)/
const OFFER = /(套餐|优惠|活动|价|折扣|福利|名额|政策)/
const THEIRS = /(手机|电脑|软件|app|应用|输入法|安卓|苹果|ios|root|版本|刷机|浏览器|客户端|邮箱|路由器|电视|服务商|第三方|耗电|缓存|网站|商家)/
// Secrecy asked for (您别往外说, 别说出去): a disclosure only when the utterance also names an offer, a
// price or the inside (别往外说 alone is often advice: keep your code to yourself).
const SECRECY = patterns([['往外|对外|说出去|跟别人', '(别|不要)(往外|对外|跟别人)(说|讲)|(别|不要)说出去']])
const DISCLOSURE = patterns([
  ['员工', '员工(专享|专属|内部|自己)?的?(套餐|价|优惠|福利|折扣)'],
  ['官网|公开|对外', '不在官网|不公开|没公开|没有?对外(公布|公开)?|不对外'],
  ['还没|尚未', '(降价|涨价|优惠|活动|新套餐|政策)[^.!?;]{0,14}(还没|没有|尚未)(发|公布|出来|公开|上线|对外|通知)'],
  ['偷偷', '偷偷(帮|给|替|补|减|送|免)'],
  // What the inside may do for this customer (内部可以偷偷给补一个月), not what it will do (内部会尽快补发).
  ['内部', '内部(可以|能)[^,.!?;]{0,4}(补|减|送|免|特批|多给)'],
  ['积压|处理不过来', '(工单|单子|后台|我们)[^.!?;]{0,10}(积压|处理不过来)'],
  ['业绩|考核|kpi|完不成', '(业绩|考核|kpi)(指标|任务|压力)|冲业绩|完不成[^,.!?;]{0,6}扣(钱|工资|绩效)'],
  // Internal troubles: money not approved, staff not trained (内部一直没批经费, 培训都没过就上岗).
  ['内部', '内部[^,.!?;]{0,6}(没批|不批|不给批|没钱|没经费|缺钱|扯皮|矛盾|在裁员|人手不够|没人管|没人负责|推来推去|踢皮球)'],
  // A way in that only the inside has (走个内部通道, 内部的路子).
  ['内部', '内部的?(渠道|通道|关系|路子|途径|名额)'],
  // Short of hands (维修人员走了一半, 我们人手不够); not the customer's 忙不过来, not 师傅说信号不够强.
  ['人员|师傅|员工|人手|工程|客服', '(人员|师傅|员工|工程师|客服)[^,.!?;]{0,6}(走了一半|走了不少|短缺|离职了好几个|辞职了好几个)|人手(严重|实在)?(不够|短缺)|人不够用'],
  ['上岗', '((培训|考核|考试)[^,.!?;]{0,4}(没过|没完|没通过)|没(经过)?(培训|考核)(完|过)?)[^,.!?;]{0,2}就上岗'],
  // How it is handled inside (内部就是这么处理的, 我们内部的做法是).
  ['内部', '内部(就|都|一般)?(是)?(这么|这样)(处理|办|弄|做|规定)|内部的(做法|规定|政策|口径)'],
  // A price by connection (后门价, 关系价, 渠道价).
  ['后门|关系|渠道|友情|特批|熟人', '(后门|关系|渠道|友情|特批|熟人)(价|价格)'],
])
// Not on the website: an unpublished offer only when an offer is named (官网没有安装包 is no offer).
const NOT_ON_SITE = patterns([['官网', '官网上?(没有|查不到|看不到|找不到)']])
// The customer's own secrets: keeping them is security advice, not a disclosure.
const CREDENTIAL = /(密码|验证码|身份证|账号|银行卡|卡号|个人信息)/
const DEVICE_BEFORE = /(您|你)(的|家)?(手机|电脑|路由器|光猫|电视|机顶盒)?的?$/
const RULED_OUT = /(不是|并非|没有|排除|不存在|如果|如遇|若|万一|遇到|避免|防止|可能|也许|或许)[^,.!?;]{0,4}$/

// A certainty word with a measurable outcome, or with a deadline and a fix (明天之前绝对给您弄好).
const OVERPROMISE = patterns([
  ['比现在|快一倍|翻倍|翻一番|不会再|再也不会', '(肯定|一定|绝对|保证|百分之?百)[^,.!?;]{0,8}(比现在[^,.!?;]{0,4}(快|好)|快一倍|翻倍|翻一番|不会再|再也不会)'],
  ['肯定|一定|绝对|保证', '(今天|明天|马上|立刻|立马|当天|[一二两三四五六七八九十\\d]+(天|小时|分钟)|之前|以内|之内)[^,.!?;]{0,6}(肯定|一定|绝对|保证)[^,.!?;]{0,6}([装修弄办搞做]好|解决|到账|恢复|搞定|开通|生效|退回)'],
  // Certainty that something will never happen again (肯定一分钱都不会多扣了, 肯定永远不会涨).
  ['肯定|一定|绝对|保证|百分', '(肯定|一定|绝对|保证|百分之?百)[^,.!?;]{0,10}(永远不会?|不会再?|不再|再也不会?)(多扣|多收|涨|断|掉线|扣)'],
  ['永远', '永远不(会)?(涨|变|断|扣|收)'],
  // Certainty of a waiver or refund (我肯定给您全部免掉).
  ['肯定|一定|绝对|保证', '(肯定|一定|绝对|保证)[^,.!?;]{0,3}(给|帮)(您|你)[^,.!?;]{0,6}(免掉|免了|退掉|退回|退了|减免|免单|补上|全免|全退)'],
  ['给您|给你|帮您|帮你', '(给|帮)(您|你)[^,.!?;]{0,4}(每月|每个月)?(再)?(减|免|少收|便宜|打)[^,.!?;]{0,3}([0-9]|[一二两三四五六七八九十百半]+)(块|元|折|个月)'],
  ['一定|肯定|绝对|保证', '(我|我们)(一定|肯定|绝对|保证)(能|会|可以)?(给|帮)(您|你)[^,.!?;]{0,6}(办成|办好|办下来|弄好|修好|解决|搞定|申请下来|批下来)'],
  ['肯定|一定|绝对|保证', '(肯定|一定|绝对|保证)[^,.!?;]{0,3}(今天|明天|马上|立刻|当天)[^,.!?;]{0,6}([装修弄办搞做]好|解决|到账|恢复|搞定|开通|生效|退回)'],
])
const OVERPROMISE_NEGATED = /(不|不能|无法|没法|不敢|不是|没有|没办法|申请|看看|查查|查一下|能否|能不能|是否|可以)[^,.!?;]{0,4}$/
const EFFORT = /(尽快|尽量|尽力|争取|努力)/


// The lexicon rules ask for each act of one utterance in turn: a one-entry memo (the last utterance's
// compact text and the cues found) costs nothing to look up.
const KINDS: readonly ActKind[] = ['mistake', 'scolding', 'sarcasm', 'disclosure', 'overpromise']
interface ActState {
  compact: Compact
  /** The patterns this utterance marked (`markPatterns`). */
  stamp: number
  customer: boolean
  cues: (ActCue[] | undefined)[]
}
let lastFeatures: UtteranceFeatures | null = null
let lastState: ActState | null = null

function compactOf(t: string): Compact {
  if (t.indexOf(' ') < 0) return { text: t, at: null }
  const at = new Uint32Array(t.length)
  let n = 0
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) !== 32) at[n++] = i
  return { text: t.replace(/ /g, ''), at }
}

/** Normalised offset of compact offset `i`. */
const normAt = (c: Compact, i: number): number => (c.at === null ? i : c.at[i]!)

// Punctuation of the normalised text: 1 ends a clause, 2 also ends a sentence.
const STOP = new Uint8Array(128)
for (const ch of ',:') STOP[ch.charCodeAt(0)] = 1
for (const ch of '.!?;') STOP[ch.charCodeAt(0)] = 2
const stopAt = (t: string, i: number): number => {
  const c = t.charCodeAt(i)
  return c < 128 ? STOP[c]! : 0
}

function sentenceStart(t: string, at: number): number {
  let i = at - 1
  while (i >= 0 && stopAt(t, i) !== 2) i--
  return i + 1
}
function sentenceEnd(t: string, at: number): number {
  let i = at
  while (i < t.length && stopAt(t, i) !== 2) i++
  return i
}
function clauseStart(t: string, at: number): number {
  let i = at - 1
  while (i >= 0 && stopAt(t, i) === 0) i--
  return i + 1
}
function clauseEnd(t: string, at: number): number {
  let i = at
  while (i < t.length && stopAt(t, i) === 0) i++
  return i
}

export function actCues(f: UtteranceFeatures, kind: ActKind): ActCue[] {
  if (lastFeatures !== f || lastState === null || lastState.stamp !== stamp) {
    const compact = compactOf(f.text)
    markPatterns(compact.text)
    lastState = { compact, stamp, customer: /[您你]/.test(compact.text), cues: [] }
    lastFeatures = f
  }
  const state = lastState
  const k = KINDS.indexOf(kind)
  const known = state.cues[k]
  if (known) return known
  const c = state.compact
  const t = c.text
  let raw: [number, number][] = []
  {
    switch (kind) {
      case 'mistake':
        raw = state.customer ? mistakes(f, c) : []
        break
      case 'scolding':
        raw = matchPatterns(t, SCOLDING)
        {
          // A reproach said with irony (这么便宜的都不要, 您可真是个会过日子的人) is sarcasm's, not a second finding.
          let more = reproaches(t)
          if (more.length > 0) {
            const ironic = actCues(f, 'sarcasm')
            if (ironic.length > 0) more = more.filter(([s, e]) => !ironic.some((q) => q.start >= normAt(c, sentenceStart(t, s)) && q.start < normAt(c, Math.min(t.length, sentenceEnd(t, e)) - 1) + 1))
          }
          raw = merge(raw, more)
        }
        break
      case 'sarcasm':
        raw = matchPatterns(t, SARCASM)
        // Sentence-local like every cue (settled on a partial once its sentence has ended).
        if (raw.length > 0 && APOLOGY.test(t)) raw = raw.filter(([s, e]) => t.slice(s, e).indexOf('委屈') < 0 || !APOLOGY.test(t.slice(sentenceStart(t, s), sentenceEnd(t, e))))
        raw = merge(raw, ironies(f, c))
        // Sincere praise beside the frame (您记性真好, 确实是十五号办的; 您真行, 一下就找到了): no sarcasm.
        if (raw.length > 0 && SINCERE.test(t)) raw = raw.filter(([s, e]) => /谢|感谢/.test(t.slice(s, e)) || !sincere(t, s, e))
        if (!f.afterThreat) {
          const indifferent = matchPatterns(t, INDIFFERENCE)
          if (indifferent.length > 0) raw = [...raw, ...indifferent].sort((a, b) => a[0] - b[0])
        }
        break
      case 'disclosure':
        raw = disclosures(t)
        break
      case 'overpromise':
        raw = overpromises(t)
        break
    }
  }
  let cues: ActCue[] = raw.length === 0 ? NONE : raw.map(([s, e]) => ({ start: normAt(c, s), end: normAt(c, e - 1) + 1, phrase: t.slice(s, e) }))
  // Aimed at the customer, not an echo of the customer's own words (您是说…搞错了).
  if (cues.length > 0 && kind !== 'disclosure' && kind !== 'overpromise') cues = cues.filter((q) => !echoes(f.text, q.start))
  // The agent taking back what it just said (我说得不对, 我收回): no disclosure or promise stands.
  else if (cues.length > 0) cues = cues.filter((q) => !f.selfCorrection(q))
  state.cues[k] = cues
  return cues
}

const NONE: ActCue[] = []
const APOLOGY = /(抱歉|对不起|不好意思|道歉|让(您|你)受委屈)/

// The agent echoing the customer (您是说, 您刚才讲, 您反映), but not 您说的X (a noun phrase: 您说的长途费).
const ECHO = /(?<![帮给为替跟向和])(您|你)(刚才|刚刚|之前|前面)?(是)?(说|讲|提到|反映|反馈|觉得|认为)(?!的)|(您|你)的意思是|客户(说|反映)|据(您|你)|听(您|你)说/

function echoes(t: string, at: number): boolean {
  return ECHO.test(t.slice(sentenceStart(t, at), at))
}

/** Two sorted lists of matches as one, overlaps resolved to the earlier (then longer). */
function merge(a: [number, number][], b: [number, number][]): [number, number][] {
  if (b.length === 0) return a
  if (a.length === 0) return b
  const all = [...a, ...b].sort((x, y) => x[0] - y[0] || y[1] - x[1])
  const out: [number, number][] = []
  for (const m of all) if (out.length === 0 || m[0] >= out[out.length - 1]![1]) out.push(m)
  return out
}

const sentenceOf = (t: string, s: number, e: number): string => t.slice(sentenceStart(t, s), sentenceEnd(t, e))

/** The reproach frames, each cleared by the agent taking the blame or apologising in its sentence. */
function reproaches(t: string): [number, number][] {
  const out: [number, number][] = []
  for (const [s, e] of matchPatterns(t, REPROACH)) if (!OWN_BLAME.test(sentenceOf(t, s, e))) out.push([s, e])
  for (const [s, e] of matchPatterns(t, REPROACH_UNLESS_ADVICE)) {
    const sentence = sentenceOf(t, s, e)
    if (!OWN_BLAME.test(sentence) && !ADVICE.test(sentence)) out.push([s, e])
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** The irony frames (no apology in the sentence), and praise beside the customer's mishap. */
function ironies(f: UtteranceFeatures, c: Compact): [number, number][] {
  const t = c.text
  const out: [number, number][] = []
  for (const [s, e] of matchPatterns(t, IRONY)) if (!APOLOGY.test(sentenceOf(t, s, e))) out.push([s, e])
  for (const [s, e] of matchPatterns(t, PRAISE)) {
    const from = sentenceStart(t, s)
    const to = sentenceEnd(t, e)
    if (!MISHAP.test(t.slice(from, s)) && !MISHAP.test(t.slice(e, to))) continue
    // A word of its own (明天才能 holds no 天才): segmentation, only for a candidate.
    const ns = normAt(c, s)
    const ne = normAt(c, e - 1) + 1
    const words = f.sentenceWords(ns)
    if (words.some((w) => w.start === ns) && endsWord(f, ne)) out.push([s, e])
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** Sincere praise in the sentence of [s, e): a success or thanks named, and no mishap. */
function sincere(t: string, s: number, e: number): boolean {
  const sentence = sentenceOf(t, s, e)
  return SINCERE.test(sentence) && !MISHAP.test(sentence)
}

function matchAll(t: string, re: RegExp): [number, number][] {
  const out: [number, number][] = []
  re.lastIndex = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    out.push([m.index, m.index + m[0].length])
    if (m[0].length === 0) re.lastIndex++
  }
  return out
}

function mistakes(f: UtteranceFeatures, c: Compact): [number, number][] {
  const t = c.text
  const out: [number, number][] = []
  for (const [s, e] of matchPatterns(t, MISTAKE_PRED)) {
    if (NEGATED.test(t.slice(Math.max(0, s - 3), s))) continue
    const doer = customerDoer(t, s)
    if (doer < 0) continue
    if (innocentMistake(t, doer, s, e)) continue
    // The predicate ends a word (登记反馈 holds no 记反; 填错了 ends at 错): segmentation, only for a candidate.
    if (!endsWord(f, normAt(c, e - 1) + 1)) continue
    out.push([doer, e])
  }
  for (const [s, e] of matchPatterns(t, MISTAKE_WHOLE)) {
    if (innocentMistake(t, s, s, e)) continue
    if (!out.some(([a, b]) => a < e && s < b)) out.push([s, e])
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** Offset of the 您/你 doing the predicate at `p`: in its clause or the clause before (same sentence), or -1. */
function endsWord(f: UtteranceFeatures, end: number): boolean {
  if (end >= f.text.length || !/[\u4e00-\u9fff]/.test(f.text[end]!)) return true
  return f.sentenceWords(end - 1).some((w) => w.start + w.word.length === end)
}

function customerDoer(t: string, p: number): number {
  const clause = clauseStart(t, p)
  const from = clause > 0 && t[clause - 1] === ',' ? clauseStart(t, clause - 1) : clause
  const stretch = t.slice(Math.max(from, sentenceStart(t, p)), p)
  const base = p - stretch.length
  let found = -1
  CUSTOMER.lastIndex = 0
  for (let m = CUSTOMER.exec(stretch); m; m = CUSTOMER.exec(stretch)) {
    if (OBJECT_BEFORE.test(stretch.slice(Math.max(0, m.index - 4), m.index))) continue
    found = m.index
  }
  if (found < 0) return -1
  if (OTHER_SUBJECT.test(stretch.slice(found + 1))) return -1
  // The predicate's clause has a subject of its own (…不听您解释, 这种态度确实不对): the 您 before is not its doer.
  if (base + found < clause && /^(这|那)(种|个|样|些)?[^,.!?;]{0,3}(态度|说法|做法|事|情况|规定|服务|问题)/.test(t.slice(clause, p))) return -1
  return base + found
}

function innocentMistake(t: string, from: number, s: number, e: number): boolean {
  const ss = sentenceStart(t, from)
  const se = sentenceEnd(t, e)
  const sentence = t.slice(ss, se)
  if (NOT_YOUR_FAULT.test(sentence)) return true
  const cs = clauseStart(t, from)
  if (HEDGE.test(t.slice(cs, clauseEnd(t, e)))) return true
  if (REASSURE_BEFORE.test(t.slice(ss, s)) || REASSURE_AFTER.test(t.slice(e, se))) return true
  // Asked, not asserted: the clause (or its sentence) ends in a question (记错了吧?, 填错了吗?).
  const ce = clauseEnd(t, e)
  if (t[ce] === '?' || /[吗么]\s*$/.test(t.slice(e, ce))) return true
  return false
}

function disclosures(t: string): [number, number][] {
  const out: [number, number][] = []
  const fault = SYSTEM_FAULT.list[0]!
  const re = fault.re
  re.lastIndex = 0
  for (let m = marked[fault.id] === stamp ? re.exec(t) : null; m; m = re.exec(t)) {
    const s = m.index
    const e = s + m[0].length
    const faultAt = m.indices!.groups!.fault![0]
    const sentence = t.slice(sentenceStart(t, s), sentenceEnd(t, e))
    if (DEVICE_BEFORE.test(t.slice(Math.max(0, s - 8), s)) || RULED_OUT.test(t.slice(Math.max(0, s - 8), s))) continue
    if (/(没有|没|不是|并没有)$/.test(t.slice(s, s + 4)) || NEGATED.test(t.slice(Math.max(s, faultAt - 3), faultAt))) continue
    // Ours unless the sentence is about the customer's device, an app or a third party (程序崩溃 of an input method).
    if (THEIRS.test(sentence) && !OURS.test(sentence)) continue
    out.push([s, e])
  }
  for (const [s, e] of matchPatterns(t, DISCLOSURE)) {
    if (RULED_OUT.test(t.slice(Math.max(0, s - 8), s))) continue
    if (CREDENTIAL.test(t.slice(sentenceStart(t, s), sentenceEnd(t, e)))) continue
    out.push([s, e])
  }
  for (const [s, e] of matchPatterns(t, SECRECY)) {
    const sentence = t.slice(sentenceStart(t, s), sentenceEnd(t, e))
    if ((OFFER.test(sentence) || /(内部|私下|偷偷)/.test(sentence)) && !CREDENTIAL.test(sentence)) out.push([s, e])
  }
  for (const [s, e] of matchPatterns(t, NOT_ON_SITE)) {
    if (OFFER.test(t.slice(sentenceStart(t, s), sentenceEnd(t, e)))) out.push([s, e])
  }
  return out.sort((a, b) => a[0] - b[0])
}

function overpromises(t: string): [number, number][] {
  return matchPatterns(t, OVERPROMISE).filter(([s, e]) => !OVERPROMISE_NEGATED.test(t.slice(Math.max(0, s - 4), s)) && !EFFORT.test(t.slice(s, e)))
}
