/**
 * Call end: queue the score job (jobId = callId: one job per call however often the end arrives),
 * mark the call ended in Redis, and tell supervisors its score, once.
 */
import type { Queue } from 'bullmq'
import type { Logger } from 'pino'
import { SCORE_JOB_OPTIONS, scoreJobId, type ScoreJobData } from '@callqa/store'
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
  /** The call leaves this table once its end is queued (or has failed). */
  calls: LiveCalls
}

/** Runs after the checkpoint holding the end is in Redis; never throws (the outcome goes to the sink). */
export async function finishCall(end: PendingEnd, o: CallEndOptions): Promise<void> {
  const { call, report, source } = end
  try {
    await o.queue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(call.callId) })
    const first = await o.store.finalize(call.callId)
    o.calls.drop(call.callId)
    if (first) {
      o.metrics.callsEnded.inc({ disposition: report.disposition, source })
      o.log.info({ callId: call.callId, score: report.score, disposition: report.disposition, source }, 'call ended, score job queued')
      const message = callEndedMessage(call.started, call.monitor, call.complaintRisk, report)
      o.bus.publish([fanoutItem('call', call.started, message.complaintRisk === true, '', JSON.stringify(message))])
    }
    end.sink.ended?.(call.callId, 'queued')
  } catch (err) {
    // The checkpoint (with the end in its log) is still in Redis: the idle sweep finishes the call.
    o.log.error({ callId: call.callId, err: (err as Error).message }, 'call end not queued; the idle sweep will retry')
    o.calls.drop(call.callId)
    end.sink.ended?.(call.callId, 'failed')
  }
}
