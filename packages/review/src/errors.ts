/** Review and appeal errors: `code` is mapped to an HTTP status by the gateway (statusCode here). */
export const ReviewErrorCodes = {
  /** The review action names no finding of this report, or a bad reason/rule/utterance. */
  INVALID_REVIEW: 'CQ_ERR_INVALID_REVIEW',
  /** The principal may not review, appeal or decide this report. */
  FORBIDDEN: 'CQ_ERR_FORBIDDEN',
  /** The appeal window of the finding has passed. */
  APPEAL_WINDOW_CLOSED: 'CQ_ERR_APPEAL_WINDOW_CLOSED',
  /** The finding already has an appeal, or the appeal was already decided. */
  APPEAL_STATE: 'CQ_ERR_APPEAL_STATE',
  /** No appeal with that id. */
  UNKNOWN_APPEAL: 'CQ_ERR_UNKNOWN_APPEAL',
} as const
export type ReviewErrorCode = (typeof ReviewErrorCodes)[keyof typeof ReviewErrorCodes]

const STATUS: Record<ReviewErrorCode, number> = {
  CQ_ERR_INVALID_REVIEW: 400,
  CQ_ERR_FORBIDDEN: 403,
  CQ_ERR_APPEAL_WINDOW_CLOSED: 409,
  CQ_ERR_APPEAL_STATE: 409,
  CQ_ERR_UNKNOWN_APPEAL: 404,
}

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
