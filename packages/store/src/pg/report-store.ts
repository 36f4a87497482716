/**
 * Reports and KPI rollups in PostgreSQL, the store of record: written by the score workers, read by
 * the gateway's API, revised by reviews and appeals. Schema: packages/store/migrations; choices
 * and measurements: packages/store/README.md.
 */
import postgres from 'postgres'
import type { CallReport, Disposition, RuleId } from '@callqa/protocol'
import {
  buildKpiReport,
  checkTimeZone,
  dayOf,
  daysInRange,
  DEFAULT_TIME_ZONE,
  reportIncrements,
  SEAT_DAYS,
  type Granularity,
  type KpiReport,
  type KpiRollup,
  type KpiScope,
} from '@callqa/kpi'
import { decodeReport, encodeReport } from '../codec.js'
import {
  decodeCursor,
  DEFAULT_KPI_RETENTION_DAYS,
  DEFAULT_RETENTION_DAYS,
  encodeCursor,
  MAX_KPI_RANGE_DAYS,
  type ReportSummary,
} from '../summary.js'
import { migrateReportsSchema } from './migrate.js'

export type Sql = postgres.Sql

export interface ReportStoreOptions {
  /** `postgres://…` of the store. Either this or `sql`. */
  databaseUrl?: string
  /** A postgres.js pool this store uses but does not own (the caller ends it). */
  sql?: Sql
  /** Connections of the pool this store opens. @defaultValue 10 */
  maxConnections?: number
  /** The center's time zone: a call counts on the local day it started. @defaultValue 'Asia/Shanghai' */
  timeZone?: string
  /** Days reports are kept (whole months are dropped once wholly older). @defaultValue 180 */
  retentionDays?: number
  /** Days day-rollups are kept. @defaultValue 400 (13 months) */
  kpiRetentionDays?: number
  /**
   * Brotli quality 0-11 of stored reports. 3: half the CPU of 5 (169 against 330 µs a report,
   * measured on the bench's engine reports) for bodies 13 % larger; the encoding is the largest
   * part of a score worker's own CPU a call (BENCH.md). @defaultValue 3
   */
  brotliQuality?: number
}

export interface SaveResult {
  /** false when the call was already stored and counted (a retried or duplicate job): nothing changed. */
  stored: boolean
  /** Local day the call was counted on. */
  day: string
  /** Size of the encoded report. */
  encodedBytes: number
  /** Ids of the notifications given with the report that this save wrote (none when not stored). */
  notified: string[]
}

/**
 * A console notification (migration 004's `notifications` row; packages/review builds them)
 * written with its report, in the same statement: only when the report is stored, so a retried
 * job announces nothing twice.
 */
export interface NotificationRow {
  notification_id: string
  kind: string
  audience: string
  agent_id: string
  team_id: string
  call_id: string
  appeal_id: string | null
  /** ISO time. */
  created_at: string
  /** The message as the console shows it. */
  body: unknown
}

export interface SearchQuery {
  agentId?: string
  teamId?: string
  /** Only calls of these teams (an outbound manager's scope). */
  teamIds?: readonly string[]
  /** Only calls with (true) or without (false) complaint risk. */
  complaintRisk?: boolean
  /** Calls started at or after (ms epoch). */
  fromMs?: number
  /** Calls started before (ms epoch, exclusive). */
  toMs?: number
  minScore?: number
  maxScore?: number
  rule?: RuleId
  disposition?: Disposition
  /** Calls whose masked transcript contains this text (any speaker). */
  phrase?: string
  /** @defaultValue 50 */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string
}

export interface SearchPage {
  items: ReportSummary[]
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null
}

/** A report as a revision sees it. */
export interface StoredReport {
  report: CallReport
  /** 1 when scored; each revision adds one. */
  version: number
}

export interface ReviseOptions {
  /** Refuse (CQ_ERR_REPORT_VERSION_CONFLICT) unless the stored version is this one (optimistic concurrency from a UI). */
  expectedVersion?: number
  /** Runs inside the revision's transaction after the report is written (derived rows kept in step, e.g. review history). */
  inTransaction?: (tx: postgres.TransactionSql, change: { before: CallReport; after: CallReport; version: number }) => Promise<void>
}

export interface ReviseResult extends StoredReport {
  /** false when the callback returned null: nothing was written. */
  changed: boolean
}

/** Brotli quality of stored report bodies (`ReportStoreOptions.brotliQuality`). */
export const DEFAULT_BROTLI_QUALITY = 3
/** Longest phrase a search accepts. */
export const MAX_PHRASE_CHARS = 100
const MAX_SEARCH_LIMIT = 1000
/** Calls a phrase search reads in time order before it asks the trigram index (BENCH.md, "Phrase search"). */
const PHRASE_SCAN_ROWS = 2000
/** Months of partitions created ahead of the current one by `maintain()`. */
const PARTITIONS_AHEAD = 2
/** Days of transcript partitions created ahead of today by `maintain()`. */
const TRANSCRIPT_DAYS_AHEAD = 3
/** maintenance_work_mem (MB) of a day's text index build. */
const DEFAULT_INDEX_WORK_MEM_MB = 256
/** Deadlocks (two calls' rollup rows locked in opposite orders) and serialization failures are retried. */
const RETRIED_SQLSTATES = new Set(['40P01', '40001'])
const MAX_TRANSACTION_ATTEMPTS = 5

export class ReportNotFoundError extends Error {
  readonly code = 'CQ_ERR_UNKNOWN_REPORT'
  readonly statusCode = 404
}

