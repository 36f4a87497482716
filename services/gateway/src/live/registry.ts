/**
 * The live calls of this instance: one engine `CallMonitor` per call in memory, checkpointed to
 * Redis so any instance can continue a call. The pieces:
 * - checkpoint-store.ts: the durable layout in Redis (scripts.ts holds the Lua);
 * - restore.ts: snapshot + replay of the log, when a call moves here or is read from elsewhere;
 * - flush-batch.ts: the window that gathers every call's checkpoint into one round trip;
 * - alerts.ts: where a finding becomes an alert;
 * - messages.ts: pure builders of supervisor messages;
 * - call-end.ts: score job and `ended` update; idle-sweep.ts: abandoned calls.
 *
 * Hot path (an utterance of a call this instance owns): feed the monitor synchronously, queue the
 * checkpoint entry, alerts and supervisor messages into the current batch; one flush per window
 * sends every call's checkpoint (one script run per hash slot group: the whole flush on a single
 * Redis) and one fan-out PUBLISH together, in one round trip. An
 * utterance is acknowledged only after its checkpoint is in Redis, so an acknowledged utterance
 * survives a crash or a move to another instance, and a resend of it is recognised there as a
 * duplicate (the engine's `feed()` says `duplicate: true`).
 *
 * Cold path (first event of a call on this instance, after a reconnect): CLAIM the call in Redis,
 * restore it, tell the previous owner to drop its copy.
 */
import type { Queue } from 'bullmq'
import type { Logger } from 'pino'
import { CallMonitor, CallTooLongError, type FeedResult, type Rulebook } from '@callqa/engine'
import { ErrorCodes, ProtocolError, type CallEnded, type CallEvent, type CallStarted, type TranscriptMessage, type Utterance } from '@callqa/protocol'
import type { RedisConnection, RedisKeys, ScoreJobData, WebhookOutbox } from '@callqa/store'
import type { GatewayConfig } from '../config.js'
import { GatewayErrorCodes } from '../errors.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { GatewayMetrics } from '../metrics.js'
import { Alerts } from './alerts.js'
import { finishCall, type CallEndOptions } from './call-end.js'
import { CheckpointStore, commandStream, encodeState, logEntry, stateVersion, type CheckpointWrite, type WriteOutcome } from './checkpoint-store.js'
import { FlushScheduler, type Batch, type PendingCheckpoint } from './flush-batch.js'
import { sweepIdle } from './idle-sweep.js'
import { callUpdateJson, fanoutItem, transcriptMessage, transcriptMessages } from './messages.js'
import { restoreCall } from './restore.js'
import type { ClaimResult, EndSource, EventSink, HandleOutcome, LiveCall } from './types.js'

export type { EndSource, EventSink, HandleOutcome } from './types.js'

export interface CallRegistryOptions {
  redis: RedisConnection
  keys: RedisKeys
  queue: Queue<ScoreJobData>
  bus: FanoutBus
  rulebook: Rulebook
  config: GatewayConfig
  metrics: GatewayMetrics
  log: Logger
  /** Enqueues `alert.raised` webhooks (no-op without subscribers). */
  outbox?: WebhookOutbox
  /** Wall-clock milliseconds (tests pass their own to step time); default `Date.now`. */
  clock?: () => number
}

/**
 * How long a live call's key TTLs (EXPIRE of its owner, state and log keys) and its activity score
 * in the live index (the ZADD the idle sweep reads) may go unrefreshed while it sends events: 15 s,
 * or an eighth of the idle timeout or of the TTL when either is short (tests). Refreshed on every
 * event they were 5 of a flush's 7 Redis calls per utterance; at one utterance a call every ~3 s
 * they are now paid about once in five. What it costs:
 * - a TTL (default 86,400 s) runs down for at most 15 s longer before it is reset: nothing expires
 *   under a live call (the checkpoint writes themselves, SET and RPUSH, stay in every flush);
 * - the activity score is at most 15 s older than the call's last event, so the sweep looks for
 *   scores older than idle timeout + 15 s: a silent call is closed 120-135 s after its last event
 *   (plus the sweep interval), never before the idle timeout.
 */
export function liveRefreshMs(config: Pick<GatewayConfig, 'idleTimeoutMs' | 'callStateTtlSeconds'>): number {
  return Math.min(15_000, Math.floor(config.idleTimeoutMs / 8), config.callStateTtlSeconds * 125)
}

