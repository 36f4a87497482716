/**
 * `pnpm bench:replay`: how fast a rulebook replay re-checks stored calls, on a PostgreSQL database
 * of its own (created and dropped) and a Redis prefix of its own.
 * - floor: reading every stored report body of the range, page by page (what any replay must read);
 * - before: the replay as it was (a search page, then one query per report, checked one by one);
 * - replay, one process: `replayStoredCalls` (read + engine + tally) in this process;
 * - replay, as the workers run it: a flow of day chunks (`addReplayFlow`) taken by one worker
 *   process, then by REPLAY_BENCH_WORKERS (default: one per core), from queueing to the merged
 *   summary (workers warmed first: each loads the engine once), checked equal to the one-process summary.
 * Prints calls/s of each, the ratios to the floor, the load average, and the extrapolated time of a
 * month of a 500-seat center: 500 seats × 22 working days × REPLAY_BENCH_CALLS_PER_SEAT_DAY (80).
 * REPLAY_BENCH_CALLS (default 4000) calls are stored first, spread over 26 days of November.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { QueueEvents, Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { addReplayFlow, REPLAY_QUEUE } from '@callqa/aggregator'
import { DEFAULT_RULEBOOK_PATH } from '@callqa/engine'
import { replayCall, ReplayTally, type ReplaySummary, type ReviewedReport } from '@callqa/review'
import { replayStoredCalls, storedReportPages } from '@callqa/review/pg'
import { ReportStore } from '@callqa/store'
import { createTestDatabase } from '@callqa/store/testing'
import { readFileSync } from 'node:fs'
import { defaultRulebook } from '../../packages/review/src/testing.js'
import { simReport, simulateDay } from '../../test/aggregator-simulate.js'

const calls = Number(process.env.REPLAY_BENCH_CALLS || 4000)
const perSeatDay = Number(process.env.REPLAY_BENCH_CALLS_PER_SEAT_DAY || 80)
const workersN = Number(process.env.REPLAY_BENCH_WORKERS || cpus().length)
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const bullPrefix = `bench-replay-${randomUUID()}`
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ')
const db = await createTestDatabase()
const store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
const connection = new Redis(redisUrl, { maxRetriesPerRequest: null })
const children: ChildProcess[] = []
try {
  await store.ensurePartitions(Date.parse('2026-11-27T00:00:00Z'))
  const reports = []
  for (let seed = 1; reports.length < calls; seed++) {
    const day = `2026-11-${String(1 + (seed % 26)).padStart(2, '0')}`
    reports.push(...simulateDay({ day, teams: 5, agentsPerTeam: 10, seed, callsPerAgent: [2, 3], callPrefix: `b${seed}` }).map(simReport))
  }
  reports.length = calls
  for (let i = 0; i < reports.length; i += 50) await Promise.all(reports.slice(i, i + 50).map((r) => store.saveReport(r)))
  const range = { fromMs: Date.parse('2026-11-01T00:00:00Z'), toMs: Date.parse('2026-12-01T00:00:00Z') }
  const rulebook = defaultRulebook()
  console.log(`calls stored: ${calls} over 26 days; ${cpus().length} cores; load average ${load()}`)

  // The engine loads its dictionaries on first use: warm it here before anything is timed.
  await replayStoredCalls(store, rulebook, { fromMs: range.fromMs, toMs: range.fromMs + 2 * 86_400_000 })

  // Floor: the bodies in the page query (what replay reads now), decoded.
  let start = performance.now()
  let read = 0
  for await (const page of storedReportPages(store, range)) read += page.length
  const floorRate = (read / (performance.now() - start)) * 1000

  // Before: a search page of summaries, then one query per report, checked one by one (main before this change).
  start = performance.now()
  const before = new ReplayTally()
  for (let cursor: string | undefined; ; ) {
    const page = await store.searchReports({ ...range, limit: 200, ...(cursor ? { cursor } : {}) })
    for (const s of page.items) {
      const stored = (await store.getReport(s.callId)) as ReviewedReport | null
      if (stored) before.add(stored, replayCall(rulebook, stored))
    }
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  const beforeRate = (before.calls / (performance.now() - start)) * 1000
  console.log(`floor, reading the reports: ${floorRate.toFixed(0)} calls/s; load average ${load()}`)
  console.log(`replay before (a query per report): ${beforeRate.toFixed(0)} calls/s (${(beforeRate / floorRate).toFixed(3)} of the floor); load average ${load()}`)

  start = performance.now()
  const local = await replayStoredCalls(store, rulebook, range)
  const localRate = (local.calls / (performance.now() - start)) * 1000
  // Newest first before, oldest first now: the same counts, other examples.
  const counts = (x: ReplaySummary) => JSON.stringify({ ...x, rules: x.rules.map((r) => [r.rule, r.appeared, r.disappeared]) })
  if (counts(before.summary()) !== counts(local)) throw new Error('the page read replays differently from the per-report read')
  console.log(`replay in one process (page read + engine + tally): ${localRate.toFixed(0)} calls/s (${(localRate / floorRate).toFixed(3)} of the floor, ${(localRate / beforeRate).toFixed(2)}× before); load average ${load()}`)

  const script = fileURLToPath(new URL('./replay-worker.ts', import.meta.url))
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
  const spawnWorkers = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () => {
        const child = spawn(tsx, [script], { env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl, CALLQA_BULL_PREFIX: bullPrefix }, stdio: ['ignore', 'pipe', 'inherit'] })
        children.push(child)
        return new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
          child.once('exit', (code) => reject(new Error(`replay worker exited with ${code}`)))
        })
      }),
    )
  const events = new QueueEvents(REPLAY_QUEUE, { connection: connection.duplicate(), prefix: bullPrefix })
  await events.waitUntilReady()
  const yaml = readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8')
  const flowOf = async (fromMs: number, toMs: number, chunkMs?: number) => {
    const { merge, chunkIds } = await addReplayFlow(connection, bullPrefix, { rulebookYaml: yaml, rulebookName: 'default.yaml', fromMs, toMs }, chunkMs ? { chunkMs } : {})
    return { summary: (await merge.waitUntilFinished(events, 3_600_000)) as ReplaySummary, chunks: chunkIds.length }
  }
  /** Workers first load the engine's dictionaries and the rulebook: a small flow of one-hour chunks warms each. */
  const warmUp = (n: number) => flowOf(range.fromMs, range.fromMs + n * 3_600_000, 3_600_000)
  let flowRate = 0
  for (const n of [...new Set([1, workersN])]) {
    await spawnWorkers(n - (children.length))
    await warmUp(n * 4)
    start = performance.now()
    const flow = await flowOf(range.fromMs, range.toMs)
    flowRate = (flow.summary.calls / (performance.now() - start)) * 1000
    if (JSON.stringify(flow.summary) !== JSON.stringify(local)) throw new Error(`the chunked replay does not agree with the one-process replay:\n${JSON.stringify(flow.summary)}\n${JSON.stringify(local)}`)
    console.log(
      `replay as ${flow.chunks} day jobs on ${n} worker process${n === 1 ? '' : 'es'}: ${flowRate.toFixed(0)} calls/s (${(flowRate / floorRate).toFixed(3)} of the floor, ${(flowRate / beforeRate).toFixed(2)}× before); load average ${load()}`,
    )
  }
  await events.close()
  const month = 500 * 22 * perSeatDay
  console.log(`a month of a 500-seat center (500 seats × 22 days × ${perSeatDay} calls = ${month} calls): ~${(month / flowRate / 60).toFixed(1)} min on ${workersN} workers, ~${(month / localRate / 60).toFixed(1)} min in one process, ~${(month / beforeRate / 60).toFixed(1)} min before`)
} finally {
  for (const c of children) c.kill('SIGTERM')
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)))
  await new Queue(REPLAY_QUEUE, { connection, prefix: bullPrefix }).obliterate({ force: true }).catch(() => undefined)
  await connection.quit()
  await store.close()
  await db.drop()
}
