/**
 * Every setting of the score workers, read from the environment with a default: the one module of
 * the aggregator that reads process.env (the workers take an AggregatorConfig; `pnpm check:imports`
 * fails on a read elsewhere). services/aggregator/README.md lists them for operators.
 */
import { AGGREGATOR_ERRORS } from './errors.js'
import { checkTimeZone, DEFAULT_TIME_ZONE } from '@callqa/kpi'
import {
  DEFAULT_KPI_RETENTION_DAYS,
  DEFAULT_DATABASE_URL,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  DEFAULT_RETENTION_DAYS,
  loadWebhookConfig,
  QUEUES,
  redisSettingsOf,
  type RedisNode,
  type WebhookConfig,
} from '@callqa/store'
import type { Logger } from 'pino'

/** Everything the workers need; `loadAggregatorConfig(process.env)` fills it from the environment. */
export interface AggregatorConfig {
  /** BullMQ's Redis (queues `score` and `webhooks`). Env `REDIS_URL` (with a cluster: only its user and password). @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl: string
  /** Seed nodes of a Redis Cluster used instead of `redisUrl`. Env `CALLQA_REDIS_CLUSTER` (`host:port,…`). @defaultValue [] (single Redis) */
  redisClusterNodes: RedisNode[]
  /** PostgreSQL, the store of record of reports and KPIs. Env `DATABASE_URL`. @defaultValue DEFAULT_DATABASE_URL */
  databaseUrl: string
  /** Connections of this process's PostgreSQL pool. Env `CALLQA_DATABASE_POOL`. @defaultValue 10 */
  databasePoolSize: number
  /** How often the store's maintenance step runs (coming partitions, retention), in ms. Env `CALLQA_MAINTENANCE_INTERVAL_MS`. @defaultValue 3600000 */
  maintenanceIntervalMs: number
  /** Prefix of callqa's own Redis keys and channels (the notification channel: the gateways' `CALLQA_REDIS_PREFIX`). @defaultValue 'callqa' */
  keyPrefix: string
  /** BullMQ key prefix (hash-tagged, as a Redis Cluster requires). Env `CALLQA_BULL_PREFIX`. @defaultValue '{callqa}' */
  bullPrefix: string
  /** @defaultValue QUEUES.score */
  scoreQueue: string
  /** @defaultValue QUEUES.webhooks */
  webhookQueue: string
  /** The center's time zone (a call counts on its local start day). Env `CALLQA_TIMEZONE`. @defaultValue 'Asia/Shanghai' */
  timeZone: string
  /** Days reports are kept. Env `CALLQA_REPORT_RETENTION_DAYS`. @defaultValue 180 */
  retentionDays: number
  /** Days day-rollups are kept. Env `CALLQA_KPI_RETENTION_DAYS`. @defaultValue 400 */
  kpiRetentionDays: number
  /** Score jobs in flight per process (room for two batches). Env `CALLQA_SCORE_CONCURRENCY`. @defaultValue 200 */
  concurrency: number
  /**
   * Most score jobs written to PostgreSQL in one statement (the jobs in flight at once are batched;
   * a quiet worker writes each call alone, at once). Env `CALLQA_SCORE_BATCH`. @defaultValue 100
   */
  scoreBatch: number
  /** Replay chunks (`callqa replay`, one day of calls each) this process checks at once; CPU-bound, so more processes rather than more here. Env `CALLQA_REPLAY_CONCURRENCY`. @defaultValue 1 */
  replayConcurrency: number
  /** Webhook deliveries in flight per process (0: this process delivers none). Env `CALLQA_WEBHOOK_CONCURRENCY`. @defaultValue 20 */
  webhookConcurrency: number
  /**
   * How long a worker's lock on a job lasts, in ms; a job whose worker died is taken up again by
   * another worker within about this long (BullMQ stalled-job check). Env `CALLQA_SCORE_LOCK_MS`.
   * @defaultValue 30000
   */
  lockDurationMs: number
  webhooks: WebhookConfig
  /** Env `LOG_LEVEL`. @defaultValue 'info' */
  logLevel: string
  /** A logger to use instead of a new pino one. */
  logger?: Logger
}

export class AggregatorConfigError extends Error {
  readonly code = AGGREGATOR_ERRORS.CONFIG.code
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new AggregatorConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`)
  return n
}

export function loadAggregatorConfig(env: NodeJS.ProcessEnv = process.env): AggregatorConfig {
  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL
  const redis = redisSettingsOf(env)
  if ('problem' in redis) throw new AggregatorConfigError(redis.problem)
  const { redisClusterNodes, bullPrefix } = redis
  const timeZone = env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE
  try {
    checkTimeZone(timeZone)
  } catch (err) {
    throw new AggregatorConfigError(`CALLQA_TIMEZONE: ${(err as Error).message}`)
  }
  return {
    redisUrl,
    redisClusterNodes,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databasePoolSize: int(env, 'CALLQA_DATABASE_POOL', 10, 1),
    maintenanceIntervalMs: int(env, 'CALLQA_MAINTENANCE_INTERVAL_MS', 3_600_000, 1000),
    keyPrefix: env.CALLQA_REDIS_PREFIX || DEFAULT_PREFIX,
    bullPrefix,
    scoreQueue: env.CALLQA_SCORE_QUEUE || QUEUES.score,
    webhookQueue: env.CALLQA_WEBHOOK_QUEUE || QUEUES.webhooks,
    timeZone,
    retentionDays: int(env, 'CALLQA_REPORT_RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 1),
    kpiRetentionDays: int(env, 'CALLQA_KPI_RETENTION_DAYS', DEFAULT_KPI_RETENTION_DAYS, 1),
    concurrency: int(env, 'CALLQA_SCORE_CONCURRENCY', 200, 1),
    scoreBatch: int(env, 'CALLQA_SCORE_BATCH', 100, 1),
    webhookConcurrency: int(env, 'CALLQA_WEBHOOK_CONCURRENCY', 20, 0),
    replayConcurrency: int(env, 'CALLQA_REPLAY_CONCURRENCY', 1, 1),
    lockDurationMs: int(env, 'CALLQA_SCORE_LOCK_MS', 30_000, 100),
    webhooks: loadWebhookConfig(env),
    logLevel: env.LOG_LEVEL || 'info',
  }
}
