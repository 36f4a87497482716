/**
 * Who is calling. Every HTTP route and supervisor socket reads `request.principal` (set in
 * onRequest, before any WebSocket upgrade) and asks `@callqa/protocol`'s access rules what it may see.
 *
 * Contract used by the rest of the gateway (keep it stable):
 * - `app.register(authPlugin, options)`
 * - `request.principal: Principal | null`
 * - `app.requirePrincipal` (preHandler): 401 `CQ_ERR_UNAUTHORIZED` when there is none.
 *
 * Accounts: `options.sessions.accountsFile` (the gateway's `CALLQA_ACCOUNTS_FILE`, default
 * ./config/accounts.json; `callqa adduser` writes it). Settings come in as options (config.ts reads
 * the environment), never from the environment here.
 *
 * Sources of a principal, in order: `Authorization: Bearer <CALLQA_ADMIN_TOKEN>` (or `?token=`) gives
 * the admin principal; else the console's session cookie (`callqa_session`, HttpOnly,
 * SameSite=Strict, Path=/), issued by `POST /v1/session` for an account of the accounts file, gives
 * that account's principal. Sessions live in Redis, so any gateway instance accepts them.
 *
 * Session routes (registered here when `options.sessions` is given):
 * - `POST /v1/session` {username, password} → 200 {principal, displayName, roleName} + cookie;
 *   401 CQ_ERR_BAD_LOGIN; 429 CQ_ERR_RATE_LIMITED (+ Retry-After) while a back-off runs (see
 *   LoginLimiter in sessions.ts: per username and address pair, per username, per address, counted
 *   before the password check; a known-device cookie `callqa_device` keeps the right user in).
 *   Session lifetime since the last request: `ttlSeconds` (the gateway's CALLQA_SESSION_TTL_SECONDS, default 43200).
 * - `GET /v1/session` → 200 {principal, displayName, roleName}; 401 CQ_ERR_UNAUTHORIZED.
 * - `DELETE /v1/session` → 204, cookie cleared.
 */
import fp from 'fastify-plugin'
import { timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ErrorCodes, ROLE_NAMES_ZH, type Principal } from '@callqa/protocol'
import { GATEWAY_ERRORS, GatewayError, gatewayError } from '../errors.js'
import type { GatewayConfig } from '../config.js'
import { redisKeys, type RedisConnection } from '@callqa/store'
import { AccountBook, DEFAULT_ACCOUNTS_FILE, principalOf, readAccountsFile, type Account } from './accounts.js'
import { DEFAULT_LOGIN_LIMITS, DEVICE_COOKIE, DEVICE_TTL_SECONDS, DeviceBook, LoginLimiter, SESSION_COOKIE, SessionStore, type LoginLimits } from './sessions.js'

export { AccountBook, hashPassword, verifyPassword, readAccountsFile, upsertAccount, DEFAULT_ACCOUNTS_FILE } from './accounts.js'
export type { Account } from './accounts.js'
export { SESSION_COOKIE, DEVICE_COOKIE, DEFAULT_LOGIN_LIMITS, type LoginLimits } from './sessions.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    requirePrincipal: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

/** 12 h: a shift and a half. */
export const DEFAULT_SESSION_TTL_SECONDS = 43_200

export interface SessionOptions {
  /** Redis for sessions and login counters (the gateway's own connection; not closed here). */
  redis: RedisConnection
  /** Key prefix (tests use their own). @defaultValue 'callqa' */
  keyPrefix?: string
  /** Accounts, already read. When absent, `accountsFile` is read at startup. */
  accounts?: Account[]
  /** @defaultValue './config/accounts.json' */
  accountsFile?: string
  /**
   * When `accountsFile` does not exist, use the demo accounts shipped with the console (password
   * `callqa-demo`): for a first look on a laptop, never a floor with real calls. @defaultValue false
   */
  demoAccounts?: boolean
  /** Session lifetime since the last request. @defaultValue 43200 (12 h: a shift and a half) */
  ttlSeconds?: number
  /** Add `Secure` to the cookie. @defaultValue true when the request came over https */
  secureCookie?: boolean
  /** @defaultValue DEFAULT_LOGIN_LIMITS */
  loginLimits?: Partial<LoginLimits>
}

