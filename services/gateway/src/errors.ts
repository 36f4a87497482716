/**
 * The gateway's error catalogue (the protocol's PROTOCOL_ERRORS cover bad events and frames): one
 * line per code with its HTTP status, WebSocket close code (0: the socket stays open) and a
 * message template. The app's error handler turns any of them into `{statusCode, code, error,
 * message}`; docs/errors.md lists them (`pnpm docs:errors`). Add a code with one line here.
 */
import { codesOf, createError, type ErrorSpec, type PROTOCOL_ERRORS } from '@callqa/protocol'

export const GATEWAY_ERRORS = {
  CONFIG: createError('CQ_ERR_CONFIG', 500, 0, 'setting %s has a bad value (%s): fix the environment and restart'),
  VALIDATION: createError('CQ_ERR_VALIDATION', 400, 0, 'the request does not match the route\'s schema: %s'),
  NOT_FOUND: createError('CQ_ERR_NOT_FOUND', 404, 0, 'no route %s %s: see services/gateway/README.md for the routes'),
  BODY_TOO_LARGE: createError('CQ_ERR_BODY_TOO_LARGE', 413, 0, 'the request body is over the route\'s limit of %s bytes: send less'),
  UNSUPPORTED_MEDIA_TYPE: createError('CQ_ERR_UNSUPPORTED_MEDIA_TYPE', 415, 0, 'content-type %s is not accepted: send application/json'),
  NOT_ALLOWED: createError('CQ_ERR_METHOD_NOT_ALLOWED', 405, 0, '%s is not allowed on %s'),
  BAD_REQUEST: createError('CQ_ERR_BAD_REQUEST', 400, 0, 'the request cannot be read: %s'),
  HEADERS_TOO_LARGE: createError('CQ_ERR_HEADERS_TOO_LARGE', 431, 0, 'the request headers (URL and query included) are over 16 KiB: send less in the query'),
  INTERNAL: createError('CQ_ERR_INTERNAL', 500, 1011, 'internal error: see the gateway logs (request id %s)'),
  WEBHOOK_SIGNATURE: createError('CQ_ERR_WEBHOOK_SIGNATURE', 401, 0, 'webhook rejected: %s (sign id.timestamp.body with CALLQA_WEBHOOK_SECRET; timestamps within 5 minutes)'),
  WEBHOOK_DISABLED: createError('CQ_ERR_WEBHOOK_DISABLED', 503, 0, 'the telephony webhook is disabled: set CALLQA_WEBHOOK_SECRET (whsec_…) on the gateway'),
  INVALID_BODY: createError('CQ_ERR_INVALID_BODY', 400, 0, 'the webhook body is not a lifecycle event: %s'),
  UNAUTHORIZED: createError('CQ_ERR_UNAUTHORIZED', 401, 4401, 'authentication required: send Authorization: Bearer <token> or log in'),
  BAD_LOGIN: createError('CQ_ERR_BAD_LOGIN', 401, 0, 'wrong username or password'),
  FORBIDDEN: createError('CQ_ERR_FORBIDDEN', 403, 4403, '%s may not see %s'),
  CROSS_ORIGIN: createError('CQ_ERR_CROSS_ORIGIN', 403, 4403, 'origin %s is not the console\'s: add it to CALLQA_ALLOWED_ORIGINS to allow it'),
  UNKNOWN_ALERT: createError('CQ_ERR_UNKNOWN_ALERT', 404, 0, 'alert %s is not known (or older than 7 days)'),
  UNKNOWN_CALL: createError('CQ_ERR_UNKNOWN_CALL', 404, 0, 'call %s is not live and not known'),
  ROSTER: createError('CQ_ERR_ROSTER', 500, 0, 'the roster file (CALLQA_ROSTER_FILE) cannot be used: %s; fix it, the last good roster stays in use meanwhile'),
  CALL_MOVED: createError('CQ_ERR_CALL_MOVED', 409, 0, 'call %s continues on another connection or instance: reconnect and resend'),
  INVALID_SINCE: createError('CQ_ERR_INVALID_SINCE', 400, 0, 'since must be a cursor, a ms epoch or an ISO 8601 time, got %s'),
  TOO_MANY_STREAMS: createError('CQ_ERR_TOO_MANY_STREAMS', 409, 0, 'the %s channel of call %s has opened the most ASR streams one call may: start a new call'),
  CALL_TOO_LONG: createError('CQ_ERR_CALL_TOO_LONG', 413, 0, 'call %s has sent more text than one call may (CALLQA_MAX_CALL_TEXT_CHARS) or more utterances: end the call'),
  UNAVAILABLE: createError('CQ_ERR_UNAVAILABLE', 503, 1013, 'Redis did not answer (%s): retry shortly'),
  ACCOUNTS: createError('CQ_ERR_ACCOUNTS', 500, 0, 'the accounts file %s is not valid: %s'),
  INVALID_TRANSCRIPT: createError('CQ_ERR_INVALID_TRANSCRIPT', 400, 0, 'the pasted transcript cannot be checked: %s'),
  TRANSCRIPT_TOO_LARGE: createError('CQ_ERR_TRANSCRIPT_TOO_LARGE', 413, 0, 'the pasted transcript has %s, over the limit of %s: check a shorter part'),
  INVALID_PARAMETER: createError('CQ_ERR_INVALID_PARAMETER', 400, 0, 'parameter %s is not valid: %s'),
  INVALID_RULEBOOK: createError('CQ_ERR_INVALID_RULEBOOK', 400, 0, 'the candidate rulebook cannot be used: %s; fix it and start the replay again'),
  TOO_MANY_REPLAYS: createError('CQ_ERR_TOO_MANY_REPLAYS', 429, 0, '%s has %s replays queued or running, the most one user may (CALLQA_MAX_REPLAYS_PER_USER): wait for one to finish'),
  UNKNOWN_REPLAY: createError('CQ_ERR_UNKNOWN_REPLAY', 404, 0, 'replay %s is not known to you (or finished more than a day ago): start it again'),
  UNKNOWN_REPORT: createError('CQ_ERR_UNKNOWN_REPORT', 404, 0, 'no report for call %s that you may see'),
} as const satisfies Record<string, ErrorSpec>

