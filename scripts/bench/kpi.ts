/**
 * `pnpm bench:kpi [--calls N] [--rate R] [--seconds S] [--workers W] [--concurrency C]`
 *
 * LEGACY: measures the Redis report store of installs before PostgreSQL (now only the source of
 * `callqa migrate-reports`); its queue parts run today's workers, which write to PostgreSQL.
 * `pnpm bench:store` is the benchmark of the store of record.
 *
 * How fast ended calls become KPIs, in one run, on this machine's Redis (127.0.0.1:6379, unique
 * prefixes, cleaned up after):
 *   1. floor: the same writes (`ReportStore.saveReport`: encode, Lua write + count) straight to
 *      Redis, C in flight, no queue;
 *   2. queue, flat out: N score jobs added at once, W real worker processes (services/aggregator
 *      main.ts) drain them: calls aggregated per second;
 *   3. queue, paced: R jobs a second for S seconds (a center's steady flow), and again at half the
 *      flat-out rate when R is more than that; lag from the job being
 *      added (`call.ended`) to the report and its KPI counts being committed (p50, p99, max).
 * Reports are engine output over simulated calls (cloned with new call ids to reach N).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { checkTranscript, loadDefaultRulebook } from '@callqa/engine'
import type { CallReport } from '@callqa/protocol'
import { RedisReportArchive as ReportStore, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import { simEvents, simulateDay } from '../../test/aggregator-simulate.js'
import { createTestDatabase } from '@callqa/store/testing'

const ROOT = resolve(import.meta.dirname, '../..')
/** The gateway's options, except that completed jobs are all kept so the bench can read each one's lag. */
const JOB_OPTIONS = { ...SCORE_JOB_OPTIONS, removeOnComplete: { count: 10_000_000 } }

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const n = Number(process.argv[i + 1])
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`)
  return n
}

const CALLS = arg('calls', 20_000)
const RATE = arg('rate', 2000)
const SECONDS = arg('seconds', 10)
const WORKERS = arg('workers', 2)
const CONCURRENCY = arg('concurrency', 50)

/** CPU seconds used so far by a child process (Linux /proc). */
function childCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu')
  const get = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0)
  return get('used_cpu_user') + get('used_cpu_sys')
}

const us = (seconds: number, n: number): string => `${((seconds / n) * 1e6).toFixed(0)} µs`

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5000)
    if (keys.length) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}

function makeReports(n: number, tag: string): CallReport[] {
  const base = checkTranscript(loadDefaultRulebook(), simulateDay({ teams: 4, agentsPerTeam: 10, seed: 42 }).flatMap(simEvents)).reports
  const out: CallReport[] = []
  for (let i = 0; i < n; i++) {
    const r = base[i % base.length]!
    const copy = Math.floor(i / base.length)
    // Each copy is another group of 40 agents, so rollups and indexes grow as in a larger center.
    out.push({ ...r, callId: `${tag}-${i}`, agentId: `${r.agentId}-${copy}`, teamId: `${r.teamId}-${copy}` })
  }
  return out
}

async function spawnWorkers(env: Record<string, string>): Promise<ChildProcess[]> {
  const children: ChildProcess[] = []
  for (let i = 0; i < WORKERS; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services/aggregator/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((ready, fail) => {
      let out = ''
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString()
        if (out.includes('aggregator ready')) ready()
      })
      child.once('exit', (code) => fail(new Error(`worker exited ${code}`)))
    })
    child.removeAllListeners('exit')
    children.push(child)
  }
  return children
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null) return done()
          c.once('exit', () => done())
          c.kill('SIGTERM')
        }),
    ),
  )
}

async function waitCompleted(queue: Queue, n: number): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed')
    if (counts.completed! + counts.failed! >= n) {
      if (counts.failed) throw new Error(`${counts.failed} jobs failed`)
      return
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Lag per job: committedAt (the worker's return value) minus the job's add time. */
async function lags(redis: Redis, bullPrefix: string, ids: string[]): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < ids.length; i += 2000) {
    const pipeline = redis.pipeline()
    for (const id of ids.slice(i, i + 2000)) pipeline.hmget(`${bullPrefix}:score:${id}`, 'timestamp', 'returnvalue')
    for (const [err, value] of (await pipeline.exec()) ?? []) {
      if (err) throw err
      const [timestamp, returnvalue] = value as [string, string]
      out.push((JSON.parse(returnvalue) as { committedAt: number }).committedAt - Number(timestamp))
    }
  }
  return out.sort((a, b) => a - b)
}

async function main(): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null })
  // The workers write to PostgreSQL now: a database of this run's own, dropped at the end.
  const db = await createTestDatabase() // on TEST_DATABASE_URL's server
  process.env.DATABASE_URL = db.url
  const runId = randomUUID().slice(0, 8)
  const total = CALLS + Math.round(RATE * SECONDS)
  process.stderr.write(`preparing ${total} engine reports...\n`)
  const reports = makeReports(total, `bench-${runId}`)
  const meanBytes = reports.slice(0, 2000).reduce((s, r) => s + Buffer.byteLength(JSON.stringify(r)), 0) / 2000
  const prefixes: string[] = []
  const results: string[] = []

  // 1. Floor: the same writes without the queue.
  {
    const prefix = `bench-${runId}-direct`
    prefixes.push(prefix)
    const store = new ReportStore({ redis, prefix })
    let next = 0
    const redisCpu0 = await redisCpuSeconds(redis)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) await store.saveReport(reports[next++]!)
      }),
    )
    const seconds = (performance.now() - t0) / 1000
    const rate = CALLS / seconds
    const cpu = process.cpuUsage(cpu0)
    const redisCpu = (await redisCpuSeconds(redis)) - redisCpu0
    results.push(
      `direct writes (floor): ${CALLS} calls in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} calls/s; CPU per call: writer ${us((cpu.user + cpu.system) / 1e6, CALLS)}, Redis ${us(redisCpu, CALLS)}`,
    )
    process.stderr.write(`${results.at(-1)}\n`)
    ;(globalThis as { floorRate?: number }).floorRate = rate
  }
  const floorRate = (globalThis as { floorRate?: number }).floorRate!

  // 2. Through the queue and worker processes, flat out.
  let queueRate = 0
  {
    const prefix = `bench-${runId}-queue`
    const bullPrefix = `{bench-bull-${runId}-a}`
    prefixes.push(prefix, bullPrefix)
    const queue = new Queue('score', { connection: redis, prefix: bullPrefix })
    const workers = await spawnWorkers({ CALLQA_REDIS_PREFIX: prefix, CALLQA_BULL_PREFIX: bullPrefix, CALLQA_SCORE_CONCURRENCY: String(CONCURRENCY), CALLQA_WEBHOOK_CONCURRENCY: '0' })
    const redisCpu0 = await redisCpuSeconds(redis)
    const workerCpu0 = workers.reduce((sum, w) => sum + childCpuSeconds(w.pid!), 0)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (let i = 0; i < CALLS; i += 1000) {
      await queue.addBulk(reports.slice(i, Math.min(CALLS, i + 1000)).map((report) => ({ name: 'score', data: { report }, opts: { ...JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))
    }
    const added = (performance.now() - t0) / 1000
    await waitCompleted(queue, CALLS)
    const seconds = (performance.now() - t0) / 1000
    queueRate = CALLS / seconds
    const producerCpu = process.cpuUsage(cpu0)
    const workerCpu = workers.reduce((sum, w) => sum + childCpuSeconds(w.pid!), 0) - workerCpu0
    const redisCpu = (await redisCpuSeconds(redis)) - redisCpu0
    results.push(
      `queue + ${WORKERS} worker process(es), flat out: ${CALLS} calls in ${seconds.toFixed(2)} s = ${queueRate.toFixed(0)} calls/s (all added after ${added.toFixed(2)} s); ` +
        `CPU per call: producer ${us((producerCpu.user + producerCpu.system) / 1e6, CALLS)}, workers ${us(workerCpu, CALLS)}, Redis ${us(redisCpu, CALLS)}`,
    )
    process.stderr.write(`${results.at(-1)}\n`)
    await stopWorkers(workers)
    await queue.obliterate({ force: true })
    await queue.close()
  }

  // 3. Paced: RATE calls a second for SECONDS seconds (and, when that is more than the queue could
  // take flat out, again at half the flat-out rate): lag from add to committed KPI.
  const pacedRates = queueRate < RATE ? [RATE, Math.max(50, Math.floor(queueRate / 2 / 50) * 50)] : [RATE]
  for (const [phase, rate] of pacedRates.entries()) {
    const paced = Math.round(rate * SECONDS)
    const prefix = `bench-${runId}-paced${phase}`
    const bullPrefix = `{bench-bull-${runId}-b${phase}}`
    prefixes.push(prefix, bullPrefix)
    const queue = new Queue('score', { connection: redis, prefix: bullPrefix })
    const workers = await spawnWorkers({ CALLQA_REDIS_PREFIX: prefix, CALLQA_BULL_PREFIX: bullPrefix, CALLQA_SCORE_CONCURRENCY: String(CONCURRENCY), CALLQA_WEBHOOK_CONCURRENCY: '0' })
    const tickMs = 10
    const ids: string[] = []
    const slice = reports.slice(CALLS, CALLS + paced).length === paced ? reports.slice(CALLS, CALLS + paced) : reports.slice(0, paced)
    const t0 = performance.now()
    let sent = 0
    while (sent < paced) {
      const due = Math.min(paced, Math.floor(((performance.now() - t0) / 1000) * rate))
      if (due > sent) {
        const batch = slice.slice(sent, due)
        sent = due
        // Not awaited: a slow add must not hold back the next tick's calls.
        void queue.addBulk(batch.map((report) => ({ name: 'score', data: { report }, opts: { ...JOB_OPTIONS, jobId: scoreJobId(report.callId) } })))
        for (const r of batch) ids.push(scoreJobId(r.callId))
      }
      await new Promise((r) => setTimeout(r, tickMs))
    }
    const offered = paced / ((performance.now() - t0) / 1000)
    await waitCompleted(queue, paced)
    const sorted = await lags(redis, bullPrefix, ids)
    const line = `paced ${rate} calls/s for ${SECONDS} s (${paced} calls, offered ${offered.toFixed(0)}/s): lag call.ended -> KPI committed p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`
    results.push(line)
    process.stderr.write(`${line}\n`)
    await stopWorkers(workers)
    await queue.obliterate({ force: true })
    await queue.close()
  }

  const memoryPrefix = prefixes[0]!
  let bytesPerCall = 0
  const memoryByKind = new Map<string, number>()
  {
    // Redis memory per stored call (report hash + indexes + rollups), from the floor run's keys.
    const keys: string[] = []
    let cursor = '0'
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${memoryPrefix}:*`, 'COUNT', 5000)
      keys.push(...found)
      cursor = next
    } while (cursor !== '0')
    let total = 0
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000)
      const pipeline = redis.pipeline()
      for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')
      const answers = (await pipeline.exec()) ?? []
      answers.forEach(([, n], j) => {
        const kind = batch[j]!.slice(memoryPrefix.length + 1).split(':')[0]!
        memoryByKind.set(kind, (memoryByKind.get(kind) ?? 0) + Number(n ?? 0))
        total += Number(n ?? 0)
      })
    }
    bytesPerCall = total / CALLS
  }

  for (const p of prefixes) await deletePrefix(redis, p)
  await redis.quit()
  await db.drop()

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`## pnpm bench:kpi — ${new Date().toISOString()}`)
  console.log(``)
  console.log(`${cpus().length} × ${cpu}, Node ${process.version}; Redis 127.0.0.1:6379 shared with the bench and the workers; ` + `${WORKERS} worker process(es), concurrency ${CONCURRENCY}; mean report JSON ${meanBytes.toFixed(0)} B`)
  console.log(``)
  for (const line of results) console.log(`- ${line}`)
  console.log(`- queue / floor: ${(queueRate / floorRate).toFixed(2)}× (calls/s through BullMQ and workers ÷ direct writes)`)
  console.log(
    `- Redis memory per stored call (MEMORY USAGE over the floor run's keys): ${bytesPerCall.toFixed(0)} B = ` +
      [...memoryByKind].map(([kind, bytes]) => `${kind} ${(bytes / CALLS).toFixed(0)} B`).join(' + '),
  )
  const [load1, load5] = loadavg()
  console.log(`- load average at the end ${load1!.toFixed(1)} (1 min), ${load5!.toFixed(1)} (5 min) on ${cpus().length} cores: the machine was shared with other work`)
}

await main()
