import type { Redis } from 'ioredis'
import type { CallReport, RuleId } from '@callqa/protocol'
import {
  buildKpiReport,
  checkTimeZone,
  dayOf,
  daysInRange,
  DEFAULT_TIME_ZONE,
  reportIncrements,
  rollupFromHash,
  SEAT_DAYS,
  type Granularity,
  type KpiReport,
  type KpiScope,
} from '@callqa/kpi'
import { decodeReport, encodeReport } from './codec.js'
import {
  decodeCursor,
  DEFAULT_KPI_RETENTION_DAYS,
  DEFAULT_RETENTION_DAYS,
  encodeCursor,
  MAX_KPI_RANGE_DAYS,
  summarizeReport,
  type ReportSummary,
} from './summary.js'

/*
 * The Redis report store of installs before PostgreSQL became the store of record. Kept only as the
 * source of `callqa migrate-reports` (and to write such an install's data in its tests); nothing
 * else writes or reads reports in Redis.
 */

export interface RedisReportArchiveOptions {
  /** A connection this archive uses but does not own (the caller quits it). */
  redis: Redis
  /** Key prefix. @defaultValue 'callqa' */
  prefix?: string
  /** @defaultValue 'Asia/Shanghai' */
  timeZone?: string
  /** @defaultValue 180 */
  retentionDays?: number
  /** @defaultValue 400 */
  kpiRetentionDays?: number
  /** @defaultValue 5 */
  brotliQuality?: number
}

export interface RedisSaveResult {
  stored: boolean
  day: string
  encodedBytes: number
}

export interface RedisSearchQuery {
  agentId?: string
  teamId?: string
  fromMs?: number
  toMs?: number
  minScore?: number
  maxScore?: number
  rule?: RuleId
  limit?: number
  cursor?: string
  visible?: (summary: ReportSummary) => boolean
  maxScanned?: number
}

export interface RedisSearchPage {
  items: ReportSummary[]
  nextCursor: string | null
}

/** The keys of the Redis report store (they were in keys.ts while it was the store of record). */
export function legacyReportKeys(prefix: string = 'callqa') {
  return {
    prefix,
    /** HASH {r: encoded CallReport, m: JSON ReportSummary}, TTL = report retention. */
    report: (callId: string) => `${prefix}:report:${callId}`,
    /** ZSET callId -> startedAt (ms epoch) of every stored report. */
    reportIndexAll: `${prefix}:idx:calls`,
    reportIndexAgent: (agentId: string) => `${prefix}:idx:agent:${agentId}`,
    reportIndexTeam: (teamId: string) => `${prefix}:idx:team:${teamId}`,
    reportIndexRule: (rule: string) => `${prefix}:idx:rule:${rule}`,
    /** HASH of additive KPI counters of one agent on one local day `YYYY-MM-DD`. */
    kpiAgentDay: (agentId: string, day: string) => `${prefix}:kpi:agent:${agentId}:${day}`,
    kpiTeamDay: (teamId: string, day: string) => `${prefix}:kpi:team:${teamId}:${day}`,
    /** SET of agents with a counted call on a day. */
    kpiDayAgents: (day: string) => `${prefix}:kpi:day:${day}:agents`,
    /** SET of a team's agents with a counted call on a day. */
    kpiTeamDayAgents: (teamId: string, day: string) => `${prefix}:kpi:team:${teamId}:${day}:agents`,
    /** HASH agentId -> teamId of the agent's latest counted call. */
    agentTeams: `${prefix}:agent-team`,
  }
}

export type LegacyReportKeys = ReturnType<typeof legacyReportKeys>

/**
 * One atomic step per report: the report key doubles as the "counted" marker, so a job processed
 * twice (a worker killed between the write and the ack) finds it and changes nothing.
 *
 * KEYS[1] report hash          KEYS[2] all-calls index      KEYS[3] agent index    KEYS[4] team index
 * KEYS[5] agent-day rollup     KEYS[6] team-day rollup      KEYS[7] day agents set KEYS[8] team-day agents set
 * KEYS[9] agent -> team hash   KEYS[10..] rule indexes
 * ARGV[1] callId  ARGV[2] startedAt ms  ARGV[3] encoded report  ARGV[4] summary JSON
 * ARGV[5] report TTL s  ARGV[6] rollup TTL s (set when a day's key is created)  ARGV[7] index entries older than this (ms) are
 *   dropped (on one write in 16)
 * ARGV[8] agentId  ARGV[9] teamId  ARGV[10] n increments, then n (field, amount) pairs
 * Returns 1 when stored and counted, 0 when already there.
 */
const SAVE_REPORT_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[3], 'm', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
-- Dropping index entries past the retention is needed now and then, not on every write.
local trim = tonumber(ARGV[2]) % 16 == 0
local function index(key)
  redis.call('ZADD', key, ARGV[2], ARGV[1])
  if trim or redis.call('ZCARD', key) == 1 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[7])
    -- An agent, team or rule that stops getting calls takes its index with it after the retention.
    redis.call('EXPIRE', key, ARGV[5])
  end
