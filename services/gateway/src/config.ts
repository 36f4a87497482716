/**
 * Every gateway setting, read from the environment with a default: the one module of the gateway
 * that reads process.env (plugins take what they need as options; `pnpm check:imports` fails on a
 * read elsewhere). `services/gateway/README.md` lists the same table for operators; keep the two in step.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import {
  DEFAULT_DATABASE_URL,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  DEFAULT_TIME_ZONE,
  loadWebhookConfig,
  QUEUES,
  redisSettingsOf,
  type RedisNode,
  type WebhookConfig,
} from '@callqa/store'
import { DEFAULT_ACCOUNTS_FILE } from './auth/accounts.js'
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/sessions.js'
import { ConfigError } from './errors.js'

export interface GatewayConfig {
  /** Env `HOST`. @defaultValue '127.0.0.1' */
  host: string
  /** Env `PORT`. @defaultValue 8080 */
  port: number
  /** Env `REDIS_URL` (with a cluster: only its user and password are used). @defaultValue 'redis://127.0.0.1:6379' */
  redisUrl: string
  /**
   * Seed nodes of a Redis Cluster; when set, every connection (commands, fan-out, queues) uses the
   * cluster instead of `redisUrl`. Env `CALLQA_REDIS_CLUSTER` (`host:port,host:port,…`). @defaultValue [] (single Redis)
   */
  redisClusterNodes: RedisNode[]
  /** PostgreSQL holding reports and KPIs (the workers write, the API reads). Env `DATABASE_URL`. @defaultValue 'postgres://postgres@127.0.0.1:5432/callqa' */
  databaseUrl: string
  /** Connections of the gateway's PostgreSQL pool. Env `CALLQA_DATABASE_POOL`. @defaultValue 10 */
  databasePoolSize: number
  /** The center's time zone (KPI days, report pages). Env `CALLQA_TIMEZONE`. @defaultValue 'Asia/Shanghai' */
  timeZone: string
  /** Prefix of every callqa key (tests use their own). Env `CALLQA_REDIS_PREFIX`. @defaultValue 'callqa' */
  keyPrefix: string
  /** BullMQ key prefix (same as the workers'; hash-tagged, as a Redis Cluster requires). Env `CALLQA_BULL_PREFIX`. @defaultValue '{callqa}' */
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
  /** TTL of a live call's checkpoint (refreshed at most every 15 s while it sends events: liveRefreshMs, live/flush.ts). Env `CALLQA_CALL_STATE_TTL_SECONDS`. @defaultValue 86400 */
  callStateTtlSeconds: number
  /** How long an ended call's marker refuses late events and second ends. Env `CALLQA_ENDED_TTL_SECONDS`. @defaultValue 604800 */
  endedTtlSeconds: number
  /**
   * Events appended to a call's checkpoint log before a full engine snapshot replaces them, at
   * least; later snapshots wait for as many events as the call already has (see live/flush.ts), so
   * checkpoint cost stays proportional to what changed. Env `CALLQA_SNAPSHOT_EVERY_EVENTS`. @defaultValue 40
   */
  snapshotEveryEvents: number
  /** Characters of utterance text one call may send; past it utterances get CQ_ERR_CALL_TOO_LONG. Env `CALLQA_MAX_CALL_TEXT_CHARS`. @defaultValue 200000 */
  maxCallTextChars: number
  /** Window in which checkpoints of all calls are gathered into one Redis round trip (acks wait for it; alerts, here and on the other instances, do not). Env `CALLQA_FLUSH_INTERVAL_MS`. @defaultValue 20 */
  flushIntervalMs: number
  /**
   * With `?acks=batch`: at most one `acks` frame per connection per this interval; acks of the
   * flushes in between wait and go out together (an ack waits at most this long after its flush).
   * At 30,000 calls over 120 connections a flush carries ~0.4 utterances a connection, so without it
   * nearly every utterance costs a frame and a socket write. Env `CALLQA_ACK_BATCH_INTERVAL_MS`. @defaultValue 10
   */
  ackBatchIntervalMs: number
  /** Minimum interval between `call` `live` updates of one call. Env `CALLQA_LIVE_UPDATE_INTERVAL_MS`. @defaultValue 10000 */
  liveUpdateIntervalMs: number
  /** Bytes a supervisor socket may have unsent; past it the socket is closed with 1013. Env `CALLQA_SUPERVISOR_MAX_BUFFER_BYTES`. @defaultValue 1048576 */
  supervisorMaxBufferBytes: number
  /**
   * Messages to one supervisor socket (alerts, call updates) gathered into one write for at most
   * this long: an alert waits up to this much longer, and each supervisor costs one socket write per
   * window instead of one per ingest frame with something to show. Env `CALLQA_SUPERVISOR_PUSH_WINDOW_MS`. @defaultValue 5
   */
  supervisorPushWindowMs: number
  /**
   * How long an instance that hears no other instance on the fan-out channel goes on publishing to
   * it; after that it publishes only its heartbeat until another one speaks (bus.ts). Env
   * `CALLQA_FANOUT_PEER_TIMEOUT_MS`. @defaultValue 30000
   */
  fanoutPeerTimeoutMs: number
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
  /** Outbound webhook subscribers (alert.raised), read by the store's own loader (`CALLQA_WEBHOOK_*`, see packages/store). */
  webhooks: WebhookConfig
  /** Console accounts (`callqa adduser` writes it), reloaded on change. Env `CALLQA_ACCOUNTS_FILE`. @defaultValue './config/accounts.json' */
  accountsFile: string
  /** Without an accounts file, use the console's demo accounts (`pnpm start` sets it on a first run). Env `CALLQA_DEMO_ACCOUNTS=1`. @defaultValue false */
  demoAccounts: boolean
  /** A console session's lifetime since its last request. Env `CALLQA_SESSION_TTL_SECONDS`. @defaultValue 43200 */
  sessionTtlSeconds: number
  /** Login back-off (auth/sessions.ts LoginLimits). Env `CALLQA_LOGIN_MAX_FAILURES_PER_PAIR`, `…_PER_USER`, `…_PER_IP`, `CALLQA_LOGIN_BASE_DELAY_MS`, `CALLQA_LOGIN_WINDOW_MS`. @defaultValue DEFAULT_LOGIN_LIMITS */
  loginLimits: LoginLimits
  /** Names of agents and teams (JSON or CSV), reloaded on change. Env `CALLQA_ROSTER_FILE`. @defaultValue './config/roster.json' */
  rosterFile: string
  /**
   * Whether (and which) proxies' X-Forwarded-For/-Proto/-Host to believe: `true` (every hop), a
   * number of hops, or comma-separated addresses/CIDRs of the proxies (fastify `trustProxy`).
   * Env `CALLQA_TRUST_PROXY`. @defaultValue false (the socket's address is the client's)
   */
  trustProxy: boolean | number | string[]
  /** Origins besides the gateway's own allowed to use the console's cookie session (state-changing routes, supervisor socket). Env `CALLQA_ALLOWED_ORIGINS` (comma-separated, e.g. `https://qa.example.com`). @defaultValue [] */
  allowedOrigins: string[]
  /** Largest pasted transcript of `POST /v1/rulebook/try`, characters. Env `CALLQA_TRY_MAX_CHARS`. @defaultValue 65536 */
  tryMaxChars: number
  /** Lines of one pasted transcript. Env `CALLQA_TRY_MAX_LINES`. @defaultValue 2000 */
  tryMaxLines: number
  /** Rulebook tries one session (or token) may run per minute. Env `CALLQA_TRY_PER_MINUTE`. @defaultValue 20 */
  tryPerMinute: number
  /** Replays (POST /v1/replays) one user may have queued or running at once. Env `CALLQA_MAX_REPLAYS_PER_USER`. @defaultValue 2 */
  maxReplaysPerUser: number
  /** Worker threads running rulebook tries (off the event loop). Env `CALLQA_TRY_WORKERS`. @defaultValue 1 */
  tryWorkers: number
  /** Tries waiting for a worker before more are refused with 503. Env `CALLQA_TRY_MAX_QUEUED`. @defaultValue 8 */
  tryMaxQueued: number
  /** A try running longer is stopped (its worker restarted) and answered 503. Env `CALLQA_TRY_TIMEOUT_MS`. @defaultValue 10000 */
  tryTimeoutMs: number
}

