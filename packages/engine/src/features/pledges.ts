/**
 * 不向客户承诺无法实现的服务 — promises beyond the agent's power, found by what is promised and on whose authority
 * (beside the act frames of features/acts.ts `overpromise`): overpromise's frames.
 *
 * - A benefit the agent hands out on its own word: the agent as the doer of a grant (减, 免, 抹, 勾销, 延, 送, 返, 赔,
 *   降到, 按半价走, 算成, 重新发, 多加…) with what it grants (an amount, a share, a period, a fee named) — not a paid add-on
 *   bought (十块钱五个G), not a published offer (活动, 官方, 合同里写着).
 * - Authority claimed: 我说了算, 我说话算数, 我有这个权限, 不用审批, 我自己就能拍板, 我给您兜着/兜底, 打个招呼, 报我名字,
 *   特殊照顾, 别人可没这待遇, 我答应您/我给您承诺 — with a benefit or an outcome in the utterance.
 * - Certainty of an outcome others decide: a certainty word (一定, 肯定, 保证, 绝对, 指定, 百分之百…) with an arrival, a
 *   fix, a result or a state in its clause (师傅一定到, 保证不卡, 十年不变, 肯定就正常了, 肯定给您放行), or a certainty tag
 *   after the outcome (…就到账, 保证今天; …就正常了, 百分之百); the agent's own reporting in ANOTHER clause does not clear it
 *   (投诉我记上了,最后肯定给您赔一部新手机).
 * - Absolutes: 终身有效, 啥时候都是这个价, 用多少都不降速, 欠费也不停, 全家都不用再交月费, 以后打电话都不收钱, 包换新的,
 *   多久都包, 哪都有信号, 不管多少都能退, 随时给您退.
 * - Failure answered by the agent: 出了问题…我兜底, 再扣您一分钱您直接来找我, 没复我把工资赔给您.
 *
 * Quiet: a negation or doubt before it (不能保证, 没法打包票, 谁能打包票), effort (尽量, 尽力, 一定帮您催), the agent's own
 * act as the whole promise (一定给您回电话), hedges (一般, 预计, 左右, 看审核), conditions of policy (如果核实…, 符合条件的话),
 * questions and echoes (frames.ts `heldBack`).
 */
import type { ActCue } from './acts.js'
import { clauseEnd, clauseStart, sentenceEnd, sentenceStart } from './bounds.js'
import { clauseBefore, demanded, framed, heldBack, runFrames, sentenceOf, type Frame } from './frames.js'
import { disownedGuarantee, ownActGuarantee } from './promise.js'
import type { UtteranceFeatures } from './utterance.js'

const NUM = '[\\d一二两三四五六七八九十百千万几半]'
const AGENT = '(我|我们|本人|小妹)'
const ADVERBS = '(这边|这儿|这里|可以|能|就|直接|再|额外|私人|私下|个人|都|来|一定|肯定|马上|现在|每个月|每月|以后|下个月起?|今天|也|还|自己|全部|一笔)*'

// A negation, doubt or refusal before the promise in its clause, or a refusal or doubt in its sentence.
const DOUBT_BEFORE = /(不(?!过|管|论|然|但|仅|只)|没(?!错|问题)|无法|没法|不敢|没办法|很难|不好说|不可能|不一定|谁能|谁敢|哪能|哪敢|怎么能|为了|(?<!申)请|需要|务必|已经)[^,.!?;]{0,6}$/
const DOUBT_IN_SENTENCE = /(做不了主|说了不算|没(有)?(这个)?权限|得审核|要看审核|看审核|等结果|批不批|能不能批|不敢(保证|答应|打包票)|不能保证|没法保证|保证不了|打不了包票|不一定|不好说|说不准|看情况|以[^,.!?;]{0,6}为准)/
// Hedges of a timeline or an estimate (一般三到五个工作日, 预计, 左右), and effort (尽快, 尽量).
const HEDGE = /(一般|通常|正常情况|预计|大概|左右|估计|应该|可能|也许|尽快|尽量|尽力|争取|努力|试试|看看|问问|查查)/
// A published offer or a term written down: the benefit is the offer's, not the agent's.
// (活动 as the offer in force, not 以后啥活动都比不上这个.)
const PUBLISHED = /(官方|官网|公告|发了通知|都发了|公开|合同|合约里|协议|规定|规则|套餐说明|写着|写了|统一|政策|符合条件|保修期|按规定|资费标准|受影响的用户|(现在的?|这个|这是|是|有个)[^,.!?;]{0,4}活动(?!都)|活动(规则|细则|页面|里|期间))/
// A purchase, not a gift: a price named for what is added (十块钱五个G, 每月十元).
const PRICED = new RegExp(`${NUM}+(块|元)(钱)?${NUM}*(个)?(g|G|兆|分钟)|(每月|每个月|一个月)${NUM}+(块|元)|收费|付费|${NUM}+(块|元)(钱)?(一个月|每月|/月)`)

