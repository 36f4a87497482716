/**
 * `pnpm bench:replay`: how fast a rulebook replay re-checks stored calls, on a PostgreSQL
 * database of its own (created and dropped). Floor: reading every stored report page by page
 * without checking it; real: `replayStoredCalls` with the default rulebook (read + engine + tally).
 * Prints calls/s of both, the ratio, and the extrapolated time of a month of a 500-seat center
 * (500 seats × 22 working days × REPLAY_BENCH_CALLS_PER_SEAT_DAY calls, one replay worker).
 * REPLAY_BENCH_CALLS (default 2000) calls are stored first.
 */
import { loadavg } from 'node:os'
import { defaultRulebook } from '../../packages/review/src/testing.js'
import { replayStoredCalls } from '@callqa/review/pg'
import { ReportStore } from '@callqa/store'
import { createTestDatabase } from '@callqa/store/testing'
import { simReport, simulateDay } from '../../test/aggregator-simulate.js'

const calls = Number(process.env.REPLAY_BENCH_CALLS || 2000)
const perSeatDay = Number(process.env.REPLAY_BENCH_CALLS_PER_SEAT_DAY || 80)
const db = await createTestDatabase()
const store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
try {
  await store.ensurePartitions(Date.parse('2026-11-27T00:00:00Z'))
  const reports = []
  for (let seed = 1; reports.length < calls; seed++) {
    reports.push(...simulateDay({ teams: 5, agentsPerTeam: 10, seed, callsPerAgent: [8, 12], callPrefix: `b${seed}` }).map(simReport))
  }
  reports.length = calls
  for (let i = 0; i < reports.length; i += 50) await Promise.all(reports.slice(i, i + 50).map((r) => store.saveReport(r)))
  const range = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-12-01T00:00:00Z') }
  const rulebook = defaultRulebook()

  const floorStart = performance.now()
  let read = 0
  for (let cursor: string | undefined; ; ) {
    const page = await store.searchReports({ ...range, limit: 200, ...(cursor ? { cursor } : {}) })
    for (const s of page.items) if (await store.getReport(s.callId)) read++
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  const floorMs = performance.now() - floorStart

  const realStart = performance.now()
  const summary = await replayStoredCalls(store, rulebook, range)
  const realMs = performance.now() - realStart

  const floorRate = (read / floorMs) * 1000
  const realRate = (summary.calls / realMs) * 1000
  const month = 500 * 22 * perSeatDay
  console.log(`calls stored: ${calls}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
  console.log(`floor (read reports only): ${floorRate.toFixed(0)} calls/s`)
  console.log(`replay (read + engine + tally): ${realRate.toFixed(0)} calls/s (${(realRate / floorRate).toFixed(3)} of the floor)`)
  console.log(`a month of a 500-seat center (${month} calls): ~${(month / realRate / 60).toFixed(1)} min on one replay worker`)
} finally {
  await store.close()
  await db.drop()
}
