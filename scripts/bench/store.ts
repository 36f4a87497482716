/**
 * `pnpm bench:store [--reports N] [--queue-calls M] [--rate R] [--seconds S] [--workers W] [--concurrency C] [--batch B] [--queries Q] [--verify V] [--text-calls T] [--index-parallel P] [--index-mem-mb MB] [--cpu-prof DIR] [--keep]`
 * `pnpm bench:store --reports N --history-only` (load the month, keep the database, stop), then
 * `pnpm bench:store --database NAME [--reads-only] …` (run on that month again).
 *
 * The store of record on this machine's PostgreSQL (DATABASE_URL's server, a database of its own,
 * dropped after unless --keep) and Redis (the queue, a unique prefix), in one run:
 *   1. history: N realistic reports (default 1,000,000: a month of a 500-seat center, 25 teams of
 *      20, about 67 calls a seat a day, in start order) bulk-loaded: COPY (reports and their
 *      transcripts' day partitions) with the secondary indexes dropped, then built again, then
 *      each day's text index as maintain() builds it, P days at once with MB of
 *      maintenance_work_mem each (setup, reported but not a figure);
 *   1b. floor: a plain COPY of M new reports (today's, the last hour: the current day has no text
 *      index), generated and encoded as the workers do, into the loaded tables with every index in
 *      place, their rollups beside them: rows/s;
 *   2. through the queue: M score jobs added at once, W real worker processes
 *      (services/aggregator main.ts, concurrency C, batches of up to B) drain them: calls/s
 *      (ratio to the COPY floor) and worker CPU a call;
 *   3. lag: R jobs a second for S seconds, and half the flat-out rate when that is below R;
 *      call.ended (job added) to report and KPIs committed, p50/p99;
 *   4. reads over the N reports, Q times each: a team + 7 days + rule search, a phrase search over
 *      the month (the first V checked against one plain statement scanning the month: the first
 *      two pages must be its first 100 rows), a team's KPI month: p50/p99;
 *   5. Chinese phrase search, pg_trgm against character bigrams (callqa_bigrams, the store's
 *      index) and a jieba-segmented words column (tsvector), on T
 *      transcripts built from the real lines in ../shared/corpus: load cost, index size, p99, and
 *      recall against a plain substring scan.
 * Reports are the engine's output over simulated calls (cloned to reach N) with their transcripts'
 * texts replaced by real masked lines from the corpus, agent lines for the agent, customer lines for
 * the customer. History clones reuse their base report's encoded body (never read by the bench).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { Redis } from 'ioredis'
import { Queue } from 'bullmq'
import { checkTranscript, loadDefaultRulebook } from '@callqa/engine'
import { dayOf, reportIncrements, type KpiRollup } from '@callqa/kpi'
import type { CallReport } from '@callqa/protocol'
import { DEFAULT_BROTLI_QUALITY, DEFAULT_DATABASE_URL, encodeReport, migrateReportsSchema, openPool, ReportStore, SCORE_JOB_OPTIONS, scoreJobId, textArrayLiteral, transcriptText, type Sql } from '@callqa/store'
import { segmentWords } from '../../packages/engine/src/text/segment.js'
import { mulberry32 as rng, simEvents, simulateDay } from '../../test/aggregator-simulate.js'

const ROOT = resolve(import.meta.dirname, '../..')
const TIME_ZONE = 'Asia/Shanghai'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const n = Number(process.argv[i + 1])
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`)
  return n
}

const REPORTS = arg('reports', 1_000_000)
const QUEUE_CALLS = arg('queue-calls', 20_000)
const RATE = arg('rate', 500)
const SECONDS = arg('seconds', 20)
const WORKERS = arg('workers', 2)
const QUERIES = arg('queries', 200)
const TEXT_CALLS = arg('text-calls', 50_000)
const CONCURRENCY = arg('concurrency', 200)
const BATCH = arg('batch', 100)
/** `--cpu-prof DIR`: the workers write V8 CPU profiles there (on SIGTERM, after step 3). */
const PROFILE_DIR = process.argv.includes('--cpu-prof') ? resolve(process.argv[process.argv.indexOf('--cpu-prof') + 1]!) : undefined
/** Phrase queries checked against a plain scan (two pages each). */
const VERIFY = arg('verify', 10)
/** Load the history, keep the database and stop (to try queries on it by hand). */
const HISTORY_ONLY = process.argv.includes('--history-only')
/** Only the reads (step 4), on a database kept by an earlier run (`--history-only` or `--keep`). */
const REUSE_DB = process.argv.includes('--database') ? process.argv[process.argv.indexOf('--database') + 1] : undefined
/** Tags this run's call ids: runs on a kept database write new calls. */
const RUN = randomUUID().slice(0, 4)
/** With --database: only the reads (step 4). */
const READS_ONLY = process.argv.includes('--reads-only')
const KEEP = HISTORY_ONLY || REUSE_DB !== undefined || process.argv.includes('--keep')
/** Day text indexes built at once by the history load, and the maintenance_work_mem of each (MB). */
const INDEX_PARALLEL = arg('index-parallel', 2)
const INDEX_MEM_MB = arg('index-mem-mb', 1024)
const TEAMS = 25
const AGENTS_PER_TEAM = 20
const MONTH = { year: 2026, month: 11, days: 30 } // November 2026

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`
function timings(list: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...list].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1)! }
}


function corpusLines(file: string): string[] {
  const path = resolve(ROOT, '..', 'shared', 'corpus', file)
  const alt = resolve('/work/shared/corpus', file)
  const text = readFileSync(existsSync(path) ? path : alt, 'utf8')
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && l.length < 300)
}

const agentLines = corpusLines('real-agent-utterances.txt')
const customerLines = corpusLines('real-customer-utterances.txt')

process.stderr.write('preparing engine reports...\n')
const pool = checkTranscript(loadDefaultRulebook(), simulateDay({ teams: 4, agentsPerTeam: 10, seed: 42 }).flatMap(simEvents)).reports.filter((r) => r.transcript.length > 0)

const baseOf = (i: number): CallReport => pool[i % pool.length]!

/** When the run started: new calls (floor, queue, lag) are today's, as live calls are. */
const NOW_MS = Date.now()

/**
 * Report `i`: of the month (history: agent, day and start spread evenly) or, `live`, of the last
 * hour before the run (the current day's partition, which has no text index); texts from the corpus.
 */
function makeReport(i: number, tag: string, live = false): CallReport {
  const random = rng(i * 2654435761 + (live ? 1 : 0))
  const base = baseOf(i)
  const seat = i % (TEAMS * AGENTS_PER_TEAM)
  const team = Math.floor(seat / AGENTS_PER_TEAM)
  // Calls in start order, REPORTS of them over the month's days (as a store receives them, about
  // in the order they end), 08:00-20:00 in Shanghai = 00:00-12:00 UTC.
  const perDay = Math.max(1, Math.ceil(REPORTS / MONTH.days))
  const day = 1 + (Math.floor(i / perDay) % MONTH.days)
  const startMs = live
    ? Math.max(Math.floor(NOW_MS / 86_400_000) * 86_400_000, NOW_MS - base.endMs - (i % 3600) * 1000 - Math.floor(random() * 1000))
    : Date.UTC(MONTH.year, MONTH.month - 1, day, 0, 0, 0) + Math.floor((((i % perDay) + random()) / perDay) * 12 * 3600_000)
  return {
    ...base,
    callId: `${tag}-${i}`,
    agentId: `a-${team}-${seat % AGENTS_PER_TEAM}`,
    teamId: `t-${team}`,
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(startMs + base.endMs).toISOString(),
    transcript: base.transcript.map((line) => ({
      ...line,
      text: (line.speaker === 'agent' ? agentLines : customerLines)[Math.floor(random() * (line.speaker === 'agent' ? agentLines.length : customerLines.length))]!,
    })),
  }
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

function reportCopyLine(r: CallReport, bodyHex: string | null = null): string {
  const rules = [...new Set(r.findings.map((f) => f.rule))].sort()
  const fields = [
    r.callId,
    r.startedAt,
    r.agentId,
    r.teamId,
    r.endedAt ?? '\\N',
    dayOf(r.startedAt, TIME_ZONE),
    r.direction,
    r.disposition,
    String(r.score),
    String(r.findings.length),
    textArrayLiteral(rules),
    r.metrics.greeted ? 't' : 'f',
    r.metrics.closed ? 't' : 'f',
    r.metrics.complaintRisk ? 't' : 'f',
    String(Math.round(r.endMs)),
    r.rulebook.id,
    r.rulebook.version,
    JSON.stringify(r.findings),
  ]
  return `${fields.map(copyText).join('\t')}\t\\\\x${bodyHex ?? encodeReport(r, DEFAULT_BROTLI_QUALITY).toString('hex')}\n`
}

function childCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const profile = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(ROOT, 'services/aggregator/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((ready, fail) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      if (out.includes('aggregator ready')) ready()
    })
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before ready`)))
  })
  child.removeAllListeners('exit')
  return child
}

