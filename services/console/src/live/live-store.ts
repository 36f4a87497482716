/**
 * The live wall's state, framework-free: calls, alerts (deduplicated by alertId), acknowledgements
 * and transcripts. Messages are applied as they come; listeners are told at most once per
 * animation frame (the caller's `schedule`), so 1,000 calls updating every few seconds cost one
 * render per frame, not one per message.
 */
import type {
  AlertAckMessage,
  AlertMessage,
  CallUpdateMessage,
  LiveCallMetrics,
  Severity,
  SupervisorMessage,
  TranscriptMessage,
} from '../protocol.js'
import { isAgentViolation, severityRank } from '../protocol.js'

/**
 * A finding raised on an ASR partial that the final refuted (the gateway sends it; older gateways never
 * do). Declared here as well so the console reads it whichever protocol version it was built with.
 */
export interface AlertRetracted {
  type: 'alert.retracted'
  alertId: string
  callId: string
  reason: string
}

/** Whether an alert is the agent's violation (complaint risk is a routing signal, counted apart). */
export function isViolationAlert(alert: Pick<AlertMessage, 'rule'> & { againstAgent?: boolean }): boolean {
  return alert.againstAgent ?? isAgentViolation(alert.rule)
}

export interface LiveCall {
  callId: string
  agentId: string
  teamId: string
  startedAt: string
  startedAtMs: number
  state: CallUpdateMessage['state']
  metrics: LiveCallMetrics
  /** Worst severity of the call's violations (complaint risk is shown apart). */
  worst: Severity | null
  /** Worst severity of the violation alerts seen. */
  alertWorst: Severity | null
  /** The agent's violations alerted (complaint risk not among them). */
  alerts: number
  /** Complaint-risk alerts: a routing signal for 投诉管理员. */
  risks: number
  /** The customer named a complaint channel on this call. */
  complaintRisk: boolean
  /** The newest alert of the call (the tile shows it). */
  lastAlert?: { rule: AlertMessage['rule']; phrase?: string; severity: Severity }
  score?: number
  /** ms epoch of the last update (stale tiles are dropped). */
  seenAtMs: number
}

export interface LiveAlert extends AlertMessage {
  raisedAtMs: number
}

export interface TranscriptLineState {
  seq: number
  speaker: 'agent' | 'customer'
  text: string
  startMs: number
  endMs: number
  final: boolean
  findings: TranscriptMessage['findings']
}

export interface LiveStoreOptions {
  /** Alerts kept in the feed (oldest dropped). @defaultValue 20000 */
  maxAlerts?: number
  /** Transcript lines kept per call. @defaultValue 500 */
  maxLinesPerCall?: number
  /** Ended calls stay on the wall this long. @defaultValue 30000 */
  endedLingerMs?: number
  /** Calls with no update for this long are dropped (their end was missed). @defaultValue 600000 */
  staleMs?: number
  /** Runs `flush` later (requestAnimationFrame in the browser). */
  schedule?: (flush: () => void) => void
  now?: () => number
}

const worse = (a: Severity | null, b: Severity | null): Severity | null =>
  a === null ? b : b === null ? a : severityRank(a) <= severityRank(b) ? a : b

/**
 * The tile's severity: the worst violation alert, and the server's worst severity only while the call
 * has more findings than complaint-risk alerts (the server's figure includes complaint risk, which is
 * not the agent's). Recomputed whichever of the call update and its alerts comes first.
 */
function refreshWorst(call: LiveCall): void {
  // A complaint-risk call whose risk alerts have not come yet: the server's figure cannot be split.
  const splittable = !(call.complaintRisk && call.risks === 0)
  const server = splittable && !(call.risks > 0 && call.metrics.findings <= call.risks) ? call.metrics.worstSeverity : null
  call.worst = worse(call.alertWorst, server)
}

export class LiveStore {
  readonly calls = new Map<string, LiveCall>()
  /** Newest first. */
  alerts: LiveAlert[] = []
  readonly #alertIds = new Set<string>()
  /** Retracted alert ids (bounded like the feed), so a later copy of one is not shown again. */
  readonly #retracted = new Set<string>()
  readonly #acks = new Map<string, { by: string; at: string }>()
  readonly #lines = new Map<string, TranscriptLineState[]>()
  readonly #listeners = new Set<() => void>()
  readonly #options: Required<Omit<LiveStoreOptions, 'schedule' | 'now'>>
  readonly #schedule: (flush: () => void) => void
  readonly #now: () => number
  #scheduled = false
  #pendingAlerts: LiveAlert[] = []
  #sortedCalls: LiveCall[] | null = null
  /** Bumped on every applied change; views compare it to skip work. */
  version = 0
  /** Newest `raisedAt` seen, ms epoch (catch-up starts a little before it). */
  lastAlertAtMs = 0
  /** Complaint-risk alerts in the feed (a counter of their own, not violations). */
  riskAlerts = 0
  /** Critical alerts that arrived since the last flush (for the sound and flash cue). */
  newCritical = 0
  onCritical: ((alert: LiveAlert) => void) | undefined

