#!/usr/bin/env tsx
/**
 * `pnpm bench:live`: the live gateway under N concurrent calls at real-time pace, beside a bare ws
 * relay carrying the same load (the floor), in one run. Starts each server as a child process on
 * loopback, drives it with scripts/loadgen.ts, and reports utterance-to-alert latency (p50, p99,
 * max), utterance-to-ack latency (one utterance in four; an ack waits for the checkpoint in Redis),
 * server CPU and RSS, and the gateway/relay ratios.
 *
 * Options: --calls 10000  --seconds 60  --ramp 10  --connections 40  --supervisors 5  --no-relay
 *          --gateways 2 (N gateway processes on one port, node:cluster; CPU is their sum, and each
 *          one's is printed); --gateways 1,2 runs each count in turn, then the relay, in one run
 *          --appendfsync always|everysec (a private Redis with append-only on, that fsync policy;
 *          default: the Redis at REDIS_URL as it is configured)
 *          --gateway-flags='--max-semi-space-size=64' (node flags of the gateway process only)
 *          --soak (2,000 calls for 10 minutes, RSS printed every 30 s)
 *          --compiled (the gateway from services/gateway/dist, as `pnpm start:prod` runs it; `pnpm build` first)
 *          --acks each (one `ack` frame per utterance; default batch: one `acks` frame per connection and flush)
 *          --gateway-stdout=FILE (append the gateway's stdout there, e.g. with --gateway-flags=--trace-gc)
 *          --call-utterances 4-8 (a call lasts MIN-MAX utterances, default 20-40: short calls put more starts
 *          and ends beside the same utterance rate, so two runs give what one call's start and end cost)
 *          --rounds 3 (gateway then relay, 3 times over: a shared box's CPU figures vary ±15 % from one minute
 *          to the next, so the ratio of each round, taken in the same minutes, and their median are printed)
 * Besides latency and CPU it prints, per gateway process, event-loop delay, GC pauses by kind and the
 * in-gateway latency over the measuring window (from its /metrics), the alert p99 of each 10 s window,
 * and the load generator's own event-loop delay (a late generator reads as a slow server).
 * Uses the Redis at REDIS_URL (default redis://127.0.0.1:6379) under a unique prefix, removed after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { runLoad, summarize, type LoadStats } from '../loadgen.js'

const { values } = parseArgs({
  options: {
    calls: { type: 'string' },
    seconds: { type: 'string' },
    ramp: { type: 'string', default: '10' },
    connections: { type: 'string' },
    supervisors: { type: 'string', default: '5' },
    'no-relay': { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    /** Extra node flags for the gateway process only, e.g. --gateway-flags=--max-semi-space-size=64 */
    'gateway-flags': { type: 'string', default: '' },
    gateways: { type: 'string', default: '1' },
    appendfsync: { type: 'string' },
    /** Run the gateway compiled (`pnpm build` first), as production does. */
    compiled: { type: 'boolean', default: false },
    /** `each`: one ack frame per utterance instead of one per flush, to measure what batching saves. */
    acks: { type: 'string', default: 'batch' },
    /** A file for the gateway's stdout (e.g. with --gateway-flags=--trace-gc); default: discarded. */
    'gateway-stdout': { type: 'string' },
    rounds: { type: 'string', default: '1' },
    /** Utterances a call lasts, MIN-MAX (default 20-40): short calls measure what starts and ends cost. */
    'call-utterances': { type: 'string', default: '20-40' },
  },
})
const rounds = Number(values.rounds)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be an integer >= 1, got ${values.rounds}`)
const gatewayCounts = values.gateways.split(',').map(Number)
if (gatewayCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--gateways must be integers >= 1 (e.g. 2 or 1,2), got ${values.gateways}`)
if (values.compiled && !existsSync(resolve(import.meta.dirname, '../../services/gateway/dist/server.js'))) throw new Error('--compiled runs services/gateway/dist/server.js: run `pnpm build` first')
if (values.acks !== 'batch' && values.acks !== 'each') throw new Error(`--acks must be batch or each, got ${values.acks}`)
if (values.appendfsync !== undefined && !['always', 'everysec'].includes(values.appendfsync)) throw new Error(`--appendfsync must be always or everysec, got ${values.appendfsync}`)
const callUtterances = values['call-utterances'].split('-').map(Number) as [number, number]
if (callUtterances.length !== 2 || !callUtterances.every((n) => Number.isInteger(n) && n >= 1) || callUtterances[0] > callUtterances[1]) {
  throw new Error(`--call-utterances must be MIN-MAX with 1 <= MIN <= MAX (e.g. 20-40), got ${values['call-utterances']}`)
}
const soak = values.soak
const calls = Number(values.calls ?? (soak ? 2000 : 10_000))
const seconds = Number(values.seconds ?? (soak ? 600 : 60))
const rampSeconds = Number(values.ramp)
const connections = Number(values.connections ?? Math.max(1, Math.ceil(calls / 250)))
const supervisors = Number(values.supervisors)
let redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const root = resolve(import.meta.dirname, '../..')
const CLK_TCK = 100

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolvePort(port))
    })
  })
}

