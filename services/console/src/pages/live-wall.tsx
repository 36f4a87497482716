/**
 * 实时监控: a tile per live call (worst first) and the alert feed (newest first), both virtualised;
 * click a tile or an alert to follow that call's transcript as it grows.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { isViolationAlert, type LiveAlert, type LiveCall, type LiveStore } from '../live/live-store.js'
import { agentName, teamName, userName } from '../directory.js'
import type { LinkState } from '../live/live-socket.js'
import { useNow, useStore } from '../live/use-store.js'
import { VirtualList } from '../components/virtual.js'
import { Highlighted } from '../components/highlight.js'
import { ruleName, severityName, speakerName, t } from '../i18n.js'
import { clock, duration } from '../format.js'
import { api } from '../api.js'

const BAND: [number, number] = [96, 144]
const GAUGE_MAX = 240
const TILE_WIDTH = 232
const TILE_HEIGHT = 128

function Gauge({ cpm }: { cpm: number | null }) {
  const pct = (v: number) => `${(Math.min(v, GAUGE_MAX) / GAUGE_MAX) * 100}%`
  const outside = cpm !== null && (cpm < BAND[0] || cpm > BAND[1])
  return (
    <div class="gauge" title={`${t('live.cpm')} ${t('live.band')}`}>
      <div class="gauge-band" style={{ left: pct(BAND[0]), width: `calc(${pct(BAND[1])} - ${pct(BAND[0])})` }} />
      {cpm !== null && <div class={`gauge-needle ${outside ? 'out' : ''}`} style={{ left: pct(cpm) }} />}
      <span class={`gauge-value ${outside ? 'out' : ''}`}>
        {cpm === null ? '—' : Math.round(cpm)} <small>{t('live.cpmUnit')}</small>
      </span>
    </div>
  )
}

function CallTile({ call, now, selected, onSelect }: { call: LiveCall; now: number; selected: boolean; onSelect: () => void }) {
  const greeted = call.metrics.greeted
  return (
    <button
      type="button"
      class={`tile sev-${call.worst ?? 'none'} ${call.state === 'ended' ? 'ended' : ''} ${selected ? 'selected' : ''}`}
      data-testid="call-tile"
      data-call-id={call.callId}
      data-team-id={call.teamId}
      onClick={onSelect}
    >
      <div class="tile-head">
        <strong data-testid="tile-agent" title={call.agentId}>
          {agentName(call.agentId)}
        </strong>
        <span class="muted" title={call.teamId}>
          {teamName(call.teamId)}
        </span>
        <span class="tile-time">{call.state === 'ended' ? t('live.ended') : duration(now - call.startedAtMs)}</span>
      </div>
      <Gauge cpm={call.metrics.rollingCpm} />
      <div class="tile-foot">
        <span class={`chip ${greeted === true ? 'ok' : greeted === false ? 'bad' : ''}`}>
          {greeted === true ? t('live.greetedYes') : greeted === false ? t('live.greetedNo') : `${t('live.greeted')} ${t('live.greetedPending')}`}
        </span>
        <span class="chip">
          {t('live.findings')} <b data-testid="tile-findings">{Math.max(call.alerts, call.metrics.findings - call.risks)}</b>
        </span>
        {call.complaintRisk && (
          <span class="chip risk" data-testid="tile-risk">
            {ruleName('complaint_risk')}
          </span>
        )}
        {call.worst && <span class={`chip sev sev-${call.worst}`}>{severityName(call.worst)}</span>}
        {call.score !== undefined && (
          <span class="chip">
            {t('live.score')} {call.score}
          </span>
        )}
      </div>
      {call.lastAlert && (
        <div class="tile-last" data-testid="tile-last">
          {ruleName(call.lastAlert.rule)}
          {call.lastAlert.phrase ? `「${call.lastAlert.phrase}」` : ''}
        </div>
      )}
    </button>
  )
}

function AlertRow({ alert, store, onSelect }: { alert: LiveAlert; store: LiveStore; onSelect: () => void }) {
  const ack = store.ackOf(alert.alertId)
  const [busy, setBusy] = useState(false)
  const acknowledge = async (event: Event) => {
    event.stopPropagation()
    setBusy(true)
    try {
      const res = await api<{ acknowledgedBy?: string; acknowledgedAt?: string } | undefined>(
        `/v1/alerts/${encodeURIComponent(alert.alertId)}/ack`,
        { method: 'POST', json: {} },
      )
      if (res?.acknowledgedBy) {
        store.apply({
          type: 'alert.ack',
          alertId: alert.alertId,
          callId: alert.callId,
          teamId: alert.teamId,
          acknowledgedBy: res.acknowledgedBy,
          acknowledgedAt: res.acknowledgedAt ?? new Date().toISOString(),
        })
      }
    } finally {
      setBusy(false)
    }
  }
  const spans = (alert as LiveAlert & { spans?: Array<{ start: number; end: number }> }).spans
  const marks = spans ? spans.map((s) => ({ span: [s.start, s.end] as [number, number], severity: alert.severity })) : [{ span: alert.span, severity: alert.severity }]
  // Every word that triggered this one alert (one complaint-risk alert per utterance, however many channels it names).
  const words =
    alert.text !== undefined && spans && spans.length > 0
      ? [...new Set(spans.map((s) => alert.text!.slice(s.start, s.end)))]
      : alert.phrase
        ? [alert.phrase]
        : []
  const violation = isViolationAlert(alert)
  const detail =
    alert.text !== undefined ? (
      <Highlighted text={alert.text} marks={marks} />
    ) : alert.cpm !== undefined ? (
      `${Math.round(alert.cpm)} ${t('live.cpmUnit')}`
    ) : (
      (alert.phrase ?? '')
    )
  return (
    <div
      class={`alert sev-${alert.severity} ${ack ? 'acked' : ''} ${violation ? '' : 'risk'}`}
      data-testid="alert-row"
      data-alert-id={alert.alertId}
      data-team-id={alert.teamId}
      data-rule={alert.rule}
      onClick={onSelect}
    >
      <div class="alert-line">
        <span class={`chip sev sev-${alert.severity}`}>{severityName(alert.severity)}</span>
        <b>{ruleName(alert.rule)}</b>
        {words.length > 0 && (
          <span class="phrase" data-testid="alert-words">
            {words.map((w) => `「${w}」`).join('')}
          </span>
        )}
        <span class="muted" data-testid="alert-who">
          {agentName(alert.agentId)} · {teamName(alert.teamId)}
        </span>
        <span class="alert-time">{clock(alert.raisedAtMs)}</span>
      </div>
      <div class="alert-line">
        <span class="alert-text">{detail}</span>
        {ack ? (
          <span class="ack-info" data-testid="ack-info">
            ✓ {t('live.acked', { by: userName(ack.by), at: ack.at ? clock(ack.at) : '' })}
          </span>
        ) : (
          <button type="button" class="small" data-testid="ack-button" disabled={busy} onClick={acknowledge}>
            {t('live.ack')}
          </button>
        )}
      </div>
    </div>
  )
}

function TranscriptPanel({ store, call, callId, onClose }: { store: LiveStore; call: LiveCall | undefined; callId: string; onClose: () => void }) {
  useStore(store)
  const lines = store.transcript(callId)
  const bottom = useRef<HTMLDivElement>(null)
  useEffect(() => bottom.current?.scrollIntoView({ block: 'end' }), [lines.length, lines[lines.length - 1]?.text])
  return (
    <aside class="transcript" data-testid="transcript" data-call-id={callId}>
      <header>
        <div>
          <b>{t('live.follow')}</b> <span class="muted">{callId}</span>
          {call && (
            <div class="muted">
              {agentName(call.agentId)} · {teamName(call.teamId)} · {call.state === 'ended' ? t('live.ended') : duration(Date.now() - call.startedAtMs)}
            </div>
          )}
        </div>
        <button type="button" class="small" onClick={onClose}>
          {t('live.close')}
        </button>
      </header>
      <div class="transcript-body">
        {lines.length === 0 && <p class="muted">{t('live.transcriptEmpty')}</p>}
        {lines.map((line) => (
          <p class={`line ${line.speaker} ${line.final ? '' : 'partial'}`} data-testid="transcript-line" key={line.seq}>
            <span class="who">{speakerName(line.speaker)}</span>
            <span class="at">{duration(line.startMs)}</span>
            <span class="said">
              <Highlighted
                text={line.text}
                marks={line.findings.map((f) => ({ span: f.span, severity: f.severity, title: ruleName(f.rule) }))}
              />
            </span>
            {!line.final && <span class="muted"> ({t('live.partial')})</span>}
          </p>
        ))}
        <div ref={bottom} />
      </div>
    </aside>
  )
}

export function LinkBanner({ state, lagMs, onReconnect }: { state: LinkState; lagMs: number; onReconnect: () => void }) {
  if (state.kind === 'live' && lagMs < 5000) return null
  const text =
    state.kind === 'connecting'
      ? t('link.connecting')
      : state.kind === 'catching-up'
        ? t('link.catchingUp')
        : state.kind === 'reconnecting'
          ? t('link.reconnecting', { reason: state.reason, s: Math.ceil(state.inMs / 1000), n: state.attempt })
          : state.kind === 'unauthorized'
            ? t('link.unauthorized')
            : t('link.behind', { s: Math.round(lagMs / 1000) })
  return (
    <div class={`banner ${state.kind === 'live' ? 'behind' : state.kind}`} data-testid="link-banner" data-state={state.kind} role="status">
      {text}
      {state.kind === 'reconnecting' && (
        <button type="button" class="small" onClick={onReconnect}>
          {t('link.reconnectNow')}
        </button>
      )}
    </div>
  )
}

export function LiveWall({ store, critical, onFollow }: { store: LiveStore; critical: number; onFollow: (callId: string | null) => void }) {
  useStore(store)
  const now = useNow(1000)
  const [selected, setSelected] = useState<string | null>(null)
  useEffect(() => onFollow(selected), [selected])
  useEffect(() => () => onFollow(null), [])
  const [unackedOnly, setUnackedOnly] = useState(false)
  const gridRef = useRef<HTMLDivElement>(null)
  const [columns, setColumns] = useState(4)
  useEffect(() => {
    const el = gridRef.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => {
      setColumns(Math.max(1, Math.floor((entry!.contentRect.width - 8) / TILE_WIDTH)))
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  const calls = store.sortedCalls()
  const rows = Math.ceil(calls.length / columns)
  const alerts = useMemo(
    () => (unackedOnly ? store.alerts.filter((a) => !store.ackOf(a.alertId)) : store.alerts),
    [store.version, store.alerts, unackedOnly],
  )
  const unacked = useMemo(() => store.alerts.reduce((n, a) => n + (store.ackOf(a.alertId) ? 0 : 1), 0), [store.version, store.alerts])
  return (
    <div class={`live ${selected ? 'with-transcript' : ''}`}>
      <section class="calls" ref={gridRef}>
        <h2>
          {t('live.calls')} <span class="count" data-testid="call-count">{calls.length}</span>
        </h2>
        {calls.length === 0 ? (
          <p class="empty muted">{t('live.noCalls')}</p>
        ) : (
          <VirtualList
            testId="call-grid"
            count={rows}
            rowHeight={TILE_HEIGHT + 8}
            overscan={3}
            getKey={(row) => `${row}/${columns}`}
            renderRow={(row) => (
              <div class="tile-row">
                {calls.slice(row * columns, row * columns + columns).map((call) => (
                  <CallTile key={call.callId} call={call} now={now} selected={call.callId === selected} onSelect={() => setSelected(call.callId)} />
                ))}
              </div>
            )}
          />
        )}
      </section>
      <section class={`feed ${critical > 0 ? 'flash' : ''}`} data-testid="alert-feed" data-critical-flash={critical}>
        <h2>
          {t('live.alerts')} <span class="count" data-testid="alert-count">{store.alerts.length}</span>
          <span class="muted small-text">
            {t('live.unacked')} {unacked}
          </span>
          <span class="chip risk small-text" data-testid="risk-count" title={t('live.riskHint')}>
            {ruleName('complaint_risk')} {store.riskAlerts}
          </span>
          <label class="toggle">
            <input type="checkbox" checked={unackedOnly} onChange={(e) => setUnackedOnly((e.target as HTMLInputElement).checked)} />
            {t('live.filterUnacked')}
          </label>
        </h2>
        {alerts.length === 0 ? (
          <p class="empty muted">{t('live.noAlerts')}</p>
        ) : (
          <VirtualList
            testId="alert-list"
            count={alerts.length}
            rowHeight={64}
            getKey={(i) => alerts[i]!.alertId}
            renderRow={(i) => <AlertRow alert={alerts[i]!} store={store} onSelect={() => setSelected(alerts[i]!.callId)} />}
          />
        )}
      </section>
      {selected && <TranscriptPanel store={store} call={store.calls.get(selected)} callId={selected} onClose={() => setSelected(null)} />}
    </div>
  )
}
