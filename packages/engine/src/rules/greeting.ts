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
import type { RuleModule } from './module.js'

/** A word list as phrase entries: every word a same-sound character allowed, even 2-character ones (在见). */
export function wordMatcher(list: string[]) {
  return compilePhraseMatcher(list.map((w) => ({ phrase: w, shortHomophones: true })))
}

export const greeting: RuleModule<GreetingRule> = {
  id: 'missing_greeting',
  label: { zh: '未使用问候语', en: 'No greeting' },
  againstAgent: true,
  fields: { ...ruleBase, withinAgentUtterances: opt({ kind: 'number', min: 1, integer: true }), greetings: req(words) },
  compile(r: RawRule): GreetingRule {
    const greetings = listOf(r.greetings) as string[]
    return { ...baseOf(r), withinAgentUtterances: (r.withinAgentUtterances as number | undefined) ?? 2, greetings, matcher: wordMatcher(greetings) }
  },
}

export function greets(rule: GreetingRule, text: string): boolean {
  return rule.matcher.matchNormalized(normalizeWithMap(text)).length > 0
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
