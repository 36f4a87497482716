import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeEvent, decodeFrame, decodeJsonl, DEFAULT_FRAME_LIMITS, jsonDepthOver } from './decode.js'
import { describeValue } from './schema-errors.js'
import { ErrorCodes, ProtocolError } from './errors.js'

const started = {
  type: 'call.started',
  callId: 'c-20261129-0001',
  agentId: 'a-7',
  teamId: 't-1',
  direction: 'outbound',
  at: '2026-11-29T08:00:00.000Z',
}
const utterance = {
  type: 'utterance',
  callId: 'c-20261129-0001',
  seq: 1,
  speaker: 'agent',
  text: '您好,我是中国移动客服代表小王,请问是李先生吗?',
  startMs: 0,
  endMs: 3200,
  final: true,
}
const ended = { type: 'call.ended', callId: 'c-20261129-0001', endMs: 61000, disposition: 'success' }

function withoutText(): Record<string, unknown> {
  const { text: _text, ...rest } = utterance
  return rest
}

function errorOf(value: unknown): ProtocolError {
  try {
    decodeEvent(value)
  } catch (err) {
    return err as ProtocolError
  }
  throw new Error('expected decodeEvent to throw')
}

describe('decodeEvent', () => {
  it('accepts the three protocol v1 events as they are', () => {
    expect(decodeEvent(started)).toEqual(started)
    expect(decodeEvent(utterance)).toEqual(utterance)
    expect(decodeEvent(ended)).toEqual(ended)
  })

  it('accepts call.ended with or without hungUpBy (agent | customer), and names a bad value', () => {
    expect(decodeEvent({ ...ended, hungUpBy: 'customer' })).toEqual({ ...ended, hungUpBy: 'customer' })
    expect(decodeEvent(ended)).toEqual(ended)
    expect(() => decodeEvent({ ...ended, hungUpBy: 'nobody' })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_EVENT, message: expect.stringContaining('hungUpBy') }))
  })

  it('accepts word timings', () => {
    const withWords = { ...utterance, words: [{ text: '您好', startMs: 0, endMs: 400 }] }
    expect(decodeEvent(withWords)).toEqual(withWords)
  })

  it.each([
    [{ ...utterance, seq: 'one' }, 'seq', /utterance\.seq must be integer, got "one"/],
    [{ ...utterance, speaker: 'boss' }, 'speaker', /one of "agent", "customer", got "boss"/],
    [withoutText(), 'text', /utterance\.text is required/],
    [{ ...utterance, mood: 'angry' }, 'mood', /unknown field mood/],
    [{ ...utterance, startMs: 5000, endMs: 100 }, 'endMs', /endMs must be >= startMs \(5000\), got 100/],
    [{ ...utterance, words: [{ text: '您好', startMs: 9, endMs: 1 }] }, 'words[0].endMs', /words\[0\]\.endMs/],
    [{ ...utterance, callId: 'has space' }, 'callId', /callId/],
    [{ ...started, at: 'yesterday' }, 'at', /call\.started\.at/],
    [{ ...started, direction: 'sideways' }, 'direction', /"outbound", "inbound"/],
    [{ ...ended, disposition: 'won' }, 'disposition', /"success", "failed", "no_answer", "abandoned", got "won"/],
  ])('names the field and the value of a bad event (%#)', (value, field, message) => {
    const error = errorOf(value)
    expect(error.code).toBe(ErrorCodes.INVALID_EVENT)
    expect(error.field).toBe(field)
    expect(error.message).toMatch(message)
  })

  it('gives unknown types their own code and keeps callId and seq for the reply', () => {
    const error = errorOf({ type: 'utterance.partial', callId: 'c-1', seq: 4 })
    expect(error.code).toBe(ErrorCodes.UNKNOWN_EVENT_TYPE)
    expect(error.toMessage()).toEqual({
      type: 'error',
      code: 'CQ_ERR_UNKNOWN_EVENT_TYPE',
      message: 'type must be one of call.started, utterance, call.ended, got "utterance.partial"',
      callId: 'c-1',
      seq: 4,
    })
  })
})