const ONGOING = /(跟进到|退款中|处理中|审核中|办理中|正在(处理|办理|退|审核)|已经(提交|申请|受理|在退|在处理)|耐心等待|请您等待)/

// Policy under a verification (如果核实是我们多扣的,一定给您退回; 审核通过的话…): what the rules give once checked, not a promise.
const VERIFIED_IF = /((如果|要是|假如|若|经|等|一旦)[^,.!?;]{0,6}(核实|查实|确认|属实|审核通过|符合条件)|(核实|查实|审核通过)(以后|之后|后)|(核实|确认)(是|属实)[^,.!?;]{0,8}的话|已(经)?(核实|确认|查实|审核|批|提交|受理|申请))/

const notDoubted = (t: string, s: number, e: number): boolean => !DOUBT_BEFORE.test(clauseBefore(t, s)) && !DOUBT_IN_SENTENCE.test(sentenceOf(t, s, e)) && !VERIFIED_IF.test(sentenceOf(t, s, e))
const clauseOf = (t: string, s: number, e: number): string => t.slice(clauseStart(t, s), clauseEnd(t, e))

// What a grant gives: an amount, a share, a period, a fee or a thing of value.
const GRANTED = `(${NUM}+(个)?(块|元|g|G|兆|分钟|折|个月|月|年|天|倍|分|积分|张)|${NUM}+(?=[,.!?;]|$)|半价|一半|全额|全部|原价|老价格|同区|不收|不多收|免单|免费|会员|vip|VIP|话费|流量|积分|月租|月费|违约金|滞纳金|欠费|宽带费|手机(?!上|号)|优先|(?<=[抹免]掉|[抹免]了|勾销))`
// 打 only as a discount (打八折), 发 only reissued (重新发一张): 打10086 and 把地址发您手机上 grant nothing.
// 补 not of a card or a form (补卡, 补办: services), 恢复 and 留 only of what lapsed or closed (see the frame's guard).
const GRANT_VERB = `(减|免(?!打扰|提)|抹|勾销|延长?|加|送(?!到|过去|给您的)|赠|返|补(?!卡|办|录|登记|充|交|缴)|赔|降到|降成|降回|按|算成|打(?=${NUM}+折|个?折)|恢复|重新发|再发|特批|留着|留)`