end
index(KEYS[2]); index(KEYS[3]); index(KEYS[4])
for i = 10, #KEYS do index(KEYS[i]) end
local n = tonumber(ARGV[10])
for j = 0, n - 1 do
  local field = ARGV[11 + 2 * j]
  local amount = ARGV[12 + 2 * j]
  redis.call('HINCRBY', KEYS[5], field, amount)
  redis.call('HINCRBY', KEYS[6], field, amount)
end
-- A new agent on the day: one more seat-day, and the day's keys get their TTL (set once, not per call).
if redis.call('SADD', KEYS[7], ARGV[8]) == 1 then
  redis.call('HINCRBY', KEYS[5], '${SEAT_DAYS}', 1)
  redis.call('EXPIRE', KEYS[5], ARGV[6])
  redis.call('EXPIRE', KEYS[7], ARGV[6])
end
if redis.call('SADD', KEYS[8], ARGV[8]) == 1 then
  redis.call('HINCRBY', KEYS[6], '${SEAT_DAYS}', 1)
  redis.call('EXPIRE', KEYS[6], ARGV[6])
  redis.call('EXPIRE', KEYS[8], ARGV[6])
end
redis.call('HSET', KEYS[9], ARGV[8], ARGV[9])
return 1
`

type SaveCommand = (numKeys: number, ...args: Array<string | number | Buffer>) => Promise<number>

/**
 * Reports and KPI rollups in Redis: written by the score workers, read by the gateway's API.
 * Stateless apart from options; share one per connection.
 */
export class RedisReportArchive {
  readonly keys: LegacyReportKeys
  readonly timeZone: string
  readonly retentionDays: number
  readonly kpiRetentionDays: number
  readonly #redis: Redis
  readonly #quality: number

  constructor(options: RedisReportArchiveOptions) {
    this.#redis = options.redis
    this.keys = legacyReportKeys(options.prefix)
    this.timeZone = checkTimeZone(options.timeZone ?? DEFAULT_TIME_ZONE)
    this.retentionDays = positive('retentionDays', options.retentionDays ?? DEFAULT_RETENTION_DAYS)
    this.kpiRetentionDays = positive('kpiRetentionDays', options.kpiRetentionDays ?? DEFAULT_KPI_RETENTION_DAYS)
    this.#quality = options.brotliQuality ?? 5
    if (!('callqaSaveReport' in this.#redis)) {
      this.#redis.defineCommand('callqaSaveReport', { lua: SAVE_REPORT_LUA })
    }
  }

  /** Stores the report, indexes it and counts it into its agent-day and team-day rollups, once. */
  async saveReport(report: CallReport, nowMs: number = Date.now()): Promise<RedisSaveResult> {
    const k = this.keys
    const day = dayOf(report.startedAt, this.timeZone)
    const startedMs = Date.parse(report.startedAt)
    // Sync: the async zlib API wraps each call in a stream and cost twice the CPU here (bench:kpi).
    const encoded = encodeReport(report, this.#quality)
    const rules = [...new Set(report.findings.map((f) => f.rule))].sort()
    const keys = [
      k.report(report.callId),
      k.reportIndexAll,
      k.reportIndexAgent(report.agentId),
      k.reportIndexTeam(report.teamId),
      k.kpiAgentDay(report.agentId, day),
      k.kpiTeamDay(report.teamId, day),
      k.kpiDayAgents(day),
      k.kpiTeamDayAgents(report.teamId, day),
      k.agentTeams,
      ...rules.map((rule) => k.reportIndexRule(rule)),
    ]
    const increments = reportIncrements(report)
    const args: Array<string | number | Buffer> = [
      report.callId,
      startedMs,
      encoded,
      JSON.stringify(summarizeReport(report)),
      this.retentionDays * 86_400,
      this.kpiRetentionDays * 86_400,
      nowMs - this.retentionDays * 86_400_000,
      report.agentId,
      report.teamId,
      increments.length,
    ]
    for (const [field, amount] of increments) args.push(field, amount)
    const save = (this.#redis as unknown as { callqaSaveReport: SaveCommand }).callqaSaveReport
    const result = await save.call(this.#redis, keys.length, ...keys, ...args)
    return { stored: result === 1, day, encodedBytes: encoded.length }
  }

  async getReport(callId: string): Promise<CallReport | null> {
    const encoded = await this.#redis.hgetBuffer(this.keys.report(callId), 'r')
    return encoded ? decodeReport(encoded) : null
  }

  async getSummary(callId: string): Promise<ReportSummary | null> {
    const json = await this.#redis.hget(this.keys.report(callId), 'm')
    return json ? (JSON.parse(json) as ReportSummary) : null
  }

  /** Encoded size of a stored report (bytes), or null. */
  async storedBytes(callId: string): Promise<number | null> {
    const encoded = await this.#redis.hgetBuffer(this.keys.report(callId), 'r')
    return encoded ? encoded.length : null
  }

  /** The team of an agent's latest counted call. */
  async teamOfAgent(agentId: string): Promise<string | null> {
    return this.#redis.hget(this.keys.agentTeams, agentId)
  }

  /** Stored calls, newest first, filtered; pages by cursor. */
  async searchReports(query: RedisSearchQuery): Promise<RedisSearchPage> {
    const k = this.keys
    const limit = query.limit ?? 50
    const maxScanned = query.maxScanned ?? 5000
    const index = query.agentId
      ? k.reportIndexAgent(query.agentId)
      : query.teamId
        ? k.reportIndexTeam(query.teamId)
        : query.rule
          ? k.reportIndexRule(query.rule)
          : k.reportIndexAll
    const after = query.cursor ? decodeCursor(query.cursor) : undefined
    let upper: string = query.toMs !== undefined ? `(${query.toMs}` : '+inf'
    if (after && (query.toMs === undefined || after.ms < query.toMs)) upper = String(after.ms)
    const lower = query.fromMs !== undefined ? String(query.fromMs) : '-inf'
    const batchSize = Math.min(1000, Math.max(50, limit * 4))
    const items: ReportSummary[] = []
    const seen = new Set<string>()
    let offset = 0
    let scanned = 0
    let last: { ms: number; callId: string } | undefined
    for (;;) {
      const raw = (await this.#redis.zrange(index, upper, lower, 'BYSCORE', 'REV', 'LIMIT', offset, batchSize, 'WITHSCORES')) as unknown[]
      const entries = zrangeEntries(raw)
      offset += entries.length
      const pending = entries.filter(({ member, ms }) => {
        if (seen.has(member)) return false
        seen.add(member)
        // Equal start times come in descending member order: those >= the cursor's were sent already.
        return !(after && ms === after.ms && member >= after.callId)
      })
      const pipeline = this.#redis.pipeline()
      for (const e of pending) pipeline.hget(k.report(e.member), 'm')
      const answers = pending.length > 0 ? ((await pipeline.exec()) ?? []) : []
      for (let i = 0; i < pending.length; i++) {
        const entry = pending[i]!
        const [err, json] = answers[i] ?? [null, null]
        if (err) throw err
        scanned++
        last = { ms: entry.ms, callId: entry.member }
        if (typeof json !== 'string') continue // expired report, index entry not trimmed yet
        const summary = JSON.parse(json) as ReportSummary
        if (!matches(summary, query)) continue
        items.push(summary)
        if (items.length === limit) {
          return { items, nextCursor: encodeCursor(entry.ms, entry.member) }
        }
      }
      if (entries.length < batchSize) return { items, nextCursor: null }
      if (scanned >= maxScanned && last) return { items, nextCursor: encodeCursor(last.ms, last.callId) }
    }
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
    const pipeline = this.#redis.pipeline()
    for (const day of days) pipeline.hgetall(scope === 'agent' ? this.keys.kpiAgentDay(id, day) : this.keys.kpiTeamDay(id, day))
    const answers = (await pipeline.exec()) ?? []
    const rollups: Array<[string, ReturnType<typeof rollupFromHash>]> = []
    for (let i = 0; i < days.length; i++) {
      const [err, hash] = answers[i] ?? [null, null]
      if (err) throw err
      if (hash && typeof hash === 'object') rollups.push([days[i]!, rollupFromHash(hash as Record<string, string>)])
    }
    return buildKpiReport(scope, id, rollups, { from, to, granularity, timeZone: this.timeZone })
  }
}

function matches(s: ReportSummary, q: RedisSearchQuery): boolean {
  if (q.agentId !== undefined && s.agentId !== q.agentId) return false
  if (q.teamId !== undefined && s.teamId !== q.teamId) return false
  if (q.rule !== undefined && !s.rules.includes(q.rule)) return false
  if (q.minScore !== undefined && s.score < q.minScore) return false
  if (q.maxScore !== undefined && s.score > q.maxScore) return false
  if (q.visible && !q.visible(s)) return false
  return true
}

/** ZRANGE … WITHSCORES answers flat (RESP2) or as pairs (RESP3); both become entries. */
function zrangeEntries(raw: unknown[]): Array<{ member: string; ms: number }> {
  const out: Array<{ member: string; ms: number }> = []
  if (raw.length > 0 && Array.isArray(raw[0])) {
    for (const pair of raw as Array<[unknown, unknown]>) out.push({ member: String(pair[0]), ms: Number(pair[1]) })
  } else {
    for (let i = 0; i + 1 < raw.length; i += 2) out.push({ member: String(raw[i]), ms: Number(raw[i + 1]) })
  }
  return out
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of days, got ${value}`)
  return value
}