describe('decodeFrame', () => {
  it('decodes a single event and an array of events', () => {
    expect(decodeFrame(JSON.stringify(utterance), false).events).toHaveLength(1)
    const batch = decodeFrame(JSON.stringify([started, utterance, ended]), false)
    expect(batch.events.map((e) => e.type)).toEqual(['call.started', 'utterance', 'call.ended'])
  })

  it('keeps the good events of a batch and reports the bad one', () => {
    const frame = decodeFrame(JSON.stringify([started, { ...utterance, seq: -1 }, ended]), false)
    expect(frame.events).toHaveLength(2)
    expect(frame.errors.map((e) => e.code)).toEqual([ErrorCodes.INVALID_EVENT])
  })

  it('gives binary, non-JSON, oversized and overlong frames each their own code', () => {
    expect(decodeFrame(Buffer.from('{}'), true).errors[0]!.code).toBe(ErrorCodes.BINARY_FRAME)
    expect(decodeFrame('{"type":', false).errors[0]!.code).toBe(ErrorCodes.NOT_JSON)
    const big = 'x'.repeat(DEFAULT_FRAME_LIMITS.maxFrameBytes + 1)
    expect(decodeFrame(big, false).errors[0]!.code).toBe(ErrorCodes.FRAME_TOO_LARGE)
    const many = JSON.stringify(Array.from({ length: 3 }, () => utterance))
    expect(decodeFrame(many, false, { maxFrameBytes: 65536, maxEventsPerFrame: 2 }).errors[0]!.code).toBe(
      ErrorCodes.BATCH_TOO_LARGE,
    )
  })

  it('counts the frame limit in bytes, not characters (Chinese is 3 bytes a character)', () => {
    const text = '您'.repeat(30)
    const frame = JSON.stringify({ ...utterance, text })
    expect(decodeFrame(frame, false, { maxFrameBytes: frame.length + 10, maxEventsPerFrame: 10 }).errors[0]!.code).toBe(
      ErrorCodes.FRAME_TOO_LARGE,
    )
  })

  it('never throws: any bytes give events or coded errors', () => {
    const codes = new Set<string>(Object.values(ErrorCodes))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, isBinary) => {
        const frame = decodeFrame(bytes, isBinary)
        for (const e of frame.errors) expect(codes.has(e.code)).toBe(true)
        expect(frame.events.length + frame.errors.length).toBeGreaterThan(0)
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws: any JSON value gives a valid event or a coded error', () => {
    const codes = new Set<string>(Object.values(ErrorCodes))
    const eventish = fc.record(
      {
        type: fc.constantFrom('call.started', 'utterance', 'call.ended', 'other'),
        callId: fc.oneof(fc.string(), fc.integer()),
        seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        speaker: fc.constantFrom('agent', 'customer', 'x'),
        text: fc.oneof(fc.string(), fc.constant(null)),
        startMs: fc.oneof(fc.integer(), fc.double()),
        endMs: fc.oneof(fc.integer(), fc.double()),
        words: fc.array(fc.anything(), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), eventish, fc.array(eventish, { maxLength: 4 })), (value) => {
        const frame = decodeFrame(JSON.stringify(value) ?? 'null', false)
        for (const e of frame.errors) expect(codes.has(e.code)).toBe(true)
        for (const event of frame.events) expect(decodeEvent(event)).toBe(event)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('decodeJsonl', () => {
  it('reports bad lines with their line number and keeps the rest', () => {
    const text = [JSON.stringify(started), '', '# a comment', 'not json', JSON.stringify({ ...utterance, seq: 'x' }), JSON.stringify(ended)].join('\n')
    const out = decodeJsonl(text)
    expect(out.events.map((e) => e.type)).toEqual(['call.started', 'call.ended'])
    expect(out.lines).toEqual([1, 6])
    expect(out.errors.map((e) => [e.code, e.line])).toEqual([
      [ErrorCodes.NOT_JSON, 4],
      [ErrorCodes.INVALID_EVENT, 5],
    ])
    expect(out.errors[1]!.message).toMatch(/^line 5: utterance\.seq/)
  })
})

describe('nesting depth is bounded before validation', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  it('refuses a frame nested 5,000 deep, as a whole or inside a field, with a coded error', () => {
    for (const frame of [
      deep(5000),
      `{"type":"utterance","callId":"c","seq":1,"speaker":"agent","text":${deep(5000)},"startMs":0,"endMs":1,"final":true}`,
      `[{"type":"call.ended","callId":"c","endMs":1,"disposition":"success","x":{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}}]`,
    ]) {
      const out = decodeFrame(frame, false)
      expect(out.events).toEqual([])
      expect(out.errors.map((e) => e.code)).toEqual(['CQ_ERR_NESTING_TOO_DEEP'])
    }
  })
  it('counts brackets inside strings as text, and accepts ordinary nesting', () => {
    expect(jsonDepthOver(`{"text":"${'['.repeat(100)}"}`)).toBe(false)
    expect(jsonDepthOver(`{"text":"\\"${'['.repeat(100)}"}`)).toBe(false)
    expect(jsonDepthOver(deep(32))).toBe(false)
    expect(jsonDepthOver(deep(33))).toBe(true)
  })
  it('bounds JSONL lines and values built in code too', () => {
    const out = decodeJsonl(`${deep(100)}\n`)
    expect(out.errors[0]).toMatchObject({ code: 'CQ_ERR_NESTING_TOO_DEEP', line: 1 })
    let value: unknown = 1
    for (let i = 0; i < 10_000; i++) value = [value]
    expect(() => decodeEvent(value)).toThrow(expect.objectContaining({ code: 'CQ_ERR_NESTING_TOO_DEEP' }))
  })
  it('describes any value without throwing', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(describeValue(cyclic)).toBe('an object')
    expect(describeValue({ toJSON: () => { throw new Error('no') } })).toBe('an object')
    expect(describeValue(10n)).toBe('bigint')
  })
})
