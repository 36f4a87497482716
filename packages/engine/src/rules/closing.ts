/**
 * 结束语: the call is closed when one of the agent's last N (2) utterances says farewell (as words, like
 * greetings: 再见 and its ASR forms, 拜拜, blessings 祝您…; thanks alone is none; a clause that as a whole
 * sounds like a two-character farewell: 白白, 在 见, 再见再见; a time or place to meet again: 明天见, 周四营业厅见,
 * not 一会儿再见面) — or, with no missing closing either, when the customer hung up (`call.ended.hungUpBy:
 * "customer"`: the agent had no chance), or when the call's last utterance is the customer's farewell right
 * after the agent offered further help (还有其他问题吗 → 没有了, 再见). `metrics.closedBy` says which. Decided
 * at call end, and a finding only for `success`/`failed` calls, or a call the agent hung up after the
 * customer spoke to them (an abandoned or unanswered call where the customer said no more than 喂 or 听不清
 * gives the agent nobody to close with).
 */
import type { ClosedBy, Finding } from '@callqa/protocol'
import { normalizeWithMap } from '../phrase-bridge.js'
import { offersFurtherHelp } from '../features/further-help.js'
import { tonelessReadings } from '../text/pinyin.js'
import { baseOf, listOf, opt, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { ClosingRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { asrWordForms, clausesOf, lineCheckOnly, wordMatcher } from './greeting.js'
import { labelsOf, type RuleModule } from './module.js'

const DEFAULT_OFFERS = ['还有~其他~问题', '还有~别的~问题', '还有~什么~问题', '还有~什么~可以帮您', '还有~什么~需要', '还有~其他~需要', '还有~别的~需要', '还有~其他~业务', '还有~其他~疑问', '还有~什么~疑问']

export const closing: RuleModule<ClosingRule> = {
  id: 'missing_closing',
  label: labelsOf('missing_closing'),
  againstAgent: true,
  fields: { ...ruleBase, withinLastAgentUtterances: opt({ kind: 'number', min: 1, integer: true }), farewells: req(words), offers: opt(words) },
  compile(r: RawRule): ClosingRule {
    const farewells = listOf(r.farewells) as string[]
    const offers = r.offers === undefined ? DEFAULT_OFFERS : (listOf(r.offers) as string[])
    return {
      ...baseOf(r),
      withinLastAgentUtterances: (r.withinLastAgentUtterances as number | undefined) ?? 2,
      farewells,
      matcher: wordMatcher(farewells),
      asrForms: asrWordForms(farewells),
      offers,
      offerMatcher: wordMatcher(offers),
    }
  },
}

const says = (m: ClosingRule['matcher'], text: string) => m.matchNormalized(normalizeWithMap(text)).length > 0

// A blessing whose object is action against the operator (祝您投诉顺利, 祝你告状成功) is sarcasm, no courteous farewell.
const HOSTILE_BLESSING = /^[^,.!?;]{0,4}(投诉|举报|告状|告我们|起诉|曝光|维权|打官司)/

// Set aside around a clause that is a farewell by sound: discourse openers before, particles after.
const LEAD = /^(嗯|哦|噢|好|好的|好嘞|行|那|那么|那就|那我们|那咱们)*/
const TRAIL = /(啦|了|哈|喽|咯|啊|呀|哦|噢|吧|您嘞|你嘞|哈哈)*$/
// 拜拜 as an ASR writes it in letters or digits, or cut to one 拜.
const LETTER_FAREWELL = /^(bye|byebye|88|拜)$/

/**
 * A clause that as a whole reads as a two-character farewell (toneless, every character its own sound),
 * once or twice: 白白, 在见, 载建 for 拜拜 and 再见, said as the clause itself, so 白白浪费, 还在建 are not.
 */
function soundsLikeFarewell(words: readonly string[], clause: string): boolean {
  const core = clause.replace(LEAD, '').replace(TRAIL, '')
  if (LETTER_FAREWELL.test(core)) return true
  const chars = [...core]
  if (chars.length !== 2 && chars.length !== 4) return false
  return words.some((w) => {
    const want = [...w]
    if (want.length !== 2) return false
    return chars.every((ch, i) => {
      const heard = tonelessReadings(ch)
      return tonelessReadings(want[i % 2]!).some((r) => heard.includes(r))
    })
  })
}

// A time or place to meet again, said as the end of a clause (明天见, 周四营业厅见, 到时候见); 见面, 见到 are other words.
const SEE_YOU = /(明天|后天|明早|明晚|今晚|下午|晚上|周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|下周[一二三四五六日天]?|下次|下回|回头|改天|待会儿?|一会儿?|晚点|到时候?|营业厅|门店|店里)(再)?见[啦了哈喽咯啊呀哦吧]*(?=[\s,.!?;~]|$)/

// A blessing of the person as a whole: 祝 + 您/你/大家 + the wish, where the segmenter glues the wish on
// (祝你好运, 祝你幸福 are one word each, so the listed 祝你 ends inside a word); 祝贺您 is congratulation.
const BLESSING = /祝(您们|你们|您|你|大家|各位)(?=[\u4e00-\u9fff]{2})/g
function blesses(norm: string): boolean {
  BLESSING.lastIndex = 0
  for (let m = BLESSING.exec(norm); m; m = BLESSING.exec(norm)) if (!HOSTILE_BLESSING.test(norm.slice(m.index + m[0].length))) return true
  return false
}

// A farewell ending in 见 whose 见 is the verb "see, meet" by what follows: 见面 split or whole (明天我们再见个面,
// 再见一次面), a result or aspect (再见不到这么便宜的, 回头见到师傅), 了 with an object (回头见了经理再说);
// 再见了, 再见了您嘞 stay farewells.
const SEE_AS_VERB = /^(个|一次|一下|一面|一回)?面|^(不到|不着|得到|得着|到|过|着)|^了(?![啊呀哈哦喽吧嘛]|您嘞|你嘞)[\u4e00-\u9fff]/

/** The agent's farewell: a listed word, or one of its ASR forms (再□, 祝您生活愉), a blessing, a clause that sounds like one, or a time to meet again. */
function saysFarewell(rule: ClosingRule, text: string): boolean {
  const norm = normalizeWithMap(text)
  const hits = rule.matcher.matchNormalized(norm).filter((h) => {
    const after = norm.text.slice(h.nEnd)
    return !(norm.text[h.nEnd - 1] === '见' && SEE_AS_VERB.test(after)) && !HOSTILE_BLESSING.test(after)
  })
  return hits.length > 0 || rule.asrForms.test(norm.text) || blesses(norm.text) || SEE_YOU.test(norm.text) || clausesOf(norm.text).some((c) => soundsLikeFarewell(rule.farewells, c))
}

// How a customer takes leave besides the farewell words: a bare 拜, or saying they hang up (那挂了啊).
// (The agent offering further help in other words than the listed offers: features/further-help.ts.)
const CUSTOMER_LEAVE = /(^|[\s,.!?;])(拜|拜了|(先|那|我)?挂(了|啦|喽|咯))([啊啦呀哈了喽咯]*)(?=[\s,.!?;~]|$)/

/**
 * `finals` sorted by start. Returns whether the agent said farewell, how the call was closed, and the
 * finding when it was not and the disposition asks for a closing.
 */
export function decideClosing(
  rule: ClosingRule,
  finals: readonly StoredUtterance[],
  ended: { disposition: string; hungUpBy?: 'agent' | 'customer' },
): { closed: boolean; closedBy: ClosedBy | null; finding: Finding | null } {
  const agents = finals.filter((f) => f.speaker === 'agent')
  if (agents.length === 0) return { closed: false, closedBy: null, finding: null }
  const last = agents.slice(-rule.withinLastAgentUtterances)
  const closed = last.some((a) => saysFarewell(rule, a.text))
  let closedBy: ClosedBy | null = closed ? 'agent_farewell' : null
  if (!closedBy && ended.hungUpBy === 'customer') closedBy = 'customer_hung_up'
  if (!closedBy) {
    const final = finals[finals.length - 1]!
    const before = [...finals].reverse().find((u) => u.speaker === 'agent')!
    if (final.speaker === 'customer' && (saysFarewell(rule, final.text) || CUSTOMER_LEAVE.test(normalizeWithMap(final.text).text)) && (says(rule.offerMatcher, before.text) || offersFurtherHelp(normalizeWithMap(before.text).text))) closedBy = 'customer_farewell'
  }
  // A closing is owed on a call that ran its course (success/failed), and on any call the agent hung up
  // after the customer had spoken to them (an "abandoned" call the agent ended: the agent had every chance
  // to close); a customer who only said 喂 or 听不清 never got as far as a conversation.
  const owed = ended.disposition === 'success' || ended.disposition === 'failed' || (ended.hungUpBy === 'agent' && finals.some((f) => f.speaker === 'customer' && !lineCheckOnly(f.text)))
  if (closedBy || !owed) return { closed, closedBy, finding: null }
  const at = last[last.length - 1]!
  return { closed, closedBy, finding: { id: 'missing_closing', rule: 'missing_closing', severity: rule.severity, seq: at.seq, text: at.text, atMs: at.startMs, againstAgent: true } }
}