let interrupted = false
process.once('SIGINT', () => {
  interrupted = true
  process.stderr.write('stopping: cleaning up...\n')
})

async function main(): Promise<void> {
  const serverUrl = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL)
  const dbName = REUSE_DB ?? `callqa_bench_${randomUUID().slice(0, 8)}`
  const adminUrl = new URL(serverUrl)
  adminUrl.pathname = '/postgres'
  const admin = openPool(adminUrl.toString(), 1)
  if (!REUSE_DB) await admin.unsafe(`CREATE DATABASE ${dbName}`)
  const dbUrl = new URL(serverUrl)
  dbUrl.pathname = `/${dbName}`
  const url = dbUrl.toString()
  const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
  const bullPrefix = `bench-${randomUUID().slice(0, 8)}`
  const queue = new Queue('score', { connection: redis, prefix: bullPrefix })
  const workers: ChildProcess[] = []
  const lines: string[] = []
  const say = (line: string): void => {
    lines.push(line)
    process.stderr.write(`${line}\n`)
  }
  const store = new ReportStore({ databaseUrl: url, maxConnections: 4 })
  const sql = store.sql
  try {
    if (REUSE_DB) {
      const [{ n }] = (await sql`SELECT count(*)::int AS n FROM reports WHERE started_at < '2026-12-01'`) as unknown as [{ n: number }]
      say(`history: ${n.toLocaleString('en')} reports of November, kept by an earlier run (database ${REUSE_DB})`)
    } else {
      await migrateReportsSchema(url)
      await store.ensurePartitions(Date.UTC(MONTH.year, MONTH.month - 1, 1))
      await store.ensurePartitions(NOW_MS)
      for (let d = 1; d <= MONTH.days; d++) await sql`SELECT callqa_ensure_transcript_partition(${new Date(Date.UTC(MONTH.year, MONTH.month - 1, d))})`
      // 1. History: the month, bulk-loaded (setup, not a figure).
      await loadHistory(sql, store, say)
      if (HISTORY_ONLY) return
    }

    if (!READS_ONLY) {
      // 1b. Floor: a plain COPY of as many new rows as the queue will take (December), generated and
      // encoded the way the workers do, into the loaded table with every index in place.
      {
        const rows = Array.from({ length: QUEUE_CALLS }, (_, i) => i)
        const t0 = performance.now()
        const cpu0 = process.cpuUsage()
        await copyReports(sql, rows, (i) => makeReport(i, `f${RUN}`, true), null)
        const seconds = (performance.now() - t0) / 1000
        const cpu = process.cpuUsage(cpu0)
        say(`floor, plain COPY of ${QUEUE_CALLS.toLocaleString('en')} new reports into the loaded table and its indexes (generation and encoding included, rollups beside): ${(QUEUE_CALLS / seconds).toFixed(0)} rows/s (${seconds.toFixed(1)} s; ${(((cpu.user + cpu.system) / QUEUE_CALLS)).toFixed(0)} µs of generator CPU a row; load average ${loadavg()[0]!.toFixed(1)})`)
        ;(globalThis as { copyRate?: number }).copyRate = QUEUE_CALLS / seconds
      }

      // 2. Through the queue, flat out (December, so partitions and rows are new).
      const env = { DATABASE_URL: url, CALLQA_BULL_PREFIX: bullPrefix, CALLQA_WEBHOOK_CONCURRENCY: '0', CALLQA_SCORE_CONCURRENCY: String(CONCURRENCY), CALLQA_SCORE_BATCH: String(BATCH), CALLQA_DATABASE_POOL: '10' }
      for (let w = 0; w < WORKERS; w++) workers.push(await spawnWorker(env))
      {
        const jobs = Array.from({ length: QUEUE_CALLS }, (_, i) => makeReport(i, `q${RUN}`, true))
        const cpu0 = workers.map((w) => childCpuSeconds(w.pid!))
        const t0 = performance.now()
        for (let i = 0; i < jobs.length; i += 1000) {
          await queue.addBulk(jobs.slice(i, i + 1000).map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, removeOnComplete: { count: 10_000_000 }, jobId: scoreJobId(report.callId) } })))
        }
        const addedSeconds = (performance.now() - t0) / 1000
        for (;;) {
          const counts = await queue.getJobCounts('completed', 'failed')
          if ((counts.completed ?? 0) + (counts.failed ?? 0) >= QUEUE_CALLS) {
            if ((counts.failed ?? 0) > 0) say(`  ${counts.failed} jobs FAILED`)
            break
          }
          await new Promise((r) => setTimeout(r, 100))
        }
        const seconds = (performance.now() - t0) / 1000
        const cpu = workers.reduce((s, w, i) => s + childCpuSeconds(w.pid!) - cpu0[i]!, 0)
        const rate = QUEUE_CALLS / seconds
        ;(globalThis as { queueRate?: number }).queueRate = rate
        const copyRate = (globalThis as { copyRate?: number }).copyRate!
        say(`through the queue, ${WORKERS} worker processes: ${rate.toFixed(0)} calls/s (${QUEUE_CALLS} jobs in ${seconds.toFixed(1)} s; ${((cpu / QUEUE_CALLS) * 1e6).toFixed(0)} µs of worker CPU a call; ${(rate / copyRate).toFixed(2)}x the COPY floor; the jobs were all added after ${addedSeconds.toFixed(1)} s; load average ${loadavg()[0]!.toFixed(1)})`)
        await queue.clean(0, 1_000_000, 'completed')
      }

      // 3. Lag at a steady rate: the aim's rate, and half the flat-out rate when that is below it
      // (above capacity the queue only grows, and the lag with it).
      const lagAt = async (rate: number, first: number): Promise<void> => {
        await queue.clean(0, 1_000_000, 'completed')
        const lags: number[] = []
        const total = Math.round(rate * SECONDS)
        const t0 = performance.now()
        let sent = 0
        while (sent < total) {
          const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate))
          if (due > sent) {
            const batch = Array.from({ length: due - sent }, (_, k) => makeReport(first + sent + k, `l${RUN}`, true))
            await queue.addBulk(batch.map((report) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, removeOnComplete: { count: 10_000_000 }, jobId: scoreJobId(report.callId) } })))
            sent = due
          }
          await new Promise((r) => setTimeout(r, 5))
        }
        for (;;) {
          const counts = await queue.getJobCounts('completed', 'failed')
          if ((counts.completed ?? 0) + (counts.failed ?? 0) >= total) break
          await new Promise((r) => setTimeout(r, 100))
        }
        for (const job of await queue.getJobs(['completed'], 0, -1)) {
          const committedAt = (job.returnvalue as { committedAt?: number } | undefined)?.committedAt
          if (committedAt) lags.push(committedAt - job.timestamp)
        }
        const t = timings(lags)
        say(`lag call.ended -> report and KPIs committed at ${rate} calls/s for ${SECONDS} s: p50 ${ms(t.p50)}, p99 ${ms(t.p99)}, max ${ms(t.max)} (${lags.length} calls; load average ${loadavg()[0]!.toFixed(1)})`)
      }
      await lagAt(RATE, QUEUE_CALLS)
      const flatOut = (globalThis as { queueRate?: number }).queueRate!
      if (flatOut < RATE * 1.1) await lagAt(Math.max(1, Math.floor(flatOut / 2)), QUEUE_CALLS + RATE * SECONDS)
      await Promise.all(workers.map((w) => new Promise((exited) => { w.once('exit', exited); w.kill('SIGTERM') })))
    }

    // 4. Reads over the month.
    {
      const random = rng(7)
      const rules = ['forbidden_phrase', 'missing_closing', 'interruption', 'missing_greeting', 'complaint_risk'] as const
      const filtered: number[] = []
      const phrase: number[] = []
      const phraseSingle: number[] = []
      const slowest: Array<[number, string, number]> = []
      let mismatches = 0
      const kpi: number[] = []
      const phrases = samplePhrases(agentLines, customerLines, 50, random)
      let hits = 0
      for (let q = 0; q < QUERIES; q++) {
        const team = `t-${Math.floor(random() * TEAMS)}`
        const day = 1 + Math.floor(random() * (MONTH.days - 7))
        const fromMs = Date.UTC(MONTH.year, MONTH.month - 1, day) - 8 * 3600_000
        let t0 = performance.now()
        await store.searchReports({ teamId: team, fromMs, toMs: fromMs + 7 * 86_400_000, rule: rules[q % rules.length]!, limit: 50 })
        filtered.push(performance.now() - t0)
        const month = { phrase: phrases[q % phrases.length]!, fromMs: Date.UTC(MONTH.year, MONTH.month - 1, 1) - 8 * 3600_000, toMs: Date.UTC(MONTH.year, MONTH.month, 1) - 8 * 3600_000 }
        t0 = performance.now()
        const page = await store.searchReports({ ...month, limit: 50 })
        phrase.push(performance.now() - t0)
        slowest.push([performance.now() - t0, month.phrase, page.items.length])
        if (page.items.length > 0) hits++
        if (q < VERIFY) {
          // Reference: one plain statement, no text index (a scan of the month's transcripts); the
          // store's first two pages must be its first 100 rows.
          t0 = performance.now()
          const single = await sql<Array<{ call_id: string }>>`
            SELECT r.call_id FROM reports r JOIN report_transcripts t ON t.started_at = r.started_at AND t.call_id = r.call_id
            WHERE r.started_at >= ${new Date(month.fromMs)} AND r.started_at < ${new Date(month.toMs)}
              AND t.started_at >= ${new Date(month.fromMs)} AND t.started_at < ${new Date(month.toMs)}
              AND t.transcript LIKE ${`%${month.phrase}%`} ORDER BY r.started_at DESC, r.call_id DESC LIMIT 100`
          phraseSingle.push(performance.now() - t0)
          const second = page.nextCursor ? await store.searchReports({ ...month, limit: 50, cursor: page.nextCursor }) : { items: [] }
          if (single.map((r) => r.call_id).join() !== [...page.items, ...second.items].map((i) => i.callId).join()) mismatches++
        }
        t0 = performance.now()
        await store.readKpi('team', team, '2026-11-01', '2026-11-30', 'month')
        kpi.push(performance.now() - t0)
      }
      const f = timings(filtered)
      const p = timings(phrase)
      const k = timings(kpi)
      say(`team + 7 days + rule search, first page of 50 (${QUERIES} queries): p50 ${ms(f.p50)}, p99 ${ms(f.p99)}`)
      const ps = timings(phraseSingle)
      say(`phrase search over the month, first page of 50 (load average ${loadavg()[0]!.toFixed(1)}; ${QUERIES} queries, ${phrases.length} phrases of 2-6 characters from the corpus, ${hits} with hits): p50 ${ms(p.p50)}, p99 ${ms(p.p99)}, max ${ms(p.max)}`)
      say(`  slowest: ${slowest.sort((a, b) => b[0] - a[0]).slice(0, 6).map(([t, text, n]) => `${text} ${ms(t)} (${n} on the page)`).join(', ')}`)
      say(`  reference for the first ${Math.min(VERIFY, QUERIES)} (one statement scanning the month's transcripts): p50 ${ms(ps.p50)}, max ${ms(ps.max)}; first two pages that differ from it: ${mismatches}`)
      say(`team KPI month (30 day rollups + seat-days): p50 ${ms(k.p50)}, p99 ${ms(k.p99)}`)
    }

    // 5. pg_trgm vs segmented words.
    if (!REUSE_DB) await compareTextSearch(sql, say)
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL')
    await store.close()
    await queue.obliterate({ force: true }).catch(() => undefined)
    await queue.close()
    await redis.quit()
    if (!KEEP) await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    else process.stderr.write(`kept database ${dbName}\n`)
    await admin.end()
  }
  const load = loadavg().map((n) => n.toFixed(2)).join(' ')
  process.stdout.write(`\nbench:store on ${cpus()[0]?.model} (${cpus().length} cores), Node ${process.version}, load average ${load}\n${lines.map((l) => `- ${l}`).join('\n')}\n`)
}

