/** The workers' error catalogue: one line per code (docs/errors.md lists it; `pnpm docs:errors`). */
import { codesOf, createError, type ErrorSpec } from '@callqa/protocol'

export const AGGREGATOR_ERRORS = {
  CONFIG: createError('CQ_ERR_CONFIG', 500, 0, 'setting %s has a bad value (%s): fix the environment and restart the workers'),
} as const satisfies Record<string, ErrorSpec>

export const AggregatorErrorCodes = codesOf(AGGREGATOR_ERRORS)
