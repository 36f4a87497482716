/**
 * Property tests of the gateway's frame decoding paths: whatever bytes or JSON arrive, every frame
 * gives valid protocol events or coded errors; nothing throws, nothing hangs (time budget below),
 * and over a real socket the connection stays open and keeps acknowledging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeEvent, decodeFrame, ErrorCodes, ProtocolError, type DecodedFrame } from '@callqa/protocol'
import { ASR_ADAPTERS, ASR_FORMATS } from '../asr/index.js'
import { decodeAsrFrame } from '../asr/frame.js'
import { loadConfig } from '../config.js'
import { callStarted, cleanupRedis, startGateway, TestSocket, testEnv, TEST_INGEST_TOKEN, utterance, type TestGateway } from '../testing.js'

/** Per-property budget; fast-check stops generating (and passes what ran) when it is spent. */
const TIME_BUDGET_MS = process.env.CI ? 8000 : 4000
const CODES = new Set<string>(Object.values(ErrorCodes))
const config = loadConfig({})
const limits = { maxFrameBytes: config.maxFrameBytes, maxEventsPerFrame: config.maxEventsPerFrame }

function checkDecoded(out: DecodedFrame): void {
  for (const event of out.events) expect(decodeEvent(structuredClone(event))).toEqual(event)
  for (const err of out.errors) {
    expect(err).toBeInstanceOf(ProtocolError)
    expect(CODES.has(err.code)).toBe(true)
    expect(err.message.length).toBeGreaterThan(0)
  }
  expect(out.events.length + out.errors.length).toBeGreaterThanOrEqual(0)
}

const eventLike = fc.oneof(
  fc.record({
    type: fc.constantFrom('utterance', 'call.started', 'call.ended', 'x'),
    callId: fc.oneof(fc.constant('c1'), fc.string({ maxLength: 140 })),
    seq: fc.oneof(fc.integer({ min: -2, max: 1_000_002 }), fc.double(), fc.string()),
    speaker: fc.constantFrom('agent', 'customer', 'bot'),
    text: fc.string({ maxLength: 200 }),
    startMs: fc.integer({ min: -5, max: 90_000_000 }),
    endMs: fc.integer({ min: -5, max: 90_000_000 }),
    final: fc.oneof(fc.boolean(), fc.constant('yes')),
    agentId: fc.string({ maxLength: 10 }),
    teamId: fc.string({ maxLength: 10 }),
    direction: fc.constantFrom('outbound', 'inbound', 'up'),
    at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
    disposition: fc.constantFrom('success', 'failed', 'no_answer', 'abandoned', 'lost'),
  }, { requiredKeys: [] }),
  fc.jsonValue(),
)

const frames = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => ({ data: Buffer.from(b), isBinary: true })),
  fc.uint8Array({ maxLength: 2048 }).map((b) => ({ data: Buffer.from(b), isBinary: false })),
  fc.string({ unit: 'binary', maxLength: 512 }).map((s) => ({ data: Buffer.from(s), isBinary: false })),
  eventLike.map((e) => ({ data: Buffer.from(JSON.stringify(e) ?? 'null'), isBinary: false })),
  fc.array(eventLike, { maxLength: 8 }).map((a) => ({ data: Buffer.from(JSON.stringify(a)), isBinary: false })),
)

describe('frame decoding never crashes', () => {
  it('protocol v1 ingest: arbitrary bytes and JSON give valid events or coded errors', () => {
    fc.assert(
      fc.property(frames, ({ data, isBinary }) => checkDecoded(decodeFrame(data, isBinary, limits))),
      { numRuns: 1_000_000, interruptAfterTimeLimit: TIME_BUDGET_MS, markInterruptAsFailure: false },
    )
  })

  it('ASR adapters: arbitrary bytes, JSON and server-shaped messages give valid utterances or coded errors', () => {
    const asrShaped = fc.record(
      {
        mode: fc.constantFrom('2pass-online', '2pass-offline', 'online', 'offline', 'x'),
        text: fc.oneof(fc.string({ maxLength: 50 }), fc.integer()),
        partial: fc.string({ maxLength: 50 }),
        result: fc.array(fc.record({ word: fc.string(), start: fc.double(), end: fc.double(), conf: fc.double() }), { maxLength: 4 }),
        timestamp: fc.oneof(fc.string(), fc.constant('[[100,200],[200,500]]'), fc.constant('[[1e400]]')),
        stamp_sents: fc.array(fc.record({ start: fc.double(), end: fc.double() }), { maxLength: 2 }),
        segment: fc.oneof(fc.integer({ min: -1, max: 600_000 }), fc.double()),
        start_time: fc.double(),
        timestamps: fc.array(fc.double(), { maxLength: 4 }),
        is_final: fc.oneof(fc.boolean(), fc.constant(1)),
        status: fc.constantFrom('ok', 'failed', 'x'),
        type: fc.constantFrom('server_ready', 'partial_result', 'final_result', 'speech_end', 'y'),
        nbest: fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('[{"sentence":"不知道","word_pieces":[{"word":"不","start":-5,"end":1e300}]}]')),
        alternatives: fc.array(fc.jsonValue(), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    const asrFrames = fc.oneof(frames, asrShaped.map((m) => ({ data: Buffer.from(JSON.stringify(m)), isBinary: false })), fc.constant({ data: Buffer.from('Done!'), isBinary: false }))
    fc.assert(
      fc.property(fc.constantFrom(...ASR_FORMATS), fc.constantFrom('agent' as const, 'customer' as const), fc.array(asrFrames, { maxLength: 12 }), (format, speaker, list) => {
        const adapter = ASR_ADAPTERS[format]({ callId: 'c-prop', speaker, offsetMs: 0 })
        let now = 0
        for (const { data, isBinary } of list) checkDecoded(decodeAsrFrame(format, adapter, 'c-prop', data, isBinary, limits, (now += 100)))
        for (const u of adapter.end(now + 100)) expect(decodeEvent(structuredClone(u))).toEqual(u)
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: TIME_BUDGET_MS, markInterruptAsFailure: false },
    )
  })
})

describe('frame decoding over a real socket', () => {
  const env = testEnv({ CALLQA_INGEST_EVENTS_PER_SECOND: '1000000', CALLQA_INGEST_BURST_EVENTS: '1000000' })
  let gw: TestGateway
  let socket: TestSocket
  let sentinel = 0

  beforeAll(async () => {
    gw = await startGateway(env)
    socket = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    socket.send(callStarted('c-prop-live'))
  })
  afterAll(async () => {
    await socket.close()
    await gw.close()
    await cleanupRedis(env)
  })

  it('keeps the connection open and answering after any frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frames, { minLength: 1, maxLength: 5 }), async (list) => {
        for (const { data, isBinary } of list) socket.ws.send(data, { binary: isBinary })
        const seq = sentinel++
        socket.send(utterance('c-prop-live', seq, 'customer', '我想查一下这个月的话费。', seq * 100))
        await socket.waitForAck('c-prop-live', seq)
        for (const m of socket.messages) {
          expect(['ack', 'error']).toContain(m.type)
          if (m.type === 'error') expect(CODES.has(String(m.code)) || String(m.code).startsWith('CQ_ERR_')).toBe(true)
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: TIME_BUDGET_MS, markInterruptAsFailure: false },
    )
    expect(sentinel).toBeGreaterThan(10)
    expect(socket.ws.readyState).toBe(socket.ws.OPEN)
  })
})