/** The process and its children (the gateway workers of --gateways). */
function processTree(pid: number): number[] {
  const out = [pid]
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry))
    } catch {
      // exited meanwhile
    }
  }
  return out
}

/** CPU seconds and RSS of a process and its children, summed, and each child's CPU seconds. */
function sample(pid: number): { cpuSeconds: number; sysSeconds: number; rssMb: number; childCpuSeconds: Map<number, number> } {
  let cpuSeconds = 0
  let sysSeconds = 0
  let rssMb = 0
  const childCpuSeconds = new Map<number, number>()
  for (const p of processTree(pid)) {
    try {
      const s = sampleOne(p)
      cpuSeconds += s.cpuSeconds
      sysSeconds += s.sysSeconds
      rssMb += s.rssMb
      if (p !== pid) childCpuSeconds.set(p, s.cpuSeconds)
    } catch {
      // exited meanwhile
    }
  }
  return { cpuSeconds, sysSeconds, rssMb, childCpuSeconds }
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

/** CPU seconds (user + system, and system alone: syscalls, i.e. mostly socket I/O) and RSS of one process, from /proc. */
function sampleOne(pid: number): { cpuSeconds: number; sysSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return { cpuSeconds, sysSeconds: Number(fields[12]) / CLK_TCK, rssMb: rss ? Number(rss[1]) / 1024 : NaN }
}

/**
 * Until `url` answers 200 from `instances` different processes (its JSON `instance`): with several
 * gateway processes on one port the load must not start while only the first listens, or every
 * connection lands on it.
 */
async function waitReady(url: string, child: ChildProcess, instances = 1): Promise<void> {
  const seen = new Set<string>()
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      const res = await fetch(url, { headers: { connection: 'close' } })
      if (res.ok) seen.add(((await res.json()) as { instance?: string }).instance ?? 'one')
      if (seen.size >= instances) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} not answered by ${instances} process(es) after 30 s (${seen.size} seen)`)
}

/** What one gateway's /metrics says that the bench reads: cumulative counters, and the loop lag since the last scrape. */
interface Scrape {
  instance: string
  /** Event-loop delay since the previous scrape (prom-client resets its histogram on each), ms beyond its 10 ms timer. */
  loopLagMs: { p50: number; p99: number; max: number }
  /** GC pauses by kind (minor = scavenge, major = mark-compact, incremental = marking steps): count and total seconds. */
  gc: Map<string, { count: number; seconds: number }>
  heapUsedMb: number
  /** Histogram buckets (le -> cumulative count) of frame read → alert handed to the sockets, and of one flush round trip. */
  ingestToAlert: Map<number, number>
  flush: Map<number, number>
  supervisorOverflows: number
}

/** prom-client's event-loop timer fires every 10 ms (its default precision): delays are reported beyond it. */
const PROM_LOOP_RESOLUTION_MS = 10

function parseScrape(text: string): Scrape | undefined {
  const instance = /^callqa_gateway_info\{instance="([^"]+)"\} 1$/m.exec(text)?.[1]
  if (!instance) return undefined
  const num = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([^ \\n]+)$`, 'm').exec(text)?.[1] ?? NaN)
  const lag = (q: string) => Math.max(0, num(`callqa_gateway_nodejs_eventloop_lag_${q}_seconds`) * 1000 - PROM_LOOP_RESOLUTION_MS)
  const gc = new Map<string, { count: number; seconds: number }>()
  for (const m of text.matchAll(/^callqa_gateway_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([^ \n]+)$/gm)) {
    const entry = gc.get(m[2]!) ?? { count: 0, seconds: 0 }
    if (m[1] === 'sum') entry.seconds = Number(m[3])
    else entry.count = Number(m[3])
    gc.set(m[2]!, entry)
  }
  const buckets = (name: string) => {
    const out = new Map<number, number>()
    for (const m of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} ([^ \\n]+)$`, 'gm'))) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]))
    return out
  }
  return {
    instance,
    loopLagMs: { p50: lag('p50'), p99: lag('p99'), max: lag('max') },
    gc,
    heapUsedMb: num('callqa_gateway_nodejs_heap_size_used_bytes') / 2 ** 20,
    ingestToAlert: buckets('callqa_ingest_to_alert_seconds'),
    flush: buckets('callqa_checkpoint_flush_seconds'),
    supervisorOverflows: num('callqa_supervisor_overflow_total'),
  }
}

/** One /metrics of each of `instances` gateway processes (new connections land on each in turn). */
async function scrapeGateways(url: string, token: string, instances: number): Promise<Map<string, Scrape>> {
  const seen = new Map<string, Scrape>()
  for (let i = 0; i < instances * 20 && seen.size < instances; i++) {
    try {
      const res = await fetch(`${url}/metrics`, { headers: { connection: 'close', authorization: `Bearer ${token}` } })
      const scrape = res.ok ? parseScrape(await res.text()) : undefined
      // A second scrape of the same process would reset its loop-lag histogram: keep the first.
      if (scrape && !seen.has(scrape.instance)) seen.set(scrape.instance, scrape)
    } catch {
      // busy or gone: try again
    }
  }
  return seen
}

/** The upper bound of the bucket holding quantile q of what was counted between two scrapes (ms). */
function bucketQuantileMs(before: Map<number, number> | undefined, after: Map<number, number>, q: number): number {
  const les = [...after.keys()].sort((a, b) => a - b)
  const total = (after.get(Infinity) ?? 0) - (before?.get(Infinity) ?? 0)
  if (total <= 0) return NaN
  for (const le of les) if ((after.get(le) ?? 0) - (before?.get(le) ?? 0) >= q * total) return le * 1000
  return Infinity
}

/** Per gateway process: loop lag, GC and in-gateway latency over the measuring window. */
interface GatewayDiagnostics {
  instance: string
  loopLagMs: Scrape['loopLagMs']
  gc: { kind: string; count: number; totalMs: number; meanMs: number }[]
  heapUsedMb: number
  ingestToAlertP99Ms: number
  flushP99Ms: number
  supervisorOverflows: number
}

function diagnose(before: Map<string, Scrape>, after: Map<string, Scrape>): GatewayDiagnostics[] {
  return [...after.values()].map((end) => {
    const start = before.get(end.instance)
    const gc = [...end.gc].map(([kind, v]) => {
      const count = v.count - (start?.gc.get(kind)?.count ?? 0)
      const totalMs = 1000 * (v.seconds - (start?.gc.get(kind)?.seconds ?? 0))
      return { kind, count, totalMs, meanMs: count > 0 ? totalMs / count : 0 }
    })
    return {
      instance: end.instance,
      loopLagMs: end.loopLagMs,
      gc,
      heapUsedMb: end.heapUsedMb,
      ingestToAlertP99Ms: bucketQuantileMs(start?.ingestToAlert, end.ingestToAlert, 0.99),
      flushP99Ms: bucketQuantileMs(start?.flush, end.flush, 0.99),
      supervisorOverflows: end.supervisorOverflows - (start?.supervisorOverflows ?? 0),
    }
  })
}

interface Result {
  name: string
  /** Which round of --rounds (1-based). */
  round: number
  gateways: number
  /** CPU % of each gateway process (node:cluster workers), when there are several. */
  perGatewayCpuPercent: number[]
  loadAtStart: string
  loadAtEnd: string
  stats: LoadStats
  latency: ReturnType<typeof summarize>
  cpuPercent: number
  /** The part of cpuPercent spent in the kernel (socket reads and writes, mostly). */
  sysPercent: number
  /** This process (the load generator) and the Redis server, over the same window: the rest of the box's budget. */
  loadgenCpuPercent: number
  redisCpuPercent: number
  rssMb: number
  peakRssMb: number
  /** Redis used_memory grown during the run, per live call (gateway only). */
  redisBytesPerCall: number
  /** Each gateway process's loop lag, GC and in-gateway latency over the measuring window (from its /metrics). */
  diagnostics: GatewayDiagnostics[]
  /** Alert latency p99 (ms) of each tick's window (every 10 s), to tell a steady tail from bursts. */
  tickP99Ms: number[]
}

async function runOne(name: 'gateway' | 'relay', env: Record<string, string>, gateways = 1): Promise<Omit<Result, 'round'>> {
  const port = await freePort()
  const loadAtStart = loadAverage()
  const compiled = name === 'gateway' && values.compiled
  const server = compiled ? 'services/gateway/dist/server.js' : 'services/gateway/src/server.ts'
  const script = name === 'relay' ? 'scripts/bench/live-relay.ts' : gateways > 1 ? 'scripts/bench/live-gateways.ts' : server
  const flags = name === 'gateway' && values['gateway-flags'] ? values['gateway-flags'].split(' ').filter(Boolean) : []
  // Compiled: no tsx in the gateway process itself (the cluster primary of --gateways still uses it).
  const loader = compiled ? ['--conditions=callqa-dist', ...(gateways > 1 ? ['--import', 'tsx'] : [])] : ['--import', 'tsx']
  const child = spawn(process.execPath, [...flags, ...loader, script], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', GATEWAYS: String(gateways), GATEWAY_ENTRY: resolve(root, server) },
    stdio: ['ignore', name === 'gateway' && values['gateway-stdout'] ? openSync(values['gateway-stdout'], 'a') : 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  const redisBefore = name === 'gateway' ? await redisUsedBytes() : NaN
  try {
    await waitReady(`${url}${name === 'gateway' ? '/healthz' : '/'}`, child, name === 'gateway' ? gateways : 1)
    if (name === 'gateway') await waitReady(`${url}/readyz`, child)
    const pid = child.pid!
    let peakRssMb = 0
    let atMeasureStart = sample(pid)
    const redisPid = name === 'gateway' ? await redisServerPid() : undefined
    let loadgenAtStart = process.cpuUsage()
    let redisAtStart = redisPid ? safeCpuSeconds(redisPid) : NaN
    const rssTimer = setInterval(() => {
      const s = sample(pid)
      peakRssMb = Math.max(peakRssMb, s.rssMb)
    }, 1000)
    const adminToken = env.CALLQA_ADMIN_TOKEN ?? 'bench'
    let scrapesAtStart: Promise<Map<string, Scrape>> = Promise.resolve(new Map())
    setTimeout(() => {
      atMeasureStart = sample(pid)
      loadgenAtStart = process.cpuUsage()
      redisAtStart = redisPid ? safeCpuSeconds(redisPid) : NaN
      if (name === 'gateway') scrapesAtStart = scrapeGateways(url, adminToken, gateways)
    }, rampSeconds * 1000).unref()
    const tickP99Ms: number[] = []
    let tickFrom = 0
    const startedAt = performance.now()
    const stats = await runLoad({
      url,
      calls,
      seconds,
      rampSeconds,
      connections,
      supervisors,
      callUtterances,
      relay: name === 'relay',
      acks: values.acks as 'batch' | 'each',
      ingestToken: env.CALLQA_INGEST_TOKENS ?? 'bench',
      adminToken: env.CALLQA_ADMIN_TOKEN ?? 'bench',
      // Calls start over the socket in both runs, so the gateway and the relay carry the same frames.
      tickMs: soak ? 30_000 : 10_000,
      onTick: (elapsedMs, s) => {
        const now = sample(pid)
        // The measuring window empties the list when it starts: a shorter list is a new window.
        if (s.latenciesMs.length < tickFrom) tickFrom = 0
        const window = summarize(s.latenciesMs.slice(tickFrom))
        tickFrom = s.latenciesMs.length
        if (elapsedMs > rampSeconds * 1000) tickP99Ms.push(window.p99)
        console.log(
          `  ${name} t=${Math.round(elapsedMs / 1000)}s rss=${now.rssMb.toFixed(0)} MB sent=${s.sent} acks=${s.acks} alerts=${s.alerts} errors=${s.errors} calls started=${s.callsStarted} ended=${s.callsEnded}; this tick's alerts p50 ${window.p50.toFixed(1)} / p99 ${window.p99.toFixed(1)} / max ${window.max.toFixed(1)} ms (${window.n})`,
        )
      },
    })
    clearInterval(rssTimer)
    const end = sample(pid)
    const diagnostics = name === 'gateway' ? diagnose(await scrapesAtStart, await scrapeGateways(url, adminToken, gateways)) : []
    const loadgenUsage = process.cpuUsage(loadgenAtStart)
    const redisAtEnd = redisPid ? safeCpuSeconds(redisPid) : NaN
    const redisBytesPerCall = name === 'gateway' ? ((await redisUsedBytes()) - redisBefore) / calls : NaN
    const windowSeconds = (performance.now() - startedAt) / 1000 - rampSeconds
    const perGatewayCpuPercent =
      name === 'gateway' && gateways > 1 ? [...end.childCpuSeconds].map(([p, cpu]) => (100 * (cpu - (atMeasureStart.childCpuSeconds.get(p) ?? 0))) / windowSeconds) : []
    return {
      name: name === 'gateway' ? `gateway x${gateways}` : name,
      gateways,
      perGatewayCpuPercent,
      loadAtStart,
      loadAtEnd: loadAverage(),
      stats,
      latency: summarize(stats.latenciesMs),
      cpuPercent: (100 * (end.cpuSeconds - atMeasureStart.cpuSeconds)) / windowSeconds,
      sysPercent: (100 * (end.sysSeconds - atMeasureStart.sysSeconds)) / windowSeconds,
      loadgenCpuPercent: (100 * ((loadgenUsage.user + loadgenUsage.system) / 1e6)) / windowSeconds,
      redisCpuPercent: (100 * (redisAtEnd - redisAtStart)) / windowSeconds,
      rssMb: end.rssMb,
      peakRssMb,
      redisBytesPerCall,
      diagnostics,
      tickP99Ms,
    }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
  }
}

