/**
 * Reviewed calls as regression cases in the eval format (packages/engine/eval/FORMAT.md, read by
 * `pnpm eval --dir`): the masked transcript as protocol v1 events (finals only) and the reviewers'
 * labels. A dismissed finding becomes a labelled innocent utterance (`expect: []`, `innocent` = the
 * dismissal reason), a confirmed, pending or added one a positive (`expect: [{rule, act?}]`: the
 * engine's act for a forbidden phrase; no `form` or `kind` is known), so every correction is a
 * test case. The phrase goes into `note`; `source` (where the case came from) is an extra field
 * the harness ignores.
 */
import type { CallEvent, RuleId } from '@callqa/protocol'
import { DISMISS_REASON_ZH, allFindings, findingStatus, isManualFinding, stateOf, type ReviewedReport } from './review.js'

/**
 * Rules the eval labels per utterance: its LABELLED_RULES (packages/engine/eval/harness.ts). The
 * others are whole-call (greeted, closingOk) or not labelled (rate, timing).
 */
const UTTERANCE_RULES: ReadonlySet<RuleId> = new Set(['forbidden_phrase', 'pointing_out_mistake', 'scolding', 'sarcasm', 'internal_disclosure', 'overpromise', 'complaint_risk'])

export interface CaseLabelEntry {
  seq: number
  expect: Array<{ rule: RuleId; act?: string }>
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
  events.push({
    type: 'call.ended',
    callId: report.callId,
    endMs: report.endMs,
    disposition: report.disposition,
    ...(report.endedAt ? { at: report.endedAt } : {}),
    // The engine learnt it from the telephony; without it a replay would want a closing from the agent.
    ...(report.metrics.closedBy === 'customer_hung_up' ? { hungUpBy: 'customer' as const } : {}),
  })

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
    if (isManualFinding(f.id) && status !== 'dismissed') added++
    if (!UTTERANCE_RULES.has(f.rule) || f.seq === undefined) {
      if (status === 'dismissed') dismissed++
      continue
    }
    const e = entry(f.seq)
    const what = `${f.rule}${f.phrase ? `「${f.phrase}」` : ''}`
    if (status === 'dismissed') {
      dismissed++
      const d = state.decisions[f.id]!
      e.innocent ??= d.reason ?? 'other'
      e.note = [e.note, `${DISMISS_REASON_ZH[d.reason ?? 'other']}: ${what}${d.note ? ` (${d.note})` : ''}`].filter(Boolean).join('; ')
    } else {
      // One expectation per rule: the harness judges an utterance per rule.
      if (!e.expect.some((x) => x.rule === f.rule)) e.expect.push({ rule: f.rule, ...(f.rule === 'forbidden_phrase' && f.act ? { act: f.act } : {}) })
      e.note = [e.note, `${status === 'pending' ? '未复核' : isManualFinding(f.id) ? '人工补充' : '已确认'}: ${what}`].filter(Boolean).join('; ')
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
