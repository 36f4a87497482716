/**
 * Escalation: whether a customer utterance commits the speaker to a complaint or to taking the matter
 * outside the call (12315, 工信部, 消协, media, lawyer, police, a supervisor to complain to), computed
 * once per utterance for complaint_risk.
 *
 * A cue is an escalation act (投诉, 举报, 曝光, 起诉, 报警, 律师函 …, used alone) or a channel (12315,
 * 工信部, 电视台, 抖音, 律师, 110 …) with an action on it in its clause or the next (打, 去, 找, 发, 上, 寄 …;
 * 等着 makes a threat of any channel in its sentence: 你们就等着上新闻吧), the channel as what happens
 * otherwise (否则我们法院见) or as the one made to act (让消协来管). Where a channel is named, a warning to
 * the company (我是做自媒体的…你们想好了, 你们自己看着办) or evidence handed over (我这就把录音给他) is a cue of
 * its own. A clause left hanging on 那个 goes on in the next (我要上那个 那个抖音). Spelled digits are read as
 * digits (幺二三幺五, 一二三一五, 要二三要五), and a digit channel inside a longer number is none.
 *
 * The cue commits the speaker unless one of the whole kinds holds:
 * - negated: a negation in the cue's clause after the last consequence marker (我不去12315了, 我又不是要去消协;
 *   再不退我就打12315 is a condition, the 不 lies before 就), or a generic self-description (不是那种…的人);
 * - past or settled: a past time word in the clause, 过 on the verb (打过, 申诉过), or a settled outcome in the
 *   sentence after it (已经结案, 解决了); a perfective already-done act (已经报警了) that is aimed at nobody;
 * - another subject: the nearest subject before the cue is a third party (别人, 邻居, 好多人, 他) — a
 *   hypothetical on someone else, another's complaint — unless it is relayed as an intent (他说要…, below);
 * - quoted: the speaker's own earlier words (刚才说要投诉, 我之前说要曝光你们);
 * - a question about the process: a yes/no or deliberation question (要不要报警, 投诉跟建议是同一个入口吗) or the
 *   complaint named as a thing (你们投诉一般是哪个部门处理的, 那个投诉, 投诉电话跟客服电话…); a question for an
 *   external channel (你们的监管部门是哪个) is preparation and counts;
 * - in-channel: a complaint about a third party the agent is asked to file (投诉一下那个商家);
 * - praise (我要在微博上夸夸你们, 打电话到总部表扬你) or a joke (…开玩笑的, 哈哈);
 * - withdrawn later in the utterance (…算了, 那是气话, 就不发了).
 *
 * Relayed intent (我老婆说要投诉你们): counted. The 投诉管理员 routes by the household's intent, not by who
 * in it speaks: the same dispute reaches 12315 whichever of them dials. A third party's past or general
 * complaint (我邻居说他打过12315, 网上好多人投诉) is no alert.
 */
import type { Occurrence, UtteranceFeatures } from './utterance.js'

/** The lexicons the rulebook gives (complaint_risk `escalation:`), compiled. */
export interface EscalationLexicon {
  /** Acts that escalate by themselves (投诉, 举报, 曝光, 起诉, 报警, 律师函, 法庭上见 …). */
  acts: string[]
  /** Channels that need an action (12315, 工信部, 消协, 电视台, 抖音, 律师, 派出所 …). */
  channels: string[]
  /** Actions on a channel (打, 拨, 去, 找, 发, 上, 寄, 反映, 联系 …). */
  actions: string[]
}

export interface CompiledEscalation {
  acts: RegExp
  channels: RegExp
  actions: RegExp
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/~/g, '[^,.!?;: ]{0,4}')

