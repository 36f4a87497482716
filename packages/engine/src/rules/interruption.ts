/**
 * 严禁在倾听中打断客户: an agent utterance that starts after a customer utterance's start and at least
 * minRemainingMs before its end, unless it is a back-channel (≤ maxChars spoken characters made only of
 * 嗯/对/是/好 …). Decided when the later of the two arrives, or early on a customer partial that already
 * runs past the agent's start (a provisional alert: the customer's final confirms or retracts it).
 */
import type { Finding } from '@callqa/protocol'
import { normalizeText } from '../phrase-bridge.js'
import { baseOf, listOf, msSpec, opt, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { InterruptionRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'

/** No single utterance is longer (an ASR segments long before); bounds backward scans. */
const MAX_UTTERANCE_MS = 600_000

const backchannelWords = new WeakMap<InterruptionRule, string[]>()

export const interruption: RuleModule<InterruptionRule> = {
  id: 'interruption',
  label: labelsOf('interruption'),
  againstAgent: true,
  fields: {
    ...ruleBase,
    minRemainingMs: opt(msSpec),
    backchannel: opt({ kind: 'object', fields: { maxChars: req({ kind: 'number', min: 0, integer: true }), words: req(words) } }),
  },
  compile(r: RawRule): InterruptionRule {
    const bc = (r.backchannel ?? {}) as Record<string, unknown>
    return {
      ...baseOf(r),
      minRemainingMs: (r.minRemainingMs as number | undefined) ?? 500,
      backchannel: { maxChars: (bc.maxChars as number | undefined) ?? 3, words: listOf(bc.words) as string[] },
    }
  },
}

export function isBackchannel(rule: InterruptionRule, normalized: string, chars: number): boolean {
  if (chars > rule.backchannel.maxChars) return false
  let list = backchannelWords.get(rule)
  if (!list) {
    list = [...new Set(rule.backchannel.words.map(normalizeText).filter(Boolean))].sort((a, b) => b.length - a.length)
    backchannelWords.set(rule, list)
  }
  let rest = normalized.replace(/[\s\p{P}\p{S}]+/gu, '')
  if (rest.length === 0) return false
  outer: while (rest.length > 0) {
    for (const w of list) {
      if (rest.startsWith(w)) {
        rest = rest.slice(w.length)
        continue outer
      }
    }
    return false
  }
  return true
}

/** Whether agent utterance `a` starts inside customer utterance `c` (after its start, ≥ minRemainingMs before its end). */
export function startsInside(rule: InterruptionRule, a: StoredUtterance, c: StoredUtterance): boolean {
  return a.speaker === 'agent' && !a.flag && c.startMs < a.startMs && a.startMs <= c.endMs - rule.minRemainingMs
}

export function interruptionFinding(rule: InterruptionRule, a: StoredUtterance, c: StoredUtterance): Finding {
  return {
    id: `interruption:seq${a.seq}`,
    rule: 'interruption',
    severity: rule.severity,
    seq: a.seq,
    text: a.text,
    atMs: a.startMs,
    durationMs: Math.min(a.endMs, c.endMs) - a.startMs,
    againstAgent: true,
  }
}

/** Agent utterance at index `ai` of `finals` (sorted by start): does it start inside a customer utterance? */
export function interruptionOf(rule: InterruptionRule, finals: readonly StoredUtterance[], ai: number): Finding | null {
  const a = finals[ai]!
  for (let j = ai - 1; j >= 0 && finals[j]!.startMs >= a.startMs - MAX_UTTERANCE_MS; j--) {
    const c = finals[j]!
    if (c.speaker === 'customer' && startsInside(rule, a, c)) return interruptionFinding(rule, a, c)
  }
  return null
}

/** Agent finals that start inside the customer's (partial) utterance `c`. */
export function interruptionsInside(rule: InterruptionRule, finals: readonly StoredUtterance[], c: StoredUtterance): Finding[] {
  const out: Finding[] = []
  for (let j = finals.length - 1; j >= 0 && finals[j]!.startMs > c.startMs; j--) {
    if (startsInside(rule, finals[j]!, c)) out.push(interruptionFinding(rule, finals[j]!, c))
  }
  return out.reverse()
}
