/**
 * 在历史通话上重放: a candidate rulebook (prefilled with the active one) re-checked over the stored
 * calls of the last N days as jobs on the workers (`POST /v1/replays`), the progress polled
 * (`GET /v1/replays/:id`) and the summary shown: findings per rule, score per team, agreement with
 * the reviewers.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../api.js'
import { ruleName, t } from '../i18n.js'

interface Example {
  callId: string
  seq?: number
  phrase?: string
  text?: string
}

interface Summary {
  calls: number
  rules: Array<{ rule: string; appeared: number; disappeared: number; examplesAppeared: Example[]; examplesDisappeared: Example[] }>
  teams: Array<{ teamId: string; calls: number; averageScoreBefore: number; averageScoreAfter: number; findingsBefore: number; findingsAfter: number }>
  agreement: { dismissedRemoved: number; dismissedKept: number; confirmedLost: number; confirmedKept: number }
}

interface Status {
  replayId: string
  state: 'queued' | 'running' | 'done' | 'failed'
  progress: { done: number; chunksDone: number; chunks: number }
  summary?: Summary
  failedReason?: string
}

/** How often the panel asks for the progress. */
const POLL_MS = 1000

function ExampleLine({ sign, e }: { sign: string; e: Example }) {
  return (
    <div class="small-text">
      {sign} <span class="mono">{e.callId}</span>
      {e.seq !== undefined && ` #${e.seq}`} {e.text ?? e.phrase ?? ''}
    </div>
  )
}

export function ReplayPanel() {
  const [yaml, setYaml] = useState('')
  const [sinceDays, setSinceDays] = useState(30)
  const [status, setStatus] = useState<Status | null>(null)
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => {
    api<{ yaml: string }>('/v1/rulebook/source').then((s) => setYaml((y) => y || s.yaml), (err: Error) => setError(t('error.generic', { m: err.message })))
    return () => clearTimeout(timer.current)
  }, [])
  const poll = (replayId: string) => {
    api<Status>(`/v1/replays/${encodeURIComponent(replayId)}`).then(
      (s) => {
        setStatus(s)
        if (s.state !== 'done' && s.state !== 'failed') timer.current = setTimeout(() => poll(replayId), POLL_MS)
      },
      (err: Error) => setError(t('error.generic', { m: err.message })),
    )
  }
  const start = async () => {
    clearTimeout(timer.current)
    setError(null)
    setStatus(null)
    try {
      const started = await api<{ replayId: string; chunks: number }>('/v1/replays', { method: 'POST', json: { rulebook: yaml, sinceDays } })
      setStatus({ replayId: started.replayId, state: 'queued', progress: { done: 0, chunksDone: 0, chunks: started.chunks } })
      poll(started.replayId)
    } catch (err) {
      setError(t('error.generic', { m: (err as Error).message }))
    }
  }
  const running = status !== null && (status.state === 'queued' || status.state === 'running')
  const s = status?.summary
  const a = s?.agreement
  return (
    <section class="try replay" data-testid="replay">
      <h2>{t('replay.title')}</h2>
      <p class="muted">{t('replay.hint')}</p>
      <textarea value={yaml} rows={10} spellcheck={false} class="mono" onInput={(e) => setYaml((e.target as HTMLTextAreaElement).value)} data-testid="replay-rulebook" />
      <label>
        {t('replay.sinceDays')}{' '}
        <input type="number" min={1} max={366} value={sinceDays} onInput={(e) => setSinceDays(Number((e.target as HTMLInputElement).value))} data-testid="replay-days" />
      </label>{' '}
      <button type="button" onClick={() => void start()} disabled={running || yaml === ''} data-testid="replay-start">
        {t('replay.start')}
      </button>
      {error && <p class="error" data-testid="replay-error">{error}</p>}
      {status && (
        <div data-testid="replay-status" data-state={status.state}>
          <progress max={Math.max(1, status.progress.chunks)} value={status.progress.chunksDone} data-testid="replay-progress" />{' '}
          <span class="muted small-text">
            {t(`replay.state.${status.state}`)} · {t('replay.progress', { calls: status.progress.done, done: status.progress.chunksDone, chunks: status.progress.chunks })}
          </span>
          {status.failedReason && <p class="error">{status.failedReason}</p>}
        </div>
      )}
      {s && a && (
        <div class="replay-summary" data-testid="replay-summary">
          <p>{t('replay.calls', { n: s.calls })}</p>
          <h3>{t('replay.perRule')}</h3>
          {s.rules.length === 0 ? (
            <p class="muted">{t('replay.noChange')}</p>
          ) : (
            <table class="results" data-testid="replay-rules">
              <thead>
                <tr>
                  <th>{t('replay.rule')}</th>
                  <th>{t('replay.appeared')}</th>
                  <th>{t('replay.disappeared')}</th>
                  <th>{t('replay.examples')}</th>
                </tr>
              </thead>
              <tbody>
                {s.rules.map((r) => (
                  <tr data-rule={r.rule}>
                    <td>{ruleName(r.rule)}</td>
                    <td data-testid="appeared">+{r.appeared}</td>
                    <td data-testid="disappeared">−{r.disappeared}</td>
                    <td>
                      {r.examplesAppeared.slice(0, 2).map((e) => <ExampleLine sign="+" e={e} />)}
                      {r.examplesDisappeared.slice(0, 2).map((e) => <ExampleLine sign="−" e={e} />)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('replay.perTeam')}</h3>
          <table class="results" data-testid="replay-teams">
            <thead>
              <tr>
                <th>{t('replay.team')}</th>
                <th>{t('replay.teamCalls')}</th>
                <th>{t('replay.score')}</th>
                <th>{t('replay.findings')}</th>
              </tr>
            </thead>
            <tbody>
              {s.teams.map((team) => (
                <tr data-team={team.teamId}>
                  <td class="mono">{team.teamId}</td>
                  <td>{team.calls}</td>
                  <td data-testid="team-score">
                    {team.averageScoreBefore} → {team.averageScoreAfter}
                  </td>
                  <td>
                    {team.findingsBefore} → {team.findingsAfter}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('replay.agreement')}</h3>
          <p data-testid="replay-agreement">
            {t('replay.dismissed', { removed: a.dismissedRemoved, of: a.dismissedRemoved + a.dismissedKept })}
            <br />
            {t('replay.confirmed', { lost: a.confirmedLost, of: a.confirmedLost + a.confirmedKept })}
          </p>
        </div>
      )}
    </section>
  )
}
