import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { canSee } from '@callqa/protocol'
import { authPlugin, DEVICE_COOKIE, hashPassword, SESSION_COOKIE, type Account } from './index.js'
import { loadConfig } from '../config.js'

const prefix = `test-${randomUUID()}`
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
let accounts: Account[]
const apps: FastifyInstance[] = []

async function buildAuthApp(limits: Record<string, number> = { maxFailuresPerIp: 100, maxFailuresPerUsername: 3, windowMs: 60_000 }, trustProxy: boolean | number | string[] = false): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy: trustProxy as boolean })
  await app.register(authPlugin, { adminToken: 'admin-secret-token', sessions: { redis, keyPrefix: prefix, accounts, loginLimits: limits } })
  app.get('/v1/whoami', { preHandler: app.requirePrincipal }, async (request) => ({
    principal: request.principal,
    seesTeam2: canSee(request.principal!, { agentId: 'a-9', teamId: 't-2' }),
  }))
  await app.ready()
  apps.push(app)
  return app
}

function cookieOf(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie[0]! : setCookie!
  return header.split(';')[0]!
}

async function login(app: FastifyInstance, username: string, password: string, ip = '10.0.0.1') {
  return app.inject({ method: 'POST', url: '/v1/session', payload: { username, password }, remoteAddress: ip })
}

beforeAll(async () => {
  const hash = await hashPassword('correct horse 外呼')
  accounts = [
    { username: 'wang', role: 'shift_lead', displayName: '王班长', passwordHash: hash },
    { username: 'li', role: 'outbound_manager', teams: ['t-1'], passwordHash: hash },
    { username: 'locked', role: 'shift_lead', passwordHash: hash },
    { username: 'zhou', role: 'shift_lead', passwordHash: hash },
    { username: 'zhao', role: 'shift_lead', passwordHash: hash },
    { username: 'sun', role: 'shift_lead', passwordHash: hash },
  ]
})

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()))
  const keys = await redis.keys(`${prefix}:*`)
  if (keys.length) await redis.del(...keys)
  await redis.quit()
})

