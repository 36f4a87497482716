#!/usr/bin/env tsx
/**
 * Load generator for the live gateway (and for the bare relay the bench compares it with): N
 * concurrent simulated calls over a few ingest connections at real-time pace (an utterance per call
 * every ~3 s, agent and customer alternating), plus supervisor sockets. A call lasts 20-40
 * utterances and is then ended and replaced, so the number of live calls stays at N. About one
 * utterance in 20 carries a forbidden phrase; the time from sending it to a supervisor receiving
 * its `forbidden_phrase` alert (or, against the relay, the forwarded frame) is the latency measured.
 *
 * Only loopback; every loop is bounded by the run's duration.
 * CLI: tsx scripts/loadgen.ts --url http://127.0.0.1:8080 --calls 1000 --seconds 60 [--relay]
 */
import { createHmac, randomUUID } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'

export interface LoadOptions {
  /** http://host:port of the gateway or relay. */
  url: string
  calls: number
  /** Measuring window (after the ramp-up). */
  seconds: number
  /** Ramp-up: calls start spread over this many seconds; nothing is measured yet. @defaultValue 5 */
  rampSeconds?: number
  connections?: number
  supervisors?: number
  utteranceIntervalMs?: number
  ingestToken: string
  adminToken: string
  /** Standard Webhooks secret: when set, half of the calls start through the webhook. */
  webhookSecret?: string
  /**
   * Utterances a call lasts, drawn evenly from [min, max] (then it ends and another starts). Short calls
   * put more starts and ends beside the same utterance rate: what a call's lifecycle costs. @defaultValue [20, 40]
   */
  callUtterances?: [number, number]
  /** Against the relay: no acks, the supervisors receive forwarded frames. */
  relay?: boolean
  /** `batch`: one `acks` frame per connection and flush (AckBatchMessage); `each`: one `ack` per utterance. @defaultValue 'batch' */
  acks?: 'batch' | 'each'
  /** Called every `tickMs` with progress (soak mode prints RSS). */
  onTick?: (elapsedMs: number, stats: LoadStats) => void
  tickMs?: number
}

export interface LoadStats {
  sent: number
  acks: number
  /** Frames that carried acks (batch mode: one `acks` frame per connection per flush). */
  ackFrames: number
  errors: number
  alerts: number
  latenciesMs: number[]
  /** Send to acknowledgement of one utterance in four (what a durable checkpoint costs the client). */
  ackLatenciesMs: number[]
  callsStarted: number
  callsEnded: number
  errorCodes: Record<string, number>
  /** Supervisor sockets the server closed during the run, by close code (1013: its send buffer overflowed). */
  supervisorCloses: Record<string, number>
  /**
   * This process's own event-loop delay over the measuring window (ms): the load generator sends on
   * timers and timestamps replies on reads, so a late loop here shows up as latency of the server.
   */
  loopDelayMs: { p50: number; p99: number; max: number }
}

const AGENT_LINES = [
  '您好，这里是中国移动客服中心，我是客服小王，请问是李先生吗？',
  '是这样的，您现在的套餐是五十八元的，每月包含十G流量。',
  '我们现在有一个5G升级活动，每月只要多加十元，就能多二十G流量。',
  '好的，我帮您查一下，请稍等。',
  '您的宽带是明年三月到期，现在续约可以享受八折优惠。',
  '这个活动办理后下个月一号生效，当月不收取额外费用。',
  '请问您还有其他需要帮助的吗？',
  '好的，感谢您的耐心，我这边帮您登记一下。',
]
const AGENT_VIOLATIONS = ['这个我也不知道，你找领导去吧。', '你问我，我问谁？', '我解决不了，有意见，告去。', '不知道就别说了。']
const CUSTOMER_LINES = [
  '是我，什么事？',
  '我上个月的话费怎么比平时多了二十多块？',
  '流量不够用，有没有便宜一点的流量包？',
  '我家宽带最近老是掉线，你们什么时候能来修？',
  '那这个套餐要签合约吗？能随时取消吗？',
  '好的，那就帮我办理吧。',
  '不需要了，谢谢。',
]

/** Interval of the load generator's event-loop delay monitor. */
const LOOP_RESOLUTION_MS = 5

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export function summarize(latencies: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b)
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN }
}

