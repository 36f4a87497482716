/**
 * 结束语: the call is closed when one of the agent's last N (2) utterances says farewell (as words, like
 * greetings: 再见 and its ASR forms, 拜拜, blessings 祝您…; thanks alone is none) — or, with no missing
 * closing either, when the customer hung up (`call.ended.hungUpBy: "customer"`: the agent had no chance),
 * or when the call's last utterance is the customer's farewell right after the agent offered further help
 * (还有其他问题吗 → 没有了, 再见). `metrics.closedBy` says which. Decided at call end, and a finding only
 * for `success`/`failed` calls, or a call the agent hung up after the customer spoke (an abandoned or
 * unanswered call the agent did not end gives the agent no chance to close).
 */
import type { ClosedBy, Finding } from '@callqa/protocol'
import { normalizeWithMap } from '../phrase-bridge.js'
import { baseOf, listOf, opt, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { ClosingRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { asrWordForms, wordMatcher } from './greeting.js'
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

/** The agent's farewell: a listed word, or one of its ASR forms (再□, 祝您生活愉). */
function saysFarewell(rule: ClosingRule, text: string): boolean {
  const norm = normalizeWithMap(text)
  // 再见 before 面 is 再 + 见面 (明天我们再见个面): meeting again, no farewell.
  const hits = rule.matcher.matchNormalized(norm).filter((h) => !/^个?面/.test(norm.text.slice(h.nEnd)) && !HOSTILE_BLESSING.test(norm.text.slice(h.nEnd)))
  return hits.length > 0 || rule.asrForms.test(norm.text)
}

// How a customer takes leave besides the farewell words: a bare 拜, or saying they hang up (那挂了啊).
// The agent offering further help in other words than the listed offers (还有什么其他需要吗, 您还有别的事吗).
const OFFER = /(还有|另外|其他|其它|别的)[^,.!?;]{0,6}(问题|需要|业务|事|疑问|需求|可以帮|要帮|能帮|帮到|帮忙)/
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
    if (final.speaker === 'customer' && (saysFarewell(rule, final.text) || CUSTOMER_LEAVE.test(normalizeWithMap(final.text).text)) && (says(rule.offerMatcher, before.text) || OFFER.test(normalizeWithMap(before.text).text))) closedBy = 'customer_farewell'
  }
  // A closing is owed on a call that ran its course (success/failed), and on any call the agent hung up
  // after the customer had spoken (an "abandoned" call the agent ended: the agent had every chance to close).
  const owed = ended.disposition === 'success' || ended.disposition === 'failed' || (ended.hungUpBy === 'agent' && finals.some((f) => f.speaker === 'customer'))
  if (closedBy || !owed) return { closed, closedBy, finding: null }
  const at = last[last.length - 1]!
  return { closed, closedBy, finding: { id: 'missing_closing', rule: 'missing_closing', severity: rule.severity, seq: at.seq, text: at.text, atMs: at.startMs, againstAgent: true } }
}
