/**
 * Exactly once through crashes: real worker processes (services/aggregator main.ts) are SIGKILLed
 * mid-run, and the PostgreSQL they write to (a private cluster on a free port, in a temp dir) is
 * crashed (`pg_ctl -m immediate`) and started again mid-run. Afterwards every call is stored and
 * counted once: the report, its "counted" row and the rollups are one transaction keyed by callId,
 * so a job run again after any of these finds its call there and changes nothing.
 */
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { KpiBook } from '@callqa/kpi'
import { ReportStore, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import type { ChildProcess } from 'node:child_process'
import { PrivatePostgres } from '../scripts/start/postgres.js'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { freePort, kill, spawnWorker, until } from './aggregator-helpers.js'

const id = randomUUID()
const bullPrefix = `test-bull-${id}`
const dir = mkdtempSync(join(tmpdir(), 'callqa-pg-'))
// The cluster runs as the postgres user when the tests run as root: it must reach its directory.
chmodSync(dir, 0o755)
let pg: PrivatePostgres
let redis: Redis
let queue: Queue
let store: ReportStore
const children: ChildProcess[] = []

beforeAll(async () => {
  pg = new PrivatePostgres({ dir: join(dir, 'cluster'), port: await freePort() })
  await pg.start()
  redis = new Redis({ host: '127.0.0.1', port: 6379 })
  queue = new Queue('score', { connection: redis, prefix: bullPrefix })
}, 120_000)
afterAll(async () => {
  for (const c of children) await kill(c, 'SIGKILL')
  await store?.close()
  await queue?.obliterate({ force: true })
  await queue?.close()
  await redis?.quit()
  pg?.stop('immediate')
  rmSync(dir, { recursive: true, force: true })
})

it('counts every call exactly once across worker kills and a PostgreSQL restart', { timeout: 240_000 }, async () => {
  const reports = simulateDay({ teams: 2, agentsPerTeam: 4, seed: 99, callsPerAgent: [80, 100], callPrefix: `crash-${id.slice(0, 8)}` }).map(simReport)
  const env = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    DATABASE_URL: pg.url,
    CALLQA_BULL_PREFIX: bullPrefix,
    CALLQA_SCORE_CONCURRENCY: '32',
    CALLQA_SCORE_LOCK_MS: '1500',
    CALLQA_WEBHOOK_CONCURRENCY: '0',
  }
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, backoff: { type: 'exponential', delay: 200 }, jobId: scoreJobId(report.callId) } })))
  store = new ReportStore({ databaseUrl: pg.url, maxConnections: 2 })
  const stored = async (): Promise<number> => {
    try {
      const [row] = await store.sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM report_calls`
      return row!.n
    } catch {
      return -1 // PostgreSQL down, or the schema not there yet
    }
  }

  // A worker killed while jobs are in flight.
  let worker = await spawnWorker(env)
  children.push(worker)
  await until('a quarter stored', async () => (await stored()) >= reports.length / 4, 60_000)
  await kill(worker, 'SIGKILL')

  // A second worker; PostgreSQL crashes under it and comes back.
  worker = await spawnWorker(env)
  children.push(worker)
  await until('half stored', async () => (await stored()) >= reports.length / 2, 60_000)
  pg.stop('immediate')
  const failedBefore = (await queue.getJobCounts('failed', 'delayed')).delayed
  await new Promise((r) => setTimeout(r, 1500))
  await pg.start()
  const before = await stored()
  expect(before).toBeLessThan(reports.length)

  await until('every job completed', async () => (await queue.getJobCounts('completed')).completed === reports.length, 180_000)
  const completed = await queue.getJobs(['completed'], 0, -1)
  const retried = completed.filter((j) => j.attemptsMade > 1 || j.returnvalue?.stored === false).length
  console.log(`${reports.length} calls, ${before} stored when PostgreSQL came back (${failedBefore} delayed at the crash); ${retried} jobs ran more than once`)
  expect((await queue.getJobCounts('failed')).failed).toBe(0)

  // Exactly once: one stored row per call, and the KPIs equal the in-memory book of the same reports.
  expect(await stored()).toBe(reports.length)
  const [{ n }] = (await store.sql`SELECT count(*)::int AS n FROM reports`) as unknown as [{ n: number }]
  expect(n).toBe(reports.length)
  const book = new KpiBook()
  for (const r of reports) book.add(r)
  for (const teamId of book.ids('team')) {
    expect((await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')).total).toEqual(book.report('team', teamId, 'day').total)
  }
  for (const agentId of book.ids('agent')) {
    expect((await store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')).total).toEqual(book.report('agent', agentId, 'day').total)
  }
})
