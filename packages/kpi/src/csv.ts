import { isAgentViolation, ruleLabel, RULE_IDS, type Lang } from '@callqa/protocol'
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
  'violations',
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

const ZH_HEADERS: Record<string, string> = {
  scope: '范围',
  id: '编号',
  period: '周期',
  calls: '通话数',
  successful_calls: '成功数',
  success_rate: '成功率',
  outbound_calls: '呼出数',
  average_score: '平均分',
  median_score: '中位分',
  violations: '违规数(不含投诉风险)',
  forbidden_phrases: '服务忌语明细',
  greeting_rate: '问候语使用率',
  closing_rate: '结束语使用率',
  average_agent_cpm: '平均语速(字/分钟)',
  speaking_rate_outside_calls: '语速不当通话数',
  speaking_rate_outside_rate: '语速不当比例',
  interruptions: '打断客户次数',
  interruptions_per_call: '每通打断客户次数',
  complaint_risk_calls: '投诉风险通话数',
  seat_days: '台席·日',
  calls_per_seat_day: '日均呼出/台席',
  successes_per_seat_day: '日均成功/台席',
  staffing_verdict: '人员编制判断',
  staffing_advice_zh: '人员编制建议',
  staffing_advice_en: '人员编制建议(英文)',
}

/** The KPI CSV header in `lang`: machine names in English, the handbook's words in Chinese. */
export function kpiCsvHeader(lang: Lang = 'zh'): string[] {
  if (lang === 'en') return [...KPI_CSV_COLUMNS]
  return KPI_CSV_COLUMNS.map((column) => {
    if (column.startsWith('findings_')) {
      const rule = column.slice(9)
      return isAgentViolation(rule) ? `${ruleLabel(rule, 'zh')}次数` : `${ruleLabel(rule, 'zh')}次数(不计违规)`
    }
    return ZH_HEADERS[column] ?? column
  })
}

/** KPI reports as CSV: one row per period, then a `total` row per report; header in `lang` (default zh). */
export function kpiCsv(reports: KpiReport[], options: { lang?: Lang } = {}): string {
  const rows: Array<Array<string | number | null>> = []
  const total = options.lang === 'en' ? 'total' : '合计'
  for (const r of reports) {
    for (const p of r.periods) rows.push(kpiRow(r.scope, r.id, p.period, p))
    rows.push(kpiRow(r.scope, r.id, total, r.total))
  }
  return toCsv(kpiCsvHeader(options.lang), rows)
}