/**
 * COPYs reports `ids` (made by `make`) with their report_calls rows, then their rollups and seat
 * days (computed here; the rollup rows must be new). `bodies`: the encoded body of each base
 * report, reused by its clones (history only: a clone's body is never read, and encoding a
 * million bodies would take most of the load time); null encodes each report.
 */
async function copyReports(sql: Sql, ids: number[], make: (i: number) => CallReport, bodies: Map<CallReport, string> | null, progress?: (n: number) => void): Promise<void> {
  const rollups = new Map<string, KpiRollup>()
  const seats = new Set<string>()
  const calls: string[] = []
  const texts: string[] = []
  const add = (key: string, r: CallReport): void => {
    const rollup = rollups.get(key) ?? {}
    for (const [f, n] of reportIncrements(r)) rollup[f] = (rollup[f] ?? 0) + n
    rollups.set(key, rollup)
  }
  // COPY in chunks: one endless COPY would hold off DROP DATABASE (its barrier) of every other
  // test on the server until it ends.
  const CHUNK = 10_000
  for (let from = 0; from < ids.length; from += CHUNK) {
    if (interrupted) throw new Error('interrupted')
    const lines: string[] = []
    for (const i of ids.slice(from, from + CHUNK)) {
      const r = make(i)
      const day = dayOf(r.startedAt, TIME_ZONE)
      add(`agent\t${r.agentId}\t${day}`, r)
      add(`team\t${r.teamId}\t${day}`, r)
      seats.add(`${r.teamId}\t${day}\t${r.agentId}`)
      calls.push(`${r.callId}\t${r.startedAt}\n`)
      texts.push(`${r.startedAt}\t${copyText(r.callId)}\t${copyText(transcriptText(r))}\n`)
      lines.push(reportCopyLine(r, bodies?.get(baseOf(i)) ?? null))
    }
    await pipeline(Readable.from(lines), await sql`COPY reports (call_id, started_at, agent_id, team_id, ended_at, day, direction, disposition, score, finding_count, rules, greeted, closed, complaint_risk, duration_ms, rulebook_id, rulebook_version, findings, body) FROM STDIN`.writable())
    await pipeline(Readable.from(texts.splice(0)), await sql`COPY report_transcripts (started_at, call_id, transcript) FROM STDIN`.writable())
    progress?.(from + lines.length)
  }
  for (let from = 0; from < calls.length; from += 50_000) {
    await pipeline(Readable.from(calls.slice(from, from + 50_000)), await sql`COPY report_calls (call_id, started_at) FROM STDIN`.writable())
  }
  // A few hundred rows, upserted: a run on a kept database meets today's rows of the run before.
  const rollupRows = [...rollups].map(([key, counters]) => {
    const [scope, id, day] = key.split('\t')
    return { scope, id, day, counters }
  })
  await sql`
    INSERT INTO kpi_rollups (scope, id, day, counters)
    SELECT scope, id, day, counters FROM json_to_recordset(${JSON.stringify(rollupRows)}::text::json) AS x(scope text, id text, day date, counters jsonb)
    ON CONFLICT (scope, id, day) DO UPDATE SET counters = callqa_kpi_add(kpi_rollups.counters, excluded.counters)`
  const seatRows = [...seats].map((s) => {
    const [team_id, day, agent_id] = s.split('\t')
    return { team_id, day, agent_id }
  })
  await sql`
    INSERT INTO kpi_seat_days (team_id, day, agent_id)
    SELECT team_id, day, agent_id FROM json_to_recordset(${JSON.stringify(seatRows)}::text::json) AS x(team_id text, day date, agent_id text)
    ON CONFLICT DO NOTHING`
  await sql`INSERT INTO agent_teams SELECT DISTINCT ON (agent_id) agent_id, team_id, '2026-11-01'::timestamptz FROM kpi_seat_days ON CONFLICT DO NOTHING`
}