async function deleteKeys(patterns: string[]): Promise<void> {
  const redis = new Redis(redisUrl)
  try {
    for (const pattern of patterns) {
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000)
        cursor = next
        if (keys.length > 0) await redis.unlink(...keys)
      } while (cursor !== '0')
    }
  } finally {
    await redis.quit()
  }
}

/** A private Redis with append-only on and the given fsync policy, on a free port under a temp dir. */
async function startPrivateRedis(appendfsync: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort()
  const dir = mkdtempSync(resolve(tmpdir(), 'callqa-bench-redis-'))
  const started = spawnSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', appendfsync, '--dir', dir, '--daemonize', 'yes', '--pidfile', `${dir}/redis.pid`, '--logfile', `${dir}/redis.log`])
  if (started.status !== 0) throw new Error(`redis-server did not start: ${started.stderr?.toString()}`)
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 50; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 })
    try {
      await probe.connect()
      await probe.quit()
      break
    } catch {
      probe.disconnect()
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return {
    url,
    stop: () => {
      const pid = Number(readFileSync(`${dir}/redis.pid`, 'utf8'))
      process.kill(pid, 'SIGTERM')
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500).unref()
    },
  }
}

const privateRedis = values.appendfsync ? await startPrivateRedis(values.appendfsync) : undefined
if (privateRedis) redisUrl = privateRedis.url

