import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'
import { CallEnded, CallStarted, Utterance, Word, EVENT_TYPES, type CallEvent, type CallEventType } from './events.js'
import { ErrorCodes, ProtocolError } from './errors.js'
import { describeValue as describe, firstSchemaProblem, type SchemaError } from './schema-errors.js'

const validators = {
  'call.started': Compile(CallStarted),
  utterance: Compile(Utterance),
  'call.ended': Compile(CallEnded),
} as const

const knownFields = {
  'call.started': new Set(Object.keys(CallStarted.properties)),
  utterance: new Set(Object.keys(Utterance.properties)),
  'call.ended': new Set(Object.keys(CallEnded.properties)),
} as const
const knownWordFields = new Set(Object.keys(Word.properties))

/**
 * The event without the fields protocol v1 does not define. ASR and telephony vendors add their own
 * (`confidence`, `channel`, …): they are ignored, never a reason to drop the utterance (docs/protocol.md).
 */
function withoutUnknownFields(record: Record<string, unknown>, type: CallEventType): Record<string, unknown> {
  const known = knownFields[type]
  let out: Record<string, unknown> | undefined
  for (const key of Object.keys(record)) {
    if (!known.has(key)) {
      out ??= { ...record }
      delete out[key]
    }
  }
  const words = (out ?? record).words
  if (Array.isArray(words) && words.some((w) => w && typeof w === 'object' && Object.keys(w).some((k) => !knownWordFields.has(k)))) {
    out ??= { ...record }
    out.words = words.map((w) => (w && typeof w === 'object' && !Array.isArray(w) ? Object.fromEntries(Object.entries(w).filter(([k]) => knownWordFields.has(k))) : w))
  }
  return out ?? record
}

/** Limits on one WebSocket frame. */
export interface FrameLimits {
  /** @defaultValue 65536 (64 KiB) */
  maxFrameBytes: number
  /** Events in one JSON-array frame. @defaultValue 500 */
  maxEventsPerFrame: number
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = { maxFrameBytes: 64 * 1024, maxEventsPerFrame: 500 }

/**
 * Deepest JSON nesting accepted anywhere (frames, lines, bodies). An event is at most 4 deep (array
 * frame > event > words[] > word); the validator and the error describer recurse, so a 12 KB frame
 * nested 5,000 deep would exhaust the stack: it is refused before anything walks it.
 */
export const MAX_JSON_DEPTH = 32

/**
 * The nesting depth of a JSON text, counted without parsing (brackets outside strings), stopping
 * as soon as it passes `max`. Linear, no recursion: safe for any input.
 */
export function jsonDepthOver(text: string, max: number = MAX_JSON_DEPTH): boolean {
  // A frame with no more than `max` opening brackets cannot nest deeper: counted with the native
  // indexOf (an utterance frame has one or two), the character walk runs only for the rest.
  if (openingsAtMost(text, max)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

function openingsAtMost(text: string, max: number): boolean {
  let n = 0
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > max) return false
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > max) return false
  return true
}

/** Whether a parsed value nests deeper than `max` (iterative, for values parsed elsewhere). */
export function valueDepthOver(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [at, depth] = stack.pop()!
    if (at === null || typeof at !== 'object') continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(at) ? at : Object.values(at as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    }
  }
  return false
}

function tooDeep(details: { line?: number } = {}): ProtocolError {
  const where = details.line !== undefined ? `line ${details.line}: ` : ''
  return new ProtocolError(ErrorCodes.NESTING_TOO_DEEP, `${where}the JSON nests deeper than ${MAX_JSON_DEPTH} levels: events are flat objects (an utterance's words[] is the deepest part)`, details)
}

/**
 * Validates one decoded JSON value as a protocol v1 event.
 * @throws ProtocolError CQ_ERR_UNKNOWN_EVENT_TYPE or CQ_ERR_INVALID_EVENT, naming the field and value.
 */
