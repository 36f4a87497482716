/**
 * The lexicon rules over one utterance, outside a call: what `CallMonitor` decides for an utterance's
 * words (features computed once, every lexicon rule asked). For evaluation, corpus review and tools.
 */
import type { Finding } from '@callqa/protocol'
import { UtteranceFeatures } from './features/utterance.js'
import { maskPersonalData } from './phrase-bridge.js'
import type { Rulebook } from './rulebook/types.js'
import { LEXICON_MODULES } from './rules/index.js'
import { decideLexicon } from './rules/lexicon.js'

export function detectUtterance(rulebook: Rulebook, u: { speaker: 'agent' | 'customer'; text: string; seq?: number; startMs?: number; endMs?: number }, options: { partial?: boolean } = {}): Finding[] {
  const text = maskPersonalData(u.text)
  const stored = { seq: u.seq ?? 0, speaker: u.speaker, text, startMs: u.startMs ?? 0, endMs: u.endMs ?? 0, chars: 0, speechMs: 0, flag: false }
  const features = new UtteranceFeatures(text)
  const out: Finding[] = []
  for (const m of LEXICON_MODULES) {
    const rule = rulebook.rules[m.id]
    if (rule) out.push(...decideLexicon(m, rule, stored, features, options.partial === true))
  }
  return out
}
