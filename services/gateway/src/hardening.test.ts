/**
 * Secrets, exposure and coded errors at the gateway's edges: a production gateway refuses default
 * or missing secrets naming the variable; `?token=` never reaches the access log; unknown routes,
 * oversized and wrongly typed bodies get CQ_ERR_* codes; while Redis is unreachable the API and
 * login answer 503 CQ_ERR_UNAVAILABLE at once; a signed webhook that is not JSON gets 400.
 */
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { freePort, PrivateRedis } from '../../../test/aggregator-helpers.js'
import { buildApp } from './app.js'
import { loadConfig, secretProblems } from './config.js'
import { postWebhook, testEnv, testRulebook, TEST_ADMIN_TOKEN, useTestGateway } from './testing.js'

const ROOT = resolve(import.meta.dirname, '../../..')

describe('secrets outside development', () => {
  it('names every missing, default or short secret, and accepts real ones', () => {
    expect(secretProblems({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('CALLQA_INGEST_TOKENS is not set')])
    const defaults = secretProblems({ CALLQA_INGEST_TOKENS: 'dev-ingest-token', CALLQA_ADMIN_TOKEN: 'change-me-admin', CALLQA_WEBHOOK_SECRET: 'whsec_Y2hhbmdlLW1lLWNoYW5nZS1tZS1jaGFuZ2UtbWUh' })
    expect(defaults).toHaveLength(3)
    expect(defaults.join('\n')).toMatch(/CALLQA_INGEST_TOKENS holds a well-known[\s\S]*CALLQA_ADMIN_TOKEN holds a well-known[\s\S]*CALLQA_WEBHOOK_SECRET holds a well-known/)
    expect(secretProblems({ CALLQA_INGEST_TOKENS: 'short' })).toEqual([expect.stringContaining('CALLQA_INGEST_TOKENS is shorter than 16')])
    expect(secretProblems({ CALLQA_INGEST_TOKENS: 'q8Vn3xT0pLr7Zk2mWc9Y', CALLQA_ADMIN_TOKEN: 'Jd82mXq0Lr5Tz7Vb3Nc1' })).toEqual([])
    // Development (`pnpm start`) may use its own values, but not with NODE_ENV=production.
    expect(secretProblems({ CALLQA_DEV: '1', CALLQA_INGEST_TOKENS: 'dev-ingest-token' })).toEqual([])
    expect(secretProblems({ CALLQA_DEV: '1', NODE_ENV: 'production', CALLQA_INGEST_TOKENS: 'dev-ingest-token' })).toHaveLength(1)
  })

  it('the gateway refuses to start with a default secret, saying which variable', async () => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['services/gateway/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', CALLQA_INGEST_TOKENS: 'dev-ingest-token', CALLQA_ADMIN_TOKEN: '', CALLQA_WEBHOOK_SECRET: '', CALLQA_DEV: '', PORT: String(await freePort()) },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code).toBe(78)
    expect(stderr).toMatch(/refusing to start outside development[\s\S]*CALLQA_INGEST_TOKENS holds a well-known development value/)
  }, 30_000)
})

describe('Redis Cluster settings', () => {
  it('read CALLQA_REDIS_CLUSTER and refuse bad nodes or a BullMQ prefix without a hash tag, naming the variable', () => {
    expect(loadConfig({ CALLQA_REDIS_CLUSTER: '127.0.0.1:7000,127.0.0.1:7001' }).redisClusterNodes).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
    ])
    expect(loadConfig({}).redisClusterNodes).toEqual([])
    expect(loadConfig({}).bullPrefix).toBe('{callqa}')
    expect(() => loadConfig({ CALLQA_REDIS_CLUSTER: '127.0.0.1' })).toThrow(/CALLQA_REDIS_CLUSTER must list seed nodes as host:port/)
    expect(() => loadConfig({ CALLQA_REDIS_CLUSTER: '127.0.0.1:7000', CALLQA_BULL_PREFIX: 'bull' })).toThrow(/CALLQA_BULL_PREFIX must carry a hash tag/)
    expect(loadConfig({ CALLQA_BULL_PREFIX: 'bull' }).bullPrefix).toBe('bull')
  })
})

describe('access logs', () => {
  it('redact ?token= from every logged URL', async () => {
    const lines: string[] = []
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })
    const env = testEnv()
    const app = await buildApp({ ...loadConfig(env), port: 0 }, { rulebook: testRulebook(), logger: { level: 'info', stream } })
    try {
      await app.inject({ url: `/v1/alerts/recent?since=0&token=${TEST_ADMIN_TOKEN}` })
      await app.inject({ url: `/v1/nothing-here?a=1&token=${TEST_ADMIN_TOKEN}&b=2` })
    } finally {
      await app.close()
    }
    const log = lines.join('')
    expect(log).toContain('token=[redacted]')
    expect(log).not.toContain(TEST_ADMIN_TOKEN)
  })
})

