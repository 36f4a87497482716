/**
 * Pure KPI math over `CallReport`s: additive rollups (kept in Redis hashes by the workers, in
 * memory by `callqa kpi`), their summaries, and the handbook's staffing band. No I/O, no clock.
 */
export {
  type KpiRollup,
  SEAT_DAYS,
  DISPOSITIONS,
  emptyRollup,
  reportIncrements,
  addReport,
  mergeRollups,
  rollupFromHash,
  scoreBucket,
  countsAgainstAgent,
  histogramMedian,
  ruleCounts,
  phraseCounts,
} from './rollup.js'
export { summarize, type KpiSummary, type SummarizeOptions } from './summarize.js'
export {
  HANDBOOK_STAFFING_BAND,
  assessStaffing,
  type StaffingBand,
  type StaffingAssessment,
  type BandPosition,
} from './staffing.js'
export {
  DEFAULT_TIME_ZONE,
  checkTimeZone,
  dayOf,
  monthOf,
  isDay,
  isMonth,
  daysInRange,
  nextDay,
  zoneOffsetMs,
  dayStartMs,
} from './days.js'
export { KpiBook, buildKpiReport, type KpiScope, type Granularity, type KpiPeriod, type KpiReport } from './book.js'
export { kpiCsv, kpiCsvHeader, toCsv, csvField, CSV_BOM, KPI_CSV_COLUMNS } from './csv.js'
