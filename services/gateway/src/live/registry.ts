/**
 * The live calls of this instance: one engine `CallMonitor` per call in memory, checkpointed to
 * Redis so any instance can continue a call. This module only routes: `handle()` sends each event
 * down one of three paths and returns what became of it (types.ts `HandleOutcome`).
 *
 * - Cold path, arrival.ts: a `call.started` (create in Redis, hold here), or an event of a call
 *   this instance does not hold (CLAIM it in Redis, restore it: restore.ts, tell the previous owner
 *   to drop its copy). It waits for Redis, so `handle()` returns a promise only then.
 * - Hot path, feed.ts: an utterance or end of a call held here, synchronously: feed the monitor,
 *   put the checkpoint entry, alerts (alerts.ts) and supervisor messages (messages.ts) into the
 *   current batch (flush-batch.ts), deliver the messages to local supervisor sockets at once.
 * - Flush, flush.ts: once per window (`CALLQA_FLUSH_INTERVAL_MS`) the batch becomes one round trip
 *   of checkpoint writes (checkpoint-store.ts, Lua in scripts.ts) and the fan-out PUBLISH; then
 *   the acks, the alerts' webhooks and the call ends (call-end.ts). An utterance is acknowledged
 *   only after its checkpoint is in Redis, so an acknowledged utterance survives a crash or a move
 *   to another instance, and a resend of it is recognised there as a duplicate (the engine's
 *   `feed()` says `duplicate: true`).
 *
 * live-calls.ts is the table of calls the paths share; idle-sweep.ts closes abandoned calls.
 */
import type { Queue } from 'bullmq'
import type { Logger } from 'pino'
import type { Rulebook } from '@callqa/engine'
import { ErrorCodes, ProtocolError, type CallEvent, type TranscriptMessage } from '@callqa/protocol'
import type { RedisConnection, RedisKeys, ScoreJobData, WebhookOutbox } from '@callqa/store'
import type { GatewayConfig } from '../config.js'
import { GatewayErrorCodes } from '../errors.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { GatewayMetrics } from '../metrics.js'
import { Alerts } from './alerts.js'
import { Arrivals } from './arrival.js'
import { CheckpointStore } from './checkpoint-store.js'
import { HotPath, refuseEnded } from './feed.js'
import { CheckpointFlush, liveRefreshMs } from './flush.js'
import { FlushScheduler } from './flush-batch.js'
import { sweepIdle, type SweepOptions } from './idle-sweep.js'
import { LiveCalls } from './live-calls.js'
import { transcriptMessages } from './messages.js'
import { restoreCall } from './restore.js'
import type { EndSource, EventSink, HandleOutcome } from './types.js'

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

/** A live call's transcript so far, with what access checks need. */
export interface CallTranscript {
  agentId: string
  teamId: string
  complaintRisk: boolean
  /** One `transcript` message per line, seq order. */
  messages: TranscriptMessage[]
}

export class CallRegistry {
  readonly #rulebook: Rulebook
  readonly #store: CheckpointStore
  readonly #calls: LiveCalls
  readonly #arrivals: Arrivals
  readonly #hotPath: HotPath
  readonly #flusher: FlushScheduler
  readonly #sweep: SweepOptions
  readonly #now: () => number
  #closed = false

  constructor(options: CallRegistryOptions) {
    const { config, metrics, log, bus, redis, rulebook } = options
    const now = options.clock ?? Date.now
    this.#now = now
    this.#rulebook = rulebook
    const store = new CheckpointStore({
      redis,
      keys: options.keys,
      instanceId: config.instanceId,
      callStateTtlSeconds: config.callStateTtlSeconds,
      endedTtlSeconds: config.endedTtlSeconds,
      alertStreamMax: config.alertStreamMax,
      log,
    })
    this.#store = store
    const calls = new LiveCalls(metrics.liveCalls)
    this.#calls = calls
    const alerts = new Alerts({ metrics, log, ...(options.outbox ? { outbox: options.outbox } : {}) })
    const flush = new CheckpointFlush({ redis, store, calls, alerts, bus, queue: options.queue, config, metrics, log, now })
    this.#flusher = new FlushScheduler({
      windowMs: config.flushIntervalMs,
      flush: (batch) => flush.run(batch),
      onError: (err) => log.error({ err: err.message }, 'checkpoint flush failed'),
    })
    this.#arrivals = new Arrivals({ calls, store, bus, rulebook, config, metrics, log, now })
    this.#hotPath = new HotPath({ flusher: this.#flusher, alerts, bus, config, log, now })
    this.#sweep = { calls, arrivals: this.#arrivals, hotPath: this.#hotPath, store, log, idleTimeoutMs: config.idleTimeoutMs, scoreLagMs: liveRefreshMs(config) }
  }

  get size(): number {
    return this.#calls.size
  }

  /** Whether this instance holds the call live in memory. */
  isLive(callId: string): boolean {
    return this.#calls.isLive(callId)
  }

  /**
   * Handles one validated event. Returns a promise only when the event needs Redis first (a new
   * call, or a call this instance does not hold): callers that must keep a connection's order
   * await it; the hot path stays synchronous.
   */
  handle(event: CallEvent, sink: EventSink, receivedAtNs: bigint, source: EndSource = 'socket'): HandleOutcome | Promise<HandleOutcome> {
    if (this.#closed) {
      sink.error({ code: GatewayErrorCodes.UNAVAILABLE, message: 'the gateway is shutting down: reconnect and resend', callId: event.callId })
      return 'refused'
    }
    if (event.type === 'call.started') return this.#arrivals.start(event, sink)
    const call = this.#calls.get(event.callId)
    if (call?.owned) return this.#hotPath.feed(call, event, sink, receivedAtNs, source)
    return this.#arrivals.claim(event.callId).then((found) => {
      if (found === 'ended') return refuseEnded(event, sink)
      if (found !== 'unknown') return this.#hotPath.feed(found, event, sink, receivedAtNs, source)
      sink.error(
        new ProtocolError(ErrorCodes.UNKNOWN_CALL, `call ${event.callId} is not known: send call.started (socket or webhook) before its ${event.type} events`, {
          callId: event.callId,
          ...(event.type === 'utterance' ? { seq: event.seq } : {}),
        }),
      )
      return 'refused'
    })
  }

  /** Resolves when everything handled so far is checkpointed, acknowledged and (for ends) queued. */
  settled(): Promise<void> {
    return this.#flusher.settled()
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
    const restored = restoreCall(this.#rulebook, stored.state, stored.log)
    if (restored.monitor.ended) return null
    return { agentId: restored.started.agentId, teamId: restored.started.teamId, complaintRisk: restored.complaintRisk, messages: transcriptMessages(restored.started, restored.monitor) }
  }

  /** Another instance took the call over: this copy is stale. */
  handover(callId: string): void {
    this.#calls.drop(callId)
  }

  /** Closes calls idle longer than `idleTimeoutMs` as `abandoned`; returns the number closed here. */
  sweepIdle(nowMs: number = this.#now()): Promise<number> {
    return sweepIdle(this.#sweep, nowMs)
  }

  /** Stops accepting events and waits for everything handled to be flushed. */
  async close(): Promise<void> {
    await this.settled()
    this.#closed = true
  }
}
