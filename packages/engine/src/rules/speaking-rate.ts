/**
 * 语速 (about 120 characters a minute): the whole call's agent rate outside targetCpm × (1 ± tolerance)
 * with at least minAgentSpeechMs of agent speech is decided at call end and is REPORT-ONLY (`reportOnly:
 * true`: no live alert); live, the last rollingWindowMs of agent speech leaving the band gives one alert
 * per excursion (`speaking_rate:live:N`), which is never scored.
 */
import type { Finding } from '@callqa/protocol'
import { baseOf, msSpec, opt, positive, req, ruleBase, type RawRule } from '../rulebook/schema.js'
import type { SpeakingRateRule } from '../rulebook/types.js'
import { agentSpeech, type CallSnapshot, type StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'

export const speakingRate: RuleModule<SpeakingRateRule> = {
  id: 'speaking_rate',
  label: labelsOf('speaking_rate'),
  againstAgent: true,
  fields: {
    ...ruleBase,
    targetCpm: req(positive),
    tolerance: req({ kind: 'number', min: 0, max: 1, exclusiveMin: true }),
    minAgentSpeechMs: opt(msSpec),
    rollingWindowMs: opt({ kind: 'number', min: 1000, integer: true }),
  },
  compile(r: RawRule): SpeakingRateRule {
    return {
      ...baseOf(r),
      targetCpm: r.targetCpm as number,
      tolerance: r.tolerance as number,
      minAgentSpeechMs: (r.minAgentSpeechMs as number | undefined) ?? 20_000,
      rollingWindowMs: (r.rollingWindowMs as number | undefined) ?? 30_000,
    }
  },
}

export function rateBand(rule: SpeakingRateRule): [number, number] {
  return [rule.targetCpm * (1 - rule.tolerance), rule.targetCpm * (1 + rule.tolerance)]
}

export function cpmOf(chars: number, speechMs: number): number {
  return Math.round((chars * 60_000) / speechMs)
}

/** Rolling rate over the last rollingWindowMs of agent speech after agent final `u`; one alert per excursion. */
export function rollingRate(rule: SpeakingRateRule, s: CallSnapshot, u: StoredUtterance): Finding[] {
  let speechMs = 0
  let chars = 0
  let latest: StoredUtterance | null = null
  const finals = s.finals
  for (let j = finals.length - 1; j >= 0 && speechMs < rule.rollingWindowMs; j--) {
    const f = finals[j]!
    if (f.speaker !== 'agent' || f.speechMs <= 0) continue
    latest ??= f
    const take = Math.min(f.speechMs, rule.rollingWindowMs - speechMs)
    speechMs += take
    chars += (f.chars * take) / f.speechMs
  }
  // Only react to the newest agent speech; an old utterance arriving late does not move the live window.
  if (latest !== u) return []
  if (speechMs < Math.min(rule.minAgentSpeechMs, rule.rollingWindowMs)) {
    s.rollingCpm = null
    return []
  }
  const cpm = cpmOf(chars, speechMs)
  s.rollingCpm = cpm
  const [low, high] = rateBand(rule)
  const direction = cpm > high ? 'fast' : cpm < low ? 'slow' : null
  if (direction === null || direction === s.excursion) {
    s.excursion = direction
    return []
  }
  s.excursion = direction
  const n = s.excursions++
  return [{ id: `speaking_rate:live:${n}`, rule: 'speaking_rate', severity: rule.severity, seq: u.seq, text: u.text, atMs: u.startMs, direction, cpm, againstAgent: true }]
}

/** The whole call's rate, at call end: report-only. */
export function callRate(rule: SpeakingRateRule, finals: readonly StoredUtterance[], endMs: number): Finding | null {
  const { chars, speechMs } = agentSpeech(finals)
  if (speechMs < rule.minAgentSpeechMs || speechMs <= 0) return null
  const cpm = cpmOf(chars, speechMs)
  const [low, high] = rateBand(rule)
  if (cpm <= high && cpm >= low) return null
  return { id: 'speaking_rate:call', rule: 'speaking_rate', severity: rule.severity, atMs: endMs, direction: cpm > high ? 'fast' : 'slow', cpm, againstAgent: true, reportOnly: true }
}
