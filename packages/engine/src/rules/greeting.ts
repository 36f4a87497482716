/**
 * 问候语 / 开场白: one of the agent's first N (2) final utterances (by start time) greets. Greetings are
 * matched as WORDS by the phrase layer: on word boundaries (晚上好像 is 晚上 + 好像, no greeting), with
 * ASR forms (a same-sound character, spaces or fillers inside). Decided when the Nth agent final arrives,
 * or at call end if the agent spoke less; never if the agent never spoke.
 */
import type { Finding } from '@callqa/protocol'
import { compilePhraseMatcher, normalizeWithMap } from '../phrase-bridge.js'
import { baseOf, listOf, opt, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { GreetingRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'

/** A word list as phrase entries: every word a same-sound character allowed, even 2-character ones (在见). */
export function wordMatcher(list: string[]) {
  return compilePhraseMatcher(list.map((w) => ({ phrase: w, shortHomophones: true })))
}

export const greeting: RuleModule<GreetingRule> = {
  id: 'missing_greeting',
  label: labelsOf('missing_greeting'),
  againstAgent: true,
  fields: { ...ruleBase, withinAgentUtterances: opt({ kind: 'number', min: 1, integer: true }), greetings: req(words) },
  compile(r: RawRule): GreetingRule {
    const greetings = listOf(r.greetings) as string[]
    return { ...baseOf(r), withinAgentUtterances: (r.withinAgentUtterances as number | undefined) ?? 2, greetings, matcher: wordMatcher(greetings) }
  },
}

/**
 * A festival or seasonal greeting beyond the listed words: any festival (…节) or solar term (立冬, 冬至 …)
 * followed by 快乐/安康/愉快 (感恩节快乐, 立冬快乐, 端午安康), whatever the festival.
 */
const FESTIVAL = /(节|节日|立春|雨水|惊蛰|春分|清明|谷雨|立夏|小满|芒种|夏至|小暑|大暑|立秋|处暑|白露|秋分|寒露|霜降|立冬|小雪|大雪|冬至|小寒|大寒|新年|新春|元旦|周末)\s?(快乐|安康|愉快)/

export function greets(rule: GreetingRule, text: string): boolean {
  const norm = normalizeWithMap(text)
  return rule.matcher.matchNormalized(norm).length > 0 || FESTIVAL.test(norm.text)
}

/** The decision over the agent's first finals: `greeted` and the finding when none greets. */
export function decideGreeting(rule: GreetingRule, agents: readonly StoredUtterance[]): { greeted: boolean; finding: Finding | null } {
  const first = agents.slice(0, rule.withinAgentUtterances)
  const greeted = first.some((a) => greets(rule, a.text))
  if (greeted || first.length === 0) return { greeted, finding: null }
  return {
    greeted,
    finding: { id: 'missing_greeting', rule: 'missing_greeting', severity: rule.severity, seq: first[0]!.seq, text: first[0]!.text, atMs: first[0]!.startMs, againstAgent: true },
  }
}
