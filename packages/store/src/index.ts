export * from './errors.js'
export * from './keys.js'
export { encodeReport, decodeReport, MAX_DECODED_REPORT_BYTES } from './codec.js'
export {
  ReportStore,
  summarizeReport,
  encodeCursor,
  decodeCursor,
  CursorError,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_KPI_RETENTION_DAYS,
  MAX_KPI_RANGE_DAYS,
  type ReportStoreOptions,
  type ReportSummary,
  type SaveResult,
  type SearchQuery,
  type SearchPage,
} from './report-store.js'
export { SCORE_JOB_OPTIONS, scoreJobId, type ScoreJobData } from './jobs.js'
export {
  WEBHOOK_EVENTS,
  WebhookOutbox,
  WebhookConfigError,
  parseWebhookSubscribers,
  loadWebhookConfig,
  webhookMessageId,
  type WebhookEvent,
  type WebhookSubscriber,
  type WebhookConfig,
  type WebhookPayload,
  type WebhookJobData,
  type CallScoredData,
  type WebhookOutboxOptions,
} from './webhooks.js'
// The KPI shapes and CSV the API answers with (so the gateway needs only this package).
export {
  kpiCsv,
  toCsv,
  csvField,
  CSV_BOM,
  KPI_CSV_COLUMNS,
  dayOf,
  dayStartMs,
  isDay,
  nextDay,
  DEFAULT_TIME_ZONE,
  type KpiReport,
  type KpiPeriod,
  type KpiSummary,
  type KpiScope,
  type Granularity,
} from '@callqa/kpi'
