/**
 * Durability of the queue: a `redis-server` started here with append-only on (`--appendfsync
 * always`), SIGKILLed while the workers drain it and restarted on the same files: every job that was
 * acknowledged (completed) has its report in PostgreSQL, and the rest are finished after the
 * restart, each call counted once. (PostgreSQL itself crashing: test/aggregator-crash.test.ts.)
 */
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { DEFAULT_BULL_PREFIX, ReportStore, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import type { CallReport } from '@callqa/protocol'
import { startWorkers } from '@callqa/aggregator'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { PrivateRedis, until } from './aggregator-helpers.js'
import { createTestDatabase } from '@callqa/store/testing'
import { TEST_REDIS_URL } from './redis-url.js'

const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined)
})


function day(seed: number, tag: string): CallReport[] {
  return simulateDay({ teams: 2, agentsPerTeam: 4, seed, callsPerAgent: [90, 110], callPrefix: `${tag}-${randomUUID().slice(0, 8)}` }).map(simReport)
}

async function expectCountedOnce(store: ReportStore, reports: CallReport[]): Promise<void> {
  const [{ n }] = (await store.sql`SELECT count(*)::int AS n FROM reports`) as unknown as [{ n: number }]
  expect(n).toBe(reports.length)
  for (const teamId of new Set(reports.map((r) => r.teamId))) {
    const kpi = await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.total.calls).toBe(reports.filter((r) => r.teamId === teamId).length)
  }
}

it('loses no acknowledged report when Redis is SIGKILLed and restarted (append-only, fsync always)', { timeout: 180_000 }, async () => {
  const redisServer = new PrivateRedis()
  cleanups.push(() => redisServer.stop())
  await redisServer.start()
  const db = await createTestDatabase()
  cleanups.push(() => db.drop())
  const workers = await startWorkers({ redisUrl: redisServer.url, databaseUrl: db.url, concurrency: 32, lockDurationMs: 1500, webhookConcurrency: 0, logLevel: 'silent' })
  cleanups.push(() => workers.close())
  const acknowledged = new Set<string>()
  workers.scoreWorker.on('completed', (job) => acknowledged.add(job.data.report.callId))

  const producer = new Redis(redisServer.url, { maxRetriesPerRequest: null })
  producer.on('error', () => undefined)
  cleanups.push(() => producer.quit())
  const queue = new Queue('score', { connection: producer, prefix: DEFAULT_BULL_PREFIX })
  cleanups.push(() => queue.close())
  const reports = day(5, 'aof')
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))

  await until('a third of the jobs acknowledged', () => acknowledged.size >= reports.length / 3)
  await redisServer.crash()
  const acknowledgedAtCrash = [...acknowledged]
  expect(acknowledgedAtCrash.length).toBeLessThan(reports.length)

  await redisServer.start()
  const store = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
  cleanups.push(() => store.close())
  const rows = await store.sql<Array<{ call_id: string }>>`SELECT call_id FROM report_calls`
  const present = new Set(rows.map((r) => r.call_id))
  const lost = acknowledgedAtCrash.filter((callId) => !present.has(callId))
  console.log(`${acknowledgedAtCrash.length} of ${reports.length} reports acknowledged when Redis was killed; ${lost.length} lost`)
  expect(lost).toEqual([])

  // The workers reconnect by themselves and finish the rest, each call counted once.
  await until('every job completed after the restart', async () => (await queue.getJobCounts('completed')).completed === reports.length, 120_000)
  await expectCountedOnce(store, reports)
})