/**
 * The month of history: COPY with the secondary indexes of \`reports\` dropped, then built again
 * from their own definitions (a bulk build is several times cheaper than a million inserts into a
 * trigram GIN index).
 */
async function loadHistory(sql: Sql, store: ReportStore, say: (line: string) => void): Promise<void> {
  process.stderr.write(`history: COPY ${REPORTS.toLocaleString('en')} reports...\n`)
  const t0 = performance.now()
  const indexes = await sql<Array<{ name: string; def: string }>>`
    SELECT indexname AS name, indexdef AS def FROM pg_indexes
    WHERE schemaname = 'public' AND tablename = 'reports' AND indexname NOT LIKE '%pkey'`
  for (const { name } of indexes) await sql.unsafe(`DROP INDEX ${name}`)
  const bodies = new Map(pool.map((r) => [r, encodeReport(r, DEFAULT_BROTLI_QUALITY).toString('hex')]))
  const ids = Array.from({ length: REPORTS }, (_, i) => i)
  await copyReports(sql, ids, (i) => makeReport(i, 'm'), bodies, (n) => {
    if (n % 100_000 === 0) process.stderr.write(`  ${n} rows, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`)
  })
  const copySeconds = (performance.now() - t0) / 1000
  const t1 = performance.now()
  await sql`SET maintenance_work_mem = '512MB'`
  // pg_indexes names a partitioned index `ON ONLY` (the parent alone): build it on every partition.
  for (const { def } of indexes) await sql.unsafe(def.replace(' ON ONLY ', ' ON '))
  const indexSeconds = (performance.now() - t1) / 1000
  // The text index of each (closed) day of the month, as maintain() builds it, INDEX_PARALLEL at once.
  const t2 = performance.now()
  const days = await store.indexClosedDays({ nowMs: Date.UTC(MONTH.year, MONTH.month, 1), parallel: INDEX_PARALLEL, maintenanceWorkMemMb: INDEX_MEM_MB })
  const textSeconds = (performance.now() - t2) / 1000
  await sql`ANALYZE`
  const [size] = await sql<Array<{ total: string; table: string }>>`
    SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS total, pg_size_pretty(sum(pg_table_size(c.oid))) AS "table"
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'reports'::regclass`
  const [text] = await sql<Array<{ total: string; index: string }>>`
    SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS total, pg_size_pretty(sum(pg_indexes_size(c.oid))) AS index
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'report_transcripts'::regclass`
  say(`history: ${REPORTS.toLocaleString('en')} reports of November loaded in ${(copySeconds + indexSeconds + textSeconds).toFixed(0)} s (COPY ${(REPORTS / copySeconds).toFixed(0)} rows/s with transcripts, without the secondary indexes, ${copySeconds.toFixed(0)} s; ${indexes.length} report indexes built in ${indexSeconds.toFixed(0)} s; ${days.length} day text indexes in ${textSeconds.toFixed(0)} s, ${INDEX_PARALLEL} at once with ${INDEX_MEM_MB} MB each, ${((textSeconds * INDEX_PARALLEL) / Math.max(1, days.length)).toFixed(0)} s a day; load average ${loadavg()[0]!.toFixed(1)})`)
  say(`  transcripts: ${text!.total} with their indexes (${text!.index} of it the indexes)`)
  say(`  on disk: ${size!.total} with indexes (${size!.table} table and TOAST): ${((await dbBytes(sql)) / REPORTS / 1024).toFixed(1)} KB a report in the whole database`)
}

