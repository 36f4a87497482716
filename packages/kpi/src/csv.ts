import { RULE_IDS } from '@callqa/protocol'
import type { KpiReport } from './book.js'
import type { KpiSummary } from './summarize.js'

/** Byte order mark: spreadsheet programs read the file as UTF-8 (Chinese phrases) only with it. */
export const CSV_BOM = '\uFEFF'

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
 * Text starting with = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : ''
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole CSV document (BOM, CRLF line ends) from a header and rows. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  const lines = [header.map(csvField).join(',')]
  for (const row of rows) lines.push(row.map(csvField).join(','))
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`
}

export const KPI_CSV_COLUMNS = [
  'scope',
  'id',
  'period',
  'calls',
  'successful_calls',
  'success_rate',
  'outbound_calls',
  'average_score',
  'median_score',
  'findings',
  ...RULE_IDS.map((rule) => `findings_${rule}`),
  'forbidden_phrases',
  'greeting_rate',
  'closing_rate',
  'average_agent_cpm',
  'speaking_rate_outside_calls',
  'speaking_rate_outside_rate',
  'interruptions',
  'interruptions_per_call',
  'complaint_risk_calls',
  'seat_days',
  'calls_per_seat_day',
  'successes_per_seat_day',
  'staffing_verdict',
  'staffing_advice_zh',
  'staffing_advice_en',
] as const

function kpiRow(scope: string, id: string, period: string, s: KpiSummary): Array<string | number | null> {
  return [
    scope,
    id,
    period,
    s.calls,
    s.successfulCalls,
    s.successRate,
    s.outboundCalls,
    s.averageScore,
    s.medianScore,
    s.findings,
    ...RULE_IDS.map((rule) => s.findingsByRule[rule]),
    s.findingsByPhrase.map((p) => `${p.phrase}×${p.count}`).join('; '),
    s.greetingRate,
    s.closingRate,
    s.averageAgentCpm,
    s.speakingRateOutsideCalls,
    s.speakingRateOutsideRate,
    s.interruptions,
    s.interruptionsPerCall,
    s.complaintRiskCalls,
    s.seatDays,
    s.staffing?.callsPerSeatDay ?? null,
    s.staffing?.successesPerSeatDay ?? null,
    s.staffing?.verdict ?? null,
    s.staffing?.advice.zh ?? null,
    s.staffing?.advice.en ?? null,
  ]
}

/** KPI reports as CSV: one row per period, then a `total` row per report. */
export function kpiCsv(reports: KpiReport[]): string {
  const rows: Array<Array<string | number | null>> = []
  for (const r of reports) {
    for (const p of r.periods) rows.push(kpiRow(r.scope, r.id, p.period, p))
    rows.push(kpiRow(r.scope, r.id, 'total', r.total))
  }
  return toCsv(KPI_CSV_COLUMNS, rows)
}
