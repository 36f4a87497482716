/**
 * The gateway's own coded errors (the protocol's `ErrorCodes` cover bad events and frames). Each has
 * a stable `CQ_ERR_*` code and an HTTP status; the app's error handler turns them into
 * `{statusCode, code, error, message}`.
 */
export const GatewayErrorCodes = {
  /** A setting in the environment has a bad value. */
  CONFIG: 'CQ_ERR_CONFIG',
  /** The telephony webhook's signature is missing, wrong or outside the 5-minute tolerance. */
  WEBHOOK_SIGNATURE: 'CQ_ERR_WEBHOOK_SIGNATURE',
  /** The telephony webhook has no secret configured (`CALLQA_WEBHOOK_SECRET`). */
  WEBHOOK_DISABLED: 'CQ_ERR_WEBHOOK_DISABLED',
  /** The webhook body is not a valid lifecycle event. */
  INVALID_BODY: 'CQ_ERR_INVALID_BODY',
  /** The ingest token is missing or not one of `CALLQA_INGEST_TOKENS`. */
  UNAUTHORIZED: 'CQ_ERR_UNAUTHORIZED',
  /** The principal may not see this alert or call. */
  FORBIDDEN: 'CQ_ERR_FORBIDDEN',
  /** No alert with this id is known (or it has expired). */
  UNKNOWN_ALERT: 'CQ_ERR_UNKNOWN_ALERT',
  /** A call the request names is not live and not known. */
  UNKNOWN_CALL: 'CQ_ERR_UNKNOWN_CALL',
  /** The call continues on another connection or instance; resend there (or reconnect and resend). */
  CALL_MOVED: 'CQ_ERR_CALL_MOVED',
  /** `since` is neither a stream cursor, a ms epoch nor an ISO 8601 time. */
  INVALID_SINCE: 'CQ_ERR_INVALID_SINCE',
  /** One channel of a call opened more ASR streams (reconnects) than its seq space allows. */
  TOO_MANY_STREAMS: 'CQ_ERR_TOO_MANY_STREAMS',
  /** A call sent more utterance text (`CALLQA_MAX_CALL_TEXT_CHARS`) or utterances than one call may have. */
  CALL_TOO_LONG: 'CQ_ERR_CALL_TOO_LONG',
  /** Redis did not answer; the request can be retried. */
  UNAVAILABLE: 'CQ_ERR_UNAVAILABLE',
} as const

export type GatewayErrorCode = (typeof GatewayErrorCodes)[keyof typeof GatewayErrorCodes]

export class GatewayError extends Error {
  readonly code: GatewayErrorCode
  readonly statusCode: number
  constructor(code: GatewayErrorCode, statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GatewayError'
    this.code = code
    this.statusCode = statusCode
  }
}

export class ConfigError extends GatewayError {
  constructor(message: string) {
    super(GatewayErrorCodes.CONFIG, 500, message)
    this.name = 'ConfigError'
  }
}
