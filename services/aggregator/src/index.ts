/**
 * The score workers: take each ended call's `CallReport` off the `score` queue, validate it again,
 * store it and count it into the KPI rollups in PostgreSQL in one transaction keyed by callId,
 * then enqueue `call.scored` webhooks. The webhook workers sign and deliver those (and the gateway's `alert.raised`).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq'
import { pino, type Logger } from 'pino'
import { parseScoreJobData, ReportPayloadError } from '@callqa/protocol'
import { channelPublisher } from '@callqa/review'
import { NotificationStore, type NotificationPublisher } from '@callqa/review/pg'
import {
  connectRedis,
  ReportStore,
  StoreUnavailableError,
  WebhookOutbox,
  redisKeys,
  type ScoreJobData,
  type WebhookJobData,
} from '@callqa/store'
import { loadAggregatorConfig, type AggregatorConfig } from './config.js'
import { deliverWebhook, webhookBackoff } from './webhook-delivery.js'
import { startReplayWorker } from './replay-worker.js'
import { ScoreBatcher, type ScoreBatcherOptions } from './score-batcher.js'

export { loadAggregatorConfig, AggregatorConfigError, type AggregatorConfig } from './config.js'
export { AGGREGATOR_ERRORS, AggregatorErrorCodes } from './errors.js'
export { closeOnSignals, SHUTDOWN_DEADLINE_MS, type ShutdownOptions } from './shutdown.js'

export { StoreUnavailableError } from '@callqa/store'

/** A connection URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}
export { deliverWebhook, webhookBackoff, parseRetryAfter, DeliveryError, type DeliveryResult } from './webhook-delivery.js'

/** A score job's return value. */
export interface ScoreResult {
  /** false: the call was already counted (a retry or a duplicate); nothing changed. */
  stored: boolean
  day: string
  encodedBytes: number
  /** ms epoch when the report and its KPI counts were committed. */
  committedAt: number
}

export interface RunningWorkers {
  readonly scoreWorker: Worker<ScoreJobData, ScoreResult>
  readonly webhookWorker: Worker<WebhookJobData> | null
  readonly store: ReportStore
  readonly outbox: WebhookOutbox
  /** Stops taking jobs, waits for the ones in flight, quits every connection. Idempotent. */
  close(): Promise<void>
}

/** Announces a stored report's deductions to its agent (console notifications). */
export interface ScoreNotifier {
  notifications: NotificationStore
  publish: NotificationPublisher
  onPublishError?: (err: Error) => void
}

/**
 * The score job processor, exported so tests and benches run exactly what the worker runs. Jobs
 * in flight together are written as one batch (`ScoreBatcher`), each still counted once.
 */
export function createScoreProcessor(store: ReportStore, outbox: WebhookOutbox, batching: ScoreBatcherOptions = {}, notifier?: ScoreNotifier) {
  const batcher = new ScoreBatcher(store, batching)
  return async function processScoreJob(job: Job<ScoreJobData>): Promise<ScoreResult> {
    let report
    try {
      report = parseScoreJobData(job.data)
    } catch (err) {
      if (err instanceof ReportPayloadError) {
        // Retrying cannot fix a bad payload: fail now, and say why (job.failedReason).
        throw new UnrecoverableError(`${err.code}: score job ${job.id}: ${err.message}`)
      }
      throw err
    }
    // The agent's notifications go into the report's own batch statement (written when, and only
    // when, the report is stored: once); the rare report that also resolves earlier ones takes the
    // notification store's own statement after the save.
    const atIso = new Date().toISOString()
    const notes = notifier ? NotificationStore.scoreNotifications(report, atIso) : null
    const saved = await batcher.add(report, notes?.rows ?? [])
    // Enqueued on every attempt: the deterministic job ids make a repeat a no-op, and a crash
    // between the save and this line still gets the webhooks out on the retry.
    await outbox.callScored(report)
    if (notifier) {
      const events = notes ? notes.events(saved.notified) : await notifier.notifications.reportStored(report, atIso)
      // A lost push is not worth a retry (which would not push again): the console lists it on its next load.
      if (events.length > 0) await notifier.publish(events).catch((err: Error) => notifier.onPublishError?.(err))
    }
    return { stored: saved.stored, day: saved.day, encodedBytes: saved.encodedBytes, committedAt: Date.now() }
  }
}

/**
 * Starts the score worker and (unless `webhookConcurrency` is 0) the webhook worker.
 * Missing config fields come from the environment (`loadAggregatorConfig`).
 */