/** `GatewayErrorCodes.UNAVAILABLE === 'CQ_ERR_UNAVAILABLE'` … */
export const GatewayErrorCodes = codesOf(GATEWAY_ERRORS)

export type GatewayErrorCode = (typeof GatewayErrorCodes)[keyof typeof GatewayErrorCodes]

export class GatewayError extends Error {
  readonly code: GatewayErrorCode | (typeof PROTOCOL_ERRORS)[keyof typeof PROTOCOL_ERRORS]['code']
  readonly statusCode: number
  constructor(code: GatewayError['code'], statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GatewayError'
    this.code = code
    this.statusCode = statusCode
  }
}

/**
 * The error of catalogue entry `key`, for a route to throw (as fastify's `createError` classes are
 * thrown): the entry's code and HTTP status, and `message`, the template's details named in words.
 * The app's error handler answers it as `{statusCode, code, error, message}`.
 */
export function gatewayError(key: keyof typeof GATEWAY_ERRORS, message: string, options?: { cause?: unknown }): GatewayError {
  const spec = GATEWAY_ERRORS[key]
  return new GatewayError(spec.code, spec.statusCode, message, options)
}

/** 400 CQ_ERR_INVALID_PARAMETER naming the parameter first: `from: must be before to (…)`. */
export function invalidParameter(parameter: string, problem: string): GatewayError {
  return gatewayError('INVALID_PARAMETER', `${parameter}: ${problem}`)
}

export class ConfigError extends GatewayError {
  constructor(message: string) {
    super(GatewayErrorCodes.CONFIG, 500, message)
    this.name = 'ConfigError'
  }
}