/** The Redis server's pid when it runs on this box and /proc shows it (INFO's process_id). */
async function redisServerPid(): Promise<number | undefined> {
  const redis = new Redis(redisUrl)
  try {
    const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? NaN)
    return Number.isFinite(safeCpuSeconds(pid)) ? pid : undefined
  } finally {
    await redis.quit()
  }
}

function safeCpuSeconds(pid: number): number {
  try {
    return sampleOne(pid).cpuSeconds
  } catch {
    return NaN
  }
}

/** Redis memory in use (bytes), to report memory per live call. */
async function redisUsedBytes(): Promise<number> {
  const redis = new Redis(redisUrl)
  try {
    return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN)
  } finally {
    await redis.quit()
  }
}

const prefix = `bench-${randomUUID()}`
const gatewayEnv = {
  REDIS_URL: redisUrl,
  CALLQA_REDIS_PREFIX: prefix,
  CALLQA_BULL_PREFIX: `{${prefix}-bull}`,
  // Long enough for the gateway's secret check (it runs as in production).
  CALLQA_INGEST_TOKENS: 'bench-ingest-token-not-a-secret',
  CALLQA_ADMIN_TOKEN: 'bench-admin-token-not-a-secret',
  CALLQA_WEBHOOK_SECRET: `whsec_${Buffer.from('callqa-bench-secret-0123456789abcdef').toString('base64')}`,
  CALLQA_MAX_LIVE_CALLS: String(Math.max(50_000, calls * 2)),
  // The bench's supervisors watch every call (about 1 MB/s each at 30,000 calls, where a team lead's
  // console sees a team's): with the default 1 MiB a pause of the load generator of about a second
  // closed all five with 1013 and the run went on timing nothing. Closes are still printed.
  CALLQA_SUPERVISOR_MAX_BUFFER_BYTES: String(16 * 2 ** 20),
  LOG_LEVEL: 'warn',
}