  constructor(options: LiveStoreOptions = {}) {
    this.#options = {
      maxAlerts: options.maxAlerts ?? 20_000,
      maxLinesPerCall: options.maxLinesPerCall ?? 500,
      endedLingerMs: options.endedLingerMs ?? 30_000,
      staleMs: options.staleMs ?? 600_000,
    }
    this.#schedule = options.schedule ?? ((flush) => queueMicrotask(flush))
    this.#now = options.now ?? Date.now
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  hasAlert(alertId: string): boolean {
    return this.#alertIds.has(alertId)
  }

  ackOf(alertId: string): { by: string; at: string } | undefined {
    return this.#acks.get(alertId)
  }

  transcript(callId: string): readonly TranscriptLineState[] {
    return this.#lines.get(callId) ?? []
  }

  /** Calls, worst first: severity, then alerts, then longest running. */
  sortedCalls(): LiveCall[] {
    if (!this.#sortedCalls) {
      this.#sortedCalls = [...this.calls.values()].sort(
        (a, b) =>
          (a.worst === null ? 9 : severityRank(a.worst)) - (b.worst === null ? 9 : severityRank(b.worst)) ||
          b.alerts - a.alerts ||
          a.startedAtMs - b.startedAtMs ||
          (a.callId < b.callId ? -1 : 1),
      )
    }
    return this.#sortedCalls
  }

  apply(message: SupervisorMessage | AlertRetracted): void {
    if (message.type === 'alert.retracted') {
      this.#applyRetracted(message as AlertRetracted)
      this.#changed()
      return
    }
    switch (message.type) {
      case 'alert':
        this.#applyAlert(message)
        break
      case 'call':
        this.#applyCall(message)
        break
      case 'transcript':
        this.#applyTranscript(message)
        break
      case 'alert.ack':
        this.#applyAck(message)
        break
      default:
        return
    }
    this.#changed()
  }

  applyMany(messages: Iterable<SupervisorMessage | AlertRetracted>): void {
    for (const m of messages) this.apply(m)
  }

  /**
   * Takes the server's list of live calls after a (re)connect: a call on the wall that is not in it
   * ended while the page was away, so it is marked ended (and leaves after the linger time).
   */
  replaceLiveCalls(calls: readonly CallUpdateMessage[]): void {
    const live = new Set(calls.map((c) => c.callId))
    const now = this.#now()
    for (const call of this.calls.values()) {
      if (call.state !== 'ended' && !live.has(call.callId)) {
        call.state = 'ended'
        call.seenAtMs = now
      }
    }
    for (const call of calls) this.#applyCall(call)
    this.#sortedCalls = null
    this.#changed()
  }

  /** Removes ended calls after their linger time and calls whose end was never seen. */
  sweep(): void {
    const now = this.#now()
    let removed = false
    for (const call of this.calls.values()) {
      const age = now - call.seenAtMs
      if ((call.state === 'ended' && age > this.#options.endedLingerMs) || age > this.#options.staleMs) {
        this.calls.delete(call.callId)
        this.#lines.delete(call.callId)
        removed = true
      }
    }
    if (removed) this.#changed()
  }

  #applyAlert(message: AlertMessage): void {
    // A verdict for the after-call report only (whole-call speaking rate after hang-up): not a live alert.
    if ((message as AlertMessage & { reportOnly?: boolean }).reportOnly) return
    // Retracted before it arrived (a catch-up copy after the retraction): stays out.
    if (this.#retracted.has(message.alertId)) return
    if (this.#alertIds.has(message.alertId)) {
      // A catch-up copy may carry an ack the live copy did not.
      if (message.acknowledgedBy && !this.#acks.has(message.alertId)) {
        this.#acks.set(message.alertId, { by: message.acknowledgedBy, at: message.acknowledgedAt ?? '' })
      }
      return
    }
    this.#alertIds.add(message.alertId)
    const raisedAtMs = Date.parse(message.raisedAt) || this.#now()
    const alert: LiveAlert = { ...message, raisedAtMs }
    if (message.acknowledgedBy) this.#acks.set(message.alertId, { by: message.acknowledgedBy, at: message.acknowledgedAt ?? '' })
    this.#pendingAlerts.push(alert)
    if (raisedAtMs > this.lastAlertAtMs) this.lastAlertAtMs = raisedAtMs
    const violation = isViolationAlert(message)
    if (!violation) this.riskAlerts++
    const call = this.calls.get(message.callId)
    if (call) {
      if (violation) {
        call.alerts++
        call.alertWorst = worse(call.alertWorst, message.severity)
        call.lastAlert = { rule: message.rule, severity: message.severity, ...(message.phrase !== undefined ? { phrase: message.phrase } : {}) }
      } else {
        call.risks++
        call.complaintRisk = true
      }
      refreshWorst(call)
      this.#sortedCalls = null
    }
    if (message.severity === 'critical') {
      this.newCritical++
      this.onCritical?.(alert)
    }
  }

  #applyCall(message: CallUpdateMessage): void {
    const existing = this.calls.get(message.callId)
    const call: LiveCall = existing ?? {
      callId: message.callId,
      agentId: message.agentId,
      teamId: message.teamId,
      startedAt: message.startedAt,
      startedAtMs: Date.parse(message.startedAt) || this.#now(),
      state: message.state,
      metrics: message.metrics,
      worst: null,
      alertWorst: null,
      alerts: 0,
      risks: 0,
      complaintRisk: false,
      seenAtMs: this.#now(),
    }
    // An `ended` never goes back to `live` (messages from two instances may cross).
    if (!(call.state === 'ended' && message.state !== 'ended')) call.state = message.state
    call.metrics = message.metrics
    if (message.complaintRisk) call.complaintRisk = true
    // The server's worst severity includes complaint risk; it speaks for the agent only when the call
    // has more findings than complaint-risk alerts.
    refreshWorst(call)
    if (message.score !== undefined) call.score = message.score
    call.seenAtMs = this.#now()
    if (!existing) this.calls.set(call.callId, call)
    this.#sortedCalls = null
  }

  #applyTranscript(message: TranscriptMessage): void {
    let lines = this.#lines.get(message.callId)
    if (!lines) {
      lines = []
      this.#lines.set(message.callId, lines)
    }
    const line: TranscriptLineState = {
      seq: message.seq,
      speaker: message.speaker,
      text: message.text,
      startMs: message.startMs,
      endMs: message.endMs,
      final: message.final,
      findings: message.findings,
    }
    // A final replaces the partial of the same seq; lines stay in seq order.
    let i = lines.length - 1
    while (i >= 0 && lines[i]!.seq > message.seq) i--
    if (i >= 0 && lines[i]!.seq === message.seq) {
      if (lines[i]!.final && !message.final) return
      lines[i] = line
    } else {
      lines.splice(i + 1, 0, line)
      if (lines.length > this.#options.maxLinesPerCall) lines.shift()
    }
  }

  #applyRetracted(message: AlertRetracted): void {
    this.#retracted.add(message.alertId)
    if (this.#retracted.size > this.#options.maxAlerts) this.#retracted.delete(this.#retracted.values().next().value!)
    if (!this.#alertIds.has(message.alertId)) return
    this.#alertIds.delete(message.alertId)
    this.#acks.delete(message.alertId)
    const drop = (list: LiveAlert[]): LiveAlert | undefined => {
      const i = list.findIndex((a) => a.alertId === message.alertId)
      return i === -1 ? undefined : list.splice(i, 1)[0]
    }
    const pending = drop(this.#pendingAlerts)
    let removed = pending
    if (!removed) {
      this.alerts = [...this.alerts]
      removed = drop(this.alerts)
    }
    if (!removed) return
    const violation = isViolationAlert(removed)
    if (!violation) this.riskAlerts = Math.max(0, this.riskAlerts - 1)
    const call = this.calls.get(message.callId)
    if (call) {
      if (violation) call.alerts = Math.max(0, call.alerts - 1)
      else call.risks = Math.max(0, call.risks - 1)
      // The worst severity and last alert are recomputed from what is left of the call's alerts.
      const left = [...this.#pendingAlerts, ...this.alerts].filter((a) => a.callId === call.callId && isViolationAlert(a))
      call.alertWorst = left.reduce<Severity | null>((w, a) => worse(w, a.severity), null)
      refreshWorst(call)
      const last = left.sort((a, b) => b.raisedAtMs - a.raisedAtMs)[0]
      if (last) call.lastAlert = { rule: last.rule, severity: last.severity, ...(last.phrase !== undefined ? { phrase: last.phrase } : {}) }
      else delete call.lastAlert
      this.#sortedCalls = null
    }
  }

  #applyAck(message: AlertAckMessage): void {
    this.#acks.set(message.alertId, { by: message.acknowledgedBy, at: message.acknowledgedAt })
  }

  #changed(): void {
    this.version++
    if (this.#scheduled) return
    this.#scheduled = true
    this.#schedule(() => this.flush())
  }

  /** Moves pending alerts into the feed and tells the listeners (once per frame). */
  flush(): void {
    this.#scheduled = false
    if (this.#pendingAlerts.length) {
      // Pending alerts are mostly in arrival order; the feed is newest first by raisedAt.
      const pending = this.#pendingAlerts.sort((a, b) => b.raisedAtMs - a.raisedAtMs)
      this.#pendingAlerts = []
      const head = this.alerts[0]
      if (!head || pending[pending.length - 1]!.raisedAtMs >= head.raisedAtMs) {
        this.alerts = pending.concat(this.alerts)
      } else {
        // Catch-up brought older alerts: merge.
        this.alerts = pending.concat(this.alerts).sort((a, b) => b.raisedAtMs - a.raisedAtMs)
      }
      if (this.alerts.length > this.#options.maxAlerts) {
        for (const dropped of this.alerts.splice(this.#options.maxAlerts)) {
          if (!isViolationAlert(dropped)) this.riskAlerts = Math.max(0, this.riskAlerts - 1)
          this.#alertIds.delete(dropped.alertId)
          this.#acks.delete(dropped.alertId)
        }
      }
      // Views key their memos on the version: the feed changed now, not when the messages were applied.
      this.version++
    }
    for (const listener of this.#listeners) listener()
    this.newCritical = 0
  }
}