const FRAMES: Frame[] = [
  {
    kind: 'grant',
    anchor: /减|免|抹|勾销|延|加|送|赠|返|补|赔|降|改成|按|算成|打|恢复|发|特批|留/,
    re: new RegExp(`${AGENT}${ADVERBS}((给|帮|替)(您|你)(们)?)?${ADVERBS}(把[^,.!?;]{1,10}?)?(全部|全|也|都|统统|重新|多)?${GRANT_VERB}(?!订|费用?[吗?]|款|网|除|票|短信|验证码|工单|单子)[^,.!?;]{0,12}?${GRANTED}`, 'g'),
    ok: (t, s, e) => {
      const sentence = sentenceOf(t, s, e)
      const m = t.slice(s, e)
      if (!notDoubted(t, s, e) || PUBLISHED.test(sentence) || HEDGE.test(clauseOf(t, s, e))) return false
      // The agent applying for it (我给您申请…) promises the application unless the benefit is beyond any offer (终身, 每个月送).
      if (/申请|提交|反映|问问|看看/.test(sentence.slice(0, sentence.indexOf(m) + m.length)) && !/(终身|永久|每个月都|送一年|说了算|算数|特殊照顾)/.test(sentence)) return false
      // 加 and 发 give a thing bought or owed (流量包给您加上,十块钱五个G; 给您发短信) unless an amount of value is named free.
      if (/(加|发|打)[^,.!?;]*$/.test(m.replace(new RegExp(GRANTED + '$'), '')) && PRICED.test(sentence)) return false
      // A plan moved down or a price set is a benefit only of the price (月租给您降到五十八), not a plan changed (套餐降到三十八的).
      if (/(降到|降成|降回)/.test(m) && /^[^,.!?;]{0,6}(套餐|档)/.test(t.slice(e - 2))) return false
      // Restored or kept: only what lapsed or closed (积分过期了我给您恢复, 销户了也给您留着), not a service resumed (给您恢复通话).
      if (/(恢复|留着|留)/.test(m) && !/(过期|清零|作废|销户|注销|退网|失效)/.test(sentence)) return false
      // A product added or opened for the customer (我帮您加一个五十分钟的语音包): bought, not given.
      if (/(加|开)/.test(m) && /^[^,.!?;]{0,5}(包|套餐|业务)/.test(t.slice(e)) && !/(送|免费|白送|不收)/.test(sentenceOf(t, s, e))) return false
      // Reissued: a benefit that lapsed (话费券过期了,我给您重新发一张), not a thing owed (卡送错了,给您重新发一张).
      if (/(重新发|再发)/.test(m) && !/(券|红包|话费|流量|优惠|积分)/.test(sentence)) return false
      return !/(工单|单子|申请|名单|地址|详单|明细)/.test(m)
    },
  },
  {
    kind: 'authority',
    anchor: /说了算|算数|权限|审批|往上报|拍板|做主|兜|特殊|待遇|答应|承诺|说的|说[\u4e00-\u9fff]就/,
    re: new RegExp(`${AGENT}(这边|这儿|自己|个人|就|也|都|可以|能|来|直接|给(您|你)|帮(您|你)|替(您|你)){0,3}(说了算|说话算数|说的算|有(这个)?权限|能弄|拍板|做主|兜着|兜底|担保)|不用(审批|往上报|走审批|报批)|特殊照顾|特殊待遇|没这待遇|${AGENT}(可以|能)?(答应|承诺)(您|你)|${AGENT}(给|跟|向)(您|你)承诺|${AGENT}说的(?=[.!?;]|$)|${AGENT}说([\\u4e00-\\u9fff])就\\4`, 'g'),
    // With a benefit or an outcome the agent cannot give alone, anywhere in the utterance.
    ok: (t, s, e) => notDoubted(t, s, e) && OUTCOME_OR_BENEFIT.test(t),
  },
  {
    kind: 'certain',
    anchor: /一定|肯定|保证|绝对|指定|保准|准保|铁定|百分|100|必|包/,
    re: /(一定|肯定|保证|绝对|指定|保准|准保|铁定|百分之?百|100%|绝不|必)(能|会|可以|就|给(您|你)|帮(您|你))*(?:(?![不没别])[^,.!?;]){0,10}?((?<=[定准能会就证必])到(?!账户|营业厅|时候|底)|到(您|你)家|到账|上门|恢复|修好|弄好|弄完|弄利索|利索|办妥|放行|批(得)?下来|不卡|不掉线|不断(?=网|线|了|[,.!?;]|$)|不降速|不限速|不变|不涨|满速|满格|赔|免(?!打扰|费)|留着|保留|通过|不出毛病|不会再|再也|不用(再)?交|有信号|有网)/g,
    ok: (t, s, e) => {
      const m = t.slice(s, e)
      if (/^(一定|肯定|保证)(要|得)/.test(m) || /^必(须|要|需)/.test(m)) return false
      // A fact told with a cleft (七天内肯定是可以退的, 这种情况一定是能免的): what the rules give, not a promise.
      if (/^(一定|肯定|绝对)是/.test(m) && /的/.test(t.slice(e, clauseEnd(t, e) + 1))) return false
      // The customer told what to do (您一定到营业厅…, 需保证帐户中有余额), a purpose (以保证…正常), not promised anything.
      if (/((您|你)(也|就|可以)?|(?<!我)(需|要|得|必须|应该?|以|来|为了|确保|才能))$/.test(clauseBefore(t, s))) return false
      // A refund or a process already under way, waited for (确实在退款中,钱肯定会到账的; 您耐心等待): its end told, not promised.
      if (ONGOING.test(sentenceOf(t, s, e))) return false
      // Advice: what the customer's own step will give (您重启一下光猫肯定就有网了, 换个位置肯定有信号): a tip, not a promise.
      if (/(重启|重新(开|插|连|设置)|换个|换一下|试试|试一下|关机|开机|插上|拔掉|设置一下|更新一下|刷新|打开|关掉|连上)/.test(t.slice(sentenceStart(t, s), s))) return false
      // The agent's side not calling again (以后我们肯定不会再打扰您): its own doing, unlike no sales call at all (再也没有推销电话).
      if (/(不会再|再也)/.test(m) && /^[^,.!?;]{0,6}(打扰|打电话|打给|联系|来电|推荐|推销|打过来)/.test(t.slice(e)) && /(我|我们)/.test(t.slice(sentenceStart(t, s), s + 2)) && !/(没有|任何|所有)/.test(t.slice(e, clauseEnd(t, e)))) return false
      // 保证 opening a clause of purpose after steps (…点击更新,保证杂志能够正常下载): so that, not a guarantee.
      if (/^保证[^,.!?;]{0,10}能够/.test(t.slice(s, clauseEnd(t, s)))) return false
      if (!notDoubted(t, s, e) || HEDGE.test(clauseOf(t, s, e)) || PUBLISHED.test(sentenceOf(t, s, e))) return false
      return !ownActGuarantee(t, s, s + 2) && !disownedGuarantee(t, e)
    },
  },
  {
    kind: 'certain_tag',
    anchor: /保证|百分|100|肯定的|绝对的|我说的/,
    re: /[,](保证|百分之?百|100%|肯定的|绝对的)(今天|明天|当天|马上)?(的)?(?=[.!?;]|$)/g,
    ok: (t, s, e) => {
      const before = t.slice(sentenceStart(t, s), s)
      return OUTCOME_OR_BENEFIT.test(before) && !DOUBT_IN_SENTENCE.test(before) && !/(不|没|一般|预计|大概|左右)/.test(before)
    },
  },
  {
    kind: 'absolute',
    anchor: /终身|永久|永远|一辈子|啥时候|什么时候|任何时候|随时|多久|多少|欠费|超了|超出|用完|全家|以后|再也|从此|不管|哪都|哪儿都|到哪|在哪|包换|包赔|包退|都包|免费/,
    re: new RegExp(`(终身|永久|永远|一辈子)(有效|不变|八折|半价|免费|优惠|不涨|打折)|(啥时候|什么时候|任何时候)都(是)?(这个价|不变|不涨|包)|(用多少|多少|怎么用|随便用|再多)[^,.!?;]{0,6}都不(会)?(限速|降速|卡|停|收|要|算|断)|(欠费|超了|超出|用完)[^,.!?;]{0,3}也不(会)?(停|断|扣|收)|(全家|以后|永远|再也|从此)[^,.!?;]{0,4}都?不用(再)?(交|付|掏|出)|(以后|下次)[^,.!?;]{0,8}都(不收|优先|免费)|不管(多少|什么原因|啥原因|怎么样)[^.!?;]{0,12}(都)?(能|给(您|你)|我都)|(哪都|哪儿都|到哪都|在哪都|到哪儿都)(有信号|有网|能用|不卡|满格)|(?<=^|[,.!?;]|都|我|们|您|你|保|就|也|能)包(换|赔|退)(?!订)|多久都包|(全|全部|都)免费(给(您|你))?(修|换|维修)|(摔坏|进水|摔了|坏了)[^.!?;]{0,10}免费(给(您|你))?(修|换|维修)|随时(给|帮)(您|你)(退|免|解除|恢复|改)|${NUM}+年(都)?不(变|涨|出毛病|坏)`, 'g'),
    ok: (t, s, e) => notDoubted(t, s, e) && !PUBLISHED.test(sentenceOf(t, s, e)) && !/(如果|要是|假如|的话)/.test(sentenceOf(t, s, e)) && !/(一般|预计|通常)/.test(clauseOf(t, s, e)),
  },
  {
    kind: 'answer_for_failure',
    anchor: /兜底|负责|赔|算我的|找我/,
    re: /(出了?(任何)?问题|没修好|不好使|没复|再扣|再出|办不成|不满意)[^.!?;]{0,12}?(我(个人)?(给(您|你))?兜底|我负责|我赔|算我的|把工资赔)|(没修好|没复|再扣|办不成)[^.!?;]{0,12}?(直接)?(来)?找我/g,
    ok: (t, s, e) => notDoubted(t, s, e),
  },
  {
    kind: 'ordered',
    anchor: /让|叫|催/,
    re: /(我|我们)(让|叫|催)(他们|师傅|那边|工程师|技术)[^,.!?;]{0,8}(必须|一定|马上)[^,.!?;]{0,4}(修好|弄好|恢复|到|解决)/g,
  },
  {
    kind: 'word_to_others',
    anchor: /说一声|招呼|名字/,
    // The agent's word to others as what makes it happen (我打个招呼就中, 我跟师傅说一声,半小时就到, 报我名字就中).
    re: /(?<![跟给和对向])(我|我们)[^,.!?;]{0,6}(说一声|打(个|好|了)?招呼)[^.!?;]{0,16}(就到|就能|就可以|就中|就行|能办|就好|放行|就办)|报(我|我们)的?名字[^,.!?;]{0,3}(就中|就行|就能|就可以)/g,
    ok: (t, s, e) => notDoubted(t, s, e),
  },
]

