/**
 * Hostile input against a running gateway (real ws, real HTTP, real Redis): generated frames and
 * requests built to break things (JSON nested thousands deep as the whole frame or inside a
 * field, huge arrays, long strings, odd unicode and bytes, `__proto__`/`constructor` keys, 1e999)
 * go to every ingest path (protocol v1, each ASR adapter, the telephony webhook) and every REST
 * body and query. Each hostile frame gets a coded error and the socket stays open, each request a
 * coded 4xx, while a bystander call on another connection keeps streaming and every one of its
 * utterances is acknowledged. Time-boxed per property (HOSTILE_BUDGET_MS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ASR_FORMATS, type AsrFormat } from '../asr/index.js'
import { callStarted, postWebhook, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'

const HOSTILE_BUDGET_MS = process.env.CI ? 4000 : 2500
/** A bystander's utterance not acknowledged this long means the gateway stalled (a liveness bound, not a performance claim). */
const ACK_DEADLINE_MS = 3000

const isCoded = (code: unknown) => typeof code === 'string' && /^CQ_ERR_[A-Z0-9_]+$/.test(code)

// ---- generators -------------------------------------------------------------------------------

const deepText = fc.record({ depth: fc.integer({ min: 40, max: 6000 }), kind: fc.constantFrom('array', 'object', 'mixed') }).map(({ depth, kind }) => {
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth)
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  return '[{"x":'.repeat(depth >> 1) + 'null' + '}]'.repeat(depth >> 1)
})
/** JSON text of a value that no event field accepts. */
const poisonText = fc.oneof(
  deepText,
  fc.integer({ min: 2000, max: 20_000 }).map((n) => `[${Array(n).fill('0').join(',')}]`),
  fc.constantFrom('1e999', '-1e999', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', 'true', 'null', '[]', '{}', '-0'),
  fc.array(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf'), { minLength: 1, maxLength: 4 }).map((keys) => `{${keys.map((k, i) => `"${k}":${i}`).join(',')}}`),
)
/** Text that is never JSON: a control character first, then anything (lone surrogates, NULs, RTL marks…). */
const notJsonText = fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\u0000', '\u202e', '\ufeff', '𠮷', '"', '\\', '{', '['), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 300 }).map((s) => `\u0001${s}`)
const oversize = fc.integer({ min: 65 * 1024, max: 200 * 1024 }).map((n) => 'x'.repeat(n))

type Frame = { data: string | Buffer; binary: boolean }
const text = (s: string): Frame => ({ data: s, binary: false })

/** Frames every ingest path must answer with a coded error. */
const alwaysBad = fc.oneof(
  deepText.map(text),
  notJsonText.map(text),
  oversize.map(text),
  fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => ({ data: Buffer.from(b), binary: true })),
  fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => ({ data: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b)]), binary: false })),
)

/** Protocol v1 frames with a poisoned field or shape. */
function v1Hostile(callId: string): fc.Arbitrary<Frame> {
  const field = fc.constantFrom('type', 'callId', 'seq', 'speaker', 'text', 'startMs', 'endMs', 'final', 'words')
  // Leave out the poisons that are valid values of a field (final: true, words: [], a time or seq of -0).
  const poisoned = fc.tuple(field, poisonText).filter(([name, poison]) => !(name === 'final' && poison === 'true') && !(name === 'words' && poison === '[]') && !(poison === '-0' && ['seq', 'startMs', 'endMs'].includes(name))).map(([name, poison]) => {
    const base: Record<string, string> = { type: '"utterance"', callId: JSON.stringify(callId), seq: '1', speaker: '"agent"', text: '"您好"', startMs: '0', endMs: '100', final: 'true' }
    base[name] = poison
    return text(`{${Object.entries(base).map(([k, v]) => `"${k}":${v}`).join(',')}}`)
  })
  return fc.oneof(
    alwaysBad,
    // An empty batch is zero events, not an error.
    poisonText.filter((p) => p !== '[]').map(text),
    poisoned,
    poisoned.map((f) => text(`[${f.data as string}]`)),
    fc.integer({ min: 501, max: 2000 }).map((n) => text(`[${Array(n).fill('{}').join(',')}]`)),
  )
}

/** The format's own result message with its text (or nbest) poisoned, or a poison as the whole message. */
function asrHostile(format: AsrFormat): fc.Arbitrary<Frame> {
  const shaped = poisonText.map((poison) => {
    switch (format) {
      case 'funasr':
        return text(`{"mode":"2pass-offline","is_final":false,"text":${poison}}`)
      case 'vosk':
        return text(`{"text":${poison},"result":${poison}}`)
      case 'sherpa-onnx':
        return text(`{"segment":0,"is_final":true,"text":${poison}}`)
      case 'wenet':
        // An empty nbest list is silence; anything else poisoned is refused.
        return text(`{"status":"ok","type":"final_result","nbest":${JSON.stringify(poison === '[]' ? '[[]]' : poison)}}`)
    }
  })
  const whole = poisonText.filter((p) => p !== '{}' && !p.startsWith('{"__proto__') && !p.startsWith('{"constructor')).map(text)
  return fc.oneof(alwaysBad, shaped, whole)
}