describe('console sessions', () => {
  it('logs in with an HttpOnly SameSite=Strict cookie that any instance accepts, and logs out', async () => {
    const a = await buildAuthApp()
    const b = await buildAuthApp()
    const res = await login(a, 'li', 'correct horse 外呼')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ principal: { username: 'li', role: 'outbound_manager', teams: ['t-1'] }, displayName: 'li', roleName: '外呼管理员' })
    const setCookie = String((res.headers['set-cookie'] as string[])[0])
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200$`))
    const cookie = cookieOf(res.headers['set-cookie'])
    // Redis holds a hash of the token, never the token itself.
    const stored = await redis.keys(`${prefix}:session:*`)
    expect(stored).toHaveLength(1)
    expect(stored[0]).not.toContain(cookie.split('=')[1])

    const who = await b.inject({ url: '/v1/whoami', headers: { cookie } })
    expect(who.json()).toEqual({ principal: { username: 'li', role: 'outbound_manager', teams: ['t-1'] }, seesTeam2: false })
    expect((await b.inject({ url: '/v1/session', headers: { cookie } })).json().principal.username).toBe('li')

    const out = await b.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie } })
    expect(out.statusCode).toBe(204)
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0/)
    const after = await a.inject({ url: '/v1/whoami', headers: { cookie } })
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('CQ_ERR_UNAUTHORIZED')
  })

  it('rejects a wrong password and an unknown user with the same coded 401', async () => {
    const app = await buildAuthApp()
    for (const [u, p] of [['wang', 'nope'], ['ghost', 'correct horse 外呼']] as const) {
      const res = await login(app, u, p, '10.0.0.2')
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({ statusCode: 401, code: 'CQ_ERR_BAD_LOGIN', error: 'Unauthorized', message: 'wrong username or password' })
      expect(res.headers['set-cookie']).toBeUndefined()
    }
    expect((await app.inject({ url: '/v1/whoami', headers: { cookie: `${SESSION_COOKIE}=forged` } })).statusCode).toBe(401)
  })

  it('locks a username after repeated failures, even with the right password, with a coded 429', async () => {
    const app = await buildAuthApp()
    for (let i = 0; i < 3; i++) expect((await login(app, 'locked', `guess-${i}`, `10.1.0.${i}`)).statusCode).toBe(401)
    const res = await login(app, 'locked', 'correct horse 外呼', '10.1.0.9')
    expect(res.statusCode).toBe(429)
    expect(res.json().code).toBe('CQ_ERR_RATE_LIMITED')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    // Other users are not affected.
    expect((await login(app, 'wang', 'correct horse 外呼', '10.1.0.9')).statusCode).toBe(200)
  })

  it('limits failed logins per client address (password spraying), not successful ones', async () => {
    const app = await buildAuthApp({ maxFailuresPerIp: 4, maxFailuresPerUsername: 100, windowMs: 60_000 })
    const ip = `10.2.${Math.floor(Math.random() * 250)}.7`
    // A shift logging in through one proxy: successes do not count.
    for (let i = 0; i < 6; i++) expect((await login(app, 'wang', 'correct horse 外呼', ip)).statusCode).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login(app, `user${i}`, 'x', ip)).statusCode).toBe(401)
    expect((await login(app, 'wang', 'correct horse 外呼', ip)).statusCode).toBe(429)
    expect((await login(app, 'wang', 'correct horse 外呼', '10.2.255.1')).statusCode).toBe(200)
  })

  it('keeps the admin bearer token working and validates the login body', async () => {
    const app = await buildAuthApp()
    const who = await app.inject({ url: '/v1/whoami', headers: { authorization: 'Bearer admin-secret-token' } })
    expect(who.json().principal).toEqual({ username: 'admin', role: 'admin' })
    const bad = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang' } })
    expect(bad.statusCode).toBe(400)
  })

  it('counts parallel guesses before checking the password: 25 at once, only the free ones are checked', async () => {
    const app = await buildAuthApp({ maxFailuresPerPair: 3, maxFailuresPerUsername: 100, maxFailuresPerIp: 100, baseDelayMs: 60_000, windowMs: 60_000 })
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login(app, 'zhou', `guess-${i}`, '10.3.0.1')))
    const codes = answers.map((r) => r.statusCode)
    expect(codes.filter((c) => c === 401)).toHaveLength(3)
    expect(codes.filter((c) => c === 429)).toHaveLength(22)
  })

  it('backs off exponentially, and the right password gets in once the short delay has passed', async () => {
    // Delays of 2 s then 4 s, counted from each attempt (before its password check): waits of 2.1 s
    // land after the first and inside the second even when a loaded machine slows the hashing.
    const app = await buildAuthApp({ maxFailuresPerPair: 2, maxFailuresPerUsername: 100, maxFailuresPerIp: 100, baseDelayMs: 2000, windowMs: 60_000 })
    for (let i = 0; i < 2; i++) expect((await login(app, 'sun', `guess-${i}`, '10.4.0.1')).statusCode).toBe(401)
    const waiting = await login(app, 'sun', 'correct horse 外呼', '10.4.0.1')
    expect(waiting.statusCode).toBe(429)
    expect(Number(waiting.headers['retry-after'])).toBe(2)
    await new Promise((r) => setTimeout(r, 2100))
    expect((await login(app, 'sun', 'guess-3', '10.4.0.1')).statusCode).toBe(401)
    // The next delay is twice the first.
    await new Promise((r) => setTimeout(r, 2100))
    expect((await login(app, 'sun', 'correct horse 外呼', '10.4.0.1')).statusCode).toBe(429)
    await new Promise((r) => setTimeout(r, 2100))
    expect((await login(app, 'sun', 'correct horse 外呼', '10.4.0.1')).statusCode).toBe(200)
  }, 30_000)

  it('a known device keeps the right user in while guesses from a shared office NAT hold everyone else back', async () => {
    const app = await buildAuthApp({ maxFailuresPerPair: 3, maxFailuresPerUsername: 5, maxFailuresPerIp: 30, baseDelayMs: 60_000, windowMs: 60_000 })
    const nat = '10.5.0.1'
    const first = await login(app, 'zhao', 'correct horse 外呼', nat)
    expect(first.statusCode).toBe(200)
    const deviceCookie = (first.headers['set-cookie'] as string[]).find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!
    expect(deviceCookie).toMatch(/HttpOnly; SameSite=Strict; Max-Age=\d+$/)
    // 30 failures from the NAT address over many usernames, and zhao's own username guessed too.
    for (let i = 0; i < 3; i++) await login(app, 'zhao', `guess-${i}`, nat)
    for (let i = 0; i < 30; i++) await login(app, `user-${i}`, 'x', nat)
    expect((await login(app, 'zhao', 'correct horse 外呼', nat)).statusCode).toBe(429)
    const known = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'zhao', password: 'correct horse 外呼' }, remoteAddress: nat, headers: { cookie: deviceCookie.split(';')[0]! } })
    expect(known.statusCode).toBe(200)
    // The device cookie is zhao's only: it does not lift the limits for another username.
    const other = await app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'li', password: 'correct horse 外呼' }, remoteAddress: nat, headers: { cookie: deviceCookie.split(';')[0]! } })
    expect(other.statusCode).toBe(429)
  })

  it('behind a TLS proxy (CALLQA_TRUST_PROXY) the cookie is Secure and the limits see the client address', async () => {
    const app = await buildAuthApp({ maxFailuresPerPair: 2, maxFailuresPerUsername: 100, maxFailuresPerIp: 100, baseDelayMs: 60_000, windowMs: 60_000 }, loadConfig({ CALLQA_TRUST_PROXY: '127.0.0.1' }).trustProxy)
    const via = (client: string, password: string) =>
      app.inject({ method: 'POST', url: '/v1/session', payload: { username: 'wang', password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client, 'x-forwarded-proto': 'https' } })
    for (let i = 0; i < 2; i++) expect((await via('203.0.113.7', 'x')).statusCode).toBe(401)
    expect((await via('203.0.113.7', 'correct horse 外呼')).statusCode).toBe(429)
    const ok = await via('198.51.100.9', 'correct horse 外呼')
    expect(ok.statusCode).toBe(200)
    for (const cookie of ok.headers['set-cookie'] as string[]) expect(cookie).toMatch(/; Secure$/)
  })
})
