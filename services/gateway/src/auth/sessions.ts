/**
 * Console sessions and login rate limits, both in Redis so that any gateway instance behind a load
 * balancer accepts a session another one issued and counts the same login attempts.
 *
 * A session token is 32 random bytes (base64url) given to the browser in an HttpOnly cookie; Redis
 * keeps only its SHA-256, so a Redis dump holds no usable session.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { RedisConnection, RedisKeys } from '@callqa/store'

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
  readonly #redis: RedisConnection
  readonly #keys: RedisKeys
  readonly #ttlSeconds: number

  constructor(redis: RedisConnection, keys: RedisKeys, ttlSeconds: number) {
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

/**
 * Login limits: exponential back-off, counted before the password is checked.
 *
 * Every attempt first reserves a slot in up to three counters: the pair (username, client
 * address), the username across all addresses, and the client address across usernames. A counter
 * with `f` failures allows an attempt when `f` is under its free allowance, else only once
 * `baseDelayMs * 2^(f - free)` (at most `windowMs`) has passed since its last attempt; the
 * reservation counts as a failure at once, so 25 parallel guesses are 25 failures, and a correct
 * password refunds it (the pair and the username counters are cleared). Counters expire `windowMs`
 * after their last attempt.
 *
 * A browser that once logged in as a user keeps a known-device cookie (`callqa_device`, random,
 * only its hash in Redis, 180 days). With it, only the (username, device) pair counts: a burst of
 * guesses from elsewhere, or 30 failures behind a shared office NAT, cannot keep that user out.
 * Without it, the right password still gets in after the current (short, growing) delay.
 */
export interface LoginLimits {
  /** Failures one username may have from one address (or known device) before back-off. Env `CALLQA_LOGIN_MAX_FAILURES_PER_PAIR`. @defaultValue 3 */
  maxFailuresPerPair: number
  /** Failures one username may have from all unknown devices before back-off. Env `CALLQA_LOGIN_MAX_FAILURES_PER_USER`. @defaultValue 5 */
  maxFailuresPerUsername: number
  /** Failures one client address may have over all usernames (password spraying) before back-off. Env `CALLQA_LOGIN_MAX_FAILURES_PER_IP`. @defaultValue 30 */
  maxFailuresPerIp: number
  /** First back-off delay, doubled per further failure. Env `CALLQA_LOGIN_BASE_DELAY_MS`. @defaultValue 1000 */
  baseDelayMs: number
  /** Longest back-off, and how long a counter lives after its last attempt. Env `CALLQA_LOGIN_WINDOW_MS`. @defaultValue 300_000 (5 minutes) */
  windowMs: number
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailuresPerPair: 3, maxFailuresPerUsername: 5, maxFailuresPerIp: 30, baseDelayMs: 1000, windowMs: 300_000 }

/**
 * KEYS: the counters (hashes {f, at}); ARGV[1] now ms, ARGV[2] base delay, ARGV[3] window ms,
 * ARGV[4..] each key's free allowance. Returns 0 and counts the attempt in every counter, or the
 * ms to wait (nothing counted).
 */
const RESERVE = `
local now = tonumber(ARGV[1]); local base = tonumber(ARGV[2]); local window = tonumber(ARGV[3])
local wait = 0
for i, key in ipairs(KEYS) do
  local f = tonumber(redis.call('HGET', key, 'f') or '0')
  local at = tonumber(redis.call('HGET', key, 'at') or '0')
  local free = tonumber(ARGV[3 + i])
  if f >= free then
    local delay = math.min(window, base * math.pow(2, f - free))
    local left = at + delay - now
    if left > wait then wait = left end
  end
end
if wait > 0 then return math.ceil(wait) end
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'f', 1)
  redis.call('HSET', key, 'at', now)
  redis.call('PEXPIRE', key, window)
end
return 0
`

/** Back-off counters per (username, address or device), username and address, in Redis. */
export class LoginLimiter {
  readonly #redis: RedisConnection
  readonly #keys: RedisKeys
  readonly #limits: LoginLimits

  constructor(redis: RedisConnection, keys: RedisKeys, limits: LoginLimits) {
    this.#redis = redis
    this.#keys = keys
    this.#limits = limits
  }

  #counters(ip: string, username: string, device: string | undefined): { keys: string[]; free: number[] } {
    if (device) return { keys: [this.#keys.loginAttempts('pair', `${username}\n${device}`)], free: [this.#limits.maxFailuresPerPair] }
    return {
      keys: [this.#keys.loginAttempts('pair', `${username}\n${ip}`), this.#keys.loginAttempts('user', username), this.#keys.loginAttempts('ip', ip)],
      free: [this.#limits.maxFailuresPerPair, this.#limits.maxFailuresPerUsername, this.#limits.maxFailuresPerIp],
    }
  }

  /**
   * Reserves one attempt before the password is checked: 0 when it may go ahead (and it already
   * counts as a failure), else the ms to wait. `device` is the known-device id, when the browser
   * has a valid one for this username.
   */
  async reserve(ip: string, username: string, device: string | undefined, nowMs: number): Promise<number> {
    const { keys, free } = this.#counters(ip, username, device)
    const wait = (await this.#redis.eval(RESERVE, keys.length, ...keys, nowMs, this.#limits.baseDelayMs, this.#limits.windowMs, ...free)) as number
    return Number(wait)
  }

  /** The right password: the attempt was not a failure after all. */
  async succeeded(ip: string, username: string, device: string | undefined): Promise<void> {
    const { keys } = this.#counters(ip, username, device)
    const multi = this.#redis.multi().del(keys[0]!)
    if (keys[1]) multi.del(keys[1])
    if (keys[2]) multi.hincrby(keys[2], 'f', -1)
    await multi.exec()
  }
}

export const DEVICE_COOKIE = 'callqa_device'
/** How long a browser stays a known device for the user who logged in on it. */
export const DEVICE_TTL_SECONDS = 180 * 86_400

/** Known devices: the hash of a random cookie value maps to the username that logged in with it. */
export class DeviceBook {
  readonly #redis: RedisConnection
  readonly #keys: RedisKeys
  constructor(redis: RedisConnection, keys: RedisKeys) {
    this.#redis = redis
    this.#keys = keys
  }

  /** The device id (hash) when `token` is a known device of `username`. */
  async knownFor(token: string | undefined, username: string): Promise<string | undefined> {
    if (!token || !TOKEN.test(token)) return undefined
    const id = tokenHash(token)
    return (await this.#redis.get(this.#keys.loginAttempts('device', id))) === username ? id : undefined
  }

  async remember(username: string): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.#redis.set(this.#keys.loginAttempts('device', tokenHash(token)), username, 'EX', DEVICE_TTL_SECONDS)
    return token
  }
}