function asrFinal(format: AsrFormat, k: number): unknown {
  switch (format) {
    case 'funasr':
      return { mode: '2pass-offline', text: `您好，第${k}句。`, is_final: false }
    case 'vosk':
      return { text: `您好 第${k}句` }
    case 'sherpa-onnx':
      return { text: `您好第${k}句`, segment: k, is_final: true }
    case 'wenet':
      return { status: 'ok', type: 'final_result', nbest: JSON.stringify([{ sentence: `您好第${k}句` }]) }
  }
}

// ---- the bystander: another call streaming and acknowledged throughout -------------------------

class Bystander {
  readonly socket: TestSocket
  readonly #sentAt = new Map<number, number>()
  #seq = 0
  #timer: NodeJS.Timeout | undefined
  maxAckMs = 0
  late: number[] = []
  private constructor(socket: TestSocket) {
    this.socket = socket
    socket.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; seq: number }
      if (m.type !== 'ack') return
      const at = this.#sentAt.get(m.seq)
      if (at === undefined) return
      this.#sentAt.delete(m.seq)
      this.maxAckMs = Math.max(this.maxAckMs, performance.now() - at)
    })
  }
  static async start(wsUrl: string, callId: string): Promise<Bystander> {
    const b = new Bystander(await TestSocket.open(`${wsUrl}/v1/ingest`, TEST_INGEST_TOKEN))
    b.socket.send(callStarted(callId, 'A-bystander', 'T-bystander'))
    b.#timer = setInterval(() => {
      const seq = b.#seq++
      b.#sentAt.set(seq, performance.now())
      b.socket.send(utterance(callId, seq, seq % 2 ? 'customer' : 'agent', '您好，我想查一下这个月的话费。', seq * 3000))
      for (const [s, at] of b.#sentAt) if (performance.now() - at > ACK_DEADLINE_MS && !b.late.includes(s)) b.late.push(s)
    }, 25)
    return b
  }
  get sent(): number {
    return this.#seq
  }
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    const deadline = performance.now() + ACK_DEADLINE_MS
    while (this.#sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    this.late.push(...this.#sentAt.keys())
    await this.socket.close()
  }
}

/** Sends a frame, then a sentinel, and returns what the socket answered in between. */
async function exchange(socket: TestSocket, frame: Frame, sentinel: () => void, isSentinelReply: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const from = socket.messages.length
  socket.ws.send(frame.data, { binary: frame.binary })
  sentinel()
  const reply = await socket.waitFor((m) => socket.messages.indexOf(m) >= from && isSentinelReply(m))
  return socket.messages.slice(from, socket.messages.indexOf(reply))
}