export class ReportVersionConflictError extends Error {
  readonly code = 'CQ_ERR_REPORT_VERSION_CONFLICT'
  readonly statusCode = 409
  constructor(
    readonly callId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`report of call ${callId} is at version ${actualVersion}, not ${expectedVersion}: reload it and revise again`)
  }
}

export class ReportRevisionError extends Error {
  readonly code = 'CQ_ERR_REPORT_REVISION'
  readonly statusCode = 400
}

/** A search parameter the store cannot serve (400 at the API). */
export class SearchQueryError extends Error {
  readonly code = 'CQ_ERR_INVALID_PARAMETER'
  readonly statusCode = 400
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`)
  }
}

interface ReportRow {
  call_id: string
  started_at: Date
  ended_at: Date | null
  agent_id: string
  team_id: string
  direction: 'outbound' | 'inbound'
  disposition: Disposition
  score: number
  finding_count: number
  rules: string[]
  greeted: boolean
  closed: boolean
  complaint_risk: boolean
  duration_ms: number
  rulebook_id: string
  rulebook_version: string
  version: number
}

const SUMMARY_COLUMNS = [
  'call_id',
  'started_at',
  'ended_at',
  'agent_id',
  'team_id',
  'direction',
  'disposition',
  'score',
  'finding_count',
  'rules',
  'greeted',
  'closed',
  'complaint_risk',
  'duration_ms',
  'rulebook_id',
  'rulebook_version',
  'version',
] as const

function summaryOf(row: ReportRow): ReportSummary {
  const summary: ReportSummary = {
    callId: row.call_id,
    agentId: row.agent_id,
    teamId: row.team_id,
    direction: row.direction,
    startedAt: row.started_at.toISOString(),
    durationMs: row.duration_ms,
    disposition: row.disposition,
    score: row.score,
    findings: row.finding_count,
    rules: row.rules as RuleId[],
    greeted: row.greeted,
    closed: row.closed,
    complaintRisk: row.complaint_risk,
    rulebook: { id: row.rulebook_id, version: row.rulebook_version },
    version: row.version,
  }
  if (row.ended_at) summary.endedAt = row.ended_at.toISOString()
  return summary
}

/** The masked transcript as searched: one line per utterance. */
export function transcriptText(report: CallReport): string {
  return report.transcript.map((line) => line.text).join('\n')
}

/** The columns of a report row (everything but identity and version). */
function reportColumns(report: CallReport, encoded: Buffer, day: string) {
  const rules = [...new Set(report.findings.map((f) => f.rule))].sort()
  return {
    ended_at: report.endedAt ? new Date(report.endedAt) : null,
    day,
    direction: report.direction,
    disposition: report.disposition,
    score: report.score,
    finding_count: report.findings.length,
    rules,
    greeted: report.metrics.greeted,
    closed: report.metrics.closed,
    complaint_risk: report.metrics.complaintRisk,
    duration_ms: Math.round(report.endMs),
    rulebook_id: report.rulebook.id,
    rulebook_version: report.rulebook.version,
    findings: report.findings,
    transcript: transcriptText(report),
    body: encoded,
  }
}

const INSERT_COLUMNS = [
  'call_id',
  'started_at',
  'agent_id',
  'team_id',
  'ended_at',
  'day',
  'direction',
  'disposition',
  'score',
  'finding_count',
  'rules',
  'greeted',
  'closed',
  'complaint_risk',
  'duration_ms',
  'rulebook_id',
  'rulebook_version',
  'findings',
  'body',
] as const

/** The SELECT list of a report row, in INSERT_COLUMNS order, typed (parameters in a SELECT list have no type of their own). */
function insertValues(sql: Sql, report: CallReport, encoded: Buffer, day: string) {
  const c = reportColumns(report, encoded, day)
  return sql`${report.callId}::text, ${new Date(report.startedAt)}::timestamptz, ${report.agentId}::text, ${report.teamId}::text,
    ${c.ended_at}::timestamptz, ${c.day}::date, ${c.direction}::text, ${c.disposition}::text, ${c.score}::real, ${c.finding_count}::int,
    ${textArrayLiteral(c.rules)}::text[], ${c.greeted}::boolean, ${c.closed}::boolean, ${c.complaint_risk}::boolean, ${c.duration_ms}::int,
    ${c.rulebook_id}::text, ${c.rulebook_version}::text, ${sql.json(c.findings as unknown as postgres.JSONValue)}::jsonb, ${c.body}::bytea`
}

/** A report as one element of `saveReports`' JSON payload (keys are the input columns). */
interface BatchRow {
  call_id: string
  started_at: string
  agent_id: string
  team_id: string
  ended_at: string | null
  day: string
  direction: string
  disposition: string
  score: number
  finding_count: number
  rules: string[]
  greeted: boolean
  closed: boolean
  complaint_risk: boolean
  duration_ms: number
  rulebook_id: string
  rulebook_version: string
  findings: CallReport['findings']
  transcript: string
  /** base64: a third smaller than hex in the JSON. */
  body: string
  increments: KpiRollup
  notifications: readonly NotificationRow[]
}

function batchRow(report: CallReport, encoded: Buffer, day: string, notifications: readonly NotificationRow[]): BatchRow {
  const c = reportColumns(report, encoded, day)
  return {
    call_id: report.callId,
    started_at: report.startedAt,
    agent_id: report.agentId,
    team_id: report.teamId,
    ended_at: report.endedAt ?? null,
    day,
    direction: c.direction,
    disposition: c.disposition,
    score: c.score,
    finding_count: c.finding_count,
    rules: c.rules,
    greeted: c.greeted,
    closed: c.closed,
    complaint_risk: c.complaint_risk,
    duration_ms: c.duration_ms,
    rulebook_id: c.rulebook_id,
    rulebook_version: c.rulebook_version,
    findings: c.findings,
    transcript: c.transcript,
    body: encoded.toString('base64'),
    increments: counters(reportIncrements(report)),
    notifications,
  }
}

function counters(increments: Array<[string, number]>): KpiRollup {
  const out: KpiRollup = {}
  for (const [field, n] of increments) out[field] = (out[field] ?? 0) + n
  return out
}

/** New contribution minus old one, zero fields left out. */
export function rollupDelta(before: CallReport, after: CallReport): KpiRollup {
  const delta = counters(reportIncrements(after))
  for (const [field, n] of reportIncrements(before)) delta[field] = (delta[field] ?? 0) - n
  for (const field of Object.keys(delta)) if (delta[field] === 0) delete delta[field]
  return delta
}

/**
 * A text[] literal (`{"a","b"}`): passed as one text parameter and cast, because postgres.js infers
 * an array's type from the first call of a prepared statement and an empty first array breaks later ones.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`
}

