/**
 * The live calls of this instance: one engine `CallMonitor` per call in memory, checkpointed to
 * Redis so any instance can continue a call (see scripts.ts for the durable layout).
 *
 * Hot path (an utterance of a call this instance owns): feed the monitor synchronously, queue the
 * checkpoint entry, alerts and supervisor messages into the current batch; one flush per event-loop
 * turn sends every call's checkpoint and one fan-out PUBLISH in a single pipelined round trip. An
 * utterance is acknowledged only after its checkpoint is in Redis, so an acknowledged utterance
 * survives a crash or a move to another instance, and a resend of it is recognised there as a
 * duplicate (the engine's `feed()` says `duplicate: true`).
 *
 * Cold path (first event of a call on this instance, after a reconnect): CLAIM the call in Redis,
 * restore the snapshot, replay the log, tell the previous owner to drop its copy.
 */
import type { Redis } from 'ioredis'
import type { Queue } from 'bullmq'
import type { Logger } from 'pino'
import { CallMonitor, type FeedResult, type Rulebook } from '@callqa/engine'
import {
  alertFromFinding,
  ErrorCodes,
  ProtocolError,
  type AlertMessage,
  type CallEnded,
  type CallEvent,
  type CallReport,
  type CallStarted,
  type CallUpdateMessage,
  type TranscriptMessage,
  type Utterance,
} from '@callqa/protocol'
import { SCORE_JOB_OPTIONS, scoreJobId, type RedisKeys, type ScoreJobData, type WebhookOutbox } from '@callqa/store'
import type { GatewayConfig } from '../config.js'
import { GatewayErrorCodes } from '../errors.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { FanoutItem } from '../fanout/wire.js'
import type { GatewayMetrics } from '../metrics.js'
import { defineLiveCommands, keyTemplate, type LiveCommands, type LivePipeline } from './scripts.js'

/** Where the outcome of an event goes: an ingest socket, an ASR socket or a webhook request. */
export interface EventSink {
  ack(callId: string, seq: number): void
  error(error: { code: string; message: string; callId?: string; seq?: number }): void
  /** The call's end was handled: `queued` (score job added by this event) or `failed`. */
  ended?(callId: string, outcome: 'queued' | 'failed'): void
}

export type EndSource = 'socket' | 'webhook' | 'idle'

interface LiveCall {
  readonly callId: string
  readonly started: CallStarted
  monitor: CallMonitor
  /** Events applied since the call started (snapshot version + log length in Redis). */
  version: number
  /** `version` of the last snapshot written. */
  snapVersion: number
  /** False once another instance took the call over; then this copy must not be used. */
  owned: boolean
  lastActivityMs: number
  complaintRisk: boolean
  lastLiveUpdateMs: number
  ending: boolean
}

interface PendingCheckpoint {
  call: LiveCall
  log: string[]
  alerts: AlertMessage[]
  alertJson: string[]
  info: string
}

interface PendingEnd {
  call: LiveCall
  report: CallReport
  source: EndSource
  sink: EventSink
}

class Batch {
  readonly checkpoints = new Map<string, PendingCheckpoint>()
  readonly acks: { sink: EventSink; callId: string; seq: number }[] = []
  readonly fanout: FanoutItem[] = []
  readonly ends: PendingEnd[] = []
}

export interface CallRegistryOptions {
  redis: Redis
  keys: RedisKeys
  queue: Queue<ScoreJobData>
  bus: FanoutBus
  rulebook: Rulebook
  config: GatewayConfig
  metrics: GatewayMetrics
  log: Logger
  /** Enqueues `alert.raised` webhooks (no-op without subscribers). */
  outbox?: WebhookOutbox
}

/** How long an alert stays findable for acknowledgement. */
const ALERT_TTL_SECONDS = 7 * 86_400

