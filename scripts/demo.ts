#!/usr/bin/env tsx
/**
 * `pnpm demo`: streams the shipped sample calls (samples/*.jsonl) into a running gateway in real
 * time, several at once and looping, so the flow can be watched (console, or the alerts printed
 * here). call.started goes through the signed telephony webhook, utterances and call.ended over the
 * ingest socket (each final sent when its speech ends); every call gets a fresh id per round.
 *
 * Options: --url http://127.0.0.1:8080  --calls 4 (concurrent)  --speed 1 (2 = twice real time)
 *          --rounds 0 (0 = until --minutes)  --minutes 30
 * Tokens: CALLQA_INGEST_TOKENS (first), CALLQA_ADMIN_TOKEN, CALLQA_WEBHOOK_SECRET, else the
 * development values `pnpm start` uses.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createHmac, randomUUID } from 'node:crypto'
import { WebSocket } from 'ws'
import { decodeJsonl, type CallEvent, type CallStarted } from '@callqa/protocol'
import { DEV_ADMIN_TOKEN, DEV_INGEST_TOKEN, DEV_WEBHOOK_SECRET } from './start-dev-settings.js'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.CALLQA_URL ?? 'http://127.0.0.1:8080' },
    calls: { type: 'string', default: '4' },
    speed: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '0' },
    minutes: { type: 'string', default: '30' },
    samples: { type: 'string', default: resolve(import.meta.dirname, '../samples') },
  },
})
const baseUrl = values.url.replace(/\/$/, '')
const wsBase = baseUrl.replace(/^http/, 'ws')
const concurrency = Math.max(1, Number(values.calls))
const speed = Math.max(0.01, Number(values.speed))
const rounds = Number(values.rounds)
const deadline = Date.now() + Number(values.minutes) * 60_000
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

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

/** Plays one sample as a new call: events at their offsets (a final when its speech ends). */
async function playCall(ingest: WebSocket, sample: Sample, round: number, slot: number): Promise<void> {
  const original = sample.events[0] as CallStarted
  const callId = `demo-${round}-${slot}-${randomUUID().slice(0, 8)}`
  const startedAt = Date.now()
  await postWebhook({ ...original, callId, at: new Date(startedAt).toISOString() })
  console.log(`${color.dim}[call] ${callId} started (${sample.name}, agent ${original.agentId}, team ${original.teamId})${color.reset}`)
  const timed = sample.events
    .filter((e) => e.type !== 'call.started')
    .map((e) => ({ e: { ...e, callId } as CallEvent, atMs: e.type === 'call.ended' ? e.endMs : e.type === 'utterance' ? e.endMs : 0 }))
  for (const { e, atMs } of timed) {
    const wait = startedAt + atMs / speed - Date.now()
    if (wait > 0) await sleep(wait)
    if (ingest.readyState !== WebSocket.OPEN) return
    ingest.send(JSON.stringify(e))
  }
}

async function main(): Promise<void> {
  const samples = loadSamples(values.samples)
  if (samples.length === 0) throw new Error(`no samples in ${values.samples}`)
  const supervisor = await openSocket(`${wsBase}/v1/alerts`, adminToken)
  supervisor.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>
    if (m.type === 'alert') {
      const c = m.severity === 'critical' ? color.red : m.severity === 'major' ? color.yellow : ''
      const what = m.phrase ? ` "${m.phrase}"` : m.cpm ? ` ${m.direction} ${m.cpm} 字/分` : ''
      console.log(`${c}[alert] ${m.callId} agent ${m.agentId} ${m.rule} ${m.severity}${what} at ${(Number(m.atMs) / 1000).toFixed(1)}s${color.reset}`)
    } else if (m.type === 'call' && m.state === 'ended') {
      console.log(`${color.green}[call] ${m.callId} ended (${m.disposition}), score ${m.score}${color.reset}`)
    }
  })
  const ingest = await openSocket(`${wsBase}/v1/ingest`, ingestToken)
  ingest.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>
    if (m.type === 'error') console.error(`[ingest error] ${m.code}: ${m.message}`)
  })
  console.log(`demo: ${samples.length} sample calls, ${concurrency} at a time, speed x${speed}; Ctrl-C stops`)
  let stop = false
  process.once('SIGINT', () => (stop = true))
  let next = 0
  const slots = Array.from({ length: concurrency }, async (_, slot) => {
    // Stagger the slots so calls overlap rather than start together.
    await sleep((slot * 4000) / speed)
    for (let round = 0; !stop && Date.now() < deadline && (rounds === 0 || round < rounds); round++) {
      const sample = samples[next++ % samples.length]!
      await playCall(ingest, sample, round, slot)
      await sleep(1500 / speed)
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
