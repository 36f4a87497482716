/**
 * Replays a candidate rulebook over stored calls. Reads are one query per page with the report
 * bodies in it (keyset on (started_at, call_id), the `reports_started` index; no query per call),
 * and the next page is fetched while the current one is checked, so PostgreSQL and the engine
 * work at the same time. A month is cut into chunks (`replayChunks`) that several replay workers
 * take in parallel (services/aggregator/src/replay-worker.ts); each returns its tally's state and
 * the merging job adds them up.
 */
import type { Rulebook } from '@callqa/engine'
import { decodeReport, textArrayLiteral, type ReportStore } from '@callqa/store'
import { ReplayTally, replayCall, type ReplaySummary, type ReplayTallyState } from '../replay.js'
import type { ReviewedReport } from '../review.js'

export interface ReplayProgress {
  done: number
}

export interface ReplayQuery {
  fromMs: number
  toMs: number
  teamIds?: readonly string[]
}

/** Calls per page: big enough that a round trip is small beside checking them, small enough to hold. */
export const REPLAY_PAGE_SIZE = 250

interface PageRow {
  call_id: string
  started_at: Date
  body: Buffer
}

/** One page of stored report bodies after `after`, oldest first. */
async function readPage(store: ReportStore, query: ReplayQuery, after: { startedAt: Date; callId: string } | null, limit: number): Promise<PageRow[]> {
  const sql = store.sql
  const teams = query.teamIds ? sql`AND team_id = ANY(${textArrayLiteral(query.teamIds)}::text[])` : sql``
  const from = after ? sql`(started_at, call_id) > (${after.startedAt}, ${after.callId})` : sql`started_at >= ${new Date(query.fromMs)}`
  return sql<PageRow[]>`
    SELECT call_id, started_at, body FROM reports
    WHERE ${from} AND started_at >= ${new Date(query.fromMs)} AND started_at < ${new Date(query.toMs)} ${teams}
    ORDER BY started_at, call_id LIMIT ${limit}`
}

/** Every stored report body in the range, page by page, the next page read while the caller works on this one. */
export async function* storedReportPages(store: ReportStore, query: ReplayQuery, pageSize: number = REPLAY_PAGE_SIZE): AsyncGenerator<ReviewedReport[]> {
  let next: Promise<PageRow[]> | null = readPage(store, query, null, pageSize)
  while (next) {
    const rows: PageRow[] = await next
    const last = rows[rows.length - 1]
    next = rows.length === pageSize && last ? readPage(store, query, { startedAt: last.started_at, callId: last.call_id }, pageSize) : null
    yield rows.map((r) => decodeReport(r.body) as ReviewedReport)
  }
}

/** Checks the range's calls with the candidate into a tally (one chunk of a replay, or a whole one). */
export async function replayRange(
  store: ReportStore,
  candidate: Rulebook,
  query: ReplayQuery,
  onProgress: (progress: ReplayProgress) => void | Promise<void> = () => undefined,
): Promise<ReplayTallyState> {
  const tally = new ReplayTally()
  for await (const page of storedReportPages(store, query)) {
    for (const stored of page) tally.add(stored, replayCall(candidate, stored))
    await onProgress({ done: tally.calls })
    // A page is about 0.1-1 s of engine work: let the worker's lock renewal and events through.
    await new Promise((r) => setImmediate(r))
  }
  return tally.state()
}

/** The whole replay in this process (`callqa replay --local`, tests); the workers run it in chunks. */
export async function replayStoredCalls(
  store: ReportStore,
  candidate: Rulebook,
  query: ReplayQuery,
  onProgress: (progress: ReplayProgress) => void | Promise<void> = () => undefined,
): Promise<ReplaySummary> {
  return new ReplayTally().merge(await replayRange(store, candidate, query, onProgress)).summary()
}
