/**
 * @callqa/review: the QA loop's domain logic (review, appeals, rescoring, working-day windows),
 * pure (time comes in as data). Persistence on PostgreSQL: `@callqa/review/pg`.
 */
export * from './review.js'
export * from './working-days.js'
export { ReviewError, ReviewErrorCodes, REVIEW_ERRORS, type ReviewErrorCode } from './errors.js'
export { renderReviewHtml, HISTORY_ACTION_ZH, STATUS_ZH, APPEAL_STATUS_ZH } from './html.js'
export { exportCase, caseBaseName, type ExportedCase, type CaseLabels, type CaseLabelEntry } from './export-cases.js'
export { ReplayTally, replayCall, replayChunks, type ReplayTallyState, type ReplaySummary, type RuleShift, type TeamShift, type ReplayExample } from './replay.js'
export * from './cases.js'
export * from './notifications.js'
