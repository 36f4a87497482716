/**
 * The flush: what one batch (flush-batch.ts) becomes once its window closes. Every call's
 * checkpoint write (log entries, or a snapshot), the live-index and alert runs and the fan-out
 * PUBLISH leave together in one socket write (checkpoint-store.ts); once Redis has answered, each
 * utterance is acknowledged (or answered with a coded error when its checkpoint was refused or
 * failed, and its call dropped from memory), the alerts' webhooks go out, and the ends of the batch
 * are finished (call-end.ts). Nothing is acknowledged before its checkpoint is in Redis.
 */
import type { Logger } from 'pino'
import type { RedisConnection } from '@callqa/store'
import type { GatewayConfig } from '../config.js'
import { GatewayErrorCodes } from '../errors.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { GatewayMetrics } from '../metrics.js'
import type { Alerts } from './alerts.js'
import { finishCalls, type CallEndOptions } from './call-end.js'
import { commandStream, encodeState, type CheckpointStore, type CheckpointWrite, type WriteOutcome } from './checkpoint-store.js'
import type { Batch, PendingCheckpoint, PendingEnd } from './flush-batch.js'
import type { LiveCalls } from './live-calls.js'

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

export interface FlushOptions extends CallEndOptions {
  redis: RedisConnection
  store: CheckpointStore
  calls: LiveCalls
  alerts: Alerts
  bus: FanoutBus
  config: Pick<GatewayConfig, 'snapshotEveryEvents' | 'idleTimeoutMs' | 'callStateTtlSeconds'>
  metrics: GatewayMetrics
  log: Logger
  now: () => number
}

export class CheckpointFlush {
  readonly #o: FlushOptions
  readonly #refreshMs: number

  constructor(options: FlushOptions) {
    this.#o = options
    this.#refreshMs = liveRefreshMs(options.config)
  }

  /** Writes the batch, then answers every event of it; never throws for one call's failure. */
  async run(batch: Batch): Promise<void> {
    const { metrics } = this.#o
    if (batch.utterances > 0) {
      metrics.utterances.inc(batch.utterances)
      metrics.events.inc({ type: 'utterance' }, batch.utterances)
    }
    if (batch.callEnds > 0) metrics.events.inc({ type: 'call.ended' }, batch.callEnds)
    const order = [...batch.checkpoints.values()]
    const bytes = { snapshot: 0, log: 0 }
    // Every command of the flush (checkpoint, live index, alerts, fan-out PUBLISH) leaves in one
    // socket write: ioredis writes each command as it is issued, a syscall each otherwise.
    this.#o.store.releaseTurn()
    const stream = commandStream(this.#o.redis)
    stream?.cork()
    let writing: Promise<WriteOutcome[]>
    let publishing: Promise<void>
    try {
      const now = this.#o.now()
      try {
        writing = this.#o.store.writeBatch(
          order.map((p) => this.#write(p, bytes, now)),
          now,
        )
      } catch (err) {
        // Whatever stops the write, every utterance of the batch is still answered (with an error,
        // below): a flush that threw would leave its acks unsent for good.
        writing = Promise.reject(err as Error)
      }
      // Local supervisors got these as they were raised (feed.ts); the other instances get them now.
      publishing = this.#o.bus.publishRemote(batch.fanout)
    } finally {
      stream?.uncork()
    }
    writing = writing.catch((err: Error) => order.map(() => err))
    if (bytes.snapshot > 0) metrics.checkpointBytes.inc({ part: 'snapshot' }, bytes.snapshot)
    if (bytes.log > 0) metrics.checkpointBytes.inc({ part: 'log' }, bytes.log)
    const failed = order.length > 0 || batch.fanout.length > 0 ? await this.#outcomes(order, writing, publishing) : new Map<string, string>()
    for (const ack of batch.acks) {
      const failure = failed.get(ack.callId)
      if (failure === undefined) {
        ack.sink.ack(ack.callId, ack.seq)
      } else {
        const [code, message] = failure.split('\t') as [string, string]
        ack.sink.error({ code, message, callId: ack.callId, seq: ack.seq })
      }
    }
    for (const pending of order) if (!failed.has(pending.call.callId)) this.#o.alerts.stored(pending.alerts, pending.retractions)
    const ends: PendingEnd[] = []
    for (const end of batch.ends) {
      if (failed.has(end.call.callId)) end.sink.ended?.(end.call.callId, 'failed')
      else ends.push(end)
    }
    await finishCalls(ends, this.#o)
  }

  /** Waits for the writes; drops each call whose checkpoint was refused or failed, and says why (`code\tmessage`). */
  async #outcomes(order: readonly PendingCheckpoint[], writing: Promise<WriteOutcome[]>, publishing: Promise<void>): Promise<Map<string, string>> {
    const stop = this.#o.metrics.flushSeconds.startTimer()
    const [outcomes] = await Promise.all([writing, publishing])
    stop()
    const failed = new Map<string, string>()
    order.forEach((pending, i) => {
      const outcome = outcomes[i]!
      if (outcome instanceof Error) {
        failed.set(pending.call.callId, `${GatewayErrorCodes.UNAVAILABLE}\tthe checkpoint could not be written (${outcome.message}): resend after reconnecting`)
      } else if (outcome !== 'written') {
        failed.set(pending.call.callId, `${GatewayErrorCodes.CALL_MOVED}\tcall ${pending.call.callId} continues on another connection (it was taken over there): resend this utterance on that connection`)
      }
    })
    for (const callId of failed.keys()) this.#o.calls.drop(callId)
    if (failed.size > 0) {
      const firstError = outcomes.find((outcome): outcome is Error => outcome instanceof Error)
      this.#o.log.warn({ calls: [...failed.keys()].slice(0, 20), count: failed.size, ...(firstError ? { err: firstError.message } : {}) }, 'checkpoint refused or failed; those calls were dropped from memory')
    }
    return failed
  }

  /**
   * What one call writes in this flush: the new log entries, or a full snapshot once the log is as
   * long as the call was at its last snapshot (and at least `snapshotEveryEvents`). Snapshots thus
   * come at 40, 80, 160, 320… events: together they write less than twice the call, so checkpoint
   * cost stays proportional to what changed however long the call is (a snapshot every 40 events
   * made it grow with the square of the call), and a restore replays at most half of the call.
   */
  #write(pending: PendingCheckpoint, bytes: { snapshot: number; log: number }, nowMs: number): CheckpointWrite {
    const call = pending.call
    // TTLs and activity score: at most every #refreshMs (liveRefreshMs). A claimed call starts at
    // 0, so its first flush here refreshes.
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
}