function trustProxyOf(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false
  if (raw === 'true') return true
  if (/^\d+$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  for (const entry of list) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
      throw new ConfigError(`CALLQA_TRUST_PROXY must be true, a hop count or comma-separated proxy addresses/CIDRs, got ${JSON.stringify(entry)}`)
    }
  }
  return list
}

function originsOf(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  return list.map((origin) => {
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw new ConfigError(`CALLQA_ALLOWED_ORIGINS must list origins such as https://qa.example.com, got ${JSON.stringify(origin)}`)
    }
    if (url.origin !== origin.replace(/\/$/, '')) throw new ConfigError(`CALLQA_ALLOWED_ORIGINS entries are origins (scheme://host[:port]) without a path, got ${JSON.stringify(origin)}`)
    return url.origin
  })
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`)
  return n
}

function timeZoneOf(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    throw new ConfigError(`CALLQA_TIMEZONE must be an IANA time zone such as Asia/Shanghai, got ${JSON.stringify(zone)}`)
  }
  return zone
}

/** Reads the gateway's settings from `env`; throws CQ_ERR_CONFIG naming the variable on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const webhookSecret = env.CALLQA_WEBHOOK_SECRET ?? ''
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    throw new ConfigError('CALLQA_WEBHOOK_SECRET must start with whsec_ followed by base64 (Standard Webhooks), got a value without the prefix')
  }
  const redis = redisSettingsOf(env)
  if ('problem' in redis) throw new ConfigError(redis.problem)
  const { redisClusterNodes, bullPrefix } = redis
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8080, 0),
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    redisClusterNodes,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databasePoolSize: int(env, 'CALLQA_DATABASE_POOL', 10, 1),
    timeZone: timeZoneOf(env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE),
    keyPrefix: env.CALLQA_REDIS_PREFIX || DEFAULT_PREFIX,
    bullPrefix,
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
    maxCallTextChars: int(env, 'CALLQA_MAX_CALL_TEXT_CHARS', 200_000, 1000),
    flushIntervalMs: int(env, 'CALLQA_FLUSH_INTERVAL_MS', 20, 0),
    liveUpdateIntervalMs: int(env, 'CALLQA_LIVE_UPDATE_INTERVAL_MS', 10_000, 0),
    ackBatchIntervalMs: int(env, 'CALLQA_ACK_BATCH_INTERVAL_MS', 10, 0),
    supervisorMaxBufferBytes: int(env, 'CALLQA_SUPERVISOR_MAX_BUFFER_BYTES', 1024 * 1024, 1024),
    supervisorPushWindowMs: int(env, 'CALLQA_SUPERVISOR_PUSH_WINDOW_MS', 5, 0),
    fanoutPeerTimeoutMs: int(env, 'CALLQA_FANOUT_PEER_TIMEOUT_MS', 30_000, 100),
    alertStreamMax: int(env, 'CALLQA_ALERT_STREAM_MAX', 100_000, 100),
    recentSkewMs: int(env, 'CALLQA_RECENT_SKEW_MS', 5000, 0),
    rulebookPath: env.CALLQA_RULEBOOK ?? '',
    instanceId: env.CALLQA_INSTANCE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    logLevel: env.LOG_LEVEL || 'info',
    webhooks: loadWebhookConfig(env),
    rosterFile: env.CALLQA_ROSTER_FILE || './config/roster.json',
    accountsFile: env.CALLQA_ACCOUNTS_FILE || DEFAULT_ACCOUNTS_FILE,
    demoAccounts: env.CALLQA_DEMO_ACCOUNTS === '1',
    sessionTtlSeconds: int(env, 'CALLQA_SESSION_TTL_SECONDS', 43_200, 60),
    loginLimits: {
      maxFailuresPerPair: int(env, 'CALLQA_LOGIN_MAX_FAILURES_PER_PAIR', DEFAULT_LOGIN_LIMITS.maxFailuresPerPair, 1),
      maxFailuresPerUsername: int(env, 'CALLQA_LOGIN_MAX_FAILURES_PER_USER', DEFAULT_LOGIN_LIMITS.maxFailuresPerUsername, 1),
      maxFailuresPerIp: int(env, 'CALLQA_LOGIN_MAX_FAILURES_PER_IP', DEFAULT_LOGIN_LIMITS.maxFailuresPerIp, 1),
      baseDelayMs: int(env, 'CALLQA_LOGIN_BASE_DELAY_MS', DEFAULT_LOGIN_LIMITS.baseDelayMs, 1),
      windowMs: int(env, 'CALLQA_LOGIN_WINDOW_MS', DEFAULT_LOGIN_LIMITS.windowMs, 1),
    },
    trustProxy: trustProxyOf(env.CALLQA_TRUST_PROXY),
    allowedOrigins: originsOf(env.CALLQA_ALLOWED_ORIGINS),
    tryMaxChars: int(env, 'CALLQA_TRY_MAX_CHARS', 64 * 1024, 100),
    tryMaxLines: int(env, 'CALLQA_TRY_MAX_LINES', 2000, 1),
    tryPerMinute: int(env, 'CALLQA_TRY_PER_MINUTE', 20, 1),
    maxReplaysPerUser: int(env, 'CALLQA_MAX_REPLAYS_PER_USER', 2, 1),
    tryWorkers: int(env, 'CALLQA_TRY_WORKERS', 1, 1),
    tryMaxQueued: int(env, 'CALLQA_TRY_MAX_QUEUED', 8, 0),
    tryTimeoutMs: int(env, 'CALLQA_TRY_TIMEOUT_MS', 10_000, 100),
  }
}

/** Values that ship in this repository (development, examples): never secrets. */
const WELL_KNOWN_SECRETS = new Set([
  'dev-ingest-token',
  'dev-admin-token',
  'change-me-ingest',
  'change-me-admin',
  'change-me',
  'whsec_Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUh',
  `whsec_${Buffer.from('callqa-development-secret-not-for-production').toString('base64')}`,
])

/** Shortest secret accepted outside development. */
export const MIN_SECRET_CHARS = 16

/**
 * Outside development, the secrets a gateway starts with must be real: `CALLQA_INGEST_TOKENS` set
 * (else no call can come in), and no secret that is set may be one of the values shipped in this
 * repository or shorter than MIN_SECRET_CHARS. Development is `CALLQA_DEV=1` (set by `pnpm start`
 * when it fills in its development tokens) without NODE_ENV=production. Returns the problems, each
 * naming its variable; empty when the gateway may start.
 */
export function secretProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.CALLQA_DEV === '1' && env.NODE_ENV !== 'production') return []
  const problems: string[] = []
  const tokens = (env.CALLQA_INGEST_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  if (tokens.length === 0) problems.push('CALLQA_INGEST_TOKENS is not set: give the ingest clients\' bearer tokens (e.g. `openssl rand -base64 32`)')
  const check = (name: string, value: string) => {
    if (WELL_KNOWN_SECRETS.has(value)) problems.push(`${name} holds a well-known development value: set a secret of your own`)
    else if (value.length < MIN_SECRET_CHARS) problems.push(`${name} is shorter than ${MIN_SECRET_CHARS} characters: use a long random value`)
  }
  tokens.forEach((t, i) => check(tokens.length > 1 ? `CALLQA_INGEST_TOKENS[${i}]` : 'CALLQA_INGEST_TOKENS', t))
  if (env.CALLQA_ADMIN_TOKEN) check('CALLQA_ADMIN_TOKEN', env.CALLQA_ADMIN_TOKEN)
  if (env.CALLQA_WEBHOOK_SECRET) check('CALLQA_WEBHOOK_SECRET', env.CALLQA_WEBHOOK_SECRET)
  return problems
}

/** Throws CQ_ERR_CONFIG listing every secret problem (the gateway's entry points call this before listening). */
export function assertSecrets(env: NodeJS.ProcessEnv = process.env): void {
  const problems = secretProblems(env)
  if (problems.length > 0) {
    throw new ConfigError(`refusing to start outside development with missing or default secrets:\n  ${problems.join('\n  ')}\n(for a local try, \`pnpm start\` fills in development values)`)
  }
}