export interface AuthOptions {
  /** Bearer token that grants the admin principal (all teams). Empty disables it. */
  adminToken: string
  /**
   * Console accounts and session cookies. @defaultValue the gateway core's Redis and key prefix when
   * `app.callqa` is registered before this plugin; without either only the bearer token works.
   */
  sessions?: SessionOptions
}

/** 401 CQ_ERR_UNAUTHORIZED from the catalogue. */
const unauthorized = (message = GATEWAY_ERRORS.UNAUTHORIZED.message): GatewayError => gatewayError('UNAUTHORIZED', message)

/** Constant-time comparison of two tokens. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
}

/** The token a request carries: `Authorization: Bearer x`, else `?token=x`. */
export function requestToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const query = request.query as Record<string, unknown> | undefined
  return typeof query?.token === 'string' ? query.token : undefined
}

/** The value of one cookie in a Cookie header (no dependency for one name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`
}

/** What `GET /v1/session` and a login answer: the principal plus what the console shows. */
export interface SessionInfo {
  principal: Principal
  displayName: string
  roleName: string
}

function sessionInfo(account: Account): SessionInfo {
  return {
    principal: principalOf(account),
    displayName: account.displayName ?? account.username,
    roleName: ROLE_NAMES_ZH[account.role],
  }
}

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
} as const

/** The gateway core's Redis and key prefix (`app.callqa`, registered before this plugin), when there is one. */
function coreSessions(app: FastifyInstance): SessionOptions | undefined {
  if (!app.hasDecorator('callqa')) return undefined
  const { redis, config } = (app as unknown as { callqa: { redis: RedisConnection; config: GatewayConfig } }).callqa
  return {
    redis,
    keyPrefix: config.keyPrefix,
    accountsFile: config.accountsFile,
    demoAccounts: config.demoAccounts,
    ttlSeconds: config.sessionTtlSeconds,
    loginLimits: config.loginLimits,
  }
}

/**
 * Accounts from `path`. When that file does not exist and `demo` is set, the demo accounts shipped
 * with the console (services/console/demo-accounts.json, password `callqa-demo`) are used instead,
 * loudly: they are for a first look on a laptop, never for a floor with real calls.
 */
async function loadAccounts(path: string, demo: boolean, log: FastifyBaseLogger): Promise<AccountBook> {
  // Reloaded on change (accounts.ts): `callqa adduser` needs no restart, and the first real account turns the demo ones off.
  const source = {
    path,
    ...(demo ? { demoFile: DEMO_ACCOUNTS_FILE } : {}),
    onReload: (event: { path: string; accounts: number; demo: boolean } | { path: string; error: Error }) => {
      if ('error' in event) log.error({ accountsFile: event.path, err: event.error.message }, 'accounts file not reloaded: keeping the accounts loaded before')
      else if (demo && !event.demo) log.warn({ accountsFile: event.path, accounts: event.accounts }, 'accounts file created: the DEMO console accounts are turned off')
      else log.info({ accountsFile: event.path, accounts: event.accounts }, 'accounts file reloaded')
    },
  }
  if (!existsSync(path) && demo) {
    log.warn({ accountsFile: path, demoAccountsFile: DEMO_ACCOUNTS_FILE }, 'no accounts file: using the DEMO console accounts (password callqa-demo)')
    return new AccountBook(await readAccountsFile(DEMO_ACCOUNTS_FILE), source)
  }
  return new AccountBook(await readAccountsFile(path), source)
}

export const DEMO_ACCOUNTS_FILE = fileURLToPath(new URL('../../../console/demo-accounts.json', import.meta.url))

