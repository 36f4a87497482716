/**
 * The learned scorer's side of the chapter 8 lexicon rules (scolding, sarcasm, internal_disclosure,
 * overpromise, pointing_out_mistake): when the frames (the rulebook's phrases and the act's cues) find
 * nothing in an agent final, the scorer (features/act-scorer.ts) may still raise the rule, at or above
 * the rule's `scorerThreshold`. It defers to what clears the frames:
 * - a frame occurrence of the rule that its `clearedBy`/`requires` cleared (the caller does not ask);
 * - the rule's innocent-use features (the union of its entries' `clearedBy`: an echo of the customer, a
 *   condition, a question, a self-correction, right after a threat …), asked of the n-gram that pushed
 *   the score most, as they are asked of a phrase's occurrence;
 * - the rule's regex exclusions (its entries' `exclude`) anywhere in the utterance;
 * - an n-gram of one character: the score alone is not enough when no word carries it.
 * Finals only: the score is the best sentence's of the whole utterance (features/act-scorer.ts), so a
 * partial never decides (the frames may).
 * One finding per utterance; its span is the clause holding that n-gram.
 */
import type { Finding } from '@callqa/protocol'
import { scoredRuleIndex } from '../features/act-scorer.js'
import type { UtteranceFeatures } from '../features/utterance.js'
import type { StoredUtterance } from '../monitor/state.js'
import type { PhraseRule } from '../rulebook/types.js'
import type { LexiconModule } from './lexicon.js'

export function scorerFinding(m: LexiconModule, rule: PhraseRule, u: StoredUtterance, features: UtteranceFeatures): Finding | undefined {
  const threshold = rule.scorerThreshold
  if (threshold === undefined || !Number.isFinite(threshold) || u.speaker !== 'agent') return undefined
  const r = scoredRuleIndex(m.id)
  if (r < 0) return undefined
  const scores = features.actScores
  if (scores.z[r]! < threshold || scores.start[r]! < 0) return undefined
  const o = { start: scores.start[r]!, end: scores.end[r]! }
  // A single character is a topic more often than an act (出 of 账单才出 as of 系统出问题): a finding needs a word.
  if (o.end - o.start < 2) return undefined
  for (const f of rule.scorerClearedBy ?? []) if (features.holds(f, o)) return undefined
  const t = features.norm.text
  for (const x of rule.scorerExclusions ?? []) if (x.regex.test(t) && !(x.unless?.test(t) ?? false)) return undefined
  const norm = features.norm
  const from = features.clauseStart(o.start)
  const to = Math.max(from + 1, features.clauseEnd(Math.max(o.start, o.end - 1)))
  const start = norm.starts[from]!
  const end = norm.ends[Math.min(to, t.length) - 1]!
  const len = u.text.length || 1
  return {
    id: `${m.id}:seq${u.seq}:scorer`,
    rule: m.id,
    severity: rule.severity,
    seq: u.seq,
    phrase: u.text.slice(start, end).trim(),
    text: u.text,
    span: [start, end],
    spans: [{ start, end }],
    atMs: u.startMs + Math.round(((u.endMs - u.startMs) * start) / len),
    againstAgent: m.againstAgent,
  }
}