/**
 * `callqa_bigrams(phrase)` (migration 005) computed here, as an int8[] literal: the SQL function
 * in a query is evaluated again while planning each partition (about 1.5 ms each).
 */
export function bigramsLiteral(phrase: string): string {
  const points = [...phrase].map((c) => c.codePointAt(0)!)
  const keys = new Set<number>()
  // Exact in a double: code points are below 2^21, so a key is below 2^42.
  for (let i = 0; i + 1 < points.length; i++) keys.add(points[i]! * 2 ** 21 + points[i + 1]!)
  return `{${[...keys].join(',')}}`
}

function likePattern(phrase: string): string {
  return `%${phrase.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function isNoPartition(err: unknown): boolean {
  const e = err as { code?: string; message?: string }
  return e.code === '23514' && /no partition/.test(e.message ?? '')
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of days, got ${value}`)
  return value
}

function dayStartUtc(ms: number, addDays = 0): number {
  return Math.floor(ms / 86_400_000) * 86_400_000 + addDays * 86_400_000
}

function monthStartUtc(ms: number, addMonths = 0): Date {
  const d = new Date(ms)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1))
}

export interface MaintenanceResult {
  /** Partitions that exist for this month and the next ones. */
  ensured: string[]
  /** Partitions dropped as wholly older than the retention. */
  dropped: string[]
  /** Rollup rows (and seat-day rows) deleted as older than the KPI retention. */
  deletedRollups: number
  /** Transcript partitions of closed days whose text index this run built. */
  indexed: string[]
}

/** One UTC day's partition of `report_transcripts`. */
export interface TranscriptDay {
  name: string
  /** Start of the day (ms epoch, UTC midnight). */
  startMs: number
  /** Whether its text index is built (days are indexed once they are over, by `maintain()`). */
  indexed: boolean
}

export class ReportStore {
  readonly timeZone: string
  readonly retentionDays: number
  readonly kpiRetentionDays: number
  readonly sql: Sql
  readonly #owned: boolean
  readonly #quality: number
  #closing: Promise<void> | undefined