/** A live call's transcript so far, with what access checks need. */
export interface CallTranscript {
  agentId: string
  teamId: string
  complaintRisk: boolean
  /** One `transcript` message per line, seq order. */
  messages: TranscriptMessage[]
}

export class CallRegistry {
  readonly #o: CallRegistryOptions
  readonly #store: CheckpointStore
  readonly #alerts: Alerts
  readonly #flusher: FlushScheduler
  readonly #endOptions: CallEndOptions
  readonly #calls = new Map<string, LiveCall>()
  readonly #claims = new Map<string, Promise<ClaimResult>>()
  readonly #now: () => number
  readonly #refreshMs: number
  #closed = false

  constructor(options: CallRegistryOptions) {
    this.#o = options
    const { config } = options
    this.#now = options.clock ?? Date.now
    this.#refreshMs = liveRefreshMs(config)
    this.#store = new CheckpointStore({
      redis: options.redis,
      keys: options.keys,
      instanceId: config.instanceId,
      callStateTtlSeconds: config.callStateTtlSeconds,
      endedTtlSeconds: config.endedTtlSeconds,
      alertStreamMax: config.alertStreamMax,
      log: options.log,
    })
    this.#alerts = new Alerts({ metrics: options.metrics, log: options.log, ...(options.outbox ? { outbox: options.outbox } : {}) })
    this.#flusher = new FlushScheduler({
      windowMs: config.flushIntervalMs,
      flush: (batch) => this.#flush(batch),
      onError: (err) => options.log.error({ err: err.message }, 'checkpoint flush failed'),
    })
    this.#endOptions = { queue: options.queue, store: this.#store, bus: options.bus, metrics: options.metrics, log: options.log, drop: (callId) => this.#drop(callId) }
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
  handle(event: CallEvent, sink: EventSink, receivedAtNs: bigint, source: EndSource = 'socket'): HandleOutcome | Promise<HandleOutcome> {
    if (this.#closed) {
      sink.error({ code: GatewayErrorCodes.UNAVAILABLE, message: 'the gateway is shutting down: reconnect and resend', callId: event.callId })
      return 'refused'
    }
    if (event.type === 'call.started') return this.#start(event, sink)
    const call = this.#calls.get(event.callId)
    if (call?.owned) return this.#feed(call, event, sink, receivedAtNs, source)
    return this.#claim(event.callId).then((found) => {
      if (found === 'unknown') {
        sink.error(
          new ProtocolError(ErrorCodes.UNKNOWN_CALL, `call ${event.callId} is not known: send call.started (socket or webhook) before its ${event.type} events`, {
            callId: event.callId,
            ...(event.type === 'utterance' ? { seq: event.seq } : {}),
          }),
        )
        return 'refused'
      }
      if (found === 'ended') return this.#endedError(event, sink)
      return this.#feed(found, event, sink, receivedAtNs, source)
    })
  }

  #endedError(event: Utterance | CallEnded, sink: EventSink): HandleOutcome {
    if (event.type === 'call.ended') {
      // A second end (socket and webhook, or a retry) is expected and harmless: nothing to do.
      sink.ended?.(event.callId, 'queued')
      return 'duplicate'
    }
    sink.error(new ProtocolError(ErrorCodes.CALL_ENDED, `call ${event.callId} has ended; utterance seq ${event.seq} is not checked`, { callId: event.callId, seq: event.seq }))
    return 'refused'
  }

  async #start(started: CallStarted, sink: EventSink): Promise<HandleOutcome> {
    const existing = this.#calls.get(started.callId)
    if (existing?.owned) return 'already-started'
    if (this.#calls.size >= this.#o.config.maxLiveCalls) {
      sink.error(new ProtocolError(ErrorCodes.TOO_MANY_CALLS, `this instance holds ${this.#calls.size} live calls, the limit (CALLQA_MAX_LIVE_CALLS); call ${started.callId} was not started`, { callId: started.callId }))
      return 'refused'
    }
    const monitor = new CallMonitor(this.#o.rulebook, started)
    const now = this.#now()
    const update = callUpdateJson('started', started, monitor, false)
    const outcome = await this.#store.create(started, encodeState(0, started, monitor, false), update, now)
    if (outcome === 'ended') {
      sink.error(new ProtocolError(ErrorCodes.CALL_ENDED, `call ${started.callId} has already ended; a call id cannot be started again`, { callId: started.callId }))
      return 'refused'
    }
    if (outcome === 'exists') return 'already-started'
    this.#calls.set(started.callId, {
      callId: started.callId,
      started,
      monitor,
      version: 0,
      snapVersion: 0,
      owned: true,
      textChars: 0,
      lastActivityMs: now,
      lastRefreshMs: now,
      complaintRisk: false,
      lastLiveUpdateMs: now,
      ending: false,
    })
    this.#o.metrics.liveCalls.set(this.#calls.size)
    this.#o.metrics.events.inc({ type: 'call.started' })
    this.#o.log.info({ callId: started.callId, agentId: started.agentId, teamId: started.teamId }, 'call started')
    this.#o.bus.publish([fanoutItem('call', started, false, '', update)])
    return 'started'
  }

  #claim(callId: string): Promise<ClaimResult> {
    let pending = this.#claims.get(callId)
    if (!pending) {
      pending = this.#doClaim(callId).finally(() => this.#claims.delete(callId))
      this.#claims.set(callId, pending)
    }
    return pending
  }

  async #doClaim(callId: string): Promise<ClaimResult> {
    const me = this.#o.config.instanceId
    const reply = await this.#store.claim(callId)
    if (reply.kind !== 'ok') {
      this.#drop(callId)
      return reply.kind
    }
    if (reply.previousOwner && reply.previousOwner !== me) {
      this.#o.log.info({ callId, previousOwner: reply.previousOwner }, 'call taken over from another instance')
      this.#o.bus.publish([{ kind: 'handover', callId, agentId: '-', teamId: '-', complaintRisk: false, key: me, json: '' }])
    }
    const existing = this.#calls.get(callId)
    if (existing && existing.version === stateVersion(reply.state) + reply.log.length && !existing.ending) {
      existing.owned = true
      existing.lastRefreshMs = 0
      return existing
    }
    const restored = restoreCall(this.#o.rulebook, reply.state, reply.log)
    const call: LiveCall = { callId, ...restored, owned: true, lastActivityMs: this.#now(), lastRefreshMs: 0, lastLiveUpdateMs: 0, ending: false }
    this.#calls.set(callId, call)
    this.#o.metrics.liveCalls.set(this.#calls.size)
    return call
  }

  #feed(call: LiveCall, event: Utterance | CallEnded, sink: EventSink, receivedAtNs: bigint, source: EndSource): HandleOutcome {
    if (call.ending) return this.#endedError(event, sink)
    const maxChars = this.#o.config.maxCallTextChars
    if (event.type === 'utterance' && call.textChars + event.text.length > maxChars) {
      // The bound on what one call costs in memory, in Redis and per checkpoint, whatever it sends.
      sink.error({
        code: GatewayErrorCodes.CALL_TOO_LONG,
        message: `call ${call.callId} has sent ${call.textChars} characters of text; utterance seq ${event.seq} (${event.text.length} characters) would pass the limit of ${maxChars} (CALLQA_MAX_CALL_TEXT_CHARS) and is not checked: end the call`,
        callId: call.callId,
        seq: event.seq,
      })
      return 'refused'
    }
    let r: FeedResult
    try {
      r = call.monitor.feed(event)
    } catch (err) {
      if (err instanceof ProtocolError) {
        sink.error(err)
        return 'refused'
      }
      if (err instanceof CallTooLongError) {
        sink.error({ code: GatewayErrorCodes.CALL_TOO_LONG, message: err.message, callId: call.callId, seq: err.seq })
        return 'refused'
      }
      this.#o.log.error({ callId: call.callId, err: (err as Error).message }, 'engine failed on an event')
      sink.error({
        code: ErrorCodes.INVALID_EVENT,
        message: `the engine could not check this ${event.type}: ${(err as Error).message}`,
        callId: call.callId,
        ...(event.type === 'utterance' ? { seq: event.seq } : {}),
      })
      return 'refused'
    }
    const now = this.#now()
    call.lastActivityMs = now
    const batch = this.#flusher.current
    if (r.duplicate) {
      if (event.type === 'utterance') {
        batch.acks.push({ sink, callId: call.callId, seq: event.seq })
      } else {
        // The end is in the restored log but was never queued (the instance stopped in between): queue it now.
        call.ending = true
        batch.ends.push({ call, report: call.monitor.report(), source, sink })
      }
      this.#flusher.schedule()
      return 'duplicate'
    }
    // Counted into the metrics once per flush (#flush): a labelled prom-client inc per event cost
    // more than the rest of this bookkeeping.
    if (event.type === 'utterance') {
      batch.utterances++
      call.textChars += event.text.length
    } else {
      batch.callEnds++
    }
    call.version++
    const pending = batch.checkpointOf(call)
    pending.log.push(logEntry(event))
    const fanoutFrom = batch.fanout.length
    this.#alerts.raise(call, r.findings, now, receivedAtNs, pending, batch.fanout)
    this.#alerts.retract(call, r.retracted, receivedAtNs, pending, batch.fanout)
    if (r.line && this.#o.bus.wantsTranscript(call.callId)) {
      batch.fanout.push(fanoutItem('transcript', call.started, call.complaintRisk, '', JSON.stringify(transcriptMessage(call.started, r.line))))
    }
    if (!r.ended && (r.findings.length > 0 || now - call.lastLiveUpdateMs >= this.#o.config.liveUpdateIntervalMs)) {
      call.lastLiveUpdateMs = now
      pending.info = callUpdateJson('live', call.started, call.monitor, call.complaintRisk)
      batch.fanout.push(fanoutItem('call', call.started, call.complaintRisk, '', pending.info))
    }
    if (batch.fanout.length > fanoutFrom) this.#o.bus.deliverLocal(batch.fanout.slice(fanoutFrom))
    if (event.type === 'utterance') batch.acks.push({ sink, callId: call.callId, seq: event.seq })
    if (r.ended) {
      call.ending = true
      batch.ends.push({ call, report: call.monitor.report(), source, sink })
    }
    this.#flusher.schedule()
    return 'accepted'
  }

  /** Resolves when everything handled so far is checkpointed, acknowledged and (for ends) queued. */
  settled(): Promise<void> {
    return this.#flusher.settled()
  }

  /**
   * What one call writes in this flush: the new log entries, or a full snapshot once the log is as
   * long as the call was at its last snapshot (and at least `snapshotEveryEvents`). Snapshots thus
   * come at 40, 80, 160, 320… events: together they write less than twice the call, so checkpoint
   * cost stays proportional to what changed however long the call is (a snapshot every 40 events
   * made it grow with the square of the call), and a restore replays at most half of the call.
   */
  #checkpointWrite(pending: PendingCheckpoint, bytes: { snapshot: number; log: number }, nowMs: number): CheckpointWrite {
    const call = pending.call
    // TTLs and activity score: at most every #refreshMs (see liveRefreshMs). A claimed call starts
    // at 0, so its first flush here refreshes.
    const refresh = nowMs - call.lastRefreshMs >= this.#refreshMs
    if (refresh) call.lastRefreshMs = nowMs
    const snapshotNow = call.version - call.snapVersion >= Math.max(this.#o.config.snapshotEveryEvents, call.snapVersion)
    let state = ''
    if (snapshotNow) {
      call.snapVersion = call.version
      state = encodeState(call.version, call.started, call.monitor, call.complaintRisk)
      bytes.snapshot += state.length
    } else {
      for (const entry of pending.log) bytes.log += entry.length
    }
    return {
      callId: call.callId,
      state,
      log: pending.log,
      info: pending.info,
      refresh,
      alerts: pending.alerts,
      alertJson: pending.alertJson,
      retractions: pending.retractions.map((message) => ({ message, teamId: call.started.teamId, agentId: call.started.agentId, complaintRisk: call.complaintRisk })),
    }
  }

  async #flush(batch: Batch): Promise<void> {
    const metrics = this.#o.metrics
    if (batch.utterances > 0) {
      metrics.utterances.inc(batch.utterances)
      metrics.events.inc({ type: 'utterance' }, batch.utterances)
    }
    if (batch.callEnds > 0) metrics.events.inc({ type: 'call.ended' }, batch.callEnds)
    const order = [...batch.checkpoints.values()]
    const bytes = { snapshot: 0, log: 0 }
    // Every command of the flush (checkpoint, live index, alerts, fan-out PUBLISH) leaves in one
    // socket write: ioredis writes each command as it is issued, a syscall each otherwise.
    const stream = commandStream(this.#o.redis)
    stream?.cork()
    let writing: Promise<WriteOutcome[]>
    let publishing: Promise<void>
    try {
      const now = this.#now()
      try {
        writing = this.#store.writeBatch(order.map((p) => this.#checkpointWrite(p, bytes, now)), now)
      } catch (err) {
        // Whatever stops the write, every utterance of the batch is still answered (with an error,
        // below): a flush that threw would leave its acks unsent for good.
        writing = Promise.reject(err as Error)
      }
      // Local supervisors got these as they were raised (#feed); the other instances get them now.
      publishing = this.#o.bus.publishRemote(batch.fanout)
    } finally {
      stream?.uncork()
    }
    writing = writing.catch((err: Error) => order.map(() => err))
    if (bytes.snapshot > 0) metrics.checkpointBytes.inc({ part: 'snapshot' }, bytes.snapshot)
    if (bytes.log > 0) metrics.checkpointBytes.inc({ part: 'log' }, bytes.log)
    const failed = new Map<string, string>()
    if (order.length > 0 || batch.fanout.length > 0) {
      const stop = this.#o.metrics.flushSeconds.startTimer()
      const [outcomes] = await Promise.all([writing, publishing])
      stop()
      order.forEach((pending, i) => {
        const outcome = outcomes[i]!
        if (outcome instanceof Error) {
          failed.set(pending.call.callId, `${GatewayErrorCodes.UNAVAILABLE}\tthe checkpoint could not be written (${outcome.message}): resend after reconnecting`)
        } else if (outcome !== 'written') {
          failed.set(pending.call.callId, `${GatewayErrorCodes.CALL_MOVED}\tcall ${pending.call.callId} continues on another connection (it was taken over there): resend this utterance on that connection`)
        }
      })
      for (const callId of failed.keys()) this.#drop(callId)
      if (failed.size > 0) {
        const firstError = outcomes.find((outcome): outcome is Error => outcome instanceof Error)
        this.#o.log.warn({ calls: [...failed.keys()].slice(0, 20), count: failed.size, ...(firstError ? { err: firstError.message } : {}) }, 'checkpoint refused or failed; those calls were dropped from memory')
      }
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
    for (const pending of order) if (!failed.has(pending.call.callId)) this.#alerts.stored(pending.alerts, pending.retractions)
    const ends: Promise<void>[] = []
    for (const end of batch.ends) {
      if (failed.has(end.call.callId)) {
        end.sink.ended?.(end.call.callId, 'failed')
        continue
      }
      ends.push(finishCall(end, this.#endOptions))
    }
    await Promise.all(ends)
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
   * Redis checkpoint replayed into a throwaway monitor, without claiming the call. Null for a call
   * that is not live (unknown or ended).
   */
  async transcriptOf(callId: string): Promise<CallTranscript | null> {
    const call = this.#calls.get(callId)
    if (call?.owned && !call.ending) {
      return { agentId: call.started.agentId, teamId: call.started.teamId, complaintRisk: call.complaintRisk, messages: transcriptMessages(call.started, call.monitor) }
    }
    const stored = await this.#store.read(callId)
    if (!stored) return null
    const restored = restoreCall(this.#o.rulebook, stored.state, stored.log)
    if (restored.monitor.ended) return null
    return { agentId: restored.started.agentId, teamId: restored.started.teamId, complaintRisk: restored.complaintRisk, messages: transcriptMessages(restored.started, restored.monitor) }
  }

  /** Another instance took the call over: this copy is stale. */
  handover(callId: string): void {
    this.#drop(callId)
  }

  /** Closes calls idle longer than `idleTimeoutMs` as `abandoned`; returns the number closed here. */
  sweepIdle(nowMs: number = this.#now()): Promise<number> {
    const target = {
      dropStale: (olderThanMs: number) => {
        for (const [callId, call] of this.#calls) if (!call.owned || call.lastActivityMs < olderThanMs) this.#drop(callId)
      },
      claim: (callId: string) => this.#claim(callId),
      endIdle: (call: LiveCall, sink: EventSink) => {
        if (call.monitor.ended) {
          call.ending = true
          this.#flusher.current.ends.push({ call, report: call.monitor.report(), source: 'idle', sink })
          this.#flusher.schedule()
        } else {
          this.#feed(call, { type: 'call.ended', callId: call.callId, endMs: call.monitor.lastMs, disposition: 'abandoned' }, sink, process.hrtime.bigint(), 'idle')
        }
      },
    }
    return sweepIdle(target, this.#store, this.#o.log, this.#o.config.idleTimeoutMs, this.#refreshMs, nowMs)
  }

  /** Stops accepting events and waits for everything handled to be flushed. */
  async close(): Promise<void> {
    await this.settled()
    this.#closed = true
  }
}
