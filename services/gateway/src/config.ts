/**
 * Every gateway setting, read from the environment with a default. `services/gateway/README.md`
 * lists the same table for operators; keep the two in step.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { DEFAULT_DATABASE_URL, DEFAULT_PREFIX, DEFAULT_TIME_ZONE, QUEUES } from '@callqa/store'
import { ConfigError } from './errors.js'

export interface GatewayConfig {
  /** Env `HOST`. @defaultValue '127.0.0.1' */
  host: string
  /** Env `PORT`. @defaultValue 8080 */
  port: number
  /** Env `REDIS_URL`. @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl: string
  /** PostgreSQL holding reports and KPIs (the workers write, the API reads). Env `DATABASE_URL`. @defaultValue 'postgres://postgres@127.0.0.1:5432/callqa' */
  databaseUrl: string
  /** Connections of the gateway's PostgreSQL pool. Env `CALLQA_DATABASE_POOL`. @defaultValue 10 */
  databasePoolSize: number
  /** The center's time zone (KPI days, report pages). Env `CALLQA_TIMEZONE`. @defaultValue 'Asia/Shanghai' */
  timeZone: string
  /** Prefix of every callqa key (tests use their own). Env `CALLQA_REDIS_PREFIX`. @defaultValue 'callqa' */
  keyPrefix: string
  /** BullMQ key prefix (same as the workers'). Env `CALLQA_BULL_PREFIX`. @defaultValue 'bull' */
  bullPrefix: string
  /** Env `CALLQA_SCORE_QUEUE`. @defaultValue 'score' */
  scoreQueue: string
  /** Bearer tokens allowed on the ingest sockets. Env `CALLQA_INGEST_TOKENS` (comma-separated). @defaultValue [] (ingest closed) */
  ingestTokens: string[]
  /** Bearer token of the admin principal (supervisor socket, REST). Env `CALLQA_ADMIN_TOKEN`. @defaultValue '' (disabled) */
  adminToken: string
  /** Standard Webhooks secret (`whsec_…`) of the telephony webhook. Env `CALLQA_WEBHOOK_SECRET`. @defaultValue '' (webhook answers 503) */
  webhookSecret: string
  /** How long a handled `webhook-id` is remembered. Env `CALLQA_WEBHOOK_DEDUP_SECONDS`. @defaultValue 86400 */
  webhookDedupSeconds: number
  /** Largest ingest text frame accepted; larger gets CQ_ERR_FRAME_TOO_LARGE. Env `CALLQA_MAX_FRAME_BYTES`. @defaultValue 65536 */
  maxFrameBytes: number
  /** Events in one JSON-array frame. Env `CALLQA_MAX_EVENTS_PER_FRAME`. @defaultValue 500 */
  maxEventsPerFrame: number
  /** Sustained events (a bad frame counts as one) per second per ingest connection. Env `CALLQA_INGEST_EVENTS_PER_SECOND`. @defaultValue 2000 */
  ingestEventsPerSecond: number
  /** Burst allowance above the sustained rate; past it the socket is closed with 1008. Env `CALLQA_INGEST_BURST_EVENTS`. @defaultValue 4000 */
  ingestBurstEvents: number
  /** Live calls one ingest connection may carry. Env `CALLQA_MAX_CALLS_PER_CONNECTION`. @defaultValue 5000 */
  maxCallsPerConnection: number
  /** Live calls one gateway instance holds in memory. Env `CALLQA_MAX_LIVE_CALLS`. @defaultValue 50000 */
  maxLiveCalls: number
  /** A call that sends nothing this long is closed as `abandoned`. Env `CALLQA_IDLE_TIMEOUT_MS`. @defaultValue 120000 */
  idleTimeoutMs: number
  /** How often the idle sweep runs. Env `CALLQA_SWEEP_INTERVAL_MS`. @defaultValue 5000 */
  sweepIntervalMs: number
  /** TTL of a live call's checkpoint (refreshed on every event). Env `CALLQA_CALL_STATE_TTL_SECONDS`. @defaultValue 86400 */
  callStateTtlSeconds: number
  /** How long an ended call's marker refuses late events and second ends. Env `CALLQA_ENDED_TTL_SECONDS`. @defaultValue 604800 */
  endedTtlSeconds: number
  /** Events appended to a call's checkpoint log before a full engine snapshot replaces them. Env `CALLQA_SNAPSHOT_EVERY_EVENTS`. @defaultValue 40 */
  snapshotEveryEvents: number
  /** Window in which checkpoints of all calls are gathered into one Redis round trip (acks wait for it; alerts do not). Env `CALLQA_FLUSH_INTERVAL_MS`. @defaultValue 5 */
  flushIntervalMs: number
  /** Minimum interval between `call` `live` updates of one call. Env `CALLQA_LIVE_UPDATE_INTERVAL_MS`. @defaultValue 10000 */
  liveUpdateIntervalMs: number
  /** Bytes a supervisor socket may have unsent; past it the socket is closed with 1013. Env `CALLQA_SUPERVISOR_MAX_BUFFER_BYTES`. @defaultValue 1048576 */
  supervisorMaxBufferBytes: number
  /** Alerts kept in the catch-up stream (approximate trim). Env `CALLQA_ALERT_STREAM_MAX`. @defaultValue 100000 */
  alertStreamMax: number
  /** Clock skew allowed between instances when `since` is a time. Env `CALLQA_RECENT_SKEW_MS`. @defaultValue 5000 */
  recentSkewMs: number
  /** Rulebook YAML file; empty uses the engine's default rulebook. Env `CALLQA_RULEBOOK`. @defaultValue '' */
  rulebookPath: string
  /** This instance's id in ownership records. Env `CALLQA_INSTANCE_ID`. @defaultValue `${hostname}-${pid}-${random}` */
  instanceId: string
  /** Env `LOG_LEVEL` (pino level, or `silent`). @defaultValue 'info' */
  logLevel: string
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`)
  return n
}

/** Reads the gateway's settings from `env`; throws CQ_ERR_CONFIG naming the variable on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const webhookSecret = env.CALLQA_WEBHOOK_SECRET ?? ''
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    throw new ConfigError('CALLQA_WEBHOOK_SECRET must start with whsec_ followed by base64 (Standard Webhooks), got a value without the prefix')
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8080, 0),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databasePoolSize: int(env, 'CALLQA_DATABASE_POOL', 10, 1),
    timeZone: env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE,
    keyPrefix: env.CALLQA_REDIS_PREFIX || DEFAULT_PREFIX,
    bullPrefix: env.CALLQA_BULL_PREFIX || 'bull',
    scoreQueue: env.CALLQA_SCORE_QUEUE || QUEUES.score,
    ingestTokens: (env.CALLQA_INGEST_TOKENS ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    adminToken: env.CALLQA_ADMIN_TOKEN ?? '',
    webhookSecret,
    webhookDedupSeconds: int(env, 'CALLQA_WEBHOOK_DEDUP_SECONDS', 86_400, 1),
    maxFrameBytes: int(env, 'CALLQA_MAX_FRAME_BYTES', 64 * 1024, 256),
    maxEventsPerFrame: int(env, 'CALLQA_MAX_EVENTS_PER_FRAME', 500, 1),
    ingestEventsPerSecond: int(env, 'CALLQA_INGEST_EVENTS_PER_SECOND', 2000, 1),
    ingestBurstEvents: int(env, 'CALLQA_INGEST_BURST_EVENTS', 4000, 1),
    maxCallsPerConnection: int(env, 'CALLQA_MAX_CALLS_PER_CONNECTION', 5000, 1),
    maxLiveCalls: int(env, 'CALLQA_MAX_LIVE_CALLS', 50_000, 1),
    idleTimeoutMs: int(env, 'CALLQA_IDLE_TIMEOUT_MS', 120_000, 100),
    sweepIntervalMs: int(env, 'CALLQA_SWEEP_INTERVAL_MS', 5000, 50),
    callStateTtlSeconds: int(env, 'CALLQA_CALL_STATE_TTL_SECONDS', 86_400, 60),
    endedTtlSeconds: int(env, 'CALLQA_ENDED_TTL_SECONDS', 7 * 86_400, 60),
    snapshotEveryEvents: int(env, 'CALLQA_SNAPSHOT_EVERY_EVENTS', 40, 1),
    flushIntervalMs: int(env, 'CALLQA_FLUSH_INTERVAL_MS', 5, 0),
    liveUpdateIntervalMs: int(env, 'CALLQA_LIVE_UPDATE_INTERVAL_MS', 10_000, 0),
    supervisorMaxBufferBytes: int(env, 'CALLQA_SUPERVISOR_MAX_BUFFER_BYTES', 1024 * 1024, 1024),
    alertStreamMax: int(env, 'CALLQA_ALERT_STREAM_MAX', 100_000, 100),
    recentSkewMs: int(env, 'CALLQA_RECENT_SKEW_MS', 5000, 0),
    rulebookPath: env.CALLQA_RULEBOOK ?? '',
    instanceId: env.CALLQA_INSTANCE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logLevel: env.LOG_LEVEL || 'info',
  }
}
