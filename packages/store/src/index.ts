export * from './errors.js'
export * from './keys.js'
export {
  connectRedis,
  parseRedisClusterNodes,
  redisSettingsOf,
  hasHashTag,
  isCluster,
  keySlot,
  groupBySlot,
  byNode,
  scanKeys,
  unlinkKeys,
  DEFAULT_REDIS_URL,
  type RedisConnection,
  type RedisNode,
  type RedisTarget,
  type ConnectOptions,
} from './redis.js'
export { encodeReport, decodeReport, MAX_DECODED_REPORT_BYTES } from './codec.js'
export {
  summarizeReport,
  encodeCursor,
  decodeCursor,
  CursorError,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_KPI_RETENTION_DAYS,
  MAX_KPI_RANGE_DAYS,
  DEFAULT_DATABASE_URL,
  type ReportSummary,
} from './summary.js'
export {
  ReportStore,
  openPool,
  rollupDelta,
  transcriptText,
  textArrayLiteral,
  ReportNotFoundError,
  ReportVersionConflictError,
  ReportRevisionError,
  SearchQueryError,
  MAX_PHRASE_CHARS,
  DEFAULT_BROTLI_QUALITY,
  type Sql,
  type ReportStoreOptions,
  type SaveResult,
  type NotificationRow,
  type TranscriptDay,
  type SearchQuery,
  type SearchPage,
  type StoredReport,
  type ReviseOptions,
  type ReviseResult,
  type MaintenanceResult,
} from './pg/report-store.js'
export { migrateReportsSchema, MIGRATIONS_DIR, type MigrationResult } from './pg/migrate.js'
export { RedisReportArchive, legacyReportKeys, type RedisReportArchiveOptions } from './redis-report-archive.js'
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
export { postgresAnswers, ensureDatabase } from './pg/admin.js'
export { importReportsFromRedis, type ImportOptions, type ImportProgress } from './pg/import-redis.js'
