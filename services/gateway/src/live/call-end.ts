/**
 * Call end: queue the score jobs (jobId = callId: one job per call however often the end arrives),
 * mark the calls ended in Redis, and tell supervisors their scores, once. The ends of one flush
 * are finished together: one BullMQ `addBulk` (one round trip for every job), the finalize runs
 * sent in one socket write, one live-index run for all of them and one fan-out publish. Finished
 * one by one, a burst of ends (a shift changing over, or every call of a ramp ending in the same
 * seconds) cost three round trips and four socket writes a call, and the alerts of the calls still
 * live waited behind them.
 */
import type { Queue } from 'bullmq'
import type { Logger } from 'pino'
import { SCORE_JOB_OPTIONS, scoreJobId, type ScoreJobData } from '@callqa/store'
import type { FanoutItem } from '../fanout/wire.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { GatewayMetrics } from '../metrics.js'
import type { CheckpointStore } from './checkpoint-store.js'
import type { PendingEnd } from './flush-batch.js'
import type { LiveCalls } from './live-calls.js'
import { callEndedMessage, fanoutItem } from './messages.js'

export interface CallEndOptions {
  queue: Queue<ScoreJobData>
  store: CheckpointStore
  bus: FanoutBus
  metrics: GatewayMetrics
  log: Logger
  /** A call leaves this table once its end is queued (or has failed). */
  calls: LiveCalls
}

/**
 * Runs after the checkpoints holding the ends are in Redis; never throws (each outcome goes to its
 * sink). A failure leaves the checkpoint, with the end in its log, in Redis: the idle sweep
 * finishes those calls (a job already queued is not queued twice: same jobId).
 */
export async function finishCalls(ends: readonly PendingEnd[], o: CallEndOptions): Promise<void> {
  if (ends.length === 0) return
  let firsts: boolean[]
  try {
    await o.queue.addBulk(ends.map(({ call, report }) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(call.callId) } })))
    firsts = await o.store.finalizeMany(ends.map((end) => end.call.callId))
  } catch (err) {
    o.log.error({ calls: ends.slice(0, 20).map((end) => end.call.callId), count: ends.length, err: (err as Error).message }, 'call ends not queued; the idle sweep will retry')
    for (const end of ends) {
      o.calls.drop(end.call.callId)
      end.sink.ended?.(end.call.callId, 'failed')
    }
    return
  }
  const messages: FanoutItem[] = []
  ends.forEach((end, i) => {
    const { call, report, source } = end
    o.calls.drop(call.callId)
    if (firsts[i]) {
      o.metrics.callsEnded.inc({ disposition: report.disposition, source })
      o.log.info({ callId: call.callId, score: report.score, disposition: report.disposition, source }, 'call ended, score job queued')
      const message = callEndedMessage(call.started, call.monitor, call.complaintRisk, report)
      messages.push(fanoutItem('call', call.started, message.complaintRisk === true, '', JSON.stringify(message)))
    }
  })
  o.bus.publish(messages)
  for (const end of ends) end.sink.ended?.(end.call.callId, 'queued')
}