describe('coded errors at the HTTP edge', () => {
  const gw = useTestGateway()

  it('unknown routes, too large and wrongly typed bodies answer CQ_ERR_* codes, and API answers are not cached', async () => {
    const missing = await fetch(`${gw.url}/v1/no-such-thing`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ statusCode: 404, code: 'CQ_ERR_NOT_FOUND', error: 'Not Found' })
    const big = await fetch(`${gw.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }) })
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ code: 'CQ_ERR_BODY_TOO_LARGE' })
    const typed = await fetch(`${gw.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<login/>' })
    expect(typed.status).toBe(415)
    expect(await typed.json()).toMatchObject({ code: 'CQ_ERR_UNSUPPORTED_MEDIA_TYPE' })
    // text/plain too (fastify would parse it to a string and the schema answer a vague 400), on a
    // login and on a state-changing route alike.
    for (const path of ['/v1/session', '/v1/alerts/a-1/ack']) {
      const plain = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: '{"username":"x","password":"y"}' })
      expect(plain.status).toBe(415)
      expect(await plain.json()).toEqual({
        statusCode: 415,
        code: 'CQ_ERR_UNSUPPORTED_MEDIA_TYPE',
        error: 'Unsupported Media Type',
        message: 'content-type "text/plain" is not accepted: send application/json',
      })
    }
    const deep = await fetch(`${gw.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '['.repeat(5000) + ']'.repeat(5000) })
    expect(deep.status).toBe(400)
    expect(await deep.json()).toMatchObject({ code: 'CQ_ERR_NESTING_TOO_DEEP' })
    const api = await fetch(`${gw.url}/v1/alerts/recent`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    expect(api.headers.get('cache-control')).toBe('no-store')
  })

  it('a number too large to be finite (1e999) in a query or a body is a coded 400 naming the field', async () => {
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
    const query = await fetch(`${gw.url}/v1/alerts/recent?limit=1e999`, { headers: auth })
    expect(query.status).toBe(400)
    expect(await query.json()).toMatchObject({ code: 'CQ_ERR_INVALID_PARAMETER', message: expect.stringContaining('query.limit') })
    const fine = await fetch(`${gw.url}/v1/alerts/recent?limit=1e2`, { headers: auth })
    expect(fine.status).toBe(200)
    const body = await fetch(`${gw.url}/v1/replays`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"rulebook":"rules: {}","sinceDays":1e999}' })
    const answer = await body.json()
    // In a JSON body the validator itself refuses it for an integer field (not for a plain number: the hook does).
    expect(answer, JSON.stringify(answer)).toMatchObject({ statusCode: 400, code: expect.stringMatching(/^CQ_ERR_(VALIDATION|INVALID_PARAMETER)$/), message: expect.stringContaining('sinceDays') })
  })

  it('a correctly signed webhook whose body is not JSON gets 400, not a signature error', async () => {
    const res = await postWebhook(gw.url, 'call.started c-1 a-1')
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('CQ_ERR_NOT_JSON')
  })
})

describe('while Redis is unreachable', () => {
  it('REST and login answer 503 CQ_ERR_UNAVAILABLE at once', async () => {
    const redis = new PrivateRedis({ appendOnly: false })
    await redis.start()
    try {
      const app = await buildApp({ ...loadConfig(testEnv({ REDIS_URL: redis.url })), port: 0 }, { rulebook: testRulebook(), logger: false })
      await app.listen({ host: '127.0.0.1', port: 0 })
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
      expect((await fetch(`${url}/v1/alerts/recent`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).status).toBe(200)
      await redis.crash()
      await new Promise((r) => setTimeout(r, 200))
      for (const request of [
        () => fetch(`${url}/v1/alerts/recent`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }),
        () => fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wang', password: 'x' }) }),
        () => fetch(`${url}/v1/calls`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }),
      ]) {
        const startedAt = performance.now()
        const res = await request()
        expect(res.status).toBe(503)
        expect(await res.json()).toMatchObject({ statusCode: 503, code: 'CQ_ERR_UNAVAILABLE' })
        expect(res.headers.get('retry-after')).toBe('1')
        // "At once": far under the seconds ioredis' reconnect retries would take (a liveness bound).
        expect(performance.now() - startedAt).toBeLessThan(1000)
      }
      await app.close()
    } finally {
      await redis.stop()
    }
  }, 30_000)
})
