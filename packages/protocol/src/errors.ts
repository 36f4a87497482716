/**
 * Every error a client of callqa can be sent about its input, with a stable code. Codes never
 * change meaning; messages say what to fix (field, value, line). Add a code with one line here.
 */
import { codesOf, createError, type ErrorSpec } from './error-catalogue.js'

export const PROTOCOL_ERRORS = {
  NOT_JSON: createError('CQ_ERR_NOT_JSON', 400, 0, 'a WebSocket text frame or JSONL line is not valid JSON (%s): send one JSON event or an array of events'),
  BINARY_FRAME: createError('CQ_ERR_BINARY_FRAME', 400, 0, 'a binary WebSocket frame arrived where JSON text was expected: send each event as a text frame'),
  FRAME_TOO_LARGE: createError('CQ_ERR_FRAME_TOO_LARGE', 413, 1009, 'the frame is %s bytes, over maxFrameBytes (%s): split it into smaller frames'),
  BATCH_TOO_LARGE: createError('CQ_ERR_BATCH_TOO_LARGE', 413, 0, 'a JSON array frame carries %s events, over maxEventsPerFrame (%s): send fewer per frame'),
  NESTING_TOO_DEEP: createError('CQ_ERR_NESTING_TOO_DEEP', 400, 0, 'the JSON nests deeper than %s levels: events are flat objects (an utterance\'s words[] is the deepest part)'),
  UNKNOWN_EVENT_TYPE: createError('CQ_ERR_UNKNOWN_EVENT_TYPE', 400, 0, 'type must be one of call.started, utterance, call.ended, got %s'),
  INVALID_EVENT: createError('CQ_ERR_INVALID_EVENT', 400, 0, 'the event has a known type but field %s is missing or wrong: %s'),
  UNKNOWN_CALL: createError('CQ_ERR_UNKNOWN_CALL', 404, 0, 'call %s is not known (an utterance before its call.started?): send call.started first'),
  CALL_ENDED: createError('CQ_ERR_CALL_ENDED', 409, 0, 'call %s has already ended: events after call.ended are refused'),
  RATE_LIMITED: createError('CQ_ERR_RATE_LIMITED', 429, 1008, 'more requests or events than the limit allows (%s): slow down or retry after the time given'),
  TOO_MANY_CALLS: createError('CQ_ERR_TOO_MANY_CALLS', 429, 0, 'too many live calls on one connection or server (%s): open another connection or use another instance'),
  INVALID_ASR_MESSAGE: createError('CQ_ERR_INVALID_ASR_MESSAGE', 400, 0, '%s: the ASR server message could not be understood (%s)'),
  INVALID_REPORT: createError('CQ_ERR_INVALID_REPORT', 400, 0, 'a score job or report is not a valid CallReport: %s'),
} as const satisfies Record<string, ErrorSpec>

/** `ErrorCodes.NOT_JSON === 'CQ_ERR_NOT_JSON'` … (one per entry of PROTOCOL_ERRORS). */
export const ErrorCodes = codesOf(PROTOCOL_ERRORS)

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

/** A coded error about input that came from outside (a frame, a line, a body). */
export class ProtocolError extends Error {
  readonly code: ErrorCode
  /** JSON path of the offending field, e.g. `seq` or `words[2].endMs`. */
  readonly field: string | undefined
  readonly callId: string | undefined
  readonly seq: number | undefined
  /** 1-based line number when the input was a JSONL file. */
  line: number | undefined
  /** HTTP status and WebSocket close code of the code (PROTOCOL_ERRORS). */
  readonly statusCode: number
  readonly closeCode: number

  constructor(
    code: ErrorCode,
    message: string,
    details: { field?: string; callId?: string; seq?: number; line?: number } = {},
  ) {
    super(message)
    this.name = 'ProtocolError'
    this.code = code
    this.field = details.field
    this.callId = details.callId
    this.seq = details.seq
    this.line = details.line
    const spec = Object.values(PROTOCOL_ERRORS).find((e) => e.code === code)
    this.statusCode = spec?.statusCode ?? 400
    this.closeCode = spec?.closeCode ?? 0
  }

  /** The `{"type":"error",…}` message sent back to a WebSocket client. */
  toMessage(): ErrorMessage {
    const message: ErrorMessage = { type: 'error', code: this.code, message: this.message }
    if (this.callId !== undefined) message.callId = this.callId
    if (this.seq !== undefined) message.seq = this.seq
    return message
  }
}

export interface ErrorMessage {
  type: 'error'
  code: string
  message: string
  callId?: string
  seq?: number
}
