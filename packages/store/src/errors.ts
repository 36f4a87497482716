/** The store's error catalogue: one line per code (docs/errors.md lists it; `pnpm docs:errors`). */
import { codesOf, createError, type ErrorSpec } from '@callqa/protocol'

export const STORE_ERRORS = {
  BAD_CURSOR: createError('CQ_ERR_BAD_CURSOR', 400, 0, 'cursor %s is not a cursor this API returned: pass nextCursor unchanged'),
  WEBHOOK_CONFIG: createError('CQ_ERR_WEBHOOK_CONFIG', 500, 0, 'CALLQA_WEBHOOK_SUBSCRIBERS is not valid: %s'),
} as const satisfies Record<string, ErrorSpec>

export const StoreErrorCodes = codesOf(STORE_ERRORS)
