import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { canSee } from '@callqa/protocol'
import { authPlugin, hashPassword, SESSION_COOKIE, type Account } from './index.js'

const prefix = `test-${randomUUID()}`
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
let accounts: Account[]
const apps: FastifyInstance[] = []

async function buildAuthApp(limits = { maxFailuresPerIp: 100, maxFailuresPerUsername: 3, windowMs: 60_000 }): Promise<FastifyInstance> {
  const app = Fastify()
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
    const setCookie = String(res.headers['set-cookie'])
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
})
