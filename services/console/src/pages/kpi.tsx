/**
 * 绩效指标: one team's or agent's KPIs over a date range (the aggregator's `/v1/kpi/...`), the
 * handbook's staffing band in words (第三章), and Chart.js charts.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ChartConfiguration } from 'chart.js'
import type { Principal, RuleId } from '../protocol.js'
import { api, ApiError, query } from '../api.js'
import { lang, ruleName, t } from '../i18n.js'
import { isoDay, num, percent } from '../format.js'
import { ChartBox } from '../components/chart.js'
import { agentName, directory, teamName } from '../directory.js'
import { isAgentViolation } from '../protocol.js'

interface StaffingAssessment {
  seatDays: number
  callsPerSeatDay: number
  successesPerSeatDay: number
  band: { calls: [number, number]; successes: [number, number] }
  calls: 'below' | 'within' | 'above'
  successes: 'below' | 'within' | 'above'
  verdict: 'below' | 'within' | 'above' | 'mixed'
  advice: { zh: string; en: string }
}

interface KpiSummary {
  calls: number
  successfulCalls: number
  successRate: number | null
  averageScore: number | null
  medianScore: number | null
  findings: number
  findingsByRule: Record<RuleId, number>
  findingsByPhrase: Array<{ phrase: string; count: number }>
  greetingRate: number | null
  closingRate: number | null
  averageAgentCpm: number | null
  speakingRateOutsideCalls: number
  speakingRateFastCalls: number
  speakingRateSlowCalls: number
  interruptionsPerCall: number | null
  complaintRiskCalls: number
  seatDays: number
  staffing: StaffingAssessment | null
}

interface KpiReport {
  scope: 'agent' | 'team'
  id: string
  from: string
  to: string
  granularity: 'day' | 'month'
  periods: Array<KpiSummary & { period: string }>
  total: KpiSummary
}

const COLORS = { blue: '#2563eb', green: '#16a34a', red: '#dc2626', amber: '#d97706', grey: '#94a3b8', purple: '#7c3aed' }

function defaultScope(principal: Principal): { scope: 'team' | 'agent'; id: string } {
  if (principal.role === 'agent') return { scope: 'agent', id: principal.agentId ?? '' }
  return { scope: 'team', id: principal.teams?.[0] ?? directory().teams[0]?.teamId ?? '' }
}

export function KpiPage({ principal }: { principal: Principal }) {
  const initial = defaultScope(principal)
  const [scope, setScope] = useState<'team' | 'agent'>(initial.scope)
  const [id, setId] = useState(initial.id)
  const [from, setFrom] = useState(isoDay(-13))
  const [to, setTo] = useState(isoDay(0))
  const [granularity, setGranularity] = useState<'day' | 'month'>('day')
  const [report, setReport] = useState<KpiReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const path = `/v1/kpi/${scope === 'team' ? 'teams' : 'agents'}/${encodeURIComponent(id)}`
  const params = { from, to, granularity }

  const load = async () => {
    if (!id) return
    setLoading(true)
    setError(null)
    try {
      setReport(await api<KpiReport>(path + query(params)))
    } catch (err) {
      setReport(null)
      setError(err instanceof ApiError && err.status === 403 ? t('kpi.forbidden') : t('error.generic', { m: (err as Error).message }))
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void load()
  }, [])

  const fixedAgent = principal.role === 'agent'
  // The teams or agents the viewer may see (the directory answers in their scope), by name.
  const dir = directory()
  const teamIds = [...new Set([...(principal.teams ?? []), ...dir.teams.map((x) => x.teamId)])].sort()
  const choices =
    scope === 'team'
      ? teamIds.map((x) => ({ id: x, label: teamName(x) === x ? x : `${teamName(x)} (${x})` }))
      : dir.agents
          .map((a) => ({ id: a.agentId, label: `${agentName(a.agentId)}${a.teamId ? ` · ${teamName(a.teamId)}` : ''}${agentName(a.agentId) === a.agentId ? '' : ` (${a.agentId})`}` }))
          .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
  if (id && !choices.some((c) => c.id === id)) choices.unshift({ id, label: id })
  return (
    <div class="page kpi">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          void load()
        }}
      >
        {!fixedAgent && (
          <label>
            {t('kpi.scope')}
            <select
              value={scope}
              onChange={(e) => {
                // Switching scope clears the selection: a team id is no agent id.
                setScope((e.target as HTMLSelectElement).value as 'team' | 'agent')
                setId('')
                setReport(null)
              }}
              data-testid="kpi-scope"
            >
              <option value="team">{t('kpi.team')}</option>
              <option value="agent">{t('kpi.agent')}</option>
            </select>
          </label>
        )}
        <label>
          {scope === 'team' ? t('kpi.team') : t('kpi.agent')}
          {!fixedAgent && choices.length > 0 ? (
            <select value={id} onChange={(e) => setId((e.target as HTMLSelectElement).value)} data-testid="kpi-id">
              <option value="">{t('kpi.choose')}</option>
              {choices.map((c) => (
                <option value={c.id}>{c.label}</option>
              ))}
            </select>
          ) : (
            <input value={id} disabled={fixedAgent} onInput={(e) => setId((e.target as HTMLInputElement).value)} data-testid="kpi-id" size={10} />
          )}
        </label>
        <label>
          {t('kpi.from')}
          <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} data-testid="kpi-from" />
        </label>
        <label>
          {t('kpi.to')}
          <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} data-testid="kpi-to" />
        </label>
        <label>
          {t('kpi.granularity')}
          <select value={granularity} onChange={(e) => setGranularity((e.target as HTMLSelectElement).value as 'day' | 'month')}>
            <option value="day">{t('kpi.day')}</option>
            <option value="month">{t('kpi.month')}</option>
          </select>
        </label>
        <button type="submit" data-testid="kpi-load" disabled={loading}>
          {t('kpi.load')}
        </button>
        <a class="button secondary" href={path + query({ ...params, format: 'csv', lang: lang() })} download data-testid="kpi-csv">
          {t('kpi.csv')}
        </a>
      </form>
      {error && (
        <p class="error" data-testid="kpi-error">
          {error}
        </p>
      )}
      {report && <KpiView report={report} />}
    </div>
  )
}

function KpiView({ report }: { report: KpiReport }) {
  const total = report.total
  if (total.calls === 0) return <p class="muted">{t('kpi.empty')}</p>
  const labels = report.periods.map((p) => p.period)
  const staffing = total.staffing
  const cards: Array<[string, string, string]> = [
    ['calls', t('kpi.calls'), String(total.calls)],
    ['successful', t('kpi.successful'), `${total.successfulCalls} (${percent(total.successRate)})`],
    ['avgScore', t('kpi.avgScore'), num(total.averageScore)],
    ['medianScore', t('kpi.medianScore'), num(total.medianScore)],
    ['greetingRate', t('kpi.greetingRate'), percent(total.greetingRate)],
    ['closingRate', t('kpi.closingRate'), percent(total.closingRate)],
    ['avgCpm', t('kpi.avgCpm'), `${num(total.averageAgentCpm, 0)} ${t('live.cpmUnit')}`],
    ['interruptions', t('kpi.interruptions'), num(total.interruptionsPerCall, 2)],
    ['violations', t('kpi.violations'), String(total.findings)],
    ['complaintRisk', t('kpi.complaintRisk'), String(total.complaintRiskCalls)],
  ]
  // Each period's daily averages per seat beside the handbook's band, drawn as a floating bar
  // [low, high] (readable for a single day as for a month).
  const band = staffing?.band ?? { calls: [70, 100] as [number, number], successes: [60, 80] as [number, number] }
  const volume: ChartConfiguration = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t('kpi.perSeatCalls'), data: report.periods.map((p) => round1(p.staffing?.callsPerSeatDay ?? 0)), backgroundColor: COLORS.blue },
        bandBar(`${t('kpi.band')} ${band.calls[0]}~${band.calls[1]}`, band.calls, labels.length, COLORS.blue),
        { label: t('kpi.perSeatSuccess'), data: report.periods.map((p) => round1(p.staffing?.successesPerSeatDay ?? 0)), backgroundColor: COLORS.green },
        bandBar(`${t('kpi.band')} ${band.successes[0]}~${band.successes[1]}`, band.successes, labels.length, COLORS.green),
      ],
    } as ChartConfiguration['data'],
    options: { scales: { y: { beginAtZero: true, suggestedMax: 110 } } },
  }
  const trend: ChartConfiguration = {
    type: 'line',
    data: {
      labels,
      datasets: [
        // A day without calls has no score (a gap in the line), not a score of 0.
        { label: t('kpi.avgScore'), data: report.periods.map((p) => (p.averageScore === null ? null : round1(p.averageScore))), borderColor: COLORS.blue, backgroundColor: COLORS.blue, tension: 0.2 },
        { label: t('kpi.medianScore'), data: report.periods.map((p) => p.medianScore), borderColor: COLORS.purple, backgroundColor: COLORS.purple, borderDash: [4, 4] },
      ],
    },
    options: { scales: { y: { suggestedMin: 60, suggestedMax: 100 } } },
  }
  const phrases = total.findingsByPhrase.slice(0, 15)
  const byPhrase: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: phrases.map((p) => p.phrase),
      datasets: [{ label: t('kpi.byPhrase'), data: phrases.map((p) => p.count), backgroundColor: COLORS.red }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  }
  const inBand = Math.max(0, total.calls - total.speakingRateOutsideCalls)
  const rates: ChartConfiguration = {
    type: 'doughnut',
    data: {
      // The counts in the legend: a doughnut alone shows shares, not how many calls.
      labels: [`${t('kpi.rateSlow')} ${total.speakingRateSlowCalls}`, `${t('kpi.rateOk')} ${inBand}`, `${t('kpi.rateFast')} ${total.speakingRateFastCalls}`],
      datasets: [{ label: t('kpi.rateDist'), data: [total.speakingRateSlowCalls, inBand, total.speakingRateFastCalls], backgroundColor: [COLORS.amber, COLORS.green, COLORS.red] }],
    },
  }
  // The agent's violations only: complaint risk has its own card.
  const rules = (Object.entries(total.findingsByRule) as Array<[RuleId, number]>).filter(([r, n]) => n > 0 && isAgentViolation(r))
  const byRule: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: rules.map(([r]) => ruleName(r)),
      datasets: [{ label: t('kpi.byRule'), data: rules.map(([, n]) => n), backgroundColor: COLORS.amber }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }
  return (
    <div class="kpi-view" data-testid="kpi-view">
      <div class="cards">
        {cards.map(([key, label, value]) => (
          <div class="card" data-testid={`kpi-${key}`}>
            <div class="card-label">{label}</div>
            <div class="card-value">{value}</div>
          </div>
        ))}
      </div>
      {staffing && (
        <div class={`staffing verdict-${staffing.verdict}`} data-testid="kpi-staffing" data-verdict={staffing.verdict}>
          <b>{t('kpi.staffing')}</b>
          <p>{lang() === 'zh' ? staffing.advice.zh : staffing.advice.en}</p>
          <p class="muted">
            {t('kpi.seatDays')} {staffing.seatDays} · {t('kpi.perSeatCalls')} {num(staffing.callsPerSeatDay)} ({t('kpi.band')} {staffing.band.calls.join('~')}) ·{' '}
            {t('kpi.perSeatSuccess')} {num(staffing.successesPerSeatDay)} ({t('kpi.band')} {staffing.band.successes.join('~')})
          </p>
        </div>
      )}
      <div class="charts">
        <ChartBox testId="chart-volume" title={t('kpi.volume')} config={volume} />
        <ChartBox testId="chart-trend" title={t('kpi.scoreTrend')} config={trend} />
        {phrases.length ? <ChartBox testId="chart-phrases" title={t('kpi.byPhrase')} config={byPhrase} /> : <EmptyChart testId="chart-phrases" title={t('kpi.byPhrase')} />}
        <ChartBox testId="chart-rates" title={t('kpi.rateDist')} config={rates} />
        {rules.length ? <ChartBox testId="chart-rules" title={t('kpi.byRule')} config={byRule} /> : <EmptyChart testId="chart-rules" title={t('kpi.byRule')} />}
      </div>
    </div>
  )
}

/** A chart with nothing to draw says so (无), rather than an empty frame. */
function EmptyChart({ testId, title }: { testId: string; title: string }) {
  return (
    <figure class="chart empty-chart" data-testid={testId} data-empty="true">
      <figcaption>{title}</figcaption>
      <p class="muted">{t('kpi.none')}</p>
    </figure>
  )
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

/** The handbook's band as a translucent floating bar from its low to its high end, in every period. */
function bandBar(label: string, [low, high]: [number, number], count: number, color: string) {
  return {
    label,
    data: Array.from({ length: count }, () => [low, high]),
    backgroundColor: `${color}26`,
    // Behind the bars, the width of the whole day: the band is the ground the bars stand on.
    grouped: false,
    order: 10,
    barPercentage: 1,
    categoryPercentage: 0.9,
    borderColor: color,
    borderWidth: 1,
    borderDash: [4, 3],
    borderSkipped: false,
  }
}
