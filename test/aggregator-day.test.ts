/**
 * A realistic simulated day (3 teams, 24 agents, about 2,000 calls) checked by the real engine,
 * sent through the real `score` queue to the real workers: the stored reports and the KPIs per
 * agent and team must match a recount done here from the engine's reports with plain code
 * (independent of packages/kpi).
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { checkTranscript, loadDefaultRulebook } from '@callqa/engine'
import type { CallReport } from '@callqa/protocol'
import { SCORE_JOB_OPTIONS, scoreJobId, type ReportSummary } from '@callqa/store'
import { startWorkers, type RunningWorkers } from '@callqa/aggregator'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { simEvents, simulateDay } from './aggregator-simulate.js'
import { deletePrefix, until } from './aggregator-helpers.js'

const id = randomUUID()
const prefix = `test-${id}`
const bullPrefix = `test-bull-${id}`
let redis: Redis
let queue: Queue
let workers: RunningWorkers
let db: TestDatabase
let reports: CallReport[]

beforeAll(async () => {
  redis = new Redis({ host: '127.0.0.1', port: 6379 })
  queue = new Queue('score', { connection: redis, prefix: bullPrefix })
  db = await createTestDatabase()
  workers = await startWorkers({ redisUrl: 'redis://127.0.0.1:6379', databaseUrl: db.url, bullPrefix, concurrency: 32, webhookConcurrency: 0, logLevel: 'silent' })
  const calls = simulateDay({ teams: 3, agentsPerTeam: 8, seed: 20261127, callPrefix: `day-${id.slice(0, 8)}` })
  const checked = checkTranscript(loadDefaultRulebook(), calls.flatMap(simEvents))
  expect(checked.errors).toEqual([])
  reports = checked.reports
})

afterAll(async () => {
  await workers.close()
  await queue.obliterate({ force: true })
  await queue.close()
  await deletePrefix(redis, prefix)
  await redis.quit()
  await db.drop()
})

interface Recount {
  calls: number
  successes: number
  outbound: number
  outboundSuccesses: number
  scores: number[]
  findingsByRule: Record<string, number>
  phrases: Record<string, number>
  greeted: number
  closed: number
  cpms: number[]
  outsideRate: number
  interruptions: number
  complaintRisk: number
  seats: Set<string>
}

function recount(list: CallReport[]): Recount {
  const r: Recount = { calls: 0, successes: 0, outbound: 0, outboundSuccesses: 0, scores: [], findingsByRule: {}, phrases: {}, greeted: 0, closed: 0, cpms: [], outsideRate: 0, interruptions: 0, complaintRisk: 0, seats: new Set() }
  for (const report of list) {
    r.calls++
    if (report.disposition === 'success') r.successes++
    if (report.direction === 'outbound') {
      r.outbound++
      if (report.disposition === 'success') r.outboundSuccesses++
    }
    r.scores.push(report.score)
    for (const f of report.findings) {
      r.findingsByRule[f.rule] = (r.findingsByRule[f.rule] ?? 0) + 1
      if (f.rule === 'forbidden_phrase' && f.phrase) r.phrases[f.phrase] = (r.phrases[f.phrase] ?? 0) + 1
    }
    if (report.findings.some((f) => f.rule === 'speaking_rate')) r.outsideRate++
    if (report.metrics.greeted) r.greeted++
    if (report.metrics.closed) r.closed++
    if (report.metrics.agentCpm !== null) r.cpms.push(report.metrics.agentCpm)
    r.interruptions += report.metrics.interruptions
    if (report.metrics.complaintRisk) r.complaintRisk++
    r.seats.add(report.agentId)
  }
  return r
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

it('stores every report and counts KPIs that match an independent recount', { timeout: 180_000 }, async () => {
  expect(reports.length).toBeGreaterThan(1500)
  // The histogram median is exact for integer scores, which the engine gives.
  expect(reports.every((r) => Number.isInteger(r.score))).toBe(true)
  await queue.addBulk(reports.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))
  await until('every call scored', async () => (await queue.getJobCounts('completed')).completed === reports.length, 120_000)

  const store = workers.store
  for (const report of reports) expect(await store.getReport(report.callId)).toEqual(report)

  // Storage: a realistic 3-minute call (engine output, masked transcript, findings) in at most 4 KB.
  const threeMinute = reports.filter((r) => r.endMs >= 165_000 && r.endMs <= 195_000)
  expect(threeMinute.length).toBeGreaterThan(50)
  const sizes = await Promise.all(threeMinute.map((r) => store.storedBytes(r.callId)))
  const all = await Promise.all(reports.map((r) => store.storedBytes(r.callId)))
  const mean = (xs: Array<number | null>): number => xs.reduce<number>((a, b) => a + b!, 0) / xs.length
  console.log(
    `stored report bytes: 3-minute calls (${threeMinute.length}) mean ${mean(sizes).toFixed(0)} max ${Math.max(...(sizes as number[]))}; ` +
      `all ${reports.length} calls mean ${mean(all).toFixed(0)} (mean call ${(reports.reduce((a, r) => a + r.endMs, 0) / reports.length / 1000).toFixed(0)} s)`,
  )
  for (const size of sizes) expect(size).toBeLessThanOrEqual(4096)

  const scopes: Array<['agent' | 'team', string, CallReport[]]> = []
  for (const agentId of new Set(reports.map((r) => r.agentId))) scopes.push(['agent', agentId, reports.filter((r) => r.agentId === agentId)])
  for (const teamId of new Set(reports.map((r) => r.teamId))) scopes.push(['team', teamId, reports.filter((r) => r.teamId === teamId)])
  let withFindings = 0
  for (const [scope, scopeId, list] of scopes) {
    const expected = recount(list)
    const kpi = await store.readKpi(scope, scopeId, '2026-11-27', '2026-11-27', 'day')
    const t = kpi.total
    const where = `${scope} ${scopeId}`
    expect(kpi.periods.map((p) => p.period), where).toEqual(['2026-11-27'])
    expect(t.calls, where).toBe(expected.calls)
    expect(t.successfulCalls, where).toBe(expected.successes)
    expect(t.averageScore!, where).toBeCloseTo(expected.scores.reduce((a, b) => a + b, 0) / expected.calls, 9)
    expect(t.medianScore, where).toBe(median(expected.scores))
    for (const [rule, n] of Object.entries(t.findingsByRule)) expect(n, `${where} ${rule}`).toBe(expected.findingsByRule[rule] ?? 0)
    expect(Object.fromEntries(t.findingsByPhrase.map((p) => [p.phrase, p.count])), where).toEqual(expected.phrases)
    expect(t.greetingRate!, where).toBeCloseTo(expected.greeted / expected.calls, 9)
    expect(t.closingRate!, where).toBeCloseTo(expected.closed / expected.calls, 9)
    expect(t.averageAgentCpm!, where).toBeCloseTo(expected.cpms.reduce((a, b) => a + b, 0) / expected.cpms.length, 1)
    expect(t.speakingRateOutsideCalls, where).toBe(expected.outsideRate)
    expect(t.interruptionsPerCall!, where).toBeCloseTo(expected.interruptions / expected.calls, 9)
    expect(t.complaintRiskCalls, where).toBe(expected.complaintRisk)
    // Staffing: per active seat that day (one for an agent, distinct agents for a team).
    const seats = scope === 'agent' ? 1 : expected.seats.size
    expect(t.seatDays, where).toBe(seats)
    const callsPerSeat = expected.outbound / seats
    const successesPerSeat = expected.outboundSuccesses / seats
    expect(t.staffing!.callsPerSeatDay, where).toBeCloseTo(callsPerSeat, 9)
    expect(t.staffing!.successesPerSeatDay, where).toBeCloseTo(successesPerSeat, 9)
    const above = callsPerSeat > 100 || successesPerSeat > 80
    const below = callsPerSeat < 70 || successesPerSeat < 60
    if (above) expect(t.staffing!.advice.zh, where).toContain('增加外呼台席数量')
    if (below) expect(t.staffing!.advice.zh, where).toContain('增加外呼量')
    if (!above && !below) expect(t.staffing!.verdict, where).toBe('within')
    if (t.findings > 0) withFindings++
  }
  expect(withFindings).toBeGreaterThan(0)

  // Search sees every call of a team, newest first, exactly once.
  const teamId = reports[0]!.teamId
  const listed: ReportSummary[] = []
  let cursor: string | undefined
  do {
    const page = await store.searchReports({ teamId, limit: 200, ...(cursor ? { cursor } : {}) })
    listed.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  expect(listed.map((s) => s.callId).sort()).toEqual(reports.filter((r) => r.teamId === teamId).map((r) => r.callId).sort())
})