// A benefit or an outcome beyond the agent's own acts, anywhere in the utterance (for authority claimed and tags).
const OUTCOME_OR_BENEFIT = /(减|免(?!打扰)|抹|勾销|延|送|赠|返|补(?!卡)|赔|降|改成|按[^,.!?;]{0,4}(价|算|走|续)|特批|恢复|到账|就到|准到|一定到|到您家|修好|弄好|解决|放行|能办|就中|就行|折|优惠|便宜|不收|不停|不卡|正常|批(下来|准|了)|通过|上门|道歉|优先)/

/** The overpromise frames' occurrences in the utterance, in normalised offsets, each the agent's own assertion. */
export function pledgeCues(features: UtteranceFeatures): ActCue[] {
  const fr = framed(features)
  const t = fr.soft
  const out: ActCue[] = []
  for (const { s, e } of runFrames(t, FRAMES)) {
    const q = { start: s, end: e, phrase: features.text.slice(s, e) }
    // A promise under a condition is still one (只要您续约,我给您…): no condition takes it back.
    if (!heldBack(fr, q, false) && !demanded(fr, s)) out.push(q)
  }
  return out
}

/** A listed guarantee word negated or made rhetorical right before it in its clause (没法跟您打包票, 谁能打包票). */
export function guaranteeDenied(features: UtteranceFeatures, at: number): boolean {
  const fr = framed(features)
  // (不过, 不管 and 没错, 没问题 deny nothing: 不过我保证今天能到账.)
  return /(不(?!过|管|论|然|但|仅|只)|没(?!错|问题)|无法|没法|不敢|没办法|不可能|谁能|谁敢|哪能|哪敢|怎么能|谁也|谁都)[^,.!?;]{0,5}$/.test(clauseBefore(fr.soft, at))
}

/** The sentence of [s, e) leaves the outcome open or refuses it (批不批要等结果, 我不敢保证, 说了不算), or gives it under a verification (如果核实…). */
export function outcomeLeftOpen(t: string, s: number, e: number): boolean {
  const sentence = sentenceOf(t, s, e)
  return DOUBT_IN_SENTENCE.test(sentence) || VERIFIED_IF.test(sentence)
}