export const authPlugin = fp(
  async function auth(app, options: AuthOptions) {
    app.decorateRequest('principal', null)
    const sessionsOptions = options.sessions ?? coreSessions(app)
    let book: AccountBook | undefined
    let sessions: SessionStore | undefined
    let limiter: LoginLimiter | undefined
    let devices: DeviceBook | undefined
    if (sessionsOptions) {
      const keys = redisKeys(sessionsOptions.keyPrefix)
      book = sessionsOptions.accounts
        ? new AccountBook(sessionsOptions.accounts)
        : await loadAccounts(sessionsOptions.accountsFile ?? DEFAULT_ACCOUNTS_FILE, sessionsOptions.demoAccounts ?? false, app.log)
      sessions = new SessionStore(sessionsOptions.redis, keys, sessionsOptions.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS)
      // The roster (names on the console) reads the accounts' display names from the same book.
      app.decorate('accountBook', book)
      limiter = new LoginLimiter(sessionsOptions.redis, keys, { ...DEFAULT_LOGIN_LIMITS, ...sessionsOptions.loginLimits })
      devices = new DeviceBook(sessionsOptions.redis, keys)
      if (book.size === 0) app.log.warn('no console accounts: add one with `pnpm --silent callqa adduser`')
    }

    app.addHook('onRequest', async (request) => {
      const token = requestToken(request)
      if (token !== undefined && options.adminToken && sameToken(token, options.adminToken)) {
        request.principal = { username: 'admin', role: 'admin' }
        return
      }
      if (!sessions || !book) return
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE)
      if (!cookie) return
      const session = await sessions.get(cookie)
      // An account removed from the file loses its sessions at the next restart of each instance.
      const account = session ? book.get(session.username) : undefined
      if (account) request.principal = principalOf(account)
    })

    app.decorate('requirePrincipal', async (request: FastifyRequest) => {
      if (!request.principal) throw unauthorized()
    })

    if (!sessions || !book || !limiter) return
    const secureOf = (request: FastifyRequest) => sessionsOptions?.secureCookie ?? request.protocol === 'https'

    app.post('/v1/session', { schema: { body: loginBody } }, async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string }
      const device = await devices!.knownFor(readCookie(request.headers.cookie, DEVICE_COOKIE), username)
      // Counted before the password is checked, so parallel guesses cannot all get through.
      const waitMs = await limiter!.reserve(request.ip, username, device, Date.now())
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000)
        reply.header('retry-after', String(seconds))
        throw new GatewayError(ErrorCodes.RATE_LIMITED, 429, `too many login attempts: try again in ${seconds} s`)
      }
      const account = await book!.authenticate(username, password)
      if (!account) throw gatewayError('BAD_LOGIN', GATEWAY_ERRORS.BAD_LOGIN.message)
      await limiter!.succeeded(request.ip, username, device)
      const token = await sessions!.create(account.username, Date.now())
      request.log.info({ username: account.username, role: account.role, knownDevice: device !== undefined }, 'console login')
      const deviceToken = device ? undefined : await devices!.remember(account.username)
      const cookies = [sessionCookie(token, sessions!.ttlSeconds, secureOf(request))]
      if (deviceToken) cookies.push(`${DEVICE_COOKIE}=${deviceToken}; Path=/v1/session; HttpOnly; SameSite=Strict; Max-Age=${DEVICE_TTL_SECONDS}${secureOf(request) ? '; Secure' : ''}`)
      return reply
        .header('set-cookie', cookies)
        .header('cache-control', 'no-store')
        .send(sessionInfo(account))
    })

    app.get('/v1/session', async (request, reply) => {
      const principal = request.principal
      if (!principal) throw unauthorized('not logged in')
      const account = book!.get(principal.username)
      reply.header('cache-control', 'no-store')
      if (principal.role === 'admin' || !account) {
        return { principal, displayName: principal.username, roleName: ROLE_NAMES_ZH[principal.role] } satisfies SessionInfo
      }
      return sessionInfo(account)
    })

    app.delete('/v1/session', async (request, reply) => {
      const cookie = readCookie(request.headers.cookie, SESSION_COOKIE)
      if (cookie) await sessions!.delete(cookie)
      return reply.code(204).header('set-cookie', sessionCookie('', 0, secureOf(request))).send()
    })
  },
  { name: 'callqa-auth', fastify: '5.x' },
)
