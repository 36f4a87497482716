/**
 * A worker killed mid-job (a real child process, SIGKILL) and restarted counts every call exactly
 * once: the report write, the KPI counts and the "counted" marker are one Lua script, so a job
 * run again after the crash finds its report and changes nothing.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { ReportStore, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import type { ChildProcess } from 'node:child_process'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { deletePrefix, kill, spawnWorker, until } from './aggregator-helpers.js'
import { TEST_REDIS_URL } from './redis-url.js'

const id = randomUUID()
const prefix = `test-${id}`
const bullPrefix = `test-bull-${id}`
let redis: Redis
let queue: Queue
const children: ChildProcess[] = []

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL)
  queue = new Queue('score', { connection: redis, prefix: bullPrefix })
})
afterAll(async () => {
  for (const c of children) await kill(c, 'SIGKILL')
  await queue.obliterate({ force: true })
  await queue.close()
  await deletePrefix(redis, prefix)
  await redis.quit()
})

it('counts every call exactly once across worker crashes', { timeout: 180_000 }, async () => {
  const reports = simulateDay({ teams: 2, agentsPerTeam: 4, seed: 99, callsPerAgent: [80, 100], callPrefix: `crash-${id.slice(0, 8)}` }).map(simReport)
  const store = new ReportStore({ redis, prefix })
  const env = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    CALLQA_REDIS_PREFIX: prefix,
    CALLQA_BULL_PREFIX: bullPrefix,
    CALLQA_SCORE_CONCURRENCY: '64',
    CALLQA_SCORE_LOCK_MS: '1500',
    CALLQA_WEBHOOK_CONCURRENCY: '0',
  }
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))
  const stored = (): Promise<number> => redis.zcard(store.keys.reportIndexAll)

  // Two crashes, each while jobs are in flight.
  for (const share of [0.25, 0.6]) {
    const worker = await spawnWorker(env)
    children.push(worker)
    const target = Math.floor(reports.length * share)
    await until(`${target} reports stored`, async () => (await stored()) >= target)
    await kill(worker, 'SIGKILL')
  }
  const before = await stored()
  expect(before).toBeLessThan(reports.length)
  const worker = await spawnWorker(env)
  children.push(worker)
  await until('every job completed', async () => (await queue.getJobCounts('completed')).completed === reports.length, 120_000)

  // Exactly once: one stored result per call, and the KPIs equal a recount.
  const completed = await queue.getJobs(['completed'], 0, -1)
  const storedResults = completed.filter((j) => j.returnvalue?.stored === true).length
  const rerun = completed.filter((j) => j.returnvalue?.stored === false).length
  console.log(`${reports.length} calls, ${before} stored before the last restart, ${rerun} jobs re-run after a crash found their call already counted`)
  // A job re-run after a crash between its commit and its ack answers stored=false: counted by the first run.
  expect(storedResults + rerun).toBe(reports.length)
  expect(await stored()).toBe(reports.length)
  for (const teamId of new Set(reports.map((r) => r.teamId))) {
    const kpi = await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')
    const mine = reports.filter((r) => r.teamId === teamId)
    expect(kpi.total.calls).toBe(mine.length)
    expect(kpi.total.successfulCalls).toBe(mine.filter((r) => r.disposition === 'success').length)
    // The agent's violations: complaint-risk findings are counted apart (issue 9 item 3).
    expect(kpi.total.findings).toBe(mine.reduce((s, r) => s + r.findings.filter((f) => f.rule !== 'complaint_risk').length, 0))
    expect(kpi.total.seatDays).toBe(new Set(mine.map((r) => r.agentId)).size)
  }
  for (const agentId of new Set(reports.map((r) => r.agentId))) {
    const kpi = await store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.total.calls).toBe(reports.filter((r) => r.agentId === agentId).length)
  }
})
