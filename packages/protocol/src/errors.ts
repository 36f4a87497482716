/**
 * Every error a client of callqa can be sent, with a stable code. Codes never change meaning;
 * messages say what to fix (field, value, line).
 */
export const ErrorCodes = {
  /** A WebSocket text frame or a JSONL line is not valid JSON. */
  NOT_JSON: 'CQ_ERR_NOT_JSON',
  /** A binary WebSocket frame arrived where text JSON was expected. */
  BINARY_FRAME: 'CQ_ERR_BINARY_FRAME',
  /** A frame is larger than the limit (`maxFrameBytes`). */
  FRAME_TOO_LARGE: 'CQ_ERR_FRAME_TOO_LARGE',
  /** A JSON array frame carries more events than `maxEventsPerFrame`. */
  BATCH_TOO_LARGE: 'CQ_ERR_BATCH_TOO_LARGE',
  /** The event has no known `type`. */
  UNKNOWN_EVENT_TYPE: 'CQ_ERR_UNKNOWN_EVENT_TYPE',
  /** The event has a known type but a field is missing or wrong. */
  INVALID_EVENT: 'CQ_ERR_INVALID_EVENT',
  /** An event refers to a call the server does not know (e.g. an utterance before call.started). */
  UNKNOWN_CALL: 'CQ_ERR_UNKNOWN_CALL',
  /** An event arrived for a call that has already ended. */
  CALL_ENDED: 'CQ_ERR_CALL_ENDED',
  /** The connection sent more frames than its rate limit allows. */
  RATE_LIMITED: 'CQ_ERR_RATE_LIMITED',
  /** Too many live calls on one connection or server. */
  TOO_MANY_CALLS: 'CQ_ERR_TOO_MANY_CALLS',
  /** An ASR server message could not be understood by its adapter. */
  INVALID_ASR_MESSAGE: 'CQ_ERR_INVALID_ASR_MESSAGE',
} as const

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
