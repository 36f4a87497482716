/**
 * Rulebook replays (`callqa replay`) as BullMQ jobs on a queue of their own (`replay`), apart from
 * the score queue of live calls. A replay is a flow (`addReplayFlow`): one `chunk` job per day of
 * the range (each re-checks its calls and returns its tally's state) under a `merge` job that
 * adds the chunks up once all are done. Every worker process takes chunks, so N processes
 * replay a month about N times as fast (on N cores); the caller sums the chunks' progress
 * ({ done } calls each). A plain `replay` job (the whole range in one job) is still taken.
 */
import { createHash } from 'node:crypto'
import { FlowProducer, UnrecoverableError, Worker, type Job, type JobNode } from 'bullmq'
import { parseRulebook, RulebookError, type Rulebook } from '@callqa/engine'
import { replayRange } from '@callqa/review/pg'
import { ReplayTally, replayChunks, type ReplaySummary, type ReplayTallyState } from '@callqa/review'
import type { RedisConnection, ReportStore } from '@callqa/store'

export const REPLAY_QUEUE = 'replay'
/** One day per chunk: a month is 30 jobs for the workers to share. */
export const DEFAULT_REPLAY_CHUNK_MS = 86_400_000

export interface ReplayJobData {
  /** The candidate rulebook's YAML text and its file name (for error messages). */
  rulebookYaml: string
  rulebookName: string
  fromMs: number
  toMs: number
  teamIds?: string[]
}

/** Job names on the replay queue. */
export const REPLAY_JOBS = { whole: 'replay', chunk: 'chunk', merge: 'merge' } as const

/** The last candidates parsed here, by YAML hash: every chunk of a replay carries the same one. */
const parsed = new Map<string, Rulebook>()
function candidateOf(data: ReplayJobData): Rulebook {
  const key = createHash('sha256').update(data.rulebookYaml).digest('hex')
  let rulebook = parsed.get(key)
  if (!rulebook) {
    try {
      rulebook = parseRulebook(data.rulebookYaml, data.rulebookName)
    } catch (err) {
      if (err instanceof RulebookError) throw new UnrecoverableError(`${err.code}: ${err.message}`)
      throw err
    }
    if (parsed.size >= 4) parsed.delete(parsed.keys().next().value!)
    parsed.set(key, rulebook)
  }
  return rulebook
}

/** What a chunk job returns: its tally and where its range starts. */
export interface ChunkResult extends ReplayTallyState {
  fromMs: number
}

export function createReplayProcessor(store: ReportStore) {
  return async function processReplayJob(job: Job<ReplayJobData>): Promise<ReplaySummary | ChunkResult> {
    switch (job.name) {
      case REPLAY_JOBS.merge: {
        // In time order, so the examples are the range's first ones, as a replay in one job picks them.
        const chunks = Object.values(await job.getChildrenValues<ChunkResult>()).sort((a, b) => a.fromMs - b.fromMs)
        const tally = new ReplayTally()
        for (const chunk of chunks) tally.merge(chunk)
        return tally.summary()
      }
      case REPLAY_JOBS.chunk: {
        const state = await replayRange(store, candidateOf(job.data), job.data, (p) => job.updateProgress(p))
        return { ...state, fromMs: job.data.fromMs } satisfies ChunkResult
      }
      default:
        return new ReplayTally().merge(await replayRange(store, candidateOf(job.data), job.data, (p) => job.updateProgress(p))).summary()
    }
  }
}

export function startReplayWorker(options: { connection: RedisConnection; prefix: string; store: ReportStore; concurrency?: number }): Worker<ReplayJobData, ReplaySummary | ChunkResult> {
  return new Worker<ReplayJobData, ReplaySummary | ChunkResult>(REPLAY_QUEUE, createReplayProcessor(options.store), {
    connection: options.connection,
    prefix: options.prefix,
    // Engine work is CPU-bound: one chunk at a time per process; more processes, more chunks at once.
    concurrency: options.concurrency ?? 1,
    lockDuration: 120_000,
  })
}

/**
 * Queues a replay as a flow: a `merge` job whose children are the range's chunks. Its result is
 * the ReplaySummary; the children's ids are for summing progress.
 */
export async function addReplayFlow(
  connection: RedisConnection,
  prefix: string,
  data: ReplayJobData,
  options: { chunkMs?: number; removeAfterSeconds?: number } = {},
): Promise<{ merge: Job; chunkIds: string[] }> {
  const keep = { age: options.removeAfterSeconds ?? 86_400 }
  const flow = new FlowProducer({ connection, prefix })
  try {
    const node: JobNode = await flow.add({
      name: REPLAY_JOBS.merge,
      queueName: REPLAY_QUEUE,
      data: { ...data, rulebookYaml: '' },
      opts: { removeOnComplete: keep, removeOnFail: keep },
      children: replayChunks(data.fromMs, data.toMs, options.chunkMs ?? DEFAULT_REPLAY_CHUNK_MS).map((chunk) => ({
        name: REPLAY_JOBS.chunk,
        queueName: REPLAY_QUEUE,
        data: { ...data, ...chunk },
        // A failed chunk fails the replay (its merge would be wrong without it).
        opts: { attempts: 2, removeOnComplete: keep, removeOnFail: keep, failParentOnFailure: true },
      })),
    })
    return { merge: node.job, chunkIds: (node.children ?? []).map((c) => c.job.id!) }
  } finally {
    await flow.close()
  }
}
