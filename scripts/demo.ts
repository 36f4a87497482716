#!/usr/bin/env tsx
/**
 * `pnpm demo`: streams the shipped sample calls (samples/*.jsonl) into a running gateway in real
 * time, several at once and looping, so the flow can be watched (console, or the alerts printed
 * here). call.started goes through the signed telephony webhook, utterances and call.ended over the
 * ingest socket (each final sent when its speech ends); every call gets a fresh id per round.
 *
 * The first minute shows what the console is for: the first calls join "in progress" so that a
 * forbidden phrase, a complaint threat and a fast talker all come within 30 s. One agent is never on
 * two calls at once. Ctrl-C ends the calls in flight (call.ended, abandoned) so none is left open to
 * be closed later by the idle sweep. `--days 7` first backfills a week of scored calls through the
 * same public interfaces (webhook and ingest socket, with past `at` times), so the KPI trend has days.
 *
 * Tokens: CALLQA_INGEST_TOKENS (first), CALLQA_ADMIN_TOKEN, CALLQA_WEBHOOK_SECRET, else the
 * development values `pnpm start` uses. See USAGE for the options.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createHmac, randomUUID } from 'node:crypto'
import { WebSocket } from 'ws'
import { decodeJsonl, ruleLabel, severityLabel, type CallEvent, type CallStarted } from '@callqa/protocol'
import { DEV_ADMIN_TOKEN, DEV_INGEST_TOKEN, DEV_WEBHOOK_SECRET } from './start-dev-settings.js'

const USAGE = `usage: pnpm demo [--url URL] [--calls N] [--speed X] [--rounds N] [--minutes N] [--days N]

Streams the sample calls (samples/*.jsonl) into a running gateway (\`pnpm start\`) in real time and prints
the alerts. Open the console at the same URL to watch them.

  --url URL      the gateway (default: CALLQA_URL, else http://HOST:PORT as \`pnpm start\` uses them,
                 else http://127.0.0.1:8080)
  --calls N      calls at the same time (default 4; at most one per agent)
  --speed X      2 plays twice as fast as real time (default 1)
  --rounds N     stop after N calls per line (default 0: until --minutes)
  --minutes N    stop after N minutes (default 30)
  --days N       first backfill N past days of scored calls (KPI trend), then stream live (default 0)
  --samples DIR  the JSONL calls to play (default samples/)
  -h, --help     this help

Ctrl-C ends the calls in flight and stops.
`

function defaultUrl(): string {
  if (process.env.CALLQA_URL) return process.env.CALLQA_URL
  const host = process.env.HOST && process.env.HOST !== '0.0.0.0' && process.env.HOST !== '::' ? process.env.HOST : '127.0.0.1'
  return `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || '8080'}`
}

function options() {
  try {
    return parseArgs({
      options: {
        url: { type: 'string', default: defaultUrl() },
        calls: { type: 'string', default: '4' },
        speed: { type: 'string', default: '1' },
        rounds: { type: 'string', default: '0' },
        minutes: { type: 'string', default: '30' },
        days: { type: 'string', default: '0' },
        samples: { type: 'string', default: resolve(import.meta.dirname, '../samples') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n\n${USAGE}`)
    process.exit(2)
  }
}
const values = options()
if (values.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
function numberOption(name: string, raw: string, min: number): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`demo: --${name} must be a number >= ${min}, got ${JSON.stringify(raw)}\n\n${USAGE}`)
    process.exit(2)
  }
  return n
}
const baseUrl = values.url.replace(/\/$/, '')
const wsBase = baseUrl.replace(/^http/, 'ws')
const concurrency = numberOption('calls', values.calls, 1)
const speed = numberOption('speed', values.speed, 0.01)
const rounds = numberOption('rounds', values.rounds, 0)
const deadline = Date.now() + numberOption('minutes', values.minutes, 0) * 60_000
const backfillDays = numberOption('days', values.days, 0)
const ingestToken = (process.env.CALLQA_INGEST_TOKENS ?? DEV_INGEST_TOKEN).split(',')[0]!.trim()
const adminToken = process.env.CALLQA_ADMIN_TOKEN ?? DEV_ADMIN_TOKEN
const webhookKey = Buffer.from((process.env.CALLQA_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET).replace(/^whsec_/, ''), 'base64')

/** Standard Webhooks v1 signature: HMAC-SHA256 over `id.timestamp.body` with the secret's bytes. */
function sign(id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', webhookKey).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`
}