console.log(
  `bench:live ${soak ? '(soak) ' : ''}${calls} calls, ${seconds} s measured after a ${rampSeconds} s ramp, ${connections} ingest connections, ${supervisors} supervisors, calls of ${callUtterances[0]}-${callUtterances[1]} utterances; ` +
    `acks ${values.acks}, gateway ${values.compiled ? 'compiled (dist/)' : 'through tsx'}, Redis ${values.appendfsync ? `private, appendonly yes, appendfsync ${values.appendfsync}` : redisUrl}; ` +
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average ${loadAverage()}`,
)
const results: Result[] = []
for (let round = 1; round <= rounds; round++) {
  for (const gateways of gatewayCounts) {
    try {
      results.push({ ...(await runOne('gateway', gatewayEnv, gateways)), round })
    } finally {
      // Each run starts from an empty prefix, so Redis memory per call is this run's.
      await deleteKeys([`${prefix}:*`, `{${prefix}-bull}:*`])
    }
  }
  if (!values['no-relay']) results.push({ ...(await runOne('relay', { CALLQA_INGEST_TOKENS: 'x', CALLQA_ADMIN_TOKEN: 'x' })), round })
}
privateRedis?.stop()

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-')
console.log('\n| server | utterances sent | timed deliveries | p50 ms | p99 ms | max ms | ack p50 / p99 ms | CPU % (1 core = 100) | of which sys | CPU % per gateway | load generator / Redis CPU % | RSS MB end / peak | ingest errors | load avg start → end |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of results) {
  const ack = summarize(r.stats.ackLatenciesMs)
  const perGateway = r.perGatewayCpuPercent.length > 0 ? r.perGatewayCpuPercent.map((c) => c.toFixed(0)).join(' + ') : '-'
  console.log(
    `| ${r.name}${rounds > 1 ? ` (round ${r.round})` : ''} | ${r.stats.sent} | ${r.latency.n} | ${fmt(r.latency.p50)} | ${fmt(r.latency.p99)} | ${fmt(r.latency.max)} | ${ack.n > 0 ? `${fmt(ack.p50)} / ${fmt(ack.p99)}` : '-'} | ${r.cpuPercent.toFixed(0)} | ${r.sysPercent.toFixed(0)} | ${perGateway} | ${r.loadgenCpuPercent.toFixed(0)} / ${Number.isFinite(r.redisCpuPercent) ? r.redisCpuPercent.toFixed(0) : '-'} | ${r.rssMb.toFixed(0)} / ${r.peakRssMb.toFixed(0)} | ${r.stats.errors}${Object.keys(r.stats.errorCodes).length ? ` ${JSON.stringify(r.stats.errorCodes)}` : ''} | ${r.loadAtStart} → ${r.loadAtEnd} |`,
  )
}
/** CPU ms per utterance the gateway (or relay) spent on what it answered, per gateway count, by round. */
const perUtteranceRatios = new Map<string, number[]>()
for (const gw of results.filter((r) => r.name !== 'relay')) {
  const relay = results.find((r) => r.name === 'relay' && r.round === gw.round)
  // Per utterance the measuring window carries seconds/(seconds+ramp) of what was sent, roughly.
  // Only what the gateway answered: one that fell behind has not done the work of the rest yet, and
  // dividing its CPU by what was sent would make it look cheaper the further behind it is.
  const answered = Math.min(gw.stats.sent, gw.stats.acks + gw.stats.errors)
  const measuredUtterances = Math.max(1, answered * (seconds / (seconds + rampSeconds)))
  const cpuMsPerUtterance = (gw.cpuPercent * 10 * seconds) / measuredUtterances
  console.log(`\n${gw.name}${rounds > 1 ? ` (round ${gw.round})` : ''}:`)
  if (relay) {
    const relayCpuMs = (relay.cpuPercent * 10 * seconds) / Math.max(1, relay.stats.sent * (seconds / (seconds + rampSeconds)))
    const list = perUtteranceRatios.get(gw.name) ?? []
    list.push(cpuMsPerUtterance / relayCpuMs)
    perUtteranceRatios.set(gw.name, list)
    console.log(
      `  ratios to the relay: p50 ${fmt(gw.latency.p50 / relay.latency.p50)}x, p99 ${fmt(gw.latency.p99 / relay.latency.p99)}x, max ${fmt(gw.latency.max / relay.latency.max)}x, CPU ${fmt(gw.cpuPercent / relay.cpuPercent)}x, CPU per utterance ${fmt(cpuMsPerUtterance / relayCpuMs)}x, RSS ${fmt(gw.rssMb / relay.rssMb)}x`,
    )
  }
  const unanswered = gw.stats.sent - gw.stats.acks - gw.stats.errors
  console.log(
    `  utterances without ack or error at the end ${unanswered}, acks ${gw.stats.acks} in ${gw.stats.ackFrames} frames (${fmt(gw.stats.acks / Math.max(1, gw.stats.ackFrames))} acks a frame); Redis memory per live call ${Number.isFinite(gw.redisBytesPerCall) ? Math.round(gw.redisBytesPerCall) : '-'} B; CPU about ${cpuMsPerUtterance.toFixed(3)} ms per utterance`,
  )
  for (const d of gw.diagnostics) {
    const gc = d.gc
      .filter((g) => g.count > 0)
      .map((g) => `${g.kind} ${g.count} x ${g.meanMs.toFixed(1)} ms (${g.totalMs.toFixed(0)} ms)`)
      .join(', ')
    console.log(
      `  ${d.instance}: event-loop delay p50 ${fmt(d.loopLagMs.p50)} / p99 ${fmt(d.loopLagMs.p99)} / max ${fmt(d.loopLagMs.max)} ms; GC ${gc || '-'}; heap used ${d.heapUsedMb.toFixed(0)} MB; frame read → alert p99 <= ${fmt(d.ingestToAlertP99Ms)} ms; flush round trip p99 <= ${fmt(d.flushP99Ms)} ms; supervisor sockets closed for overflow ${d.supervisorOverflows}`,
    )
  }
  console.log(`  alert p99 per 10 s window (ms): ${gw.tickP99Ms.map((v) => v.toFixed(0)).join(', ')}`)
  console.log(
    `  load generator: event-loop delay p50 ${fmt(gw.stats.loopDelayMs.p50)} / p99 ${fmt(gw.stats.loopDelayMs.p99)} / max ${fmt(gw.stats.loopDelayMs.max)} ms; supervisor sockets closed by the server ${JSON.stringify(gw.stats.supervisorCloses)}`,
  )
  const ok = gw.latency.p99 < 50 && (!relay || gw.latency.p99 <= 2 * relay.latency.p99)
  console.log(`  aim (p99 < 50 ms${relay ? ' and within 2x of the floor' : ''}): ${ok ? 'met' : 'NOT met'}`)
}
for (const relay of results.filter((r) => r.name === 'relay')) {
  console.log(
    `\nrelay${rounds > 1 ? ` (round ${relay.round})` : ''}: load generator event-loop delay p50 ${fmt(relay.stats.loopDelayMs.p50)} / p99 ${fmt(relay.stats.loopDelayMs.p99)} / max ${fmt(relay.stats.loopDelayMs.max)} ms; alert p99 per 10 s window (ms): ${relay.tickP99Ms.map((v) => v.toFixed(0)).join(', ')}`,
  )
}
for (const [name, ratios] of perUtteranceRatios) {
  const sorted = [...ratios].sort((a, b) => a - b)
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
  console.log(`\n${name}: CPU per utterance / the relay's, by round ${ratios.map(fmt).join(', ')}; median ${fmt(median)} (aim ≤ 1.8 at 10,000 calls: ${median <= 1.8 ? 'met' : 'NOT met'})`)
}
console.log(`load average (1, 5, 15 min) at the end: ${loadAverage()}`)
