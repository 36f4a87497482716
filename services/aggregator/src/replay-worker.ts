/**
 * Rulebook replays (`callqa replay`) as BullMQ jobs on a queue of their own (`replay`), apart from
 * the score queue of live calls. A replay is a flow (`addReplayFlow`): one `chunk` job per day of
 * the range (each re-checks its calls and returns its tally's state) under a `merge` job that
 * adds the chunks up once all are done. Every worker process takes chunks, so N processes
 * replay a month about N times as fast (on N cores); the caller sums the chunks' progress
 * ({ done } calls each). A plain `replay` job (the whole range in one job) is still taken.
 */
import { createHash, randomUUID } from 'node:crypto'
import { FlowProducer, Queue, UnrecoverableError, Worker, type Job, type JobNode } from 'bullmq'
import { parseRulebook, RulebookError, type Rulebook } from '@callqa/engine'
import { replayRange } from '@callqa/review/pg'
import { ReplayTally, replayChunks, type ReplaySummary, type ReplayTallyState } from '@callqa/review'
import type { RedisConnection, ReportStore } from '@callqa/store'

export const REPLAY_QUEUE = 'replay'
/** One day per chunk: a month is 30 jobs for the workers to share. */
export const DEFAULT_REPLAY_CHUNK_MS = 86_400_000

/** A job carries the request it was queued for. */
export interface ReplayJobData extends ReplayRequest {
  /** On the merge job: how many chunks it waits for (their ids are `<mergeId>-c<i>`). */
  chunks?: number
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
 * Queues a replay as a flow: a `merge` job (id `r-<uuid>`, the replay's id) whose children are
 * the range's chunks (`<mergeId>-c<i>`). Its result is the ReplaySummary; the children's ids are
 * for summing progress.
 */
export async function addReplayFlow(
  connection: RedisConnection,
  prefix: string,
  data: ReplayJobData,
  options: { chunkMs?: number; removeAfterSeconds?: number } = {},
): Promise<{ merge: Job; chunkIds: string[] }> {
  const keep = { age: options.removeAfterSeconds ?? 86_400 }
  const chunks = replayChunks(data.fromMs, data.toMs, options.chunkMs ?? DEFAULT_REPLAY_CHUNK_MS)
  const mergeId = `r-${randomUUID()}`
  const flow = new FlowProducer({ connection, prefix })
  try {
    const node: JobNode = await flow.add({
      name: REPLAY_JOBS.merge,
      queueName: REPLAY_QUEUE,
      data: { ...data, rulebookYaml: '', chunks: chunks.length },
      opts: { jobId: mergeId, removeOnComplete: keep, removeOnFail: keep },
      children: chunks.map((chunk, i) => ({
        name: REPLAY_JOBS.chunk,
        queueName: REPLAY_QUEUE,
        data: { ...data, ...chunk },
        // A failed chunk fails the replay (its merge would be wrong without it).
        opts: { jobId: `${mergeId}-c${i}`, attempts: 2, removeOnComplete: keep, removeOnFail: keep, failParentOnFailure: true },
      })),
    })
    return { merge: node.job, chunkIds: (node.children ?? []).map((c) => c.job.id!) }
  } finally {
    await flow.close()
  }
}

/** What `startReplay` queues: a candidate rulebook over calls started in [fromMs, toMs). */
export interface ReplayRequest {
  /** The candidate rulebook's YAML text and its file name (for error messages). */
  rulebookYaml: string
  rulebookName: string
  fromMs: number
  toMs: number
  teamIds?: string[]
  /** Who queued it (the console's login; the CLI leaves it out). */
  startedBy?: string
}

/**
 * The one way a replay is started (the CLI's `callqa replay` and the gateway's `POST /v1/replays`):
 * the candidate is parsed first, so a bad rulebook throws the engine's RulebookError (naming the
 * line and field) before any job exists; then the flow is queued.
 */
export async function startReplay(
  connection: RedisConnection,
  prefix: string,
  request: ReplayRequest,
  options: { chunkMs?: number } = {},
): Promise<{ replayId: string; merge: Job; chunkIds: string[] }> {
  parseRulebook(request.rulebookYaml, request.rulebookName)
  if (!(request.toMs > request.fromMs)) throw new RangeError(`a replay needs from before to, got ${new Date(request.fromMs).toISOString()}..${new Date(request.toMs).toISOString()}`)
  const { merge, chunkIds } = await addReplayFlow(connection, prefix, { ...request }, options)
  return { replayId: merge.id!, merge, chunkIds }
}

/** A replay as the console polls it. */
export interface ReplayStatus {
  replayId: string
  state: 'queued' | 'running' | 'done' | 'failed'
  fromMs: number
  toMs: number
  startedBy?: string
  teamIds?: string[]
  /** Calls re-checked so far (the chunks' progress summed) and chunks finished of all. */
  progress: { done: number; chunksDone: number; chunks: number }
  summary?: ReplaySummary
  failedReason?: string
}

/** The state of replay `replayId` (a merge job's id), or undefined when there is none (or it expired). */
export async function replayStatus(queue: Queue, replayId: string): Promise<ReplayStatus | undefined> {
  // The state first: a merge completed by then has its return value stored when the job is read next.
  const jobState = await queue.getJobState(replayId)
  const merge = await queue.getJob(replayId)
  if (!merge || merge.name !== REPLAY_JOBS.merge) return undefined
  const data = merge.data as ReplayJobData
  const count = data.chunks ?? 0
  const chunkJobs = await Promise.all(Array.from({ length: count }, (_, i) => queue.getJob(`${replayId}-c${i}`)))
  let done = 0
  let chunksDone = 0
  let started = false
  for (const chunk of chunkJobs) {
    if (!chunk) continue
    const p = chunk.progress as { done?: number } | number
    const n = typeof p === 'object' && p !== null ? (p.done ?? 0) : 0
    done += n
    if (chunk.finishedOn) chunksDone++
    if (chunk.processedOn) started = true
  }
  const state: ReplayStatus['state'] = jobState === 'completed' ? 'done' : jobState === 'failed' ? 'failed' : started ? 'running' : 'queued'
  return {
    replayId,
    state,
    fromMs: data.fromMs,
    toMs: data.toMs,
    ...(data.startedBy ? { startedBy: data.startedBy } : {}),
    ...(data.teamIds ? { teamIds: data.teamIds } : {}),
    progress: { done, chunksDone, chunks: count },
    ...(state === 'done' ? { summary: merge.returnvalue as ReplaySummary } : {}),
    ...(state === 'failed' ? { failedReason: chunkJobs.find((c) => c?.failedReason)?.failedReason || merge.failedReason || 'a replay job failed' } : {}),
  }
}

/** The replay queue for `replayStatus` (a producer on `connection`; close it, the connection stays). */
export function replayQueue(connection: RedisConnection, prefix: string): Queue {
  return new Queue(REPLAY_QUEUE, { connection, prefix })
}
