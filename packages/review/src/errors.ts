/** Review and appeal errors: the package's catalogue (docs/errors.md lists it; `pnpm docs:errors`). */
import { codesOf, createError, type ErrorSpec } from '@callqa/protocol'

export const REVIEW_ERRORS = {
  /** The review action names no finding of this report, or a bad reason/rule/utterance/note. */
  INVALID_REVIEW: createError('CQ_ERR_INVALID_REVIEW', 400, 0, 'review not valid: %s (reasons: asr_error, innocent_use, rule_not_applicable, other with a note)'),
  /** The principal may not review, appeal or decide this report. */
  FORBIDDEN: createError('CQ_ERR_FORBIDDEN', 403, 4403, '%s may not see %s'),
  /** The appeal window of the call has passed. */
  APPEAL_WINDOW_CLOSED: createError('CQ_ERR_APPEAL_WINDOW_CLOSED', 409, 0, 'the appeal window of call %s closed at %s: deductions can only be appealed within the configured working days'),
  /** The finding already has an appeal, or the appeal was already decided. */
  APPEAL_STATE: createError('CQ_ERR_APPEAL_STATE', 409, 0, 'appeal %s: %s (one appeal per deduction, decided once)'),
  /** No appeal with that id. */
  UNKNOWN_APPEAL: createError('CQ_ERR_UNKNOWN_APPEAL', 404, 0, 'no appeal %s: list them with GET /v1/appeals'),
} as const satisfies Record<string, ErrorSpec>

export const ReviewErrorCodes = codesOf(REVIEW_ERRORS)
export type ReviewErrorCode = (typeof ReviewErrorCodes)[keyof typeof ReviewErrorCodes]

const STATUS = Object.fromEntries(Object.values(REVIEW_ERRORS).map((s) => [s.code, s.statusCode])) as Record<ReviewErrorCode, number>

export class ReviewError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
  ) {
    super(message)
    this.statusCode = STATUS[code]
  }
}