interface Sample {
  name: string
  events: CallEvent[]
}

function loadSamples(dir: string): Sample[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()
  const out: Sample[] = []
  for (const file of files) {
    const decoded = decodeJsonl(readFileSync(resolve(dir, file), 'utf8'))
    if (decoded.errors.length > 0) console.error(`demo: ${file}: ${decoded.errors.map((e) => e.message).join('; ')}`)
    const started = decoded.events.find((e) => e.type === 'call.started')
    if (started) out.push({ name: basename(file, '.jsonl'), events: decoded.events.filter((e) => e.callId === started.callId) })
  }
  return out
}

const color = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', dim: '\x1b[2m', reset: '\x1b[0m' }
/** Waits `ms`, or less when `isStopped` turns true (checked every 100 ms). */
const sleep = (ms: number, isStopped: () => boolean = () => false) =>
  new Promise<void>((r) => {
    const end = Date.now() + ms
    const tick = () => (isStopped() || Date.now() >= end ? r() : setTimeout(tick, Math.min(100, end - Date.now())))
    tick()
  })

async function postWebhook(body: CallEvent): Promise<void> {
  const raw = JSON.stringify(body)
  const id = `msg_${randomUUID().replace(/-/g, '')}`
  const timestamp = Math.floor(Date.now() / 1000)
  const res = await fetch(`${baseUrl}/v1/webhooks/telephony`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(id, timestamp, raw),
    },
    body: raw,
  })
  if (!res.ok) throw new Error(`webhook ${body.type} ${body.callId}: ${res.status} ${await res.text()}`)
}

function openSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } })
    ws.once('open', () => resolvePromise(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode} (is the token right?)`)))
    ws.once('error', reject)
  })
}

/** Calls in flight (ended on Ctrl-C) and the agents on them (one call per agent at a time). */
const inFlight = new Map<string, { endMs: () => number }>()
const busyAgents = new Set<string>()

/** The samples the first minute starts with, and how far into each call the demo joins it. */
const SHOWCASE: Array<{ sample: string; joinAtMs: number }> = [
  { sample: '05-angry-agent-forbidden-phrases', joinAtMs: 0 }, // 「不知道」 at 25 s
  { sample: '04-bill-enquiry-complaint', joinAtMs: 32_000 }, // 我要投诉 at 57 s → 25 s
  { sample: '06-fast-talker', joinAtMs: 10_000 }, // a fast 24 s monologue ending at 33 s → 23 s
]

/**
 * Plays one sample as a new call: events at their offsets (a final when its speech ends). Joined at
 * `joinAtMs`, the call started that long ago and what was said before is sent at once.
 */
async function playCall(ingest: WebSocket, sample: Sample, round: number, slot: number, joinAtMs = 0, isStopped: () => boolean = () => false): Promise<void> {
  const original = sample.events[0] as CallStarted
  const callId = `demo-${round}-${slot}-${randomUUID().slice(0, 8)}`
  const startedAt = Date.now() - joinAtMs / speed
  let lastMs = 0
  inFlight.set(callId, { endMs: () => lastMs + 500 })
  try {
    await postWebhook({ ...original, callId, at: new Date(startedAt).toISOString() })
    console.log(`${color.dim}[call] ${callId} started (${sample.name}, agent ${original.agentId}, team ${original.teamId})${color.reset}`)
    const timed = sample.events
      .filter((e) => e.type !== 'call.started')
      .map((e) => ({ e: { ...e, callId } as CallEvent, atMs: e.type === 'call.ended' ? e.endMs : e.type === 'utterance' ? e.endMs : 0 }))
    for (const { e, atMs } of timed) {
      const wait = startedAt + atMs / speed - Date.now()
      if (wait > 0) await sleep(wait, isStopped)
      if (isStopped() || ingest.readyState !== WebSocket.OPEN) return
      ingest.send(JSON.stringify(e))
      lastMs = Math.max(lastMs, atMs)
    }
  } finally {
    if (!isStopped()) inFlight.delete(callId)
  }
}

/** A sample whose agent is free (waits for one), marked busy until `release`. */
async function takeSample(samples: Sample[], next: () => number, isStopped: () => boolean): Promise<Sample | null> {
  for (;;) {
    for (let tries = 0; tries < samples.length; tries++) {
      const sample = samples[next() % samples.length]!
      const agentId = (sample.events[0] as CallStarted).agentId
      if (!busyAgents.has(agentId)) {
        busyAgents.add(agentId)
        return sample
      }
    }
    if (isStopped()) return null
    await sleep(250)
  }
}

/**
 * Backfills `days` past days through the public interfaces: each call's call.started by the signed
 * webhook with its past `at`, its utterances and call.ended over the ingest socket at once. The
 * gateway scores them and the workers count them into the day they happened (center time zone).
 */
async function backfill(ingest: WebSocket, acks: Map<string, () => void>, samples: Sample[], days: number): Promise<number> {
  const agents = [...new Set(samples.map((s) => (s.events[0] as CallStarted).agentId))]
  // Each agent stays in their own team whatever sample they play.
  const teamOf = new Map(samples.map((s) => [(s.events[0] as CallStarted).agentId, (s.events[0] as CallStarted).teamId]))
  let calls = 0
  for (let day = days; day >= 1; day--) {
    const dayStartMs = Date.now() - day * 86_400_000
    // A trend: the week starts with many problem calls and gets better day by day.
    const perAgent = 6 + ((day * 7) % 5)
    const problemPercent = Math.min(90, 15 + (70 * day) / Math.max(1, days))
    const clean = samples.find((s) => s.name.startsWith('01-')) ?? samples[0]!
    const problems = samples.filter((s) => s !== clean)
    for (const agentId of agents) {
      for (let i = 0; i < perAgent; i++) {
        const problem = (i * 37 + day * 11 + agents.indexOf(agentId) * 17) % 100 < problemPercent
        const sample = problem && problems.length ? problems[(i + day + agents.indexOf(agentId)) % problems.length]! : clean
        const original = sample.events[0] as CallStarted
        const callId = `backfill-${day}-${agentId}-${i}-${randomUUID().slice(0, 6)}`
        const at = new Date(dayStartMs + (i * 40 + agents.indexOf(agentId) * 7) * 60_000).toISOString()
        await postWebhook({ ...original, agentId, teamId: teamOf.get(agentId) ?? original.teamId, callId, at })
        const rest = sample.events.filter((e) => e.type !== 'call.started').map((e) => ({ ...e, callId }) as CallEvent)
        const lastUtterance = [...rest].reverse().find((e) => e.type === 'utterance')
        const acked = lastUtterance?.type === 'utterance' ? new Promise<void>((r) => acks.set(`${callId}/${lastUtterance.seq}`, r)) : Promise.resolve()
        ingest.send(JSON.stringify(rest))
        await Promise.race([acked, sleep(5000)])
        calls++
      }
    }
    process.stdout.write(`${color.dim}[backfill] ${new Date(dayStartMs).toISOString().slice(0, 10)}: ${perAgent * agents.length} calls${color.reset}\n`)
  }
  return calls
}

async function main(): Promise<void> {
  const samples = loadSamples(values.samples)
  if (samples.length === 0) throw new Error(`no samples in ${values.samples}`)
  try {
    const res = await fetch(`${baseUrl}/healthz`).catch(() => fetch(`${baseUrl}/`))
    void res
  } catch {
    throw new Error(`no gateway at ${baseUrl}: start it with \`pnpm start\` (or give --url, or the HOST and PORT it was started with)`)
  }
  const supervisor = await openSocket(`${wsBase}/v1/alerts`, adminToken)
  supervisor.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>
    if (m.type === 'alert') {
      if (String(m.callId).startsWith('backfill-')) return
      const c = m.severity === 'critical' ? color.red : m.severity === 'major' ? color.yellow : ''
      const what = m.phrase ? ` "${m.phrase}"` : m.cpm ? ` ${m.direction} ${m.cpm} 字/分` : ''
      console.log(`${c}[alert] ${m.callId} agent ${m.agentId} ${ruleLabel(String(m.rule))} ${severityLabel(String(m.severity))}${what} at ${(Number(m.atMs) / 1000).toFixed(1)}s${color.reset}`)
    } else if (m.type === 'call' && m.state === 'ended' && !String(m.callId).startsWith('backfill-')) {
      console.log(`${color.green}[call] ${m.callId} ended (${m.disposition}), score ${m.score}${color.reset}`)
    }
  })
  const ingest = await openSocket(`${wsBase}/v1/ingest`, ingestToken)
  const acks = new Map<string, () => void>()
  ingest.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>
    if (m.type === 'error') console.error(`[ingest error] ${m.code}: ${m.message}`)
    else if (m.type === 'ack') {
      const key = `${m.callId}/${m.seq}`
      acks.get(key)?.()
      acks.delete(key)
    }
  })
  let stop = false
  const isStopped = () => stop
  const onStop = () => {
    if (stop) return
    stop = true
    // End the calls in flight now, so none stays open until the idle sweep closes it.
    for (const [callId, call] of inFlight) {
      if (ingest.readyState === WebSocket.OPEN) ingest.send(JSON.stringify({ type: 'call.ended', callId, endMs: call.endMs(), disposition: 'abandoned' }))
    }
    console.log(`\ndemo: stopped; ended ${inFlight.size} call(s) in flight`)
    inFlight.clear()
  }
  process.once('SIGINT', onStop)
  process.once('SIGTERM', onStop)
  if (backfillDays > 0) {
    console.log(`demo: backfilling ${backfillDays} past days through the webhook and ingest socket…`)
    const n = await backfill(ingest, acks, samples, backfillDays)
    console.log(`demo: backfilled ${n} calls; the KPI page shows them once the workers have counted them (seconds)`)
  }
  console.log(`demo: ${samples.length} sample calls, ${concurrency} at a time, speed x${speed}, at ${baseUrl}; Ctrl-C stops`)
  let counter = 0
  const next = () => counter++
  const showcase = SHOWCASE.map((s) => ({ ...s, sample: samples.find((x) => x.name === s.sample) })).filter((s) => s.sample)
  const slots = Array.from({ length: concurrency }, async (_, slot) => {
    const first = showcase[slot]
    // The showcase calls start at once; the other lines are staggered so calls overlap rather than start together.
    if (!first) await sleep((slot * 4000) / speed, isStopped)
    for (let round = 0; !stop && Date.now() < deadline && (rounds === 0 || round < rounds); round++) {
      let sample: Sample | null
      let joinAtMs = 0
      if (round === 0 && first?.sample && !busyAgents.has((first.sample.events[0] as CallStarted).agentId)) {
        sample = first.sample
        joinAtMs = first.joinAtMs
        busyAgents.add((sample.events[0] as CallStarted).agentId)
      } else sample = await takeSample(samples, next, isStopped)
      if (!sample) break
      try {
        await playCall(ingest, sample, round, slot, joinAtMs, isStopped)
      } finally {
        busyAgents.delete((sample.events[0] as CallStarted).agentId)
      }
      await sleep(1500 / speed, isStopped)
    }
  })
  await Promise.all(slots)
  await sleep(500)
  ingest.close()
  supervisor.close()
}

main().catch((err: Error) => {
  console.error(`demo: ${err.message}`)
  process.exit(1)
})
