/**
 * Durability: a `redis-server` started here with append-only on (`--appendfsync always`),
 * SIGKILLed while the workers write and restarted on the same files, has every report whose job
 * was acknowledged (completed); and a reports Redis that goes away for a while makes jobs fail and
 * retry with backoff, every call still counted exactly once.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { ReportStore, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import type { CallReport } from '@callqa/protocol'
import { startWorkers } from '@callqa/aggregator'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { deletePrefix, PrivateRedis, until } from './aggregator-helpers.js'
import { TEST_REDIS_URL } from './redis-url.js'

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined)
})


function day(seed: number, tag: string): CallReport[] {
  return simulateDay({ teams: 2, agentsPerTeam: 4, seed, callsPerAgent: [90, 110], callPrefix: `${tag}-${randomUUID().slice(0, 8)}` }).map(simReport)
}

async function expectCountedOnce(store: ReportStore, redis: Redis, reports: CallReport[]): Promise<void> {
  expect(await redis.zcard(store.keys.reportIndexAll)).toBe(reports.length)
  for (const teamId of new Set(reports.map((r) => r.teamId))) {
    const kpi = await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.total.calls).toBe(reports.filter((r) => r.teamId === teamId).length)
  }
}

it('loses no acknowledged report when Redis is SIGKILLed and restarted (append-only, fsync always)', { timeout: 180_000 }, async () => {
  const redisServer = new PrivateRedis()
  cleanups.push(() => redisServer.stop())
  await redisServer.start()
  const prefix = `test-${randomUUID()}`
  const workers = await startWorkers({ redisUrl: redisServer.url, prefix, concurrency: 32, lockDurationMs: 1500, webhookConcurrency: 0, logLevel: 'silent' })
  cleanups.push(() => workers.close())
  const acknowledged = new Set<string>()
  workers.scoreWorker.on('completed', (job) => acknowledged.add(job.data.report.callId))

  const producer = new Redis(redisServer.url, { maxRetriesPerRequest: null })
  producer.on('error', () => undefined)
  cleanups.push(() => producer.quit())
  const queue = new Queue('score', { connection: producer })
  cleanups.push(() => queue.close())
  const reports = day(5, 'aof')
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))

  await until('a third of the jobs acknowledged', () => acknowledged.size >= reports.length / 3)
  await redisServer.crash()
  const acknowledgedAtCrash = [...acknowledged]
  expect(acknowledgedAtCrash.length).toBeLessThan(reports.length)

  await redisServer.start()
  const check = new Redis(redisServer.url)
  cleanups.push(() => check.quit())
  const store = new ReportStore({ redis: check, prefix })
  const pipeline = check.pipeline()
  for (const callId of acknowledgedAtCrash) pipeline.exists(store.keys.report(callId))
  const exists = ((await pipeline.exec()) ?? []).map(([, n]) => n)
  const lost = acknowledgedAtCrash.filter((_, i) => exists[i] !== 1)
  console.log(`${acknowledgedAtCrash.length} of ${reports.length} reports acknowledged when Redis was killed; ${lost.length} lost`)
  expect(lost).toEqual([])

  // The workers reconnect by themselves and finish the rest, each call counted once.
  await until('every job completed after the restart', async () => (await queue.getJobCounts('completed')).completed === reports.length, 120_000)
  await expectCountedOnce(store, check, reports)
})

it('retries with backoff while the reports Redis is away, and counts each call once', { timeout: 180_000 }, async () => {
  const reportsRedis = new PrivateRedis()
  cleanups.push(() => reportsRedis.stop())
  await reportsRedis.start()
  const id = randomUUID()
  const prefix = `test-${id}`
  const bullPrefix = `test-bull-${id}`
  const workers = await startWorkers({
    redisUrl: TEST_REDIS_URL,
    reportsRedisUrl: reportsRedis.url,
    prefix,
    bullPrefix,
    concurrency: 16,
    webhookConcurrency: 0,
    logLevel: 'silent',
  })
  cleanups.push(() => workers.close())
  const main = new Redis(TEST_REDIS_URL)
  const queue = new Queue('score', { connection: main, prefix: bullPrefix })
  cleanups.push(async () => {
    await queue.obliterate({ force: true })
    await queue.close()
    await deletePrefix(main, bullPrefix)
    await main.quit()
  })
  let failures = 0
  workers.scoreWorker.on('failed', () => failures++)
  const reports = day(6, 'away')
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, backoff: { type: 'exponential', delay: 200 }, jobId: scoreJobId(report.callId) } })))
  const check = new Redis(reportsRedis.port, '127.0.0.1', { maxRetriesPerRequest: null })
  check.on('error', () => undefined)
  cleanups.push(() => check.quit())
  const store = new ReportStore({ redis: check, prefix })
  await until('some reports stored', async () => (await check.zcard(store.keys.reportIndexAll)) >= 100)
  await reportsRedis.crash()
  await until('jobs failing while the reports Redis is away', () => failures >= 5)
  await reportsRedis.start()
  await until('every job completed', async () => (await queue.getJobCounts('completed')).completed === reports.length, 120_000)
  const retried = (await queue.getJobs(['completed'], 0, -1)).filter((j) => j.attemptsMade > 1).length
  console.log(`${failures} failed attempts while the reports Redis was away; ${retried} jobs completed on a retry`)
  expect(retried).toBeGreaterThan(0)
  expect((await queue.getJobCounts('failed')).failed).toBe(0)
  await expectCountedOnce(store, check, reports)
})
