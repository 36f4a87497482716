/**
 * `callqa migrate-reports`: an install's Redis report store (written by the old store's own code,
 * RedisReportArchive, under a test prefix) moves into PostgreSQL (a database of this file's own).
 * The KPIs and reports read back the same; a run stopped half-way and run again, or run twice,
 * counts nothing twice; --delete-from-redis leaves no report or KPI key in Redis.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { KpiBook } from '@callqa/kpi'
import { importReportsFromRedis, RedisReportArchive, ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { deletePrefix, ROOT } from './aggregator-helpers.js'

const prefix = `test-${randomUUID()}`
const reports = simulateDay({ teams: 2, agentsPerTeam: 3, seed: 12, callsPerAgent: [30, 40], callPrefix: `mig-${prefix.slice(5, 13)}` }).map(simReport)
let redis: Redis
let db: TestDatabase
let store: ReportStore

beforeAll(async () => {
  redis = new Redis({ host: '127.0.0.1', port: 6379 })
  const archive = new RedisReportArchive({ redis, prefix })
  for (const r of reports) await archive.saveReport(r)
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
})
afterAll(async () => {
  await store?.close()
  await db?.drop()
  await deletePrefix(redis, prefix)
  await redis.quit()
})

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/callqa.ts'), 'migrate-reports', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:6379', CALLQA_REDIS_PREFIX: prefix } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

async function expectSameAsBook(): Promise<void> {
  const book = new KpiBook()
  for (const r of reports) book.add(r)
  for (const teamId of book.ids('team')) {
    expect((await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')).total).toEqual(book.report('team', teamId, 'day').total)
  }
  for (const agentId of book.ids('agent')) {
    expect((await store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')).total).toEqual(book.report('agent', agentId, 'day').total)
    expect(await store.teamOfAgent(agentId)).toBe(reports.find((r) => r.agentId === agentId)!.teamId)
  }
  const [{ n }] = (await store.sql`SELECT count(*)::int AS n FROM reports`) as unknown as [{ n: number }]
  expect(n).toBe(reports.length)
}

it('moves reports and KPIs into PostgreSQL, resumes after a stop and counts nothing twice', { timeout: 120_000 }, async () => {
  // A run stopped after its first batch (as by Ctrl-C), then the command itself, twice.
  const abort = new AbortController()
  const partial = await importReportsFromRedis({ redis, prefix, store, scanCount: 10, signal: abort.signal, onProgress: () => abort.abort() })
  expect(partial.reportsSeen + partial.rollupsSeen).toBeLessThan(reports.length)

  const first = await cli()
  expect(first.stderr).not.toMatch(/unreadable|does not answer|Error/)
  expect(first.code).toBe(0)
  expect(JSON.parse(first.stdout)).toMatchObject({ stopped: false, reportsSeen: reports.length, reportsUnreadable: 0, keysDeleted: 0 })
  await expectSameAsBook()
  expect(await store.getReport(reports[7]!.callId)).toEqual(reports[7])

  const again = await cli()
  expect(again.code).toBe(0)
  expect(JSON.parse(again.stdout)).toMatchObject({ reportsImported: 0, rollupsImported: 0, reportsAlreadyThere: reports.length })
  await expectSameAsBook()
  // Searches work on the moved reports.
  const team = reports[0]!.teamId
  expect((await store.searchReports({ teamId: team, limit: 1000 })).items.length).toBe(reports.filter((r) => r.teamId === team).length)
})

it('with --delete-from-redis leaves no report or KPI key in Redis, and the store unchanged', { timeout: 120_000 }, async () => {
  const result = await cli('--delete-from-redis')
  expect(result.code).toBe(0)
  expect(JSON.parse(result.stdout).keysDeleted).toBeGreaterThan(reports.length)
  const left: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    left.push(...keys)
    cursor = next
  } while (cursor !== '0')
  expect(left).toEqual([])
  await expectSameAsBook()
})

it('says what is wrong on bad usage', async () => {
  const result = await cli('--bogus')
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(/unknown argument "--bogus"/)
})
