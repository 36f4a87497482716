/**
 * `callqa migrate-reports`: moves the reports and KPI rollups an install kept in Redis (before
 * PostgreSQL was the store of record) into PostgreSQL. Idempotent and resumable: every unit is
 * written once, in one statement, whatever was done before:
 * - a report: `importReport` claims its callId (not counted again: its counts come with the rollups);
 * - a day rollup: a marker row per (scope, id, day) in `redis_import_rollups` and the rollup are
 *   added in one statement;
 * - a team-day's agents: seat-day rows, ON CONFLICT DO NOTHING.
 * A run stopped half-way is simply run again. With `deleteFromRedis`, each key is unlinked once its
 * content is in PostgreSQL, so Redis keeps only live state afterwards.
 *
 * Run it before the new workers start (or with the old ones stopped): a call counted in Redis and
 * then again by a new worker would be in both rollups.
 */
import type { Redis } from 'ioredis'
import { SEAT_DAYS, type KpiRollup } from '@callqa/kpi'
import { decodeReport } from '../codec.js'
import { legacyReportKeys } from '../redis-report-archive.js'
import { textArrayLiteral, type ReportStore } from './report-store.js'

export interface ImportOptions {
  redis: Redis
  /** Key prefix of the Redis report store. @defaultValue 'callqa' */
  prefix?: string
  store: ReportStore
  /** Unlink each migrated key from Redis. @defaultValue false */
  deleteFromRedis?: boolean
  /** Keys asked per SCAN round. @defaultValue 500 */
  scanCount?: number
  /** Called after each batch (progress on stderr). */
  onProgress?: (progress: ImportProgress) => void
  /** Stops between batches when aborted (the run can be resumed later). */
  signal?: AbortSignal
}

export interface ImportProgress {
  reportsSeen: number
  /** Reports written now (the others were already in PostgreSQL). */
  reportsImported: number
  /** Reports Redis held that could not be decoded (left in Redis, named in `unreadable`). */
  reportsUnreadable: number
  rollupsSeen: number
  rollupsImported: number
  seatDays: number
  keysDeleted: number
  unreadable: string[]
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** `<scope>:<id>:<day>[:agents]` after `${prefix}:kpi:`, ids may hold ':'. */
function parseKpiKey(rest: string): { scope: 'agent' | 'team'; id: string; day: string; agents: boolean } | null {
  const scope = rest.startsWith('agent:') ? 'agent' : rest.startsWith('team:') ? 'team' : null
  if (!scope) return null
  let body = rest.slice(scope.length + 1)
  const agents = body.endsWith(':agents')
  if (agents) body = body.slice(0, -':agents'.length)
  const cut = body.lastIndexOf(':')
  const id = body.slice(0, cut)
  const day = body.slice(cut + 1)
  if (cut <= 0 || !DAY.test(day)) return null
  return { scope, id, day, agents }
}

async function* scan(redis: Redis, match: string, count: number): AsyncGenerator<string[]> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', count)
    cursor = next
    if (keys.length > 0) yield keys
  } while (cursor !== '0')
}