export function decodeEvent(value: unknown): CallEvent {
  try {
    return decodeEventUnsafe(value)
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    // The validator or the describer gave up (a value built in code, not parsed from a frame):
    // still a coded error, never a stray RangeError.
    throw new ProtocolError(ErrorCodes.INVALID_EVENT, `the event could not be validated (${errorText(err)}): send a flat JSON object`)
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function decodeEventUnsafe(value: unknown): CallEvent {
  if (valueDepthOver(value)) throw tooDeep()
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProtocolError(ErrorCodes.INVALID_EVENT, `an event must be a JSON object, got ${describe(value)}`)
  }
  const record = value as Record<string, unknown>
  const callId = typeof record.callId === 'string' ? record.callId : undefined
  const seq = typeof record.seq === 'number' && Number.isInteger(record.seq) ? record.seq : undefined
  const type = record.type
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new ProtocolError(
      ErrorCodes.UNKNOWN_EVENT_TYPE,
      `type must be one of ${EVENT_TYPES.join(', ')}, got ${describe(type)}`,
      { field: 'type', callId, seq },
    )
  }
  const validator = validators[type as CallEventType]
  value = withoutUnknownFields(record, type as CallEventType)
  if (!validator.Check(value)) {
    throw invalid(validator.Errors(value), value, type, callId, seq)
  }
  if (type === 'utterance') {
    const u = value as Utterance
    if (u.endMs < u.startMs) {
      throw new ProtocolError(
        ErrorCodes.INVALID_EVENT,
        `utterance.endMs must be >= startMs (${u.startMs}), got ${u.endMs}`,
        { field: 'endMs', callId, seq },
      )
    }
    if (u.words) {
      for (let i = 0; i < u.words.length; i++) {
        const w = u.words[i]!
        if (w.endMs < w.startMs) {
          throw new ProtocolError(
            ErrorCodes.INVALID_EVENT,
            `utterance.words[${i}].endMs must be >= words[${i}].startMs (${w.startMs}), got ${w.endMs}`,
            { field: `words[${i}].endMs`, callId, seq },
          )
        }
      }
    }
  }
  if ('at' in record && typeof record.at === 'string' && Number.isNaN(Date.parse(record.at))) {
    throw new ProtocolError(ErrorCodes.INVALID_EVENT, `${type}.at must be an ISO 8601 date-time, got ${describe(record.at)}`, {
      field: 'at',
      callId,
      seq,
    })
  }
  return value as CallEvent
}

function invalid(
  errors: Iterable<SchemaError>,
  value: unknown,
  type: string,
  callId: string | undefined,
  seq: number | undefined,
): ProtocolError {
  const problem = firstSchemaProblem(errors, value, type)
  return new ProtocolError(ErrorCodes.INVALID_EVENT, problem.message, { field: problem.field, callId, seq })
}

/** The outcome of decoding one frame: the valid events and one error per bad element. */
export interface DecodedFrame {
  events: CallEvent[]
  errors: ProtocolError[]
}

/**
 * Decodes one WebSocket frame: a JSON event or a JSON array of events. A bad element of an array
 * does not stop the good ones. Never throws.
 */
export function decodeFrame(data: string | Uint8Array, isBinary: boolean, limits: FrameLimits = DEFAULT_FRAME_LIMITS): DecodedFrame {
  if (isBinary) {
    return { events: [], errors: [new ProtocolError(ErrorCodes.BINARY_FRAME, 'binary frames are not accepted: send each event as a JSON text frame')] }
  }
  const byteLength = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
  if (byteLength > limits.maxFrameBytes) {
    return {
      events: [],
      errors: [new ProtocolError(ErrorCodes.FRAME_TOO_LARGE, `frame is ${byteLength} bytes, over the limit of ${limits.maxFrameBytes}: split it into smaller frames`)],
    }
  }
  const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
  if (jsonDepthOver(text)) return { events: [], errors: [tooDeep()] }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    return { events: [], errors: [new ProtocolError(ErrorCodes.NOT_JSON, `frame is not valid JSON: ${errorText(err)}`)] }
  }
  const items = Array.isArray(parsed) ? parsed : [parsed]
  if (items.length > limits.maxEventsPerFrame) {
    return {
      events: [],
      errors: [new ProtocolError(ErrorCodes.BATCH_TOO_LARGE, `frame carries ${items.length} events, over the limit of ${limits.maxEventsPerFrame}`)],
    }
  }
  const out: DecodedFrame = { events: [], errors: [] }
  for (const item of items) {
    try {
      out.events.push(decodeEvent(item))
    } catch (err) {
      out.errors.push(err instanceof ProtocolError ? err : new ProtocolError(ErrorCodes.INVALID_EVENT, `the event could not be validated: ${errorText(err)}`))
    }
  }
  return out
}

/** A decoded JSONL file: events with the 1-based line each came from, and one error per bad line. */
export interface DecodedJsonl extends DecodedFrame {
  /** `lines[i]` is the line number of `events[i]`. */
  lines: number[]
}

/**
 * Decodes a JSONL transcript file. Blank lines and lines starting with `#` are skipped. Every bad
 * line gives an error carrying its 1-based line number; good lines are kept.
 */
export function decodeJsonl(text: string): DecodedJsonl {
  const out: DecodedJsonl = { events: [], errors: [], lines: [] }
  const rows = text.split(/\r?\n/)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim()
    if (row === '' || row.startsWith('#')) continue
    if (jsonDepthOver(row)) {
      out.errors.push(tooDeep({ line: i + 1 }))
      continue
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(row)
    } catch (err) {
      out.errors.push(new ProtocolError(ErrorCodes.NOT_JSON, `line ${i + 1} is not valid JSON: ${errorText(err)}`, { line: i + 1 }))
      continue
    }
    try {
      out.events.push(decodeEvent(parsed))
      out.lines.push(i + 1)
    } catch (err) {
      const e = err as ProtocolError
      e.line = i + 1
      e.message = `line ${i + 1}: ${e.message}`
      out.errors.push(e)
    }
  }
  return out
}

export type { TSchema }