  constructor(options: ReportStoreOptions) {
    if (options.sql) {
      this.sql = options.sql
      this.#owned = false
    } else if (options.databaseUrl) {
      this.sql = openPool(options.databaseUrl, options.maxConnections ?? 10)
      this.#owned = true
    } else {
      throw new TypeError('ReportStore needs databaseUrl or sql')
    }
    this.timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE)
    this.retentionDays = positive('retentionDays', options.retentionDays ?? DEFAULT_RETENTION_DAYS)
    this.kpiRetentionDays = positive('kpiRetentionDays', options.kpiRetentionDays ?? DEFAULT_KPI_RETENTION_DAYS)
    this.#quality = options.brotliQuality ?? DEFAULT_BROTLI_QUALITY
  }

  /** Applies pending schema migrations (no-op when current) and creates the coming months' partitions. */
  async prepare(databaseUrl: string, nowMs: number = Date.now()): Promise<void> {
    await migrateReportsSchema(databaseUrl)
    await this.ensurePartitions(nowMs)
  }

  /**
   * Stores the report and counts it into its agent-day and team-day rollups, once (`saveReports`
   * of one).
   */
  async saveReport(report: CallReport, notifications: readonly NotificationRow[] = []): Promise<SaveResult> {
    return (await this.saveReports([report], [notifications]))[0]!
  }

  /**
   * Stores reports and counts each into its agent-day and team-day rollups, exactly once per
   * callId: one statement (one transaction, one round trip) for the whole batch, whose first step
   * claims the callIds in `report_calls`; a call found there already (a retried or duplicate job)
   * is neither stored nor counted again, and the rollups sum only the calls claimed. A callId twice
   * in the batch counts once (the first copy). `notifications[i]` are written with `reports[i]`,
   * in the same statement, when it is stored. Results are in input order. The batch succeeds or
   * fails as a whole.
   */
  async saveReports(reports: readonly CallReport[], notifications: ReadonlyArray<readonly NotificationRow[]> = []): Promise<SaveResult[]> {
    if (reports.length === 0) return []
    const firstOf = new Map<string, number>()
    const rows: BatchRow[] = []
    const results: SaveResult[] = reports.map((report, i) => {
      const day = dayOf(report.startedAt, this.timeZone)
      // Sync: the async zlib API wraps each call in a stream and cost twice the CPU (bench:kpi).
      const encoded = encodeReport(report, this.#quality)
      if (!firstOf.has(report.callId)) {
        firstOf.set(report.callId, i)
        rows.push(batchRow(report, encoded, day, notifications[i] ?? []))
      }
      return { stored: false, day, encodedBytes: encoded.length, notified: [] }
    })
    // One parameter, one prepared statement whatever the batch size, and no array parameter for
    // postgres.js to type (README, "Arrays"). Declared text: postgres.js would stringify a json one again.
    const payload = JSON.stringify(rows)
    const stored = await this.#withPartitions(reports.map((r) => Date.parse(r.startedAt)), () => this.sql<Array<{ call_id: string; notification_id: string | null }>>`
      WITH input AS MATERIALIZED (
        SELECT * FROM json_to_recordset(${payload}::text::json) AS x(
          call_id text, started_at timestamptz, agent_id text, team_id text, ended_at timestamptz, day date,
          direction text, disposition text, score real, finding_count int, rules text[], greeted boolean, closed boolean,
          complaint_risk boolean, duration_ms int, rulebook_id text, rulebook_version text, findings jsonb, transcript text,
          body text, increments jsonb, notifications json)
      ), claim AS (
        -- Sorted: two batches sharing callIds take their locks in one order (no deadlock).
        INSERT INTO report_calls (call_id, started_at) SELECT call_id, started_at FROM input ORDER BY call_id
        ON CONFLICT (call_id) DO NOTHING RETURNING call_id
      ), counted AS MATERIALIZED (
        SELECT input.* FROM input JOIN claim USING (call_id)
      ), stored AS (
        INSERT INTO reports (${this.sql.unsafe(INSERT_COLUMNS.join(', '))})
        SELECT ${this.sql.unsafe(INSERT_COLUMNS.filter((c) => c !== 'body').join(', '))}, decode(body, 'base64') FROM counted
        RETURNING call_id
      ), transcripts AS (
        -- No text index on the current day's partition: maintain() indexes a day once it is over.
        INSERT INTO report_transcripts (started_at, call_id, transcript) SELECT started_at, call_id, transcript FROM counted
      ), sums AS (
        SELECT scope, id, day, jsonb_object_agg(key, total) AS counters FROM (
          SELECT g.scope, g.id, g.day, f.key, sum(f.value::bigint) AS total
          FROM (SELECT 'agent' AS scope, agent_id AS id, day, increments FROM counted
                UNION ALL SELECT 'team', team_id, day, increments FROM counted) AS g,
               jsonb_each_text(g.increments) AS f
          GROUP BY 1, 2, 3, 4
        ) AS fields GROUP BY 1, 2, 3
      ), rollup AS (
        INSERT INTO kpi_rollups (scope, id, day, counters) SELECT scope, id, day, counters FROM sums ORDER BY scope, id, day
        ON CONFLICT (scope, id, day) DO UPDATE SET counters = callqa_kpi_add(kpi_rollups.counters, excluded.counters)
      ), seat AS (
        INSERT INTO kpi_seat_days (team_id, day, agent_id) SELECT DISTINCT team_id, day, agent_id FROM counted ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING
      ), team_of_agent AS (
        INSERT INTO agent_teams (agent_id, team_id, started_at)
        SELECT DISTINCT ON (agent_id) agent_id, team_id, started_at FROM counted ORDER BY agent_id, started_at DESC
        ON CONFLICT (agent_id) DO UPDATE SET team_id = excluded.team_id, started_at = excluded.started_at
        WHERE agent_teams.started_at <= excluded.started_at
      ), noted AS (
        INSERT INTO notifications (notification_id, kind, audience, agent_id, team_id, call_id, appeal_id, created_at, body)
        SELECT n.notification_id, n.kind, n.audience, n.agent_id, n.team_id, n.call_id, n.appeal_id, n.created_at, n.body
        FROM counted, json_to_recordset(counted.notifications) AS n(notification_id text, kind text, audience text, agent_id text,
          team_id text, call_id text, appeal_id text, created_at timestamptz, body jsonb)
        ORDER BY n.notification_id
        ON CONFLICT (notification_id) DO NOTHING RETURNING notification_id, call_id
      )
      SELECT call_id, NULL AS notification_id FROM stored UNION ALL SELECT call_id, notification_id FROM noted`)
    for (const { call_id, notification_id } of stored) {
      const result = results[firstOf.get(call_id)!]!
      if (notification_id === null) result.stored = true
      else result.notified.push(notification_id)
    }
    return results
  }

  /**
   * Stores a report without counting it (`callqa migrate-reports`: its counts come over with the
   * Redis rollups). false when the call is already stored.
   */
  async importReport(report: CallReport): Promise<boolean> {
    const sql = this.sql
    const day = dayOf(report.startedAt, this.timeZone)
    const startedAt = new Date(report.startedAt)
    const values = insertValues(sql, report, encodeReport(report, this.#quality), day)
    const run = () => sql<Array<{ stored: number }>>`
      WITH claim AS (
        INSERT INTO report_calls (call_id, started_at) VALUES (${report.callId}, ${startedAt})
        ON CONFLICT (call_id) DO NOTHING RETURNING call_id
      ), stored AS (
        INSERT INTO reports (${sql.unsafe(INSERT_COLUMNS.join(", "))}) SELECT ${values} FROM claim RETURNING call_id
      ), transcripts AS (
        INSERT INTO report_transcripts (started_at, call_id, transcript) SELECT ${startedAt}::timestamptz, ${report.callId}::text, ${transcriptText(report)}::text FROM claim
      ), team_of_agent AS (
        INSERT INTO agent_teams (agent_id, team_id, started_at) SELECT ${report.agentId}::text, ${report.teamId}::text, ${startedAt}::timestamptz FROM claim
        ON CONFLICT (agent_id) DO UPDATE SET team_id = excluded.team_id, started_at = excluded.started_at
        WHERE agent_teams.started_at <= excluded.started_at
      )
      SELECT (SELECT count(*) FROM stored)::int AS stored`
    const rows = await this.#withPartitions([startedAt.getTime()], run)
    return rows[0]?.stored === 1
  }

  async getReport(callId: string): Promise<CallReport | null> {
    return (await this.getStoredReport(callId))?.report ?? null
  }

  async getStoredReport(callId: string): Promise<StoredReport | null> {
    // report_calls names the partition: the lookup touches one.
    const rows = await this.sql<Array<{ body: Buffer; version: number }>>`
      SELECT r.body, r.version FROM report_calls c
      JOIN reports r ON r.call_id = c.call_id AND r.started_at = c.started_at
      WHERE c.call_id = ${callId}`
    const row = rows[0]
    return row ? { report: decodeReport(row.body), version: row.version } : null
  }

  async getSummary(callId: string): Promise<ReportSummary | null> {
    const rows = await this.sql<ReportRow[]>`
      SELECT ${this.sql(SUMMARY_COLUMNS.map((c) => `r.${c}`))} FROM report_calls c
      JOIN reports r ON r.call_id = c.call_id AND r.started_at = c.started_at
      WHERE c.call_id = ${callId}`
    return rows[0] ? summaryOf(rows[0]) : null
  }

  /** Encoded size of a stored report (bytes), or null. */
  async storedBytes(callId: string): Promise<number | null> {
    const rows = await this.sql<Array<{ n: number }>>`
      SELECT octet_length(r.body) AS n FROM report_calls c JOIN reports r ON r.call_id = c.call_id AND r.started_at = c.started_at
      WHERE c.call_id = ${callId}`
    return rows[0]?.n ?? null
  }

  /** The team of an agent's latest counted call. */
  async teamOfAgent(agentId: string): Promise<string | null> {
    const rows = await this.sql<Array<{ team_id: string }>>`SELECT team_id FROM agent_teams WHERE agent_id = ${agentId}`
    return rows[0]?.team_id ?? null
  }

  /** Stored calls, newest first, filtered; pages by cursor (keyset on start time, callId). */
  async searchReports(query: SearchQuery): Promise<SearchPage> {
    const sql = this.sql
    const limit = Math.min(query.limit ?? 50, MAX_SEARCH_LIMIT)
    const where: postgres.PendingQuery<postgres.Row[]>[] = []
    if (query.agentId !== undefined) where.push(sql`agent_id = ${query.agentId}`)
    if (query.teamId !== undefined) where.push(sql`team_id = ${query.teamId}`)
    if (query.teamIds !== undefined) where.push(sql`team_id = ANY(${textArrayLiteral(query.teamIds)}::text[])`)
    if (query.complaintRisk !== undefined) where.push(sql`complaint_risk = ${query.complaintRisk}`)
    if (query.fromMs !== undefined) where.push(sql`started_at >= ${new Date(query.fromMs)}`)
    if (query.toMs !== undefined) where.push(sql`started_at < ${new Date(query.toMs)}`)
    if (query.minScore !== undefined) where.push(sql`score >= ${query.minScore}`)
    if (query.maxScore !== undefined) where.push(sql`score <= ${query.maxScore}`)
    if (query.rule !== undefined) where.push(sql`rules @> ${textArrayLiteral([query.rule])}::text[]`)
    if (query.disposition !== undefined) where.push(sql`disposition = ${query.disposition}`)
    let phrase: string | undefined
    if (query.phrase !== undefined) {
      phrase = query.phrase.trim()
      if (phrase.length === 0 || [...phrase].length > MAX_PHRASE_CHARS) {
        throw new SearchQueryError('phrase', `must be 1 to ${MAX_PHRASE_CHARS} characters, got ${[...phrase].length}`)
      }
    }
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor)
      where.push(sql`(started_at, call_id) < (${new Date(after.ms)}, ${after.callId})`)
    }
    const condition = where.length === 0 ? sql`true` : where.reduce((a, b) => sql`${a} AND ${b}`)
    const rows =
      phrase === undefined
        ? await sql<ReportRow[]>`
            SELECT ${sql(SUMMARY_COLUMNS)} FROM reports WHERE ${condition}
            ORDER BY started_at DESC, call_id DESC LIMIT ${limit + 1}`
        : await this.#phraseRows(condition, phrase, limit + 1, query)
    const items = rows.slice(0, limit).map(summaryOf)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(Date.parse(last.startedAt), last.callId) : null }
  }

  /**
   * The newest `want` calls matching `condition` whose transcript contains `phrase`, in two steps
   * (measured in packages/store/BENCH.md, "Phrase search"): the newest PHRASE_SCAN_ROWS calls of
   * the range in time order first, each transcript looked up by its key, which answers a common
   * phrase at once; then, for a rarer one, the older days newest first, each day from its
   * partition: a closed day through its bigram index (every match of the day, then the other
   * filters and the order), a day without one (today, or a phrase of one character) by scanning
   * its transcripts. Indexed days go in chunks of 1, 2, 4… days, so a phrase that fills the page
   * in the first days reads no more. Left to itself the planner guesses the phrase's frequency and
   * picks one plan for all of it, often the wrong one.
   */
  async #phraseRows(condition: postgres.PendingQuery<postgres.Row[]>, phrase: string, want: number, range: { fromMs?: number; toMs?: number }): Promise<ReportRow[]> {
    const sql = this.sql
    const like = likePattern(phrase)
    const { fromMs } = range
    // The oldest of the newest PHRASE_SCAN_ROWS calls: it bounds the first step's transcripts by
    // constants, so the plan touches the partitions of those calls only (planning over every day's
    // partition cost more than the lookups).
    const [edge] = await sql<Array<{ started_at: Date; call_id: string }>>`
      SELECT started_at, call_id FROM reports WHERE ${condition}
      ORDER BY started_at DESC, call_id DESC OFFSET ${PHRASE_SCAN_ROWS - 1} LIMIT 1`
    const lower = edge ? sql`AND t.started_at >= ${edge.started_at}` : fromMs !== undefined ? sql`AND t.started_at >= ${new Date(fromMs)}` : sql``
    const upper = range.toMs !== undefined ? sql`AND t.started_at < ${new Date(range.toMs)}` : sql``
    const newest = await sql.begin(async (tx) => {
      // A key lookup a call, never a hash join over the days' transcripts.
      await tx`SET LOCAL enable_hashjoin = off`
      await tx`SET LOCAL enable_mergejoin = off`
      await tx`SET LOCAL max_parallel_workers_per_gather = 0`
      return tx<ReportRow[]>`
        SELECT n.* FROM (
          SELECT ${tx(SUMMARY_COLUMNS)} FROM reports WHERE ${condition}
          ORDER BY started_at DESC, call_id DESC LIMIT ${PHRASE_SCAN_ROWS}
        ) AS n JOIN report_transcripts t ON t.started_at = n.started_at AND t.call_id = n.call_id
        WHERE t.transcript LIKE ${like} ${lower} ${upper} ORDER BY n.started_at DESC, n.call_id DESC LIMIT ${want}`
    })
    if (newest.length >= want) return newest
    if (!edge) return newest // the range holds fewer calls than the first step read: all seen
    const out = [...newest]
    const edgeMs = edge.started_at.getTime()
    const indexable = [...phrase].length >= 2
    const days = (await this.transcriptDays())
      .filter((d) => d.startMs <= edgeMs && (fromMs === undefined || d.startMs + 86_400_000 > fromMs))
      .reverse()
    let chunkDays = 1
    for (let i = 0; i < days.length && out.length < want; ) {
      const useIndex = indexable && days[i]!.indexed
      // Consecutive days read the same way, newest first: one day a scan, 1, 2, 4… days through the index.
      let j = i + 1
      while (useIndex && j < days.length && j - i < chunkDays && days[j]!.indexed && days[j]!.startMs === days[j - 1]!.startMs - 86_400_000) j++
      const lo = new Date(days[j - 1]!.startMs)
      const hi = new Date(Math.min(days[i]!.startMs + 86_400_000, edgeMs + 1))
      if (useIndex) chunkDays *= 2
      i = j
      const rows = await sql.begin(async (tx) => {
        // Through the index or not at all: callqa_bigrams costs about 0.4 ms a transcript.
        if (useIndex) await tx`SET LOCAL enable_seqscan = off`
        // Starting parallel workers took longer (about 70 ms on a busy box) than the lookups they share.
        await tx`SET LOCAL max_parallel_workers_per_gather = 0`
        const text = useIndex ? tx`callqa_bigrams(transcript) @> ${bigramsLiteral(phrase)}::int8[] AND transcript LIKE ${like}` : tx`transcript LIKE ${like}`
        return tx<ReportRow[]>`
          WITH matches AS MATERIALIZED (
            SELECT started_at AS match_at, call_id AS match_id FROM report_transcripts
            WHERE started_at >= ${lo} AND started_at < ${hi} AND ${text}
          )
          SELECT ${tx(SUMMARY_COLUMNS.map((c) => `reports.${c}`))} FROM matches JOIN reports ON reports.started_at = match_at AND reports.call_id = match_id
          WHERE reports.started_at >= ${lo} AND reports.started_at < ${hi} AND ${condition}
            AND (reports.started_at, reports.call_id) < (${edge.started_at}, ${edge.call_id})
          ORDER BY reports.started_at DESC, reports.call_id DESC LIMIT ${want - out.length}`
      })
      out.push(...rows)
    }
    return out
  }

  /**
   * KPIs of one agent or team from day `from` to day `to` (inclusive, `YYYY-MM-DD` in the center's
   * time zone), per day or per month.
   */
  async readKpi(scope: KpiScope, id: string, from: string, to: string, granularity: Granularity): Promise<KpiReport> {
    const days = daysInRange(from, to)
    if (days.length > MAX_KPI_RANGE_DAYS) {
      throw new RangeError(`KPI range ${from}..${to} covers ${days.length} days, more than ${MAX_KPI_RANGE_DAYS}`)
    }
    const sql = this.sql
    const [rollups, seats] = await Promise.all([
      sql<Array<{ day: string; counters: KpiRollup }>>`
        SELECT day::text AS day, counters FROM kpi_rollups WHERE scope = ${scope} AND id = ${id} AND day BETWEEN ${from} AND ${to}`,
      scope === 'team'
        ? sql<Array<{ day: string; n: number }>>`
            SELECT day::text AS day, count(*)::int AS n FROM kpi_seat_days WHERE team_id = ${id} AND day BETWEEN ${from} AND ${to} GROUP BY day`
        : sql<Array<{ day: string; n: number }>>`
            SELECT day::text AS day, 1 AS n FROM kpi_seat_days WHERE agent_id = ${id} AND day BETWEEN ${from} AND ${to} GROUP BY day`,
    ])
    const seatsByDay = new Map(seats.map((s) => [s.day, s.n]))
    const byDay: Array<[string, KpiRollup]> = rollups
      .map((r): [string, KpiRollup] => [r.day, { ...r.counters, [SEAT_DAYS]: seatsByDay.get(r.day) ?? 0 }])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return buildKpiReport(scope, id, byDay, { from, to, granularity, timeZone: this.timeZone })
  }

  /**
   * Revises a stored report in one transaction: locks the call, hands the current report and its
   * version to `revise`, writes what it returns as the next version and moves the KPI rollups by
   * the difference (the old contribution out, the new one in), exactly once. `revise` returns null
   * to change nothing. The call's identity (callId, agent, team, start) cannot change.
   * `revise` may run more than once if the transaction is retried after a deadlock: keep it pure.
   */
  async reviseReport(
    callId: string,
    revise: (current: CallReport, version: number) => CallReport | null | Promise<CallReport | null>,
    options: ReviseOptions = {},
  ): Promise<ReviseResult> {
    return this.#retrying(() =>
      this.sql.begin(async (tx) => {
        const claimed = await tx<Array<{ started_at: Date; version: number }>>`
          SELECT started_at, version FROM report_calls WHERE call_id = ${callId} FOR UPDATE`
        const claim = claimed[0]
        if (!claim) throw new ReportNotFoundError(`no report for call ${callId}`)
        if (options.expectedVersion !== undefined && options.expectedVersion !== claim.version) {
          throw new ReportVersionConflictError(callId, options.expectedVersion, claim.version)
        }
        const rows = await tx<Array<{ body: Buffer; day: string }>>`
          SELECT body, day::text AS day FROM reports WHERE call_id = ${callId} AND started_at = ${claim.started_at}`
        if (!rows[0]) throw new ReportNotFoundError(`call ${callId} is counted but its report is gone (older than the retention)`)
        const current = decodeReport(rows[0].body)
        const next = await revise(current, claim.version)
        if (next === null) return { report: current, version: claim.version, changed: false }
        for (const field of ['callId', 'agentId', 'teamId', 'startedAt'] as const) {
          if (next[field] !== current[field]) {
            throw new ReportRevisionError(`a revision cannot change ${field} (${JSON.stringify(current[field])} -> ${JSON.stringify(next[field])})`)
          }
        }
        const version = claim.version + 1
        const day = rows[0].day
        const c = reportColumns(next, encodeReport(next, this.#quality), day)
        await tx`
          UPDATE reports SET ended_at = ${c.ended_at}::timestamptz, direction = ${c.direction}, disposition = ${c.disposition},
            score = ${c.score}::real, finding_count = ${c.finding_count}::int, rules = ${textArrayLiteral(c.rules)}::text[],
            greeted = ${c.greeted}, closed = ${c.closed}, complaint_risk = ${c.complaint_risk}, duration_ms = ${c.duration_ms}::int,
            rulebook_id = ${c.rulebook_id}, rulebook_version = ${c.rulebook_version},
            findings = ${tx.json(c.findings as unknown as postgres.JSONValue)}::jsonb, body = ${c.body}::bytea,
            version = ${version}::int
          WHERE call_id = ${callId} AND started_at = ${claim.started_at}`
        await tx`UPDATE report_transcripts SET transcript = ${c.transcript} WHERE started_at = ${claim.started_at} AND call_id = ${callId}`
        await tx`UPDATE report_calls SET version = ${version} WHERE call_id = ${callId}`
        const delta = rollupDelta(current, next)
        if (Object.keys(delta).length > 0) {
          // Rows exist (the call was counted) unless the KPI retention removed them: then the delta starts a new row.
          for (const [scope, id] of [['agent', next.agentId], ['team', next.teamId]] as const) {
            await tx`
              INSERT INTO kpi_rollups (scope, id, day, counters) VALUES (${scope}, ${id}, ${day}, ${tx.json(delta)})
              ON CONFLICT (scope, id, day) DO UPDATE SET counters = callqa_kpi_add(kpi_rollups.counters, excluded.counters)`
          }
        }
        await options.inTransaction?.(tx, { before: current, after: next, version })
        return { report: next, version, changed: true }
      }),
    ) as Promise<ReviseResult>
  }

  /** Creates this month's report partition and the next ones, and today's transcript partition and the next days' (idempotent). */
  async ensurePartitions(nowMs: number = Date.now()): Promise<string[]> {
    const names: string[] = []
    for (let i = 0; i <= PARTITIONS_AHEAD; i++) {
      const [row] = await this.sql<Array<{ name: string }>>`SELECT callqa_ensure_report_partition(${monthStartUtc(nowMs, i)}) AS name`
      names.push(row!.name)
    }
    for (let i = 0; i <= TRANSCRIPT_DAYS_AHEAD; i++) {
      const [row] = await this.sql<Array<{ name: string }>>`SELECT callqa_ensure_transcript_partition(${new Date(dayStartUtc(nowMs, i))}) AS name`
      names.push(row!.name)
    }
    return names
  }

  /** The transcript partitions (one a UTC day), oldest first, and whether each has its text index. */
  async transcriptDays(): Promise<TranscriptDay[]> {
    const rows = await this.sql<Array<{ name: string; indexed: boolean }>>`
      SELECT c.relname AS name, to_regclass(c.relname || '_bigrams') IS NOT NULL AS indexed
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'report_transcripts'::regclass`
    return rows
      .map((r) => {
        const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(r.name)
        return m ? { name: r.name, startMs: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), indexed: r.indexed } : null
      })
      .filter((d): d is TranscriptDay => d !== null)
      .sort((a, b) => a.startMs - b.startMs)
  }

  /**
   * Builds the text index (GIN over `callqa_bigrams(transcript)`) of every day partition that is
   * over (its UTC day ended before `nowMs`) and has none yet, `parallel` at a time, each with
   * `maintenanceWorkMemMb` of maintenance_work_mem (a GIN build keeps its entries in memory and
   * writes fewer, larger runs with more). Returns the partitions indexed by this call. A day another
   * process is indexing at the moment is skipped (advisory lock); a late call into an indexed day
   * goes into its index as it is written.
   */
  async indexClosedDays(options: { nowMs?: number; parallel?: number; maintenanceWorkMemMb?: number } = {}): Promise<string[]> {
    const nowMs = options.nowMs ?? Date.now()
    const todo = (await this.transcriptDays()).filter((d) => !d.indexed && d.startMs + 86_400_000 <= nowMs)
    const done: string[] = []
    const workMem = Math.max(1, Math.floor(options.maintenanceWorkMemMb ?? DEFAULT_INDEX_WORK_MEM_MB))
    const next = async (): Promise<void> => {
      for (let day = todo.shift(); day; day = todo.shift()) {
        const { name } = day
        const built = await this.sql.begin(async (tx) => {
          const [lock] = await tx<Array<{ ok: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtext(${`callqa:index:${name}`})) AS ok`
          if (!lock!.ok) return false
          await tx.unsafe(`SET LOCAL maintenance_work_mem = '${workMem}MB'`)
          await tx.unsafe(`CREATE INDEX IF NOT EXISTS "${name}_bigrams" ON "${name}" USING gin (callqa_bigrams(transcript))`)
          return true
        })
        if (built) done.push(name)
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, next))
    return done.sort()
  }

  /**
   * The maintenance step (workers run it at start and every CALLQA_MAINTENANCE_INTERVAL_MS):
   * creates coming partitions, drops the months wholly older than the retention (with their calls'
   * "counted" rows and their days' transcripts), deletes rollups older than the KPI retention, and
   * builds the text index of each closed day (`indexClosedDays`).
   */
  async maintain(nowMs: number = Date.now()): Promise<MaintenanceResult> {
    const sql = this.sql
    const ensured = await this.ensurePartitions(nowMs)
    const cutoff = new Date(nowMs - this.retentionDays * 86_400_000)
    const partitions = await sql<Array<{ name: string; upper: string }>>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS upper
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'reports'::regclass`
    const dropped: string[] = []
    for (const day of await this.transcriptDays()) {
      // With its month's reports (below): a transcript lives as long as its report.
      if (monthStartUtc(day.startMs, 1).getTime() > cutoff.getTime()) continue
      await sql`DROP TABLE IF EXISTS ${sql(day.name)}`
      dropped.push(day.name)
    }
    for (const p of partitions) {
      const match = /TO \('([^']+)'\)/.exec(p.upper)
      if (!match) continue
      const upper = new Date(match[1]!)
      if (upper.getTime() > cutoff.getTime()) continue
      await sql.begin(async (tx) => {
        await tx`DROP TABLE IF EXISTS ${tx(p.name)}`
        await tx`DELETE FROM report_calls WHERE started_at < ${upper}`
      })
      dropped.push(p.name)
    }
    const kpiCutoff = dayOf(nowMs - this.kpiRetentionDays * 86_400_000, this.timeZone)
    const a = await sql`DELETE FROM kpi_rollups WHERE day < ${kpiCutoff}`
    const b = await sql`DELETE FROM kpi_seat_days WHERE day < ${kpiCutoff}`
    const indexed = await this.indexClosedDays({ nowMs })
    return { ensured, dropped, deletedRollups: a.count + b.count, indexed }
  }

  /** Ends the pool if this store opened it. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#owned ? this.sql.end({ timeout: 5 }) : Promise.resolve()
    return this.#closing
  }

  async #withPartitions<T>(startsMs: readonly number[], run: () => Promise<T>): Promise<T> {
    return this.#retrying(async () => {
      try {
        return await run()
      } catch (err) {
        if (!isNoPartition(err)) throw err
        // A call from a month or day without a partition yet (far back or ahead): create them, write again.
        for (const ms of new Set(startsMs.map((t) => monthStartUtc(t).getTime()))) await this.sql`SELECT callqa_ensure_report_partition(${new Date(ms)})`
        for (const ms of new Set(startsMs.map((t) => dayStartUtc(t)))) await this.sql`SELECT callqa_ensure_transcript_partition(${new Date(ms)})`
        return run()
      }
    })
  }

  async #retrying<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run()
      } catch (err) {
        const code = (err as { code?: string }).code
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !code || !RETRIED_SQLSTATES.has(code)) throw err
        await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()))
      }
    }
  }
}

/** A postgres.js pool as the store uses it (quiet notices, bigint counts as numbers). */
export function openPool(databaseUrl: string, maxConnections = 10): Sql {
  return postgres(databaseUrl, {
    max: maxConnections,
    onnotice: () => undefined,
    // Fail a query while PostgreSQL is down rather than queue it for ever: the job is retried.
    connect_timeout: 10,
    idle_timeout: 60,
  })
}