describe('hostile input against a running gateway', () => {
  // A database of its own: the report routes answer from a working store (not 503 from a missing
  // one, nor from the shared default database that other runs migrate at the same time).
  const gw = useTestGateway({ CALLQA_INGEST_EVENTS_PER_SECOND: '1000000', CALLQA_INGEST_BURST_EVENTS: '1000000' }, { database: true })
  let bystander: Bystander

  beforeAll(async () => {
    bystander = await Bystander.start(gw.wsUrl, 'c-bystander')
  })
  afterAll(async () => {
    await bystander.stop()
    // Every utterance of the other call was acknowledged, none later than the deadline.
    expect(bystander.sent).toBeGreaterThan(20)
    expect(bystander.late).toEqual([])
  })

  it('protocol v1: every hostile frame gets a coded error and the socket keeps acknowledging', async () => {
    const socket = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    socket.send(callStarted('c-hostile-v1'))
    let seq = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(v1Hostile('c-hostile-v1'), async (frame) => {
        const s = seq++
        const between = await exchange(socket, frame, () => socket.send(utterance('c-hostile-v1', s, 'customer', '请问话费是多少？', s * 100)), (m) => m.type === 'ack' && m.seq === s)
        const errors = between.filter((m) => m.type === 'error')
        expect(errors.length).toBeGreaterThan(0)
        for (const e of errors) expect(isCoded(e.code), JSON.stringify(e)).toBe(true)
        expect(between.every((m) => m.type === 'error')).toBe(true)
        runs++
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: HOSTILE_BUDGET_MS, markInterruptAsFailure: false },
    )
    expect(runs).toBeGreaterThan(3)
    expect(socket.ws.readyState).toBe(socket.ws.OPEN)
    await socket.close()
  })

  for (const format of ASR_FORMATS) {
    it(`ASR ${format}: every hostile message gets a coded error and the stream goes on`, async () => {
      const callId = `c-hostile-${format}`
      const control = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
      control.send(callStarted(callId))
      await control.waitFor(() => true, 200).catch(() => undefined)
      const socket = await TestSocket.open(`${gw.wsUrl}/v1/ingest/asr/${format}?callId=${callId}&speaker=agent`, TEST_INGEST_TOKEN)
      let k = 0
      let runs = 0
      await fc.assert(
        fc.asyncProperty(asrHostile(format), async (frame) => {
          const sentence = k++
          const between = await exchange(socket, frame, () => socket.send(asrFinal(format, sentence)), (m) => m.type === 'ack' && m.seq === sentence * 2)
          const errors = between.filter((m) => m.type === 'error')
          expect(errors.length, `${format} ${String(frame.data).slice(0, 80)}`).toBeGreaterThan(0)
          for (const e of errors) expect(isCoded(e.code), JSON.stringify(e)).toBe(true)
          runs++
        }),
        { numRuns: 100_000, interruptAfterTimeLimit: HOSTILE_BUDGET_MS, markInterruptAsFailure: false },
      )
      expect(runs).toBeGreaterThan(3)
      expect(socket.ws.readyState).toBe(socket.ws.OPEN)
      await socket.close()
      await control.close()
    })
  }

  it('telephony webhook: a signed hostile body gets a coded 400, an unsigned one a coded 401', async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(poisonText, notJsonText, fc.tuple(fc.constantFrom('type', 'callId', 'agentId', 'at'), poisonText).map(([k, p]) => `{"type":"call.started","callId":"c-wh","agentId":"a","teamId":"t","direction":"outbound","at":"2026-01-01T00:00:00Z","${k}":${p}}`.replace(`"${k}":"`, `"${k}-was":"`))), fc.boolean(), async (body, signed) => {
        const res = await postWebhook(gw.url, body, signed ? {} : { signature: 'v1,AAAA' })
        expect(res.status, JSON.stringify(res.json)).toBe(signed ? 400 : 401)
        expect(isCoded(res.json.code)).toBe(true)
        runs++
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: HOSTILE_BUDGET_MS, markInterruptAsFailure: false },
    )
    expect(runs).toBeGreaterThan(3)
  })

  it('REST: every hostile body and query on every route gets a coded 4xx answer (or a plain success), never a 5xx', async () => {
    const routes: Array<{ method: string; path: string; body?: boolean }> = [
      { method: 'POST', path: '/v1/session', body: true },
      { method: 'POST', path: '/v1/rulebook/try', body: true },
      { method: 'POST', path: '/v1/alerts/a-1/ack', body: true },
      { method: 'DELETE', path: '/v1/session' },
      { method: 'GET', path: '/v1/session' },
      { method: 'GET', path: '/v1/calls' },
      { method: 'GET', path: '/v1/calls/c-1/report' },
      { method: 'GET', path: '/v1/kpi/agents/a-1' },
      { method: 'GET', path: '/v1/kpi/teams/t-1' },
      { method: 'GET', path: '/v1/alerts/recent' },
      { method: 'GET', path: '/v1/live/calls' },
      { method: 'GET', path: '/v1/rulebook' },
      { method: 'GET', path: '/v1/no-such-route' },
    ]
    const queryKey = fc.oneof(fc.constantFrom('since', 'limit', 'teams', 'format', 'from', 'to', 'cursor', 'agentId', 'teamId', 'rule', 'minScore', '__proto__', 'constructor', 'token', 'q'), fc.string({ maxLength: 8 }))
    const queryValue = fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('1e999', '-1', 'NaN', '%', '%zz', '%00', '[]', '{"a":1}', 'x'.repeat(5000)), poisonText.map((p) => p.slice(0, 3000)))
    const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${/^%/.test(v) ? v : encodeURIComponent(v)}`).join('&'))
    const body = fc.oneof(poisonText, notJsonText, fc.tuple(fc.constantFrom('username', 'password', 'text'), poisonText).map(([k, p]) => `{"${k}":${p}}`))
    let runs = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), query, body, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16'), async (route, q, b, type) => {
        const res = await fetch(`${gw.url}${route.path}${q ? `?${q}` : ''}`, {
          method: route.method,
          headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(route.body ? { 'content-type': type } : {}) },
          ...(route.body ? { body: b } : {}),
        })
        const raw = await res.text()
        expect(res.status, `${route.method} ${route.path}?${q.slice(0, 80)} → ${raw.slice(0, 200)}`).toBeLessThan(500)
        if (res.status >= 400) {
          const json = JSON.parse(raw) as { code?: string }
          expect(isCoded(json.code), raw.slice(0, 200)).toBe(true)
        }
        runs++
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: HOSTILE_BUDGET_MS, markInterruptAsFailure: false },
    )
    expect(runs).toBeGreaterThan(3)
  })
})