function open(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

type Corkable = WebSocket & { _socket?: { cork(): void; uncork(): void; destroyed?: boolean } }
let corked: Corkable[] = []

/**
 * Sends a frame, writing every frame sent on this socket in this event-loop turn (all the calls
 * whose timers fired together) in one TCP write, as a client carrying many calls per connection
 * would; one write per frame cost the generator, and the server reading it, a syscall per frame.
 * The gateway and the relay get the same bytes in the same segments.
 */
function sendBatched(ws: WebSocket, text: string): void {
  const socket = ws as Corkable
  if (!corked.includes(socket) && socket._socket) {
    socket._socket.cork()
    if (corked.push(socket) === 1) {
      setImmediate(() => {
        const sockets = corked
        corked = []
        for (const s of sockets) if (!s._socket?.destroyed) s._socket?.uncork()
      })
    }
  }
  ws.send(text)
}

interface SimCall {
  callId: string
  agentId: string
  teamId: string
  seq: number
  lastUtterances: number
  offsetMs: number
  conn: WebSocket
  /** seq -> send time (performance.now()) of utterances whose alert is awaited. */
  awaiting: Map<number, number>
  /** seq -> send time of utterances whose ack is timed. */
  ackAwaiting: Map<number, number>
}

export async function runLoad(o: LoadOptions): Promise<LoadStats> {
  const rampMs = (o.rampSeconds ?? 5) * 1000
  const intervalMs = o.utteranceIntervalMs ?? 3000
  const connections = o.connections ?? Math.max(1, Math.ceil(o.calls / 250))
  const supervisorCount = o.supervisors ?? 5
  const [minUtterances, maxUtterances] = o.callUtterances ?? [20, 40]
  const wsBase = o.url.replace(/^http/, 'ws')
  const stats: LoadStats = {
    sent: 0,
    acks: 0,
    ackFrames: 0,
    errors: 0,
    alerts: 0,
    latenciesMs: [],
    ackLatenciesMs: [],
    callsStarted: 0,
    callsEnded: 0,
    errorCodes: {},
    supervisorCloses: {},
    loopDelayMs: { p50: NaN, p99: NaN, max: NaN },
  }
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
  let stopping = false
  const runId = randomUUID().slice(0, 8)
  const calls = new Map<string, SimCall>()
  let measuring = false
  const webhookKey = o.webhookSecret ? Buffer.from(o.webhookSecret.replace(/^whsec_/, ''), 'base64') : null

  const onDelivered = (callId: string, seq: number) => {
    const call = calls.get(callId)
    const sentAt = call?.awaiting.get(seq)
    if (sentAt === undefined) return
    call!.awaiting.delete(seq)
    if (measuring) stats.latenciesMs.push(performance.now() - sentAt)
  }
  const onAck = (callId: string, seq: number) => {
    const call = calls.get(callId)
    const sentAt = call?.ackAwaiting.get(seq)
    if (sentAt === undefined) return
    call!.ackAwaiting.delete(seq)
    if (measuring) stats.ackLatenciesMs.push(performance.now() - sentAt)
  }

  const supervisors: WebSocket[] = []
  for (let i = 0; i < supervisorCount; i++) {
    const ws = await open(`${wsBase}${o.relay ? '/relay/out' : '/v1/alerts'}`, o.adminToken)
    // Only the first supervisor's deliveries are timed (the others load the fan-out).
    const timed = i === 0
    ws.on('message', (data: Buffer) => {
      if (!timed) return
      if (o.relay) {
        if (data.indexOf('"v":1') < 0) return
        const m = JSON.parse(data.toString()) as { callId: string; seq: number }
        onDelivered(m.callId, m.seq)
        return
      }
      if (data.indexOf('"type":"alert"') < 0) return
      const m = JSON.parse(data.toString()) as { callId: string; seq?: number; rule: string }
      stats.alerts++
      if (m.rule === 'forbidden_phrase' && m.seq !== undefined) onDelivered(m.callId, m.seq)
    })
    ws.on('close', (code: number) => {
      if (!stopping) stats.supervisorCloses[code] = (stats.supervisorCloses[code] ?? 0) + 1
    })
    supervisors.push(ws)
  }
  const ingest: WebSocket[] = []
  for (let i = 0; i < connections; i++) {
    // Batched acks (one frame per flush, AckBatchMessage): what a high-volume client should use.
    const ws = await open(`${wsBase}${o.relay ? '/relay/in' : o.acks === 'each' ? '/v1/ingest' : '/v1/ingest?acks=batch'}`, o.ingestToken)
    ws.on('message', (data: Buffer) => {
      if (data.indexOf('"type":"acks"') >= 0) {
        const m = JSON.parse(data.toString()) as { acks: Record<string, number[]> }
        for (const [callId, seqs] of Object.entries(m.acks)) {
          stats.acks += seqs.length
          for (const seq of seqs) onAck(callId, seq)
        }
        stats.ackFrames++
        return
      }
      if (data.indexOf('"type":"ack"') >= 0) {
        const m = JSON.parse(data.toString()) as { callId: string; seq: number }
        onAck(m.callId, m.seq)
        stats.acks++
        stats.ackFrames++
        return
      }
      stats.errors++
      const m = JSON.parse(data.toString()) as { code?: string }
      stats.errorCodes[m.code ?? '?'] = (stats.errorCodes[m.code ?? '?'] ?? 0) + 1
    })
    ingest.push(ws)
  }

  let serial = 0
  const postStart = async (body: string, id: string) => {
    const ts = Math.floor(Date.now() / 1000)
    const signature = `v1,${createHmac('sha256', webhookKey!).update(`${id}.${ts}.${body}`).digest('base64')}`
    const res = await fetch(`${o.url}/v1/webhooks/telephony`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature },
      body,
    })
    if (!res.ok) stats.errors++
    await res.arrayBuffer()
  }

  const startCall = async (): Promise<SimCall> => {
    const n = serial++
    const call: SimCall = {
      callId: `lg-${runId}-${n}`,
      agentId: `a-${n % 400}`,
      teamId: `t-${n % 20}`,
      seq: 0,
      lastUtterances: minUtterances + (n % (maxUtterances - minUtterances + 1)),
      offsetMs: 0,
      conn: ingest[n % ingest.length]!,
      awaiting: new Map(),
      ackAwaiting: new Map(),
    }
    calls.set(call.callId, call)
    const started = { type: 'call.started', callId: call.callId, agentId: call.agentId, teamId: call.teamId, direction: 'outbound', at: new Date().toISOString() }
    stats.callsStarted++
    if (webhookKey && !o.relay && n % 2 === 1) await postStart(JSON.stringify(started), `msg_${runId}_${n}`)
    else sendBatched(call.conn, JSON.stringify(started))
    return call
  }

  const step = (call: SimCall): boolean => {
    if (call.conn.readyState !== WebSocket.OPEN) return false
    if (call.seq >= call.lastUtterances) {
      sendBatched(call.conn, JSON.stringify({ type: 'call.ended', callId: call.callId, endMs: call.offsetMs + 500, disposition: 'success' }))
      calls.delete(call.callId)
      stats.callsEnded++
      return false
    }
    const seq = call.seq++
    const agent = seq % 2 === 0
    // A clean greeting first; then about one utterance in 20 breaks a norm.
    const violation = agent && seq > 0 && (seq + call.lastUtterances) % 10 === 0
    const text = agent
      ? violation
        ? AGENT_VIOLATIONS[seq % AGENT_VIOLATIONS.length]!
        : AGENT_LINES[seq === 0 ? 0 : 1 + (seq % (AGENT_LINES.length - 1))]!
      : CUSTOMER_LINES[seq % CUSTOMER_LINES.length]!
    const startMs = call.offsetMs
    const endMs = startMs + Math.round(text.length * (agent ? 500 : 320))
    call.offsetMs = endMs + 400
    const event: Record<string, unknown> = { type: 'utterance', callId: call.callId, seq, speaker: agent ? 'agent' : 'customer', text, startMs, endMs, final: true }
    if (!o.relay && seq % 4 === 0) call.ackAwaiting.set(seq, performance.now())
    if (violation) {
      call.awaiting.set(seq, performance.now())
      if (o.relay) event.v = 1
    }
    sendBatched(call.conn, JSON.stringify(event))
    stats.sent++
    return true
  }

  const t0 = performance.now()
  const deadline = t0 + rampMs + o.seconds * 1000
  const timers = new Set<NodeJS.Timeout>()
  const schedule = (fn: () => void, ms: number) => {
    if (performance.now() + ms > deadline) return
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }
  const runCall = (call: SimCall) => {
    if (step(call)) schedule(() => runCall(call), intervalMs * (0.8 + Math.random() * 0.4))
    else if (performance.now() < deadline) void startCall().then((next) => schedule(() => runCall(next), 200 + Math.random() * intervalMs))
  }
  for (let i = 0; i < o.calls; i++) {
    schedule(() => void startCall().then((call) => schedule(() => runCall(call), 300 + Math.random() * intervalMs)), (i / o.calls) * rampMs)
  }
  setTimeout(() => {
    measuring = true
    stats.latenciesMs.length = 0
    stats.ackLatenciesMs.length = 0
    loopDelay.enable()
  }, rampMs).unref()
  const tickMs = o.tickMs ?? 10_000
  const ticker = setInterval(() => o.onTick?.(performance.now() - t0, stats), tickMs)
  await new Promise((r) => setTimeout(r, deadline - performance.now() + 1500))
  clearInterval(ticker)
  loopDelay.disable()
  // Beyond the monitor's own 5 ms timer interval, which every sample includes.
  const beyondMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS)
  stats.loopDelayMs = { p50: beyondMs(loopDelay.percentile(50)), p99: beyondMs(loopDelay.percentile(99)), max: beyondMs(loopDelay.max) }
  stopping = true
  for (const t of timers) clearTimeout(t)
  for (const ws of [...ingest, ...supervisors]) ws.terminate()
  return stats
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      calls: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      relay: { type: 'boolean', default: false },
    },
  })
  const stats = await runLoad({
    url: values.url,
    calls: Number(values.calls),
    seconds: Number(values.seconds),
    relay: values.relay,
    ingestToken: (process.env.CALLQA_INGEST_TOKENS ?? 'dev-ingest-token').split(',')[0]!,
    adminToken: process.env.CALLQA_ADMIN_TOKEN ?? 'dev-admin-token',
    ...(process.env.CALLQA_WEBHOOK_SECRET ? { webhookSecret: process.env.CALLQA_WEBHOOK_SECRET } : {}),
  })
  console.log(JSON.stringify({ ...stats, latenciesMs: undefined, latency: summarize(stats.latenciesMs) }))
}