export async function startWorkers(overrides: Partial<AggregatorConfig> = {}): Promise<RunningWorkers> {
  const config: AggregatorConfig = { ...loadAggregatorConfig(), ...overrides }
  const log: Logger = config.logger ?? pino({ name: 'aggregator', level: config.logLevel })

  // Workers block on their connection: BullMQ needs maxRetriesPerRequest null there.
  const target = { url: config.redisUrl, clusterNodes: config.redisClusterNodes }
  const workerConnection = connectRedis(target, { maxRetriesPerRequest: null })
  const producerConnection = connectRedis(target, { maxRetriesPerRequest: 3 })
  for (const [name, c] of [['bullmq', workerConnection], ['producer', producerConnection]] as const) {
    c.on('error', (err) => log.warn({ err: err.message, connection: name }, 'redis connection error'))
  }

  // A query while PostgreSQL is down fails; the job fails with it and is retried with backoff.
  const store = new ReportStore({
    databaseUrl: config.databaseUrl,
    maxConnections: config.databasePoolSize,
    timeZone: config.timeZone,
    retentionDays: config.retentionDays,
    kpiRetentionDays: config.kpiRetentionDays,
  })
  try {
    await store.prepare(config.databaseUrl)
  } catch (err) {
    await Promise.allSettled([store.close(), workerConnection.quit(), producerConnection.quit()])
    throw new StoreUnavailableError(`PostgreSQL at ${redactUrl(config.databaseUrl)} (DATABASE_URL): ${(err as Error).message}`, { cause: err })
  }
  const maintain = (): void => {
    store.maintain().then(
      (result) => {
        if (result.dropped.length > 0 || result.deletedRollups > 0) log.info(result, 'report store maintenance')
      },
      (err: Error) => log.warn({ err: err.message }, 'report store maintenance failed (tried again next interval)'),
    )
  }
  const notifications = new NotificationStore(store.sql)
  const pruneNotifications = (): void => {
    notifications.prune(Date.now() - config.retentionDays * 86_400_000).catch((err: Error) => log.warn({ err: err.message }, 'notification pruning failed (tried again next interval)'))
  }
  maintain()
  pruneNotifications()
  const maintenanceTimer = setInterval(() => {
    maintain()
    pruneNotifications()
  }, config.maintenanceIntervalMs)
  maintenanceTimer.unref()
  const outbox = new WebhookOutbox({
    connection: producerConnection,
    config: config.webhooks,
    bullPrefix: config.bullPrefix,
    queueName: config.webhookQueue,
  })

  const scoreWorker = new Worker<ScoreJobData, ScoreResult>(config.scoreQueue, createScoreProcessor(store, outbox, { maxBatch: config.scoreBatch }, {
    notifications,
    publish: channelPublisher(producerConnection, redisKeys(config.keyPrefix).notifications),
    onPublishError: (err) => log.warn({ err: err.message }, 'notification push failed; consoles list it on their next load'),
  }), {
    connection: workerConnection,
    prefix: config.bullPrefix,
    concurrency: config.concurrency,
    lockDuration: config.lockDurationMs,
    stalledInterval: config.lockDurationMs,
    // Processing is idempotent, so a job whose worker died (even more than once) is simply run again.
    maxStalledCount: 10,
  })
  scoreWorker.on('error', (err) => log.error({ err: err.message }, 'score worker error'))
  scoreWorker.on('failed', (job, err) => {
    if (!job) return
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1)
    log[final ? 'error' : 'warn']({ jobId: job.id, attemptsMade: job.attemptsMade, err: err.message }, final ? 'score job failed for good' : 'score job failed, will retry')
  })

  let webhookWorker: Worker<WebhookJobData> | null = null
  if (config.webhookConcurrency > 0) {
    const subscribers = new Map(config.webhooks.subscribers.map((s) => [s.id, s]))
    webhookWorker = new Worker<WebhookJobData>(config.webhookQueue, (job) => deliverWebhook(job, subscribers, config.webhooks.timeoutMs), {
      connection: workerConnection,
      prefix: config.bullPrefix,
      concurrency: config.webhookConcurrency,
      settings: { backoffStrategy: webhookBackoff },
    })
    webhookWorker.on('error', (err) => log.error({ err: err.message }, 'webhook worker error'))
    webhookWorker.on('failed', (job, err) => {
      if (!job) return
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1)
      log[final ? 'error' : 'warn'](
        { jobId: job.id, subscriberId: job.data.subscriberId, event: job.data.event, attemptsMade: job.attemptsMade, err: err.message },
        final ? 'webhook delivery given up' : 'webhook delivery failed, will retry',
      )
    })
  }
  const replayWorker = startReplayWorker({ connection: workerConnection, prefix: config.bullPrefix, store, concurrency: config.replayConcurrency })
  await Promise.all([scoreWorker.waitUntilReady(), webhookWorker?.waitUntilReady(), replayWorker.waitUntilReady()])
  log.info({ scoreQueue: config.scoreQueue, concurrency: config.concurrency, subscribers: config.webhooks.subscribers.length }, 'aggregator workers started')

  let closing: Promise<void> | undefined
  return {
    scoreWorker,
    webhookWorker,
    store,
    outbox,
    close() {
      closing ??= (async () => {
        clearInterval(maintenanceTimer)
        await Promise.all([scoreWorker.close(), webhookWorker?.close(), replayWorker.close()])
        await outbox.close()
        await Promise.all([workerConnection.quit(), producerConnection.quit(), store.close()].map((p) => p.catch(() => undefined)))
      })()
      return closing
    },
  }
}
export { ScoreBatcher, type ScoreBatcherOptions, type BatchWriter } from './score-batcher.js'
export {
  REPLAY_QUEUE,
  REPLAY_JOBS,
  DEFAULT_REPLAY_CHUNK_MS,
  addReplayFlow,
  createReplayProcessor,
  replayQueue,
  replayStatus,
  startReplay,
  startReplayWorker,
  type ReplayJobData,
  type ReplayRequest,
  type ReplayStatus,
} from './replay-worker.js'