export class CallRegistry {
  readonly #o: CallRegistryOptions
  readonly #redis: Redis & LiveCommands
  readonly #calls = new Map<string, LiveCall>()
  readonly #claims = new Map<string, Promise<LiveCall | 'ended' | 'unknown'>>()
  #batch = new Batch()
  #flushScheduled = false
  #inflight = new Set<Promise<void>>()
  #closed = false
  /** Key layouts (prefix, suffix) the batched checkpoint script builds keys from. */
  readonly #templates: string[]

  constructor(options: CallRegistryOptions) {
    this.#o = options
    this.#redis = defineLiveCommands(options.redis)
    const k = options.keys
    this.#templates = [...keyTemplate(k.callOwner), ...keyTemplate(k.callState), ...keyTemplate(k.callLog), ...keyTemplate(k.alert)]
  }

  get size(): number {
    return this.#calls.size
  }

  /** Whether this instance holds the call live in memory. */
  isLive(callId: string): boolean {
    const call = this.#calls.get(callId)
    return call !== undefined && call.owned && !call.ending
  }

  /**
   * Handles one validated event. Returns a promise only when the event needs Redis first (a new
   * call, or a call this instance does not hold): callers that must keep a connection's order
   * await it; the fast path stays synchronous.
   */
  handle(event: CallEvent, sink: EventSink, receivedAtNs: bigint, source: EndSource = 'socket'): void | Promise<void> {
    if (this.#closed) {
      sink.error({ code: GatewayErrorCodes.UNAVAILABLE, message: 'the gateway is shutting down: reconnect and resend', callId: event.callId })
      return
    }
    if (event.type === 'call.started') return this.#start(event, sink)
    const call = this.#calls.get(event.callId)
    if (call?.owned) {
      this.#feed(call, event, sink, receivedAtNs, source)
      return
    }
    return this.#claim(event.callId).then((found) => {
      if (found === 'unknown') {
        sink.error(
          new ProtocolError(ErrorCodes.UNKNOWN_CALL, `call ${event.callId} is not known: send call.started (socket or webhook) before its ${event.type} events`, {
            callId: event.callId,
            ...(event.type === 'utterance' ? { seq: event.seq } : {}),
          }),
        )
      } else if (found === 'ended') {
        this.#endedError(event, sink)
      } else {
        this.#feed(found, event, sink, receivedAtNs, source)
      }
    })
  }

  #endedError(event: Utterance | CallEnded, sink: EventSink): void {
    if (event.type === 'call.ended') {
      // A second end (socket and webhook, or a retry) is expected and harmless: nothing to do.
      sink.ended?.(event.callId, 'queued')
      return
    }
    sink.error(
      new ProtocolError(ErrorCodes.CALL_ENDED, `call ${event.callId} has ended; utterance seq ${event.seq} is not checked`, {
        callId: event.callId,
        seq: event.seq,
      }),
    )
  }

  async #start(started: CallStarted, sink: EventSink): Promise<void> {
    const existing = this.#calls.get(started.callId)
    if (existing?.owned) return
    if (this.#calls.size >= this.#o.config.maxLiveCalls) {
      sink.error(new ProtocolError(ErrorCodes.TOO_MANY_CALLS, `this instance holds ${this.#calls.size} live calls, the limit (CALLQA_MAX_LIVE_CALLS); call ${started.callId} was not started`, { callId: started.callId }))
      return
    }
    const monitor = new CallMonitor(this.#o.rulebook, started)
    const now = Date.now()
    const update = this.#callUpdate('started', started, monitor, false)
    const keys = this.#o.keys
    const outcome = await this.#redis.cqCreate(
      keys.callState(started.callId),
      keys.callOwner(started.callId),
      keys.liveCalls,
      keys.callEnded(started.callId),
      keys.callLog(started.callId),
      keys.liveCallInfo,
      this.#o.config.instanceId,
      now,
      this.#o.config.callStateTtlSeconds,
      stateValue(0, started, monitor),
      update,
      started.callId,
    )
    if (outcome === 'ended') {
      sink.error(new ProtocolError(ErrorCodes.CALL_ENDED, `call ${started.callId} has already ended; a call id cannot be started again`, { callId: started.callId }))
      return
    }
    if (outcome === 'exists') return
    this.#calls.set(started.callId, {
      callId: started.callId,
      started,
      monitor,
      version: 0,
      snapVersion: 0,
      owned: true,
      lastActivityMs: now,
      complaintRisk: false,
      lastLiveUpdateMs: now,
      ending: false,
    })
    this.#o.metrics.liveCalls.set(this.#calls.size)
    this.#o.metrics.events.inc({ type: 'call.started' })
    this.#o.log.info({ callId: started.callId, agentId: started.agentId, teamId: started.teamId }, 'call started')
    this.#o.bus.publish([this.#item('call', started, false, '', update)])
  }

  #claim(callId: string): Promise<LiveCall | 'ended' | 'unknown'> {
    let pending = this.#claims.get(callId)
    if (!pending) {
      pending = this.#doClaim(callId).finally(() => this.#claims.delete(callId))
      this.#claims.set(callId, pending)
    }
    return pending
  }

  async #doClaim(callId: string): Promise<LiveCall | 'ended' | 'unknown'> {
    const keys = this.#o.keys
    const me = this.#o.config.instanceId
    const res = await this.#redis.cqClaim(keys.callState(callId), keys.callOwner(callId), keys.callLog(callId), keys.callEnded(callId), me, this.#o.config.callStateTtlSeconds)
    if (res[0] !== 'ok') {
      this.#drop(callId)
      return res[0] === 'ended' ? 'ended' : 'unknown'
    }
    const previousOwner = res[1] ?? ''
    const state = res[2]!
    const log = res[3] ?? []
    const newline = state.indexOf('\n')
    const snapVersion = Number(state.slice(0, newline))
    const version = snapVersion + log.length
    if (previousOwner && previousOwner !== me) {
      this.#o.log.info({ callId, previousOwner }, 'call taken over from another instance')
      this.#o.bus.publish([{ kind: 'handover', callId, agentId: '-', teamId: '-', complaintRisk: false, key: me, json: '' }])
    }
    const existing = this.#calls.get(callId)
    if (existing && existing.version === version && !existing.ending) {
      existing.owned = true
      return existing
    }
    const record = JSON.parse(state.slice(newline + 1)) as { started: CallStarted; snap: ReturnType<CallMonitor['snapshot']> }
    const monitor = CallMonitor.restore(this.#o.rulebook, record.snap)
    let complaintRisk = false
    for (const entry of log) {
      const r = monitor.feed(JSON.parse(entry) as Utterance | CallEnded)
      if (r.findings.some((f) => f.rule === 'complaint_risk')) complaintRisk = true
    }
    // Emitted ids (`<rule>:…`) include live-only findings (a partial's phrase), as the alerts did.
    if (!complaintRisk) complaintRisk = record.snap.emitted.some((id) => id.startsWith('complaint_risk:'))
    const call: LiveCall = {
      callId,
      started: record.started,
      monitor,
      version,
      snapVersion,
      owned: true,
      lastActivityMs: Date.now(),
      complaintRisk,
      lastLiveUpdateMs: 0,
      ending: false,
    }
    this.#calls.set(callId, call)
    this.#o.metrics.liveCalls.set(this.#calls.size)
    return call
  }

  #feed(call: LiveCall, event: Utterance | CallEnded, sink: EventSink, receivedAtNs: bigint, source: EndSource): void {
    if (call.ending) {
      this.#endedError(event, sink)
      return
    }
    let r: FeedResult
    try {
      r = call.monitor.feed(event)
    } catch (err) {
      if (err instanceof ProtocolError) {
        sink.error(err)
        return
      }
      this.#o.log.error({ callId: call.callId, err: (err as Error).message }, 'engine failed on an event')
      sink.error({
        code: ErrorCodes.INVALID_EVENT,
        message: `the engine could not check this ${event.type}: ${(err as Error).message}`,
        callId: call.callId,
        ...(event.type === 'utterance' ? { seq: event.seq } : {}),
      })
      return
    }
    const now = Date.now()
    call.lastActivityMs = now
    const batch = this.#batch
    if (r.duplicate) {
      if (event.type === 'utterance') {
        batch.acks.push({ sink, callId: call.callId, seq: event.seq })
      } else {
        // The end is in the restored log but was never queued (the instance stopped in between): queue it now.
        call.ending = true
        batch.ends.push({ call, report: call.monitor.report(), source, sink })
      }
      this.#scheduleFlush()
      return
    }
    this.#o.metrics.events.inc({ type: event.type })
    if (event.type === 'utterance') this.#o.metrics.utterances.inc()
    call.version++
    let pending = batch.checkpoints.get(call.callId)
    if (!pending) {
      pending = { call, log: [], alerts: [], alertJson: [], info: '' }
      batch.checkpoints.set(call.callId, pending)
    }
    pending.log.push(JSON.stringify(event))
    const fanoutFrom = batch.fanout.length
    if (r.findings.length > 0) {
      const raisedAt = new Date(now).toISOString()
      for (const finding of r.findings) {
        const alert = alertFromFinding(call.started, finding, raisedAt)
        const json = JSON.stringify(alert)
        const complaintRisk = finding.rule === 'complaint_risk'
        if (complaintRisk) call.complaintRisk = true
        pending.alerts.push(alert)
        pending.alertJson.push(json)
        batch.fanout.push({ ...this.#item('alert', call.started, complaintRisk, alert.alertId, json), receivedAtNs })
        this.#o.metrics.alerts.inc({ rule: finding.rule, severity: finding.severity })
        this.#o.log.info({ callId: call.callId, alertId: alert.alertId, rule: finding.rule, seq: finding.seq }, 'alert raised')
      }
    }
    if (r.line && this.#o.bus.wantsTranscript(call.callId)) {
      batch.fanout.push(this.#item('transcript', call.started, call.complaintRisk, '', JSON.stringify(transcriptMessage(call.started, r.line))))
    }
    if (!r.ended && (r.findings.length > 0 || now - call.lastLiveUpdateMs >= this.#o.config.liveUpdateIntervalMs)) {
      call.lastLiveUpdateMs = now
      pending.info = this.#callUpdate('live', call.started, call.monitor, call.complaintRisk)
      batch.fanout.push(this.#item('call', call.started, call.complaintRisk, '', pending.info))
    }
    if (batch.fanout.length > fanoutFrom) this.#o.bus.deliverLocal(batch.fanout.slice(fanoutFrom))
    if (event.type === 'utterance') batch.acks.push({ sink, callId: call.callId, seq: event.seq })
    if (r.ended) {
      call.ending = true
      batch.ends.push({ call, report: call.monitor.report(), source, sink })
    }
    this.#scheduleFlush()
  }

  #item(kind: FanoutItem['kind'], started: CallStarted, complaintRisk: boolean, key: string, json: string): FanoutItem {
    return { kind, callId: started.callId, agentId: started.agentId, teamId: started.teamId, complaintRisk, key, json }
  }

  #callUpdate(state: 'started' | 'live', started: CallStarted, monitor: CallMonitor, complaintRisk: boolean): string {
    const message: CallUpdateMessage = {
      type: 'call',
      state,
      callId: started.callId,
      agentId: started.agentId,
      teamId: started.teamId,
      startedAt: started.at,
      metrics: monitor.live(),
      complaintRisk,
    }
    return JSON.stringify(message)
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    // A short window gathers many calls' checkpoints into one round trip (fewer syscalls and
    // Lua calls per utterance); alerts do not wait for it, only acknowledgements do.
    setTimeout(() => {
      this.#flushScheduled = false
      const p = this.#flush().catch((err: Error) => this.#o.log.error({ err: err.message }, 'checkpoint flush failed'))
      this.#inflight.add(p)
      void p.finally(() => this.#inflight.delete(p))
    }, this.#o.config.flushIntervalMs)
  }

  /** Resolves when everything handled so far is checkpointed, acknowledged and (for ends) queued. */
  async settled(): Promise<void> {
    while (this.#flushScheduled || this.#inflight.size > 0) {
      if (this.#flushScheduled) await new Promise((r) => setTimeout(r, this.#o.config.flushIntervalMs + 1))
      await Promise.all([...this.#inflight])
    }
  }

  async #flush(): Promise<void> {
    const batch = this.#batch
    this.#batch = new Batch()
    const cfg = this.#o.config
    const keys = this.#o.keys
    const me = cfg.instanceId
    const now = Date.now()
    const pipeline = this.#redis.pipeline() as LivePipeline
    const order: PendingCheckpoint[] = []
    const args: (string | number)[] = [keys.liveCalls, keys.alertStream, keys.liveCallInfo, me, now, cfg.callStateTtlSeconds, cfg.alertStreamMax, ALERT_TTL_SECONDS, ...this.#templates]
    for (const pending of batch.checkpoints.values()) {
      const call = pending.call
      const snapshotNow = call.version - call.snapVersion >= cfg.snapshotEveryEvents
      args.push(call.callId, snapshotNow ? stateValue(call.version, call.started, call.monitor) : '', pending.info)
      if (snapshotNow) {
        call.snapVersion = call.version
        args.push(0)
      } else {
        args.push(pending.log.length)
        for (const entry of pending.log) args.push(entry)
      }
      args.push(pending.alerts.length)
      for (let i = 0; i < pending.alerts.length; i++) args.push(pending.alerts[i]!.alertId, pending.alertJson[i]!)
      order.push(pending)
    }
    if (order.length > 0) pipeline.cqCheckpointBatch(...args)
    // Local supervisors got these as they were raised (#feed); the other instances get them now.
    this.#o.bus.publishRemote(batch.fanout, pipeline)
    const failed = new Map<string, string>()
    if (order.length > 0 || batch.fanout.length > 0) {
      const stop = this.#o.metrics.flushSeconds.startTimer()
      let results: [Error | null, unknown][] | null = null
      let execError: Error | undefined
      try {
        results = await pipeline.exec()
      } catch (err) {
        execError = err as Error
      }
      stop()
      const [err, replies] = order.length > 0 ? (results?.[0] ?? [execError ?? new Error('no reply from Redis'), null]) : [null, []]
      order.forEach((pending, i) => {
        if (err) {
          failed.set(pending.call.callId, `${GatewayErrorCodes.UNAVAILABLE}\tthe checkpoint could not be written (${err.message}): resend after reconnecting`)
        } else if ((replies as number[])[i] !== 1) {
          failed.set(pending.call.callId, `${GatewayErrorCodes.CALL_MOVED}\tcall ${pending.call.callId} continues on another connection (it was taken over there): resend this utterance on that connection`)
        }
      })
      for (const callId of failed.keys()) this.#drop(callId)
      if (failed.size > 0) this.#o.log.warn({ calls: [...failed.keys()].slice(0, 20), count: failed.size }, 'checkpoint refused or failed; those calls were dropped from memory')
    }
    for (const ack of batch.acks) {
      const failure = failed.get(ack.callId)
      if (failure === undefined) {
        ack.sink.ack(ack.callId, ack.seq)
      } else {
        const [code, message] = failure.split('\t') as [string, string]
        ack.sink.error({ code, message, callId: ack.callId, seq: ack.seq })
      }
    }
    for (const pending of order) {
      if (this.#o.outbox && !failed.has(pending.call.callId)) {
        for (const alert of pending.alerts) {
          this.#o.outbox.alertRaised(alert).catch((err: Error) => this.#o.log.error({ alertId: alert.alertId, err: err.message }, 'alert.raised webhook not enqueued'))
        }
      }
    }
    const ends: Promise<void>[] = []
    for (const end of batch.ends) {
      if (failed.has(end.call.callId)) {
        end.sink.ended?.(end.call.callId, 'failed')
        continue
      }
      ends.push(this.#finish(end))
    }
    await Promise.all(ends)
  }

  /** Queues the score job (jobId = callId: one job per call however often the end arrives), then retires the call. */
  async #finish(end: PendingEnd): Promise<void> {
    const { call, report, source } = end
    const keys = this.#o.keys
    try {
      await this.#o.queue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(call.callId) })
      const first = await this.#redis.cqFinalize(
        keys.callEnded(call.callId),
        keys.callState(call.callId),
        keys.callLog(call.callId),
        keys.callOwner(call.callId),
        keys.liveCalls,
        keys.liveCallInfo,
        call.callId,
        this.#o.config.endedTtlSeconds,
      )
      this.#drop(call.callId)
      if (first === 1) {
        this.#o.metrics.callsEnded.inc({ disposition: report.disposition, source })
        this.#o.log.info({ callId: call.callId, score: report.score, disposition: report.disposition, source }, 'call ended, score job queued')
        const message: CallUpdateMessage = {
          type: 'call',
          state: 'ended',
          callId: call.callId,
          agentId: call.started.agentId,
          teamId: call.started.teamId,
          startedAt: call.started.at,
          metrics: call.monitor.live(),
          complaintRisk: call.complaintRisk || report.metrics.complaintRisk,
          score: report.score,
          disposition: report.disposition,
          finalMetrics: report.metrics,
        }
        this.#o.bus.publish([this.#item('call', call.started, message.complaintRisk === true, '', JSON.stringify(message))])
      }
      end.sink.ended?.(call.callId, 'queued')
    } catch (err) {
      // The checkpoint (with the end in its log) is still in Redis: the idle sweep finishes the call.
      this.#o.log.error({ callId: call.callId, err: (err as Error).message }, 'call end not queued; the idle sweep will retry')
      this.#drop(call.callId)
      end.sink.ended?.(call.callId, 'failed')
    }
  }

  #drop(callId: string): void {
    const call = this.#calls.get(callId)
    if (!call) return
    call.owned = false
    this.#calls.delete(callId)
    this.#o.metrics.liveCalls.set(this.#calls.size)
  }

  /**
   * The transcript of a live call so far (masked, with each line's findings), for a supervisor who
   * starts following it: from the engine monitor when this instance holds the call, else from the
   * Redis checkpoint (snapshot + log, read in one MULTI) replayed into a throwaway monitor, without
   * claiming the call. Null for a call that is not live (unknown or ended).
   */
  async transcriptOf(callId: string): Promise<CallTranscript | null> {
    const call = this.#calls.get(callId)
    if (call?.owned && !call.ending) {
      return { agentId: call.started.agentId, teamId: call.started.teamId, complaintRisk: call.complaintRisk, messages: transcriptMessages(call.started, call.monitor) }
    }
    const keys = this.#o.keys
    const replies = await this.#redis.multi().get(keys.callState(callId)).lrange(keys.callLog(callId), 0, -1).exec()
    const state = replies?.[0]?.[1] as string | null | undefined
    const log = (replies?.[1]?.[1] as string[] | undefined) ?? []
    if (!state) return null
    const record = JSON.parse(state.slice(state.indexOf('\n') + 1)) as { started: CallStarted; snap: ReturnType<CallMonitor['snapshot']> }
    const monitor = CallMonitor.restore(this.#o.rulebook, record.snap)
    let complaintRisk = record.snap.emitted.some((id) => id.startsWith('complaint_risk:'))
    for (const entry of log) {
      const r = monitor.feed(JSON.parse(entry) as Utterance | CallEnded)
      if (r.findings.some((f) => f.rule === 'complaint_risk')) complaintRisk = true
    }
    if (monitor.ended) return null
    return { agentId: record.started.agentId, teamId: record.started.teamId, complaintRisk, messages: transcriptMessages(record.started, monitor) }
  }

  /** Another instance took the call over: this copy is stale. */
  handover(callId: string): void {
    this.#drop(callId)
  }

  /**
   * Closes calls idle longer than `idleTimeoutMs` (cluster-wide, from the `live` ZSET) as
   * `abandoned`. Any instance may sweep; claims, the job id and the ended marker keep it to one
   * score job and one `ended` update per call. Returns the number of calls closed here.
   */
  async sweepIdle(nowMs: number = Date.now()): Promise<number> {
    for (const [callId, call] of this.#calls) {
      if (!call.owned || call.lastActivityMs < nowMs - 2 * this.#o.config.idleTimeoutMs) this.#drop(callId)
    }
    const idle = await this.#redis.zrangebyscore(this.#o.keys.liveCalls, 0, nowMs - this.#o.config.idleTimeoutMs, 'LIMIT', 0, 500)
    let closed = 0
    for (const callId of idle) {
      const found = await this.#claim(callId)
      if (found === 'ended' || found === 'unknown') {
        await this.#redis.zrem(this.#o.keys.liveCalls, callId)
        await this.#redis.hdel(this.#o.keys.liveCallInfo, callId)
        continue
      }
      if (found.ending) continue
      const done = new Promise<void>((resolve) => {
        const sink: EventSink = {
          ack: () => {},
          error: (e) => {
            this.#o.log.warn({ callId, code: e.code, err: e.message }, 'idle close refused')
            resolve()
          },
          ended: () => resolve(),
        }
        if (found.monitor.ended) {
          found.ending = true
          this.#batch.ends.push({ call: found, report: found.monitor.report(), source: 'idle', sink })
          this.#scheduleFlush()
        } else {
          this.#feed(found, { type: 'call.ended', callId, endMs: found.monitor.lastMs, disposition: 'abandoned' }, sink, process.hrtime.bigint(), 'idle')
        }
      })
      await done
      closed++
    }
    return closed
  }

  /** Stops accepting events and waits for everything handled to be flushed. */
  async close(): Promise<void> {
    await this.settled()
    this.#closed = true
  }
}

/** A live call's transcript so far, with what access checks need. */
export interface CallTranscript {
  agentId: string
  teamId: string
  complaintRisk: boolean
  /** One `transcript` message per line, seq order. */
  messages: TranscriptMessage[]
}

type MonitorLine = NonNullable<FeedResult['line']>

function transcriptMessage(started: CallStarted, line: MonitorLine): TranscriptMessage {
  return {
    type: 'transcript',
    callId: started.callId,
    teamId: started.teamId,
    seq: line.seq,
    speaker: line.speaker,
    text: line.text,
    startMs: line.startMs,
    endMs: line.endMs,
    final: line.final,
    findings: line.findings.map((f) => {
      const out: TranscriptMessage['findings'][number] = { id: f.id, rule: f.rule, severity: f.severity }
      if (f.span !== undefined) out.span = f.span
      if (f.phrase !== undefined) out.phrase = f.phrase
      return out
    }),
  }
}

function transcriptMessages(started: CallStarted, monitor: CallMonitor): TranscriptMessage[] {
  return monitor.transcript().map((line) => transcriptMessage(started, line))
}

function stateValue(version: number, started: CallStarted, monitor: CallMonitor): string {
  return `${version}\n${JSON.stringify({ started, snap: monitor.snapshot() })}`
}
