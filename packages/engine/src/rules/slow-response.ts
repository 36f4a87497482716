/**
 * 有问必答, 应答及时: the customer's turn before an agent utterance holds a question (？/? or a marker)
 * and the silence from the question's end to the agent's start exceeds maxGapMs. The customer's own
 * speech in between is not silence, a prompting 喂? does not reset it, an agent back-channel answers nothing.
 */
import type { Finding } from '@callqa/protocol'
import { normalizeText } from '../phrase-bridge.js'
import { baseOf, listOf, msSpec, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { SlowResponseRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'

const markers = new WeakMap<SlowResponseRule, string[]>()

export const slowResponse: RuleModule<SlowResponseRule> = {
  id: 'slow_response',
  label: labelsOf('slow_response'),
  againstAgent: true,
  fields: { ...ruleBase, maxGapMs: req(msSpec), questionMarkers: req(words) },
  compile(r: RawRule): SlowResponseRule {
    return { ...baseOf(r), maxGapMs: r.maxGapMs as number, questionMarkers: listOf(r.questionMarkers) as string[] }
  },
}

export function isQuestion(rule: SlowResponseRule, text: string, normalized: string): boolean {
  let list = markers.get(rule)
  if (!list) {
    list = [...new Set(rule.questionMarkers.map(normalizeText).filter(Boolean))]
    markers.set(rule, list)
  }
  if (/[?？]/.test(text)) return true
  for (const m of list) if (normalized.includes(m)) return true
  return false
}

/**
 * Agent utterance at index `ai` of `finals`: did the customer ask a question in the turn before it and
 * wait more than maxGapMs? The turn is the customer's utterances since the agent's previous
 * (non-back-channel) utterance; the longest wait over the turn's questions is reported.
 */
export function slowResponseOf(rule: SlowResponseRule, finals: readonly StoredUtterance[], ai: number): Finding | null {
  const a = finals[ai]!
  if (a.speaker !== 'agent' || a.flag) return null
  let first = ai
  for (let j = ai - 1; j >= 0; j--) {
    const u = finals[j]!
    if (u.speaker === 'agent' && !u.flag) break
    first = j
  }
  let waitMs = -1
  for (let j = first; j < ai; j++) {
    const q = finals[j]!
    if (q.speaker !== 'customer' || !q.flag || q.endMs > a.startMs) continue
    let silence = a.startMs - q.endMs
    for (let k = j + 1; k < ai; k++) {
      const u = finals[k]!
      if (u.speaker !== 'customer' || u.endMs > a.startMs || u.startMs < q.endMs) continue
      silence -= u.endMs - u.startMs
    }
    if (silence > waitMs) waitMs = silence
  }
  if (waitMs <= rule.maxGapMs) return null
  return { id: `slow_response:seq${a.seq}`, rule: 'slow_response', severity: rule.severity, seq: a.seq, text: a.text, atMs: a.startMs, durationMs: waitMs, againstAgent: true }
}
