/** 通话报告: search stored after-call reports and open the printable report. */
import { useEffect, useState } from 'preact/hooks'
import type { Principal, RuleId } from '../protocol.js'
import { RULE_IDS } from '../protocol.js'
import { api, query } from '../api.js'
import { dispositionName, lang, ruleName, t } from '../i18n.js'
import { agentName, teamName } from '../directory.js'
import { isAgentViolation } from '../protocol.js'
import { dateTime, duration, isoDay } from '../format.js'

interface ReportSummary {
  callId: string
  agentId: string
  teamId: string
  startedAt: string
  durationMs: number
  disposition: 'success' | 'failed' | 'no_answer' | 'abandoned'
  score: number
  findings: number
  rules: RuleId[]
  greeted: boolean
  closed: boolean
  complaintRisk: boolean
}

interface SearchPage {
  items: ReportSummary[]
  nextCursor: string | null
}

export function ReportsPage({ principal }: { principal: Principal }) {
  const [agentId, setAgentId] = useState(principal.role === 'agent' ? (principal.agentId ?? '') : '')
  const [teamId, setTeamId] = useState('')
  const [from, setFrom] = useState(isoDay(-30))
  const [to, setTo] = useState(isoDay(0))
  const [minScore, setMinScore] = useState('')
  const [maxScore, setMaxScore] = useState('')
  const [rule, setRule] = useState('')
  const [items, setItems] = useState<ReportSummary[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const search = async (more: boolean) => {
    setLoading(true)
    setError(null)
    try {
      // Days are the center's calendar days; `to` includes its whole day.
      const page = await api<SearchPage>(
        `/v1/calls${query({ agentId, teamId, from, to, minScore, maxScore, rule, cursor: more ? cursor : undefined, limit: 50 })}`,
      )
      setItems(more ? [...items, ...page.items] : page.items)
      setCursor(page.nextCursor)
    } catch (err) {
      setError(t('error.generic', { m: (err as Error).message }))
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void search(false)
  }, [])

  return (
    <div class="page reports">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          void search(false)
        }}
      >
        <label>
          {t('live.agent')}
          <input value={agentId} size={8} disabled={principal.role === 'agent'} onInput={(e) => setAgentId((e.target as HTMLInputElement).value)} data-testid="search-agent" />
        </label>
        <label>
          {t('live.team')}
          <input value={teamId} size={8} onInput={(e) => setTeamId((e.target as HTMLInputElement).value)} data-testid="search-team" />
        </label>
        <label>
          {t('kpi.from')}
          <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('kpi.to')}
          <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('reports.minScore')}
          <input type="number" min={0} max={100} value={minScore} size={4} onInput={(e) => setMinScore((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('reports.maxScore')}
          <input type="number" min={0} max={100} value={maxScore} size={4} onInput={(e) => setMaxScore((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('reports.rule')}
          <select value={rule} onChange={(e) => setRule((e.target as HTMLSelectElement).value)} data-testid="search-rule">
            <option value="">{t('reports.any')}</option>
            {RULE_IDS.map((r) => (
              <option value={r}>{ruleName(r)}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={loading} data-testid="search-submit">
          {t('reports.search')}
        </button>
      </form>
      {error && <p class="error">{error}</p>}
      <p class="muted" data-testid="search-count">
        {t('reports.count', { n: items.length })}
      </p>
      {items.length === 0 && !loading ? (
        <p class="muted">{t('reports.none')}</p>
      ) : (
        <table class="results" data-testid="search-results">
          <thead>
            <tr>
              <th>{t('reports.startedAt')}</th>
              <th>{t('reports.callId')}</th>
              <th>{t('live.agent')}</th>
              <th>{t('live.team')}</th>
              <th>{t('live.duration')}</th>
              <th>{t('reports.disposition')}</th>
              <th>{t('live.score')}</th>
              <th>{t('live.findings')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr data-testid="search-row" data-call-id={r.callId} data-team-id={r.teamId} data-agent-id={r.agentId}>
                <td>{dateTime(r.startedAt)}</td>
                <td class="mono">{r.callId}</td>
                <td title={r.agentId}>{agentName(r.agentId)}</td>
                <td title={r.teamId}>{teamName(r.teamId)}</td>
                <td>{duration(r.durationMs)}</td>
                <td>{dispositionName(r.disposition)}</td>
                <td class={r.score < 60 ? 'bad' : r.score < 80 ? 'warn' : 'ok'}>{r.score}</td>
                <td>
                  {/* The agent's violations by rule; complaint risk is a badge apart (not a violation). */}
                  {r.rules.filter((x) => isAgentViolation(x)).map((x) => (
                    <span class="chip tiny">{ruleName(x)}</span>
                  ))}
                  {(r.complaintRisk || r.rules.includes('complaint_risk')) && (
                    <span class="chip tiny risk" data-testid="row-risk">
                      {ruleName('complaint_risk')}
                    </span>
                  )}
                </td>
                <td>
                  <a href={`/v1/calls/${encodeURIComponent(r.callId)}/report?format=html&lang=${lang()}`} target="_blank" rel="noopener" data-testid="open-report">
                    {t('reports.open')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" class="secondary" disabled={loading} onClick={() => void search(true)}>
          {t('reports.more')}
        </button>
      )}
    </div>
  )
}
