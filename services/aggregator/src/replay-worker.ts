/**
 * Rulebook replays (`callqa replay`) as BullMQ jobs on a queue of their own (`replay`), one at a
 * time per worker process: a replay re-checks a month of transcripts, so it must never sit in
 * front of the score queue of live calls. Progress is the job's progress ({ done } calls).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { parseRulebook, RulebookError } from '@callqa/engine'
import { replayStoredCalls } from '@callqa/review/pg'
import type { ReplaySummary } from '@callqa/review'
import type { RedisConnection, ReportStore } from '@callqa/store'

export const REPLAY_QUEUE = 'replay'

export interface ReplayJobData {
  /** The candidate rulebook's YAML text and its file name (for error messages). */
  rulebookYaml: string
  rulebookName: string
  fromMs: number
  toMs: number
  teamIds?: string[]
}

export function createReplayProcessor(store: ReportStore) {
  return async function processReplayJob(job: Job<ReplayJobData>): Promise<ReplaySummary> {
    let candidate
    try {
      candidate = parseRulebook(job.data.rulebookYaml, job.data.rulebookName)
    } catch (err) {
      if (err instanceof RulebookError) throw new UnrecoverableError(`${err.code}: ${err.message}`)
      throw err
    }
    return replayStoredCalls(store, candidate, job.data, (p) => job.updateProgress(p))
  }
}

export function startReplayWorker(options: { connection: RedisConnection; prefix: string; store: ReportStore; concurrency?: number }): Worker<ReplayJobData, ReplaySummary> {
  return new Worker<ReplayJobData, ReplaySummary>(REPLAY_QUEUE, createReplayProcessor(options.store), {
    connection: options.connection,
    prefix: options.prefix,
    // One replay at a time: it is CPU-bound engine work on a shared machine.
    concurrency: options.concurrency ?? 1,
    lockDuration: 120_000,
  })
}