export async function importReportsFromRedis(options: ImportOptions): Promise<ImportProgress> {
  const { redis, store } = options
  const keys = legacyReportKeys(options.prefix)
  const count = options.scanCount ?? 500
  const sql = store.sql
  const progress: ImportProgress = { reportsSeen: 0, reportsImported: 0, reportsUnreadable: 0, rollupsSeen: 0, rollupsImported: 0, seatDays: 0, keysDeleted: 0, unreadable: [] }
  const stopped = (): boolean => options.signal?.aborted === true
  const unlink = async (list: string[]): Promise<void> => {
    if (!options.deleteFromRedis || list.length === 0) return
    progress.keysDeleted += await redis.unlink(...list)
  }

  // 1. KPI rollups and seat-days.
  const kpiPrefix = `${keys.prefix}:kpi:`
  for await (const batch of scan(redis, `${kpiPrefix}*`, count)) {
    if (stopped()) return progress
    const done: string[] = []
    for (const key of batch) {
      const parsed = parseKpiKey(key.slice(kpiPrefix.length))
      if (!parsed) continue // the day-agents sets (`kpi:day:D:agents`): seat-days come from the team sets
      if (parsed.agents) {
        if (parsed.scope !== 'team') continue
        const agents = await redis.smembers(key)
        if (agents.length > 0) {
          await sql`
            INSERT INTO kpi_seat_days (team_id, day, agent_id)
            SELECT ${parsed.id}::text, ${parsed.day}::date, agent FROM unnest(${textArrayLiteral(agents)}::text[]) AS agent
            ON CONFLICT DO NOTHING`
        }
        progress.seatDays += agents.length
        done.push(key)
        continue
      }
      const hash = await redis.hgetall(key)
      const counters: KpiRollup = {}
      for (const [field, value] of Object.entries(hash)) {
        // seatDays are counted from kpi_seat_days when read.
        if (field === SEAT_DAYS) continue
        const n = Number(value)
        if (!Number.isSafeInteger(n)) throw new Error(`${key} field ${field} holds ${JSON.stringify(value)}, not an integer: fix or delete the key, then run again`)
        if (n !== 0) counters[field] = n
      }
      progress.rollupsSeen++
      const rows = await sql<Array<{ imported: number }>>`
        WITH mark AS (
          INSERT INTO redis_import_rollups (scope, id, day) VALUES (${parsed.scope}, ${parsed.id}, ${parsed.day}::date)
          ON CONFLICT DO NOTHING RETURNING 1
        ), added AS (
          INSERT INTO kpi_rollups (scope, id, day, counters)
          SELECT ${parsed.scope}::text, ${parsed.id}::text, ${parsed.day}::date, ${sql.json(counters)}::jsonb FROM mark
          ON CONFLICT (scope, id, day) DO UPDATE SET counters = callqa_kpi_add(kpi_rollups.counters, excluded.counters)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM added)::int AS imported`
      progress.rollupsImported += rows[0]?.imported ?? 0
      done.push(key)
    }
    await unlink(done)
    options.onProgress?.(progress)
  }

  // 2. Reports.
  const reportPrefix = `${keys.prefix}:report:`
  for await (const batch of scan(redis, `${reportPrefix}*`, count)) {
    if (stopped()) return progress
    const done: string[] = []
    for (const key of batch) {
      const encoded = await redis.hgetBuffer(key, 'r')
      if (!encoded) continue // expired between SCAN and now
      progress.reportsSeen++
      let report
      try {
        report = decodeReport(encoded)
      } catch (err) {
        progress.reportsUnreadable++
        if (progress.unreadable.length < 100) progress.unreadable.push(`${key}: ${(err as Error).message}`)
        continue
      }
      if (await store.importReport(report)) progress.reportsImported++
      done.push(key)
    }
    await unlink(done)
    options.onProgress?.(progress)
  }
  if (stopped()) return progress

  // 3. Agents' teams (for agents whose reports are gone but whose KPIs remain), then the indexes.
  const agentTeams = await redis.hgetall(keys.agentTeams)
  for (const [agentId, teamId] of Object.entries(agentTeams)) {
    await sql`INSERT INTO agent_teams (agent_id, team_id, started_at) VALUES (${agentId}, ${teamId}, 'epoch') ON CONFLICT (agent_id) DO NOTHING`
  }
  if (options.deleteFromRedis && progress.reportsUnreadable === 0) {
    await unlink([keys.agentTeams])
    for await (const batch of scan(redis, `${keys.prefix}:idx:*`, count)) await unlink(batch)
    for await (const batch of scan(redis, `${keys.prefix}:kpi:*`, count)) await unlink(batch)
  }
  options.onProgress?.(progress)
  return progress
}