async function dbBytes(sql: Sql): Promise<number> {
  const [row] = await sql<Array<{ n: string }>>`SELECT pg_database_size(current_database())::text AS n`
  return Number(row!.n)
}

/** Substrings of real lines (2-6 characters of CJK text), the kind of phrase a reviewer types. */
function samplePhrases(agent: string[], customer: string[], n: number, random: () => number): string[] {
  const out = new Set<string>(['投诉', '不知道', '稍等', '退款', '领导', '没办法'])
  while (out.size < n) {
    const lines = random() < 0.6 ? agent : customer
    const line = lines[Math.floor(random() * lines.length)]!
    const runs = line.match(/[\u4e00-\u9fff]{2,}/g) ?? []
    const run = runs[Math.floor(random() * runs.length)]
    if (!run) continue
    const length = 2 + Math.floor(random() * Math.min(5, run.length - 1))
    const start = Math.floor(random() * (run.length - length + 1))
    out.add(run.slice(start, start + length))
  }
  return [...out]
}

async function compareTextSearch(sql: Sql, say: (line: string) => void): Promise<void> {
  process.stderr.write(`text search: ${TEXT_CALLS} transcripts of real lines...\n`)
  const random = rng(11)
  const docs: string[] = []
  for (let i = 0; i < TEXT_CALLS; i++) {
    const n = 10 + Math.floor(random() * 20)
    const lines: string[] = []
    for (let k = 0; k < n; k++) lines.push((k % 2 === 0 ? agentLines : customerLines)[Math.floor(random() * (k % 2 === 0 ? agentLines.length : customerLines.length))]!)
    docs.push(lines.join('\n'))
  }
  const segmentStart = performance.now()
  const words = docs.map((d) => segmentWords(d).filter((w) => /\S/.test(w)).join(' '))
  const segmentSeconds = (performance.now() - segmentStart) / 1000
  await sql`CREATE TABLE text_trgm (id int PRIMARY KEY, transcript text NOT NULL)`
  await sql`CREATE INDEX ON text_trgm USING gin (transcript gin_trgm_ops)`
  await sql`CREATE TABLE text_bigrams (id int PRIMARY KEY, transcript text NOT NULL)`
  await sql`CREATE INDEX ON text_bigrams USING gin (callqa_bigrams(transcript))`
  await sql`CREATE TABLE text_words (id int PRIMARY KEY, words tsvector NOT NULL)`
  await sql`CREATE INDEX ON text_words USING gin (words)`
  const load = async (table: string, rows: string[], column: string): Promise<number> => {
    const t0 = performance.now()
    // In chunks, like the reports: a long COPY holds off other sessions' DROP DATABASE.
    for (let from = 0; from < rows.length; from += 2000) {
      const copy = await sql.unsafe(`COPY ${table} (id, ${column}) FROM STDIN`).writable()
      await pipeline(Readable.from(rows.slice(from, from + 2000).map((text, k) => `${from + k}\t${copyText(text)}\n`)), copy)
    }
    return (performance.now() - t0) / 1000
  }
  const trgmSeconds = await load('text_trgm', docs, 'transcript')
  const bigramSeconds = await load('text_bigrams', docs, 'transcript')
  // The words column holds jieba's words; the 'simple' parser splits them on the spaces.
  await sql`CREATE TABLE words_raw (id int PRIMARY KEY, words text NOT NULL)`
  await load('words_raw', words, 'words')
  const w0 = performance.now()
  await sql`INSERT INTO text_words SELECT id, to_tsvector('simple', words) FROM words_raw`
  const wordsSeconds = (performance.now() - w0) / 1000
  await sql`ANALYZE text_trgm`
  await sql`ANALYZE text_bigrams`
  await sql`ANALYZE text_words`
  const [sizes] = await sql<Array<{ trgm: string; words: string; bigrams: string }>>`
    SELECT pg_size_pretty(pg_indexes_size('text_trgm')) AS trgm, pg_size_pretty(pg_indexes_size('text_words')) AS words,
      pg_size_pretty(pg_indexes_size('text_bigrams')) AS bigrams`
  const phrases = samplePhrases(agentLines, customerLines, 60, random)
  const trgm: number[] = []
  const bigram: number[] = []
  let bigramFound = 0
  const tsv: number[] = []
  let found = 0
  let truth = 0
  let wordsFound = 0
  for (const phrase of phrases) {
    const pattern = `%${phrase}%`
    let t0 = performance.now()
    const a = await sql<Array<{ id: number }>>`SELECT id FROM text_trgm WHERE transcript LIKE ${pattern}`
    trgm.push(performance.now() - t0)
    t0 = performance.now()
    const c = await sql<Array<{ id: number }>>`SELECT id FROM text_bigrams WHERE callqa_bigrams(transcript) @> callqa_bigrams(${phrase}) AND transcript LIKE ${pattern}`
    bigram.push(performance.now() - t0)
    bigramFound += c.length
    const segmented = segmentWords(phrase).filter((w) => /\S/.test(w)).join(' ')
    t0 = performance.now()
    const b = await sql<Array<{ id: number }>>`SELECT id FROM text_words WHERE words @@ phraseto_tsquery('simple', ${segmented})`
    tsv.push(performance.now() - t0)
    const expected = docs.reduce((n, d) => n + (d.includes(phrase) ? 1 : 0), 0)
    truth += expected
    found += a.length
    const trueIds = new Set(a.map((r: { id: number }) => r.id))
    wordsFound += b.filter((r: { id: number }) => trueIds.has(r.id)).length
  }
  const t = timings(trgm)
  const g = timings(bigram)
  const s = timings(tsv)
  say(`Chinese phrase search on ${TEXT_CALLS.toLocaleString('en')} transcripts of real lines, ${phrases.length} phrases (all matches, not a first page):`)
  say(`  pg_trgm LIKE: COPY with the index ${(TEXT_CALLS / trgmSeconds).toFixed(0)} rows/s, index ${sizes!.trgm}, p50 ${ms(t.p50)}, p99 ${ms(t.p99)}, recall ${((found / Math.max(1, truth)) * 100).toFixed(1)} % (exact substring semantics)`)
  say(`  bigrams (callqa_bigrams, GIN over int8 character pairs) + LIKE: COPY with the index ${(TEXT_CALLS / bigramSeconds).toFixed(0)} rows/s, index ${sizes!.bigrams}, p50 ${ms(g.p50)}, p99 ${ms(g.p99)}, recall ${((bigramFound / Math.max(1, truth)) * 100).toFixed(1)} % (exact, any phrase of 2+ characters)`)
  say(`  jieba words + tsvector: segmenting ${(TEXT_CALLS / segmentSeconds).toFixed(0)} transcripts/s in Node, insert with the index ${(TEXT_CALLS / wordsSeconds).toFixed(0)} rows/s, index ${sizes!.words}, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, recall ${((wordsFound / Math.max(1, truth)) * 100).toFixed(1)} % of the substring matches`)
}

await main()
