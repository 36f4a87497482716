/**
 * Reviewed calls as regression cases in the eval format (/work/helpers/EVAL-FORMAT.md, read by
 * `pnpm eval` under packages/engine/eval): the masked transcript as protocol v1 events (finals
 * only) and the reviewers' labels. A dismissed finding becomes a labelled negative (`expect: []`
 * with `innocent`), a confirmed or added one a positive, so every correction is a test case.
 */
import type { CallEvent, RuleId } from '@callqa/protocol'
import { DISMISS_REASON_ZH, allFindings, findingStatus, stateOf, type ReviewedReport } from './review.js'

/** Rules the eval labels per utterance (the others are whole-call: greeted, closingOk). */
const UTTERANCE_RULES: ReadonlySet<RuleId> = new Set(['forbidden_phrase', 'internal_disclosure', 'overpromise', 'complaint_risk'])

export interface CaseLabelEntry {
  seq: number
  expect: Array<{ rule: RuleId; phrase?: string }>
  innocent?: string
  note?: string
}

export interface CaseLabels {
  callId: string
  greeted: boolean
  closingOk: boolean
  utterances: CaseLabelEntry[]
  /** Where the case came from (ignored by the harness). */
  source: { kind: 'review'; dismissed: number; added: number; reviewedBy: string[] }
}

export interface ExportedCase {
  events: CallEvent[]
  labels: CaseLabels
}

export function exportCase(report: ReviewedReport): ExportedCase {
  const state = stateOf(report)
  const events: CallEvent[] = [{ type: 'call.started', callId: report.callId, agentId: report.agentId, teamId: report.teamId, direction: report.direction, at: report.startedAt }]
  for (const line of report.transcript) {
    events.push({ type: 'utterance', callId: report.callId, seq: line.seq, speaker: line.speaker, text: line.text, startMs: line.startMs, endMs: line.endMs, final: true })
  }
  events.push({ type: 'call.ended', callId: report.callId, endMs: report.endMs, disposition: report.disposition, ...(report.endedAt ? { at: report.endedAt } : {}) })

  const bySeq = new Map<number, CaseLabelEntry>()
  const entry = (seq: number) => {
    let e = bySeq.get(seq)
    if (!e) bySeq.set(seq, (e = { seq, expect: [] }))
    return e
  }
  let dismissed = 0
  let added = 0
  for (const f of allFindings(state)) {
    const status = findingStatus(state, f.id)
    if (f.id.includes(':manual:') && status !== 'dismissed') added++
    if (!UTTERANCE_RULES.has(f.rule) || f.seq === undefined) {
      if (status === 'dismissed') dismissed++
      continue
    }
    const e = entry(f.seq)
    if (status === 'dismissed') {
      dismissed++
      const d = state.decisions[f.id]!
      e.innocent ??= d.reason === 'innocent_use' ? 'other' : (d.reason ?? 'other')
      e.note = [e.note, `${DISMISS_REASON_ZH[d.reason ?? 'other']}: ${f.rule}${f.phrase ? `「${f.phrase}」` : ''}${d.note ? ` (${d.note})` : ''}`].filter(Boolean).join('; ')
    } else if (!e.expect.some((x) => x.rule === f.rule && x.phrase === f.phrase)) {
      e.expect.push({ rule: f.rule, ...(f.phrase ? { phrase: f.phrase } : {}) })
    }
  }
  // An utterance that keeps a positive is no longer an innocent one.
  for (const e of bySeq.values()) if (e.expect.length > 0) delete e.innocent
  return {
    events,
    labels: {
      callId: report.callId,
      greeted: report.metrics.greeted,
      closingOk: report.metrics.closed,
      utterances: [...bySeq.values()].sort((a, b) => a.seq - b.seq),
      source: { kind: 'review', dismissed, added, reviewedBy: [...new Set(state.history.map((h) => h.by))].sort() },
    },
  }
}

/** `NNN-<slug>` file base name of the n-th (1-based) exported case. */
export function caseBaseName(n: number, callId: string): string {
  return `${String(n).padStart(3, '0')}-${callId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}`
}