function alternation(words: readonly string[]): RegExp {
  const sorted = [...new Set(words.map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length)
  return new RegExp(sorted.length ? sorted.map(esc).join('|') : '(?!)', 'g')
}

export function compileEscalation(l: EscalationLexicon): CompiledEscalation {
  return { acts: alternation(l.acts), channels: alternation(l.channels), actions: alternation(l.actions) }
}

export interface EscalationCue extends Occurrence {
  phrase: string
  /** Why it was cleared, or undefined when it commits the speaker. */
  cleared?: ClearedBy
}

export type ClearedBy = 'no_action' | 'negated' | 'past' | 'other_subject' | 'quoted' | 'question' | 'in_channel' | 'praise' | 'joke' | 'withdrawn'

// --- spelled digits ---------------------------------------------------------------------------------
const DIGIT: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 幺: '1', 要: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' }
const isDigitish = (ch: string | undefined): boolean => ch !== undefined && ((ch >= '0' && ch <= '9') || (ch in DIGIT && ch !== '要'))

/** The text with runs of 3+ spelled digits (spaces inside a run dropped) as ASCII digits, and the map back. */
function digitView(t: string): { view: string; at: number[] } {
  let view = ''
  const at: number[] = []
  let i = 0
  while (i < t.length) {
    // A run: digit characters, single spaces between them; 要 only between digits (要二三要五).
    let j = i
    const run: number[] = []
    while (j < t.length) {
      const ch = t[j]!
      if (isDigitish(ch) || (ch === '要' && run.length >= 0 && isDigitish(t[j + 1]) && (run.length > 0 || isDigitish(t[j + 2])))) {
        run.push(j)
        j++
      } else if (ch === ' ' && run.length > 0 && (isDigitish(t[j + 1]) || t[j + 1] === '要')) j++
      else break
    }
    if (run.length >= 3) {
      for (const k of run) {
        const ch = t[k]!
        view += DIGIT[ch] ?? ch
        at.push(k)
      }
      i = j
      continue
    }
    view += t[i]!
    at.push(i)
    i++
  }
  return { view, at }
}

const SPELLED_RUN = /[零〇一幺二两三四五六七八九要] ?[零〇一幺二两三四五六七八九] ?[零〇一幺二两三四五六七八九]/
let IDENTITY: number[] = []
function identity(n: number): number[] {
  if (IDENTITY.length < n) IDENTITY = Array.from({ length: Math.max(n, IDENTITY.length * 2) }, (_, i) => i)
  return IDENTITY
}

// --- the kinds that clear a cue -----------------------------------------------------------------------
const CLAUSE_BREAK = /[,.!?;: ]/
const SENTENCE_BREAK = /[.!?;]/
// After the last consequence marker of a condition (再不退我就打): what precedes it is the condition.
const CONSEQUENCE = /.*(就|才|那我|那就|否则|不然|要不然)/
const NEGATION = /(?<![再要])(不|没|别|甭|懒得|不会|不想|不打算|不用|不是要|又不是)(?!然|行|管|退|给|解决|处理|理|信|怕)/
const GENERIC_SELF = /(不是|又不是)?(那种|这种)[^,.!?;]{0,12}的人/
const PAST = /(之前|以前|上次|上回|上个月|上周|上礼拜|上星期|那次|那回|当时|去年|前阵子|前天|前几天|前段时间|本来|原本|原来)/
const PAST_VERB_BEFORE = /过[^,.!?; ]{0,2}$/
const PAST_VERB_AFTER = /^[^,.!?; ]{0,1}过(?!去|来)/
const SETTLED = /(结案|解决了|处理好了|处理完了|已经处理|搞定了|撤销|撤回|已经退了|给我退了|退给我了)/
// Asking after an existing complaint (我投诉信号的事处理得怎么样了), or one running for a while (投诉了三个星期了).
const STATUS_LATER = /(处理得怎么样|处理了没有|怎么样了|进度|有结果|有没有结果|解决了没有|回复了没|有回复)/
const ONGOING_AFTER = /^(了|过)[^,.!?;]{0,3}([一二两三四五六七八九十几好多半]|\d)[^,.!?;]{0,3}(天|周|星期|礼拜|个月|月|年|次|回|遍)/
const DONE = /(已经|已)[^,.!?; ]{0,3}$/
const AIMED = /(你们|你|贵公司|你家|等着|没完|诈骗|骗子|骗我)/
const FIRST = /(我们|我|咱们|咱|本人)/g
// Third parties who might be the doer (nearest before the cue).
const THIRD = /(别人|人家|有人|有个|好多人|很多人|有的人|有些人|隔壁|大家|他们|她们|他|她|它|邻居|同事|朋友|大哥|大姐|表哥|表姐|表弟|表妹|堂哥|哥哥|姐姐|弟弟|老公|老婆|爱人|媳妇|儿子|女儿|我爸|我妈|亲戚|家人|猫|狗|警察|物业)/g
// 让他, 打他们热线, 把录音给他: the third party is the object of the customer's act, not a subject.
const CAUSATIVE_BEFORE = /(让|叫|请|找|打|给|跟|问|联系|告诉|通知|交给|发给)$/
// 他们, 他: a pronoun after a channel in the utterance is that channel (找记者 他们最喜欢报道你们这种).
const PRONOUN = /^(他们|她们|他|她)$/
const RELAY = /说[^,.!?;]{0,2}(要|想|准备|打算|会)/
const QUOTED = /说(过)?(要|想)?[^,.!?; ]{0,2}$/
const YES_NO = /(要不要|该不该|能不能|可不可以|用不用|有没有用|是不是同一|吗$|么$|\?$|吗[?!.]?$)/
const NOMINAL_BEFORE = /(那个|这个|一个|个|我的|我那个|你们的?|这次的?|上次的?)$/
const NOMINAL_AFTER = /^(电话|建议|跟|和|一般|是|入口|渠道|部门|流程|热线|单|的(?!话)|进度|结果|说|可以)/
const IN_CHANNEL = /^[^,.!?; ]{0,3}(那个|这个|那家|这家|那位)?[^,.!?; ]{0,4}(商家|卖家|店家|第三方|快递员|快递小哥|骑手|站点|代收点|驿站|物业|司机|配送员|房东)/
const PRAISE = /(表扬|好评|夸夸|夸你|夸一下|点赞|点个赞|锦旗|感谢信|满分)/
const JOKE = /(开玩笑|开个玩笑|哈哈|嘿嘿|说着玩|闹着玩|逗你|说笑)/
const WITHDRAWN_LATER = /(算了|不至于|没必要|犯不着|不用了|不追究|不计较|气话|气头上|别往心里去|不发了|不去了|不打了|不告了|不投诉了|就不(去|打|发|告|投诉))/
const EXTERNAL_QUESTION = /(哪个|哪里|哪儿|多少|什么|电话|号码)/

// The channel as an organisation the customer works at or for (律师事务所, 工信部下面的研究所, 监管局上班).
const ORGANISATION = /^[^,.!?; ]{0,1}(事务所|下面|下属|上班|工作|研究所|开发票|抬头|间|客服|的活动|的优惠|优惠|店)/
// A verb taking the matter to a channel named before it in the clause (我找消费协会去, 去12315告你们).
// 告 as accusing, not inside another word (广告, 报告, 公告, 告诉, 告知).
const SUE = '(?<![广报公忠布通预劝转宣警祷])告(?![诉知别辞示])'
const AFTER_ACTION = new RegExp(`(去(?![了过])|发(?![现票货生])|提交|${SUE}|投诉|举报|检举|反映|发帖|发视频|发一篇|写材料|曝|采访|报道|评评理|问问)`)
const PUBLISH_AFTER = new RegExp(`(发|曝|贴|${SUE}|反映|投诉|举报|提交)`)
const NEXT_ACTION = new RegExp(`(发(?![现票货生])|曝|${SUE}|投诉|举报|采访|报道|寄|交给|评评理)`)
const THIRD_OR_FIRST = /(别人|有人|好多人|很多人|他|她|我)/
// A warning to the company of what is coming (你们自己看着办, 你们想好了, 走着瞧, 我成全你们): with a
// channel anywhere in the utterance (我是做自媒体的…你们想好了) the channel is where it is coming from.
const WARNING = /((你们|你)[^,.!?;]{0,3}(看着办|掂量|想好了(?![吗没么])|想清楚了(?![吗没么])|别后悔|等着瞧)|走着瞧|后果自负|成全你们)/
// The channel made the one who acts on the company (让消协来管, 叫记者来评评理).
const CHANNEL_ACTS = /^[^,.!?; ]{0,2}(来|去)?(管|处理|评理|评评理|主持公道|曝|报道|采访|查|看看)/
// Evidence handed over (我这就把录音给他, 材料都交给律师了): with a channel in the utterance, to that channel.
const EVIDENCE_HANDOVER = /(把|将)[^,.!?;]{0,4}(录音|材料|证据|截图|视频|照片|聊天记录|发票|合同)[^,.!?;]{0,3}(给|发给|交给|寄给|提交给|递给)/
// A clause that ends mid-phrase (我要上那个 / 我找那个 那个什么): the next clause continues it.
const HESITATION_END = /(那个|这个|那个什么|什么|呃|嗯|就是)$/
// 打印, 打算, 打开 …: not calling anybody.
function hasAction(text: string, actions: RegExp, channel = ''): boolean {
  actions.lastIndex = 0
  for (const m of text.matchAll(actions)) {
    if (m[0] === '打' && /[印算开车扰折听包卡球字针]/.test(text[m.index + 1] ?? '')) continue
    if (m[0] === '上' && /^(班|面|次|回|个|周|午)/.test(text.slice(m.index + 1))) continue
    if (m[0] === '告' && (/[广报公忠布通预劝转宣警祷]/.test(text[m.index - 1] ?? '') || /[诉知别辞示]/.test(text[m.index + 1] ?? ''))) continue
    if (m[0] === '开' && !/直播/.test(text.slice(m.index) + channel)) continue
    // A light verb (上, 到, 接, 收) takes the channel right after it (上热搜, 上那个抖音), not one far off.
    if (/^[上到接收]$/.test(m[0]) && text.length - m.index > 5) continue
    return true
  }
  return false
}

/** The span of the view around [i, end) up to the nearest break on each side (CLAUSE_BREAK or SENTENCE_BREAK). */
function boundsBy(brk: RegExp, v: string, i: number, end: number): [number, number] {
  let s = i
  while (s > 0 && !brk.test(v[s - 1]!)) s--
  let e = end
  while (e < v.length && !brk.test(v[e]!)) e++
  return [s, e]
}

/** The escalation analysis of one utterance (computed once, on the first ask). */
export class Escalation {
  readonly cues: EscalationCue[]
  readonly #view: string
  readonly #at: number[]
  readonly #norm: string
  readonly #lex: CompiledEscalation
  /** Channel words with no action on them (卡号后五位是12315, 我在律所上班): no occurrence stands there. */
  readonly #inert: Array<[number, number]> = []

  constructor(features: UtteranceFeatures, lex: CompiledEscalation) {
    this.#norm = features.norm.text
    // Most lines hold no cue and no spelled number: the view is the text itself (no map built).
    const plain = !SPELLED_RUN.test(this.#norm)
    const { view, at } = plain ? { view: this.#norm, at: identity(this.#norm.length) } : digitView(this.#norm)
    this.#view = view
    this.#at = at
    this.#lex = lex
    lex.acts.lastIndex = 0
    lex.channels.lastIndex = 0
    const none = plain && !lex.acts.test(view) && !lex.channels.test(view)
    // matchAll starts where a global regex's lastIndex was left.
    lex.acts.lastIndex = 0
    lex.channels.lastIndex = 0
    this.cues = none ? [] : this.#find(lex)
  }

  /** The cues that commit the speaker. */
  get committed(): EscalationCue[] {
    return this.cues.filter((c) => c.cleared === undefined)
  }

  /** Why an occurrence (normalised offsets, e.g. a rulebook phrase's) commits nothing, or undefined. */
  clearedAt(o: Occurrence): ClearedBy | undefined {
    const vs = this.#toView(o.start)
    const ve = Math.max(vs + 1, this.#toView(o.end - 1) + 1)
    if (this.#inert.some(([a, b]) => vs < b && a < ve)) return 'no_action'
    return this.#clear(vs, ve)
  }

  #isChannel(word: string): boolean {
    this.#lex.channels.lastIndex = 0
    const m = this.#lex.channels.exec(word)
    return m !== null && m[0].length === word.length
  }

  #toView(n: number): number {
    const at = this.#at
    let lo = 0
    let hi = Math.min(at.length, this.#view.length) - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (at[mid]! < n) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  #find(lex: CompiledEscalation): EscalationCue[] {
    const v = this.#view
    const out: EscalationCue[] = []
    const seen: Array<[number, number]> = []
    const overlaps = (s: number, e: number): boolean => seen.some(([a, b]) => s < b && a < e)
    const push = (s: number, e: number, phrase: string): void => {
      if (overlaps(s, e)) return
      seen.push([s, e])
      const c: EscalationCue = { start: this.#at[s]!, end: this.#at[e - 1]! + 1, phrase }
      const why = this.#clear(s, e)
      if (why !== undefined) c.cleared = why
      out.push(c)
    }
    for (const m of v.matchAll(lex.acts)) push(m.index, m.index + m[0].length, m[0])
    for (const m of v.matchAll(lex.channels)) {
      const s = m.index
      const e = s + m[0].length
      if (overlaps(s, e)) continue
      // A digit channel inside a longer number (13912315806, JD0012315778) is none.
      const digits = /^\d/.test(m[0])
      const inert = (digits && (/[\da-z]/.test(v[s - 1] ?? '') || /[\da-z]/.test(v[e] ?? ''))) || ORGANISATION.test(v.slice(e, e + 4)) || !this.#acted(s, e, lex.actions, digits)
      if (inert) {
        this.#inert.push([s, e])
        continue
      }
      push(s, e, m[0])
    }
    // A warning (你们自己看着办) or evidence handed over (把录音给他) where a channel is named: the warning is
    // the cue, and whether it commits the speaker is decided on its own words (我这就把录音给他).
    if (this.#inert.length > 0 || out.some((c) => this.#isChannel(c.phrase))) {
      for (const re of [WARNING, EVIDENCE_HANDOVER]) {
        const m = re.exec(v)
        if (m) push(m.index, m.index + m[0].length, m[0])
      }
    }
    out.sort((a, b) => a.start - b.start)
    return out
  }

  /**
   * An action on the channel: before it in its clause (我去12315, 发抖音, 上热搜), a verb of taking it there
   * after it in the clause with no other subject between (我找消费协会去, 12315告你们), the next clause
   * (我小红书好几万粉丝 我发一篇), or 等着 in its sentence.
   */
  #acted(s: number, e: number, actions: RegExp, digits: boolean): boolean {
    const v = this.#view
    const [cs, ce] = boundsBy(CLAUSE_BREAK, v, s, e)
    const [ss, se] = boundsBy(SENTENCE_BREAK, v, s, e)
    if (/等着/.test(v.slice(ss, se))) return true
    // Asking for the channel's number or name in a dispute is preparing to go (消协电话多少, 监管部门是哪个).
    if (!digits && /^[^,.!?; ]{0,2}(电话|号码|热线|地址|是哪个|是什么|叫什么|能管|管不管|管得了|管这个|有用吗)/.test(v.slice(e, e + 6))) return true
    // A clause left hanging on a demonstrative (我要上那个 那个抖音) goes on in the next one.
    let from = cs
    while (from > 1 && HESITATION_END.test(v.slice(0, from - 1)) && !SENTENCE_BREAK.test(v[from - 1]!)) from = boundsBy(CLAUSE_BREAK, v, from - 2, from - 1)[0]
    // Fillers of the joined clauses do not count as words between the verb and the channel.
    const before = from < cs ? v.slice(from, cs).replace(/(那个什么|那个|这个|呃|嗯|就是|\s)/g, '') + v.slice(cs, s) : v.slice(cs, s)
    // 在抖音上看到, 看微博上的活动: a place where something was seen, not where the customer goes.
    const place = /(?<![现正还实])(在|看)([^,.!?; ]{0,2})$/.exec(before)
    if (place && !hasAction(place[2]!, actions) && !PUBLISH_AFTER.test(v.slice(e, ce))) return false
    if (hasAction(before, actions, v.slice(s, e))) return true
    // The channel as what happens otherwise (不然消协就是给你们做免费广告的, 否则我们法院见).
    if (/(不然|否则|要不然)/.test(before)) return true
    const after = v.slice(e, ce)
    if (CAUSATIVE_BEFORE.test(before) && /(让|叫|请)$/.test(before) && CHANNEL_ACTS.test(after)) return true
    const m = AFTER_ACTION.exec(after)
    if (m && !THIRD_OR_FIRST.test(after.slice(0, m.index))) return true
    if (digits) {
      // A spelled-out number and then its verb a clause or two later (幺二三零零 对就这个号 我马上打).
      return /(我|我们)[^,.!?;]{0,4}(马上|现在|这就|立刻|接着|等会儿?|待会儿?)?[^,.!?;]{0,2}(打|拨)(?![印算开车扰折听过])/.test(v.slice(e, se))
    }
    if (ce < se) {
      let ne = ce + 1
      while (ne < v.length && !CLAUSE_BREAK.test(v[ne]!)) ne++
      const next = v.slice(ce + 1, ne)
      // Only a verb of publishing or accusing reaches back (我小红书好几万粉丝 我发一篇; not 视频都不敢看 我想问问).
      if (/^(我|我们)/.test(next) && NEXT_ACTION.test(next)) return true
    }
    return false
  }

  /** Why the stretch [s, e) of the view commits nothing, or undefined. */
  #clear(s: number, e: number): ClearedBy | undefined {
    const v = this.#view
    if (JOKE.test(v)) return 'joke'
    const [cs, ce] = boundsBy(CLAUSE_BREAK, v, s, e)
    const [ss, se] = boundsBy(SENTENCE_BREAK, v, s, e)
    const clauseBefore = v.slice(cs, s)
    const sentenceBefore = v.slice(ss, s)
    const after = v.slice(e, ce)
    const sentence = v.slice(ss, se)
    if (PRAISE.test(sentence)) return 'praise'
    if (WITHDRAWN_LATER.test(v.slice(e))) return 'withdrawn'
    // Negation after the last consequence marker (再不退我就打12315: the 不 is the condition's).
    const consequence = clauseBefore.replace(CONSEQUENCE, '')
    if (NEGATION.test(consequence) || GENERIC_SELF.test(sentence)) return 'negated'
    if (PAST.test(clauseBefore) || PAST_VERB_BEFORE.test(clauseBefore) || PAST_VERB_AFTER.test(after)) {
      // Tried before and about to try again (拨过一次了没打通 等会儿我接着打) is renewed intent.
      if (!/(接着|再|马上|等会儿?)[^,.!?;]{0,2}(打|拨|去|找|投诉|告)/.test(v.slice(ce))) return 'past'
    }
    if (SETTLED.test(v.slice(e)) || STATUS_LATER.test(v.slice(e, se)) || ONGOING_AFTER.test(after)) return 'past'
    if (DONE.test(clauseBefore) && /了/.test(after.slice(0, 2)) && !AIMED.test(v)) return 'past'
    if (QUOTED.test(clauseBefore) && !this.#thirdBefore(sentenceBefore)) return 'quoted'
    const third = this.#thirdBefore(sentenceBefore)
    if (third && !(RELAY.test(third.rest) && !PAST.test(third.rest))) return 'other_subject'
    if (this.#question(cs, ce, s, e, sentence)) return 'question'
    if (IN_CHANNEL.test(after) && /(投诉|申诉|举报)$/.test(v.slice(s, e))) return 'in_channel'
    return undefined
  }

  /** The nearest subject before the cue in its sentence, when it is a third party (not 我让他…). */
  #thirdBefore(before: string): { rest: string } | undefined {
    let third = -1
    let thirdEnd = -1
    THIRD.lastIndex = 0
    for (const m of before.matchAll(THIRD)) {
      if (CAUSATIVE_BEFORE.test(before.slice(0, m.index))) continue
      if (PRONOUN.test(m[0]) && this.#hasChannel(before.slice(0, m.index))) continue
      third = m.index
      thirdEnd = m.index + m[0].length
    }
    if (third < 0) return undefined
    let first = -1
    FIRST.lastIndex = 0
    for (const m of before.matchAll(FIRST)) {
      // 我老婆, 我邻居: the 我 owns the third party.
      if (m.index + m[0].length === third) continue
      first = m.index
    }
    return first > third ? undefined : { rest: before.slice(thirdEnd) }
  }

  /** Whether a channel word stands in `text` (a pronoun after one stands for it). */
  #hasChannel(text: string): boolean {
    this.#lex.channels.lastIndex = 0
    const found = this.#lex.channels.test(text)
    this.#lex.channels.lastIndex = 0
    return found
  }

  /** A question about the process, not a threat: yes/no or deliberation, or the complaint named as a thing. */
  #question(cs: number, ce: number, s: number, e: number, sentence: string): boolean {
    const v = this.#view
    const word = v.slice(s, e)
    const own = /(投诉|申诉)$/.test(word)
    const strong = /(我|我们)[^,.!?;]{0,3}((?<!要不)要(?!不要)|想|就|得|会|能|可以|必须|一定)|给我转|帮我转/.test(v.slice(cs, s))
    const intent = strong || /(我|我们)$/.test(v.slice(cs, s))
    if (own && !strong && (NOMINAL_BEFORE.test(v.slice(cs, s)) || NOMINAL_AFTER.test(v.slice(e, ce)))) return true
    const clause = v.slice(cs, ce)
    // A yes/no question whether an outside channel takes it (工信部能管吗) is preparation; one about the
    // company's own complaint, or deliberating (要不要报警), is not.
    if (YES_NO.test(clause) && !intent) return own || /(要不要|该不该|用不用)/.test(clause) || !(this.#isChannel(word) || EXTERNAL_QUESTION.test(clause))
    return own && !intent && /(吗|\?|哪个|怎么|什么|一般)/.test(clause)
  }
}
