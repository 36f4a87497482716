import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue, QueueEvents, type Job } from 'bullmq'
import { pino } from 'pino'
import { Webhook } from 'standardwebhooks'
import { SCORE_JOB_OPTIONS, WebhookOutbox, type WebhookConfig, type WebhookPayload } from '@callqa/store'
import type { AlertMessage } from '@callqa/protocol'
import { simReport, simulateDay } from '../../../test/aggregator-simulate.js'
import { createTestDatabase } from '@callqa/store/testing'
import { startWorkers, type RunningWorkers } from './index.js'
import { TEST_REDIS_URL, testRedisOptions } from '../../../test/redis-url.js'

const silent = pino({ level: 'silent' })
const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`
const reports = simulateDay({ teams: 1, agentsPerTeam: 2, seed: 11, callsPerAgent: [5, 5], callPrefix: 'wk' }).map(simReport)

let redis: Redis
const cleanups: Array<() => Promise<unknown>> = []

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL)
})
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined)
})
afterAll(async () => {
  await redis.quit()
})

async function deletePrefix(prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    if (keys.length) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}

interface Harness {
  workers: RunningWorkers
  scoreQueue: Queue
  webhookQueue: Queue
  webhookEvents: QueueEvents
  scoreEvents: QueueEvents
  prefix: string
}

async function harness(webhooks: Partial<WebhookConfig> = {}): Promise<Harness> {
  const id = randomUUID()
  const prefix = `test-${id}`
  const bullPrefix = `test-bull-${id}`
  const config: WebhookConfig = { subscribers: [], attempts: 3, backoffMs: 20, timeoutMs: 2000, ...webhooks }
  // A database of its own for each harness (dropped after): the store of record is PostgreSQL.
  const db = await createTestDatabase()
  const workers = await startWorkers({
    redisUrl: TEST_REDIS_URL,
    databaseUrl: db.url,
    bullPrefix,
    webhooks: config,
    concurrency: 4,
    logger: silent,
  })
  const scoreQueue = new Queue('score', { connection: redis, prefix: bullPrefix })
  const webhookQueue = new Queue('webhooks', { connection: redis, prefix: bullPrefix })
  const scoreEvents = new QueueEvents('score', { connection: testRedisOptions(), prefix: bullPrefix })
  const webhookEvents = new QueueEvents('webhooks', { connection: testRedisOptions(), prefix: bullPrefix })
  await Promise.all([scoreEvents.waitUntilReady(), webhookEvents.waitUntilReady()])
  cleanups.push(async () => {
    await workers.close()
    await Promise.all([scoreEvents.close(), webhookEvents.close()])
    await scoreQueue.obliterate({ force: true })
    await webhookQueue.obliterate({ force: true })
    await Promise.all([scoreQueue.close(), webhookQueue.close()])
    await deletePrefix(prefix)
    await db.drop()
  })
  return { workers, scoreQueue, webhookQueue, webhookEvents, scoreEvents, prefix }
}

async function settle(job: Job, events: QueueEvents): Promise<'completed' | 'failed'> {
  try {
    await job.waitUntilFinished(events, 20_000)
    return 'completed'
  } catch {
    return 'failed'
  }
}

describe('score worker', () => {
  it('stores and counts a report; a second job for the same call changes nothing', async () => {
    const h = await harness()
    const report = reports[0]!
    const first = await h.scoreQueue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: report.callId })
    expect(await settle(first, h.scoreEvents)).toBe('completed')
    expect((await h.scoreQueue.getJob(first.id!))!.returnvalue.stored).toBe(true)
    // A duplicate under another job id (e.g. re-added after the first job was removed).
    const again = await h.scoreQueue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: `${report.callId}-again` })
    expect(await settle(again, h.scoreEvents)).toBe('completed')
    expect((await h.scoreQueue.getJob(again.id!))!.returnvalue.stored).toBe(false)
    const kpi = await h.workers.store.readKpi('agent', report.agentId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.total.calls).toBe(1)
    expect(await h.workers.store.getReport(report.callId)).toEqual(report)
  })

  it('counts each call once when jobs added together carry a call twice (batched writes)', async () => {
    const h = await harness()
    const calls = reports.slice(3, 9)
    // The same call under two job ids, added in one go: both can land in one batch.
    const entries = [...calls.map((report) => ({ report, jobId: report.callId })), { report: calls[1]!, jobId: `${calls[1]!.callId}-dup` }]
    const jobs = await h.scoreQueue.addBulk(entries.map(({ report, jobId }) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId } })))
    for (const job of jobs) expect(await settle(job, h.scoreEvents)).toBe('completed')
    const stored = await Promise.all(jobs.map(async (j) => (await h.scoreQueue.getJob(j.id!))!.returnvalue.stored as boolean))
    expect(stored.filter(Boolean)).toHaveLength(calls.length)
    expect(stored[1]! !== stored[entries.length - 1]!).toBe(true)
    for (const agentId of new Set(calls.map((r) => r.agentId))) {
      const kpi = await h.workers.store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')
      expect(kpi.total.calls).toBe(calls.filter((r) => r.agentId === agentId).length)
    }
  })

  it('fails a bad payload at once, without retry, saying why', async () => {
    const h = await harness()
    const job = await h.scoreQueue.add('score', { report: { ...reports[1]!, disposition: 'hung_up' } }, { ...SCORE_JOB_OPTIONS, jobId: 'bad-1' })
    expect(await settle(job, h.scoreEvents)).toBe('failed')
    const failed = (await h.scoreQueue.getJob('bad-1'))!
    expect(failed.attemptsMade).toBe(1)
    expect(failed.failedReason).toMatch(/CQ_ERR_INVALID_REPORT: .*report\.disposition/)
    expect(await h.workers.store.getSummary(reports[1]!.callId)).toBeNull()
  })
})

interface Received {
  headers: IncomingMessage['headers']
  body: string
  atMs?: number
}

async function hookServer(answer: (n: number) => number | [number, Record<string, string>]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), atMs: Date.now() })
      const a = answer(received.length)
      const [status, headers] = Array.isArray(a) ? a : [a, {}]
      res.writeHead(status, headers)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(resolve)))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server }
}

function verify(r: Received): WebhookPayload {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as WebhookPayload
}

describe('outbound webhooks', () => {
  it('delivers call.scored signed per Standard Webhooks', async () => {
    const hook = await hookServer(() => 204)
    const h = await harness({ subscribers: [{ id: 'crm', url: hook.url, secret, events: ['call.scored'] }] })
    const report = reports[2]!
    const job = await h.scoreQueue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: report.callId })
    expect(await settle(job, h.scoreEvents)).toBe('completed')
    const delivery = (await h.webhookQueue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']))[0]!
    expect(await settle(delivery, h.webhookEvents)).toBe('completed')
    expect(hook.received).toHaveLength(1)
    const payload = verify(hook.received[0]!) as WebhookPayload<{ callId: string; score: number; reportPath: string }>
    expect(payload.type).toBe('call.scored')
    expect(payload.data.callId).toBe(report.callId)
    expect(payload.data.score).toBe(report.score)
    expect(payload.data.reportPath).toBe(`/v1/calls/${report.callId}/report`)
    // A tampered body does not verify.
    expect(() => verify({ ...hook.received[0]!, body: hook.received[0]!.body.replace('"score":', '"score":1') })).toThrow()
  })

  it('retries a failing endpoint with backoff and delivers the same message id', async () => {
    const hook = await hookServer((n) => (n < 3 ? 503 : 200))
    const h = await harness({ subscribers: [{ id: 'wfm', url: hook.url, secret, events: ['alert.raised'] }], attempts: 5 })
    const alert: AlertMessage = {
      type: 'alert',
      alertId: 'call-9:forbidden_phrase-3-0',
      callId: 'call-9',
      agentId: 'agent-101',
      teamId: 'team-a',
      rule: 'forbidden_phrase',
      severity: 'major',
      phrase: '不知道',
      atMs: 42_000,
      raisedAt: '2026-11-27T03:00:42.000Z',
    }
    const outbox = new WebhookOutbox({ connection: redis, config: { subscribers: [{ id: 'wfm', url: hook.url, secret, events: ['alert.raised'] }], attempts: 5, backoffMs: 20, timeoutMs: 2000 }, bullPrefix: (h.webhookQueue.opts.prefix as string) })
    cleanups.push(() => outbox.close())
    expect(await outbox.alertRaised(alert)).toBe(1)
    expect(await outbox.alertRaised(alert)).toBe(1) // resent alert: same job id, one delivery
    const delivery = (await h.webhookQueue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']))[0]!
    expect(await settle(delivery, h.webhookEvents)).toBe('completed')
    expect(hook.received).toHaveLength(3)
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
    for (const r of hook.received) expect(verify(r).type).toBe('alert.raised')
    expect((verify(hook.received[2]!) as WebhookPayload<AlertMessage>).data.phrase).toBe('不知道')
  })

  it('gives up after the attempt limit, and scoring is not held up meanwhile', async () => {
    const hook = await hookServer(() => 500)
    const h = await harness({ subscribers: [{ id: 'down', url: hook.url, secret, events: ['call.scored'] }], attempts: 3 })
    const jobs = await h.scoreQueue.addBulk(reports.slice(3, 7).map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: report.callId } })))
    for (const job of jobs) expect(await settle(job, h.scoreEvents)).toBe('completed')
    const deliveries = await h.webhookQueue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])
    expect(deliveries).toHaveLength(4)
    for (const d of deliveries) expect(await settle(d, h.webhookEvents)).toBe('failed')
    for (const d of deliveries) {
      const job = (await h.webhookQueue.getJob(d.id!))!
      expect(job.attemptsMade).toBe(3)
      expect(job.failedReason).toMatch(/HTTP 500/)
    }
    expect(hook.received).toHaveLength(12)
  })

  it('waits at least as long as Retry-After asks before the next attempt', async () => {
    const hook = await hookServer((n) => (n === 1 ? [429, { 'retry-after': '2' }] : 200))
    const h = await harness({ subscribers: [{ id: 'busy', url: hook.url, secret, events: ['call.scored'] }], attempts: 3, backoffMs: 10 })
    const report = reports[9]!
    const job = await h.scoreQueue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: report.callId })
    expect(await settle(job, h.scoreEvents)).toBe('completed')
    const delivery = (await h.webhookQueue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']))[0]!
    expect(await settle(delivery, h.webhookEvents)).toBe('completed')
    expect(hook.received).toHaveLength(2)
    // A lower bound only: a busy machine can make the wait longer, never shorter.
    expect(hook.received[1]!.atMs! - hook.received[0]!.atMs!).toBeGreaterThanOrEqual(1900)
  })

  it('stops at once on 410 Gone', async () => {
    const hook = await hookServer(() => 410)
    const h = await harness({ subscribers: [{ id: 'gone', url: hook.url, secret, events: ['call.scored'] }], attempts: 5 })
    const report = reports[8]!
    const job = await h.scoreQueue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: report.callId })
    expect(await settle(job, h.scoreEvents)).toBe('completed')
    const delivery = (await h.webhookQueue.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']))[0]!
    expect(await settle(delivery, h.webhookEvents)).toBe('failed')
    expect(hook.received).toHaveLength(1)
  })
})
