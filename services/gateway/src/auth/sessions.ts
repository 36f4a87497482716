/**
 * Console sessions and login rate limits, both in Redis so that any gateway instance behind a load
 * balancer accepts a session another one issued and counts the same login attempts.
 *
 * A session token is 32 random bytes (base64url) given to the browser in an HttpOnly cookie; Redis
 * keeps only its SHA-256, so a Redis dump holds no usable session.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { RedisKeys } from '@callqa/store'

export const SESSION_COOKIE = 'callqa_session'

export interface SessionRecord {
  username: string
  /** ms epoch */
  createdAt: number
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Only tokens we could have issued are looked up (bounds the key size and skips junk cookies). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/

export class SessionStore {
  readonly #redis: Redis
  readonly #keys: RedisKeys
  readonly #ttlSeconds: number

  constructor(redis: Redis, keys: RedisKeys, ttlSeconds: number) {
    this.#redis = redis
    this.#keys = keys
    this.#ttlSeconds = ttlSeconds
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds
  }

  async create(username: string, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const record: SessionRecord = { username, createdAt: now }
    await this.#redis.set(this.#keys.session(tokenHash(token)), JSON.stringify(record), 'EX', this.#ttlSeconds)
    return token
  }

  /** The session of a token, sliding its expiry forward (a supervisor watching all shift stays in). */
  async get(token: string): Promise<SessionRecord | undefined> {
    if (!TOKEN.test(token)) return undefined
    const json = await this.#redis.getex(this.#keys.session(tokenHash(token)), 'EX', this.#ttlSeconds)
    if (json === null) return undefined
    try {
      return JSON.parse(json) as SessionRecord
    } catch {
      return undefined
    }
  }

  async delete(token: string): Promise<void> {
    if (!TOKEN.test(token)) return
    await this.#redis.del(this.#keys.session(tokenHash(token)))
  }
}

export interface LoginLimits {
  /**
   * Failed logins one client address may have per window (password spraying across usernames).
   * Only failures count, so a floor of supervisors logging in through one proxy at shift change is
   * not locked out. Env `CALLQA_LOGIN_MAX_FAILURES_PER_IP`. @defaultValue 30
   */
  maxFailuresPerIp: number
  /** Failed logins one username may have per window before it is locked for the rest of it. Env `CALLQA_LOGIN_MAX_FAILURES_PER_USER`. @defaultValue 5 */
  maxFailuresPerUsername: number
  /** Env `CALLQA_LOGIN_WINDOW_MS`. @defaultValue 300_000 (5 minutes) */
  windowMs: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailuresPerIp: 30, maxFailuresPerUsername: 5, windowMs: 300_000 }

/** The limits from the environment, defaults for what is not set; a bad value names the variable. */
export function loginLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): LoginLimits {
  const read = (name: string, fallback: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be an integer >= 1, got ${JSON.stringify(raw)}`)
    return n
  }
  return {
    maxFailuresPerIp: read('CALLQA_LOGIN_MAX_FAILURES_PER_IP', DEFAULT_LOGIN_LIMITS.maxFailuresPerIp),
    maxFailuresPerUsername: read('CALLQA_LOGIN_MAX_FAILURES_PER_USER', DEFAULT_LOGIN_LIMITS.maxFailuresPerUsername),
    windowMs: read('CALLQA_LOGIN_WINDOW_MS', DEFAULT_LOGIN_LIMITS.windowMs),
  }
}

/** Fixed-window failure counters per client address and per username. */
export class LoginLimiter {
  readonly #redis: Redis
  readonly #keys: RedisKeys
  readonly #limits: LoginLimits

  constructor(redis: Redis, keys: RedisKeys, limits: LoginLimits) {
    this.#redis = redis
    this.#keys = keys
    this.#limits = limits
  }

  /** How long `ip` or `username` must wait (ms) because a failure limit is reached, else 0. */
  async waitMs(ip: string, username: string): Promise<number> {
    const ipKey = this.#keys.loginAttempts('ip', ip)
    const userKey = this.#keys.loginAttempts('user', username)
    const result = await this.#redis.multi().get(ipKey).pttl(ipKey).get(userKey).pttl(userKey).exec()
    if (!result) throw new Error('login limiter: Redis transaction was aborted')
    for (const [err] of result) if (err) throw err
    const ipFailures = Number(result[0]![1] ?? 0)
    const ipTtl = Number(result[1]![1])
    const userFailures = Number(result[2]![1] ?? 0)
    const userTtl = Number(result[3]![1])
    let waitMs = 0
    if (ipFailures >= this.#limits.maxFailuresPerIp) waitMs = Math.max(waitMs, ipTtl)
    if (userFailures >= this.#limits.maxFailuresPerUsername) waitMs = Math.max(waitMs, userTtl)
    return waitMs > 0 ? waitMs : 0
  }

  async failed(ip: string, username: string): Promise<void> {
    const ipKey = this.#keys.loginAttempts('ip', ip)
    const userKey = this.#keys.loginAttempts('user', username)
    const window = this.#limits.windowMs
    await this.#redis.multi().incr(ipKey).pexpire(ipKey, window, 'NX').incr(userKey).pexpire(userKey, window, 'NX').exec()
  }

  async succeeded(username: string): Promise<void> {
    await this.#redis.del(this.#keys.loginAttempts('user', username))
  }
}
