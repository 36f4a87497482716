/** The store's error catalogue: one line per code (docs/errors.md lists it; `pnpm docs:errors`). */
import { codesOf, createError, type ErrorSpec } from '@callqa/protocol'

export const STORE_ERRORS = {
  BAD_CURSOR: createError('CQ_ERR_BAD_CURSOR', 400, 0, 'cursor %s is not a cursor this API returned: pass nextCursor unchanged'),
  REPORT_VERSION_CONFLICT: createError('CQ_ERR_REPORT_VERSION_CONFLICT', 409, 0, 'report of call %s is at version %s, not %s: reload it and revise again'),
  REPORT_REVISION: createError('CQ_ERR_REPORT_REVISION', 400, 0, 'a revision cannot change %s of a stored report'),
  STORE_UNAVAILABLE: createError('CQ_ERR_STORE_UNAVAILABLE', 503, 0, 'PostgreSQL (DATABASE_URL) does not answer: %s; try again shortly'),
  WEBHOOK_CONFIG: createError('CQ_ERR_WEBHOOK_CONFIG', 500, 0, 'CALLQA_WEBHOOK_SUBSCRIBERS is not valid: %s'),
} as const satisfies Record<string, ErrorSpec>

export const StoreErrorCodes = codesOf(STORE_ERRORS)

/** PostgreSQL does not answer at DATABASE_URL (or the schema could not be migrated): 503, the client may retry. */
export class StoreUnavailableError extends Error {
  readonly code = STORE_ERRORS.STORE_UNAVAILABLE.code
  readonly statusCode = STORE_ERRORS.STORE_UNAVAILABLE.statusCode
}
