/**
 * The PostgreSQL store on a real server, in a database of this file's own (created with a random
 * name, dropped after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { KpiBook } from '@callqa/kpi'
import type { CallReport } from '@callqa/protocol'
import { simReport, simulateDay } from '../../../../test/aggregator-simulate.js'
import { CursorError } from '../summary.js'
import { bigramsLiteral, ReportNotFoundError, ReportRevisionError, ReportStore, ReportVersionConflictError, rollupDelta, SearchQueryError, textArrayLiteral } from './report-store.js'
import pg from 'pg'
import { runner } from 'node-pg-migrate'
import { migrateReportsSchema, MIGRATIONS_DIR } from './migrate.js'
import { createTestDatabase, type TestDatabase } from './testing.js'

let db: TestDatabase
let store: ReportStore

const reports = simulateDay({ teams: 3, agentsPerTeam: 4, seed: 21, callsPerAgent: [15, 25], callPrefix: 'pg' }).map(simReport)

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 8 })
  await store.ensurePartitions(Date.parse('2026-11-27T00:00:00Z'))
  for (const r of reports) await store.saveReport(r)
})
afterAll(async () => {
  await store?.close()
  await db?.drop()
})

/** Every page of a search, following the cursor. */
async function allPages(query: Parameters<ReportStore['searchReports']>[0]): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await store.searchReports({ ...query, ...(cursor ? { cursor } : {}) })
    ids.push(...page.items.map((s) => s.callId))
    if (!page.nextCursor) return ids
    cursor = page.nextCursor
  }
}

function newestFirst(list: CallReport[]): string[] {
  return [...list].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.callId < b.callId ? 1 : -1)).map((r) => r.callId)
}

describe('schema', () => {
  it('migrates once: a second run applies nothing', async () => {
    expect((await migrateReportsSchema(db.url)).applied).toEqual([])
  })

  it('moves the transcripts of an existing install into day partitions (migration 005), searchable after', async () => {
    const old = await createTestDatabase({ migrate: false })
    try {
      const client = new pg.Client({ connectionString: old.url })
      await client.connect()
      const silent = () => undefined
      await runner({ dbClient: client, dir: MIGRATIONS_DIR, direction: 'up', count: 5, migrationsTable: 'callqa_migrations', logger: { debug: silent, info: silent, warn: silent, error: silent } })
      await client.query(`SELECT callqa_ensure_report_partition('2026-11-03T10:00:00Z')`)
      await client.query(`INSERT INTO report_calls (call_id, started_at) VALUES ('old-1', '2026-11-03T10:00:00Z')`)
      await client.query(`INSERT INTO reports (call_id, started_at, day, agent_id, team_id, direction, disposition, score, finding_count, rules, greeted, closed,
        complaint_risk, duration_ms, rulebook_id, rulebook_version, findings, transcript, body)
        VALUES ('old-1', '2026-11-03T10:00:00Z', '2026-11-03', 'a-old', 't-old', 'outbound', 'success', 90, 0, '{}', true, true, false, 1000, 'rb', '1', '[]', '您好，这里是老系统', '\\x00')`)
      await client.end()
      expect((await migrateReportsSchema(old.url)).applied).toEqual(['005_transcripts_by_day'])
      const moved = new ReportStore({ databaseUrl: old.url, maxConnections: 2 })
      try {
        expect(await moved.transcriptDays()).toEqual([{ name: 'report_transcripts_p20261103', startMs: Date.parse('2026-11-03T00:00:00Z'), indexed: false }])
        expect((await moved.searchReports({ phrase: '老系统' })).items.map((s) => s.callId)).toEqual(['old-1'])
        expect((await moved.maintain(Date.parse('2026-11-10T00:00:00Z'))).indexed).toEqual(['report_transcripts_p20261103'])
        expect((await moved.searchReports({ phrase: '系统' })).items.map((s) => s.callId)).toEqual(['old-1'])
      } finally {
        await moved.close()
      }
    } finally {
      await old.drop()
    }
  })

  it('computes the bigrams of a phrase as callqa_bigrams does in SQL (CJK, ASCII, astral characters, one character)', async () => {
    for (const text of ['投诉', '您好，请问还有什么可以帮您', 'ab\nc', '0%到', '𠀋𠀋好', '好', '']) {
      const [row] = await store.sql<Array<{ same: boolean }>>`
        SELECT (SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM unnest(callqa_bigrams(${text})) AS k)
          = (SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}') FROM unnest(${bigramsLiteral(text)}::int8[]) AS k) AS same`
      expect(row!.same, text).toBe(true)
    }
    expect(bigramsLiteral('好')).toBe('{}')
  })

  it('sums counter maps field by field and drops fields that reach 0', async () => {
    const [row] = await store.sql<Array<{ sum: Record<string, number> }>>`
      SELECT callqa_kpi_add('{"calls":1,"rule:x":2}'::jsonb, '{"calls":2,"rule:x":-2,"new":5}'::jsonb) AS sum`
    expect(row!.sum).toEqual({ calls: 3, new: 5 })
  })

  it('passes text arrays as literals that round-trip any text', async () => {
    const values = ['a', 'b"c', 'd\\e', '', '{x,y}']
    const [row] = await store.sql<Array<{ v: string[] }>>`SELECT ${textArrayLiteral(values)}::text[] AS v`
    expect(row!.v).toEqual(values)
  })
})

describe('saving', () => {
  it('stores a report and counts it once however many times and however concurrently it is saved', async () => {
    const report: CallReport = { ...reports[3]!, callId: 'dup-1', agentId: 'a-extra', teamId: 't-extra' }
    const results = await Promise.all(Array.from({ length: 12 }, () => store.saveReport(report)))
    expect(results.filter((r) => r.stored)).toHaveLength(1)
    expect((await store.saveReport(report)).stored).toBe(false)
    expect(await store.getReport('dup-1')).toEqual(report)
    const [{ n }] = (await store.sql`SELECT count(*)::int AS n FROM reports WHERE call_id = 'dup-1'`) as unknown as [{ n: number }]
    expect(n).toBe(1)
    const book = new KpiBook()
    book.add(report)
    const kpi = await store.readKpi('agent', report.agentId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.periods).toEqual(book.report('agent', report.agentId, 'day').periods)
  })

  it('creates the partition of a month it has none for', async () => {
    const report: CallReport = { ...reports[0]!, callId: 'far-past', agentId: 'a-extra', teamId: 't-extra', startedAt: '2024-02-10T03:00:00.000Z' }
    expect((await store.saveReport(report)).stored).toBe(true)
    const parts = await store.sql<Array<{ name: string }>>`SELECT tableoid::regclass::text AS name FROM reports WHERE call_id = 'far-past'`
    expect(parts[0]!.name).toBe('reports_p202402')
    expect((await store.getSummary('far-past'))!.startedAt).toBe('2024-02-10T03:00:00.000Z')
  })

  it('answers null for a call it does not have', async () => {
    expect(await store.getReport('nope')).toBeNull()
    expect(await store.getSummary('nope')).toBeNull()
    expect(await store.teamOfAgent('nobody')).toBeNull()
  })
})

describe('batches', () => {
  // A database and pools of their own: these calls must not change the other suites' counts.
  let other: TestDatabase
  let batches: ReportStore
  beforeAll(async () => {
    other = await createTestDatabase()
    batches = new ReportStore({ databaseUrl: other.url, maxConnections: 6 })
  })
  afterAll(async () => {
    await batches?.close()
    await other?.drop()
  })

  it('saves on a fresh pool as its first query: empty findings, Chinese ids and text, quotes and backslashes, in parallel', async () => {
    // postgres.js builds a new pool's first query before it has read the server's array types, so
    // an array parameter then goes out as "a,b" ("malformed array literal"); the store sends none.
    const fresh = new ReportStore({ databaseUrl: other.url, maxConnections: 4 })
    try {
      const base = reports.find((r) => new Set(r.findings.map((f) => f.rule)).size > 1)!
      const variants: CallReport[] = [
        { ...base, callId: 'fresh-empty', findings: [], deductions: [] },
        { ...base, callId: 'fresh-中文', agentId: '外呼员-王', teamId: '班组-一', transcript: [{ seq: 0, speaker: 'agent', text: '您好，{"引号",逗号}\\反斜杠', startMs: 0, endMs: 900 }] },
        { ...base, callId: 'fresh-full' },
      ]
      const results = await Promise.all([fresh.saveReport(variants[0]!), fresh.saveReports(variants.slice(1))])
      expect(results.flat().map((r) => r.stored)).toEqual([true, true, true])
      for (const r of variants) expect(await fresh.getReport(r.callId)).toEqual(r)
      expect((await fresh.getSummary('fresh-中文'))!.rules).toEqual([...new Set(base.findings.map((f) => f.rule))].sort())
      expect((await fresh.getSummary('fresh-empty'))!.rules).toEqual([])
      expect((await fresh.searchReports({ phrase: '{"引号",' })).items.map((s) => s.callId)).toEqual(['fresh-中文'])
    } finally {
      await fresh.close()
    }
  })

  it('finds every match of a phrase, newest first across pages, past the calls it reads in time order first (2,000)', async () => {
    // 2,400 calls a minute apart; a rare 3-letter phrase, a rare 2-letter one and a common one.
    const base = reports[5]!
    const calls = Array.from({ length: 2400 }, (_, i): CallReport => {
      const text = i % 600 === 7 ? '这个罕见词组出现了' : i % 700 === 3 ? '您说的是橘猫吗' : i % 3 === 0 ? '请稍等一下' : '好的'
      return {
        ...base,
        callId: `ph-${String(i).padStart(4, '0')}`,
        agentId: 'a-ph',
        teamId: 't-ph',
        startedAt: new Date(Date.parse('2026-10-01T00:00:00Z') + i * 60_000).toISOString(),
        transcript: [{ seq: 0, speaker: 'agent', text, startMs: 0, endMs: 1000 }],
      }
    })
    for (let i = 0; i < calls.length; i += 400) await batches.saveReports(calls.slice(i, i + 400))
    const pages = async (phrase: string, limit: number): Promise<string[]> => {
      const ids: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await batches.searchReports({ phrase, teamId: 't-ph', limit, ...(cursor ? { cursor } : {}) })
        ids.push(...page.items.map((s) => s.callId))
        if (!page.nextCursor) return ids
        cursor = page.nextCursor
      }
    }
    const check = async (): Promise<void> => {
      for (const [phrase, limit] of [['罕见词组', 2], ['橘猫', 1], ['橘', 1], ['稍等', 50], ['稍等', 700]] as const) {
        const expected = calls.filter((c) => c.transcript[0]!.text.includes(phrase)).map((c) => c.callId).reverse()
        expect(expected.length).toBeGreaterThan(1)
        expect(await pages(phrase, limit), phrase).toEqual(expected)
      }
      expect((await batches.searchReports({ phrase: '没有这句话', teamId: 't-ph' })).items).toEqual([])
    }
    // The calls span two UTC days: first both scanned (no text index yet), then the first one
    // through the bigram index built once it is over, the second still scanned.
    await check()
    expect(await batches.indexClosedDays({ nowMs: Date.parse('2026-10-02T12:00:00Z') })).toEqual(['report_transcripts_p20261001'])
    await check()
    expect(await batches.indexClosedDays({ nowMs: Date.parse('2026-10-03T00:00:00Z'), parallel: 2 })).toEqual(['report_transcripts_p20261002'])
    await check()
  })

  it('saves a batch in one statement, counting each call once: a duplicate in the batch and one stored before change nothing', async () => {
    const tag = (r: CallReport, i: number): CallReport => ({ ...r, callId: `batch-${i}`, agentId: `a-batch-${i % 3}`, teamId: 't-batch' })
    const batch = reports.slice(40, 46).map(tag)
    expect((await batches.saveReport(batch[2]!)).stored).toBe(true)
    // batch[4] twice (a job run twice lands in one batch), batch[2] already counted.
    const results = await batches.saveReports([...batch, batch[4]!])
    expect(results.map((r) => r.stored)).toEqual([true, true, false, true, true, true, false])
    expect(results.every((r) => r.day === '2026-11-27' && r.encodedBytes > 0)).toBe(true)
    const again = await batches.saveReports(batch)
    expect(again.map((r) => r.stored)).toEqual(batch.map(() => false))
    const book = new KpiBook()
    for (const r of batch) book.add(r)
    expect((await batches.readKpi('team', 't-batch', '2026-11-27', '2026-11-27', 'day')).periods).toEqual(book.report('team', 't-batch', 'day').periods)
    for (const agentId of book.ids('agent')) {
      expect((await batches.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')).periods).toEqual(book.report('agent', agentId, 'day').periods)
    }
    for (const r of batch) expect(await batches.getReport(r.callId)).toEqual(r)
    const [{ n }] = (await batches.sql`SELECT count(*)::int AS n FROM reports WHERE call_id LIKE 'batch-%'`) as unknown as [{ n: number }]
    expect(n).toBe(batch.length)
  })

  it('writes the notifications of a report in its own statement, only when it stores the report', async () => {
    const r = { ...reports[7]!, callId: 'noted-1', agentId: 'a-noted', teamId: 't-noted' }
    const row = (id: string) => ({ notification_id: id, kind: 'deduction', audience: 'agent', agent_id: r.agentId, team_id: r.teamId, call_id: r.callId, appeal_id: null, created_at: '2026-11-27T03:00:00.000Z', body: { id } })
    const [first] = await batches.saveReports([r], [[row('n-1'), row('n-2')]])
    expect(first).toMatchObject({ stored: true, notified: ['n-1', 'n-2'] })
    // The job again (a retry): neither the report nor a notification, not even a new one.
    expect(await batches.saveReport(r, [row('n-1'), row('n-3')])).toMatchObject({ stored: false, notified: [] })
    const rows = await batches.sql<Array<{ notification_id: string; body: { id: string } }>>`SELECT notification_id, body FROM notifications WHERE call_id = 'noted-1' ORDER BY 1`
    expect(rows).toEqual([{ notification_id: 'n-1', body: { id: 'n-1' } }, { notification_id: 'n-2', body: { id: 'n-2' } }])
  })

  it('counts once when overlapping batches race for the same calls', async () => {
    const batch = reports.slice(50, 58).map((r, i): CallReport => ({ ...r, callId: `race-${i}`, agentId: `a-race-${i % 2}`, teamId: 't-race' }))
    const shuffled = [batch.slice(0, 5), [...batch].reverse(), batch.slice(3), [batch[1]!, batch[6]!]]
    const results = await Promise.all(shuffled.map((b) => batches.saveReports(b)))
    const storedIds = results.flatMap((rs, k) => rs.flatMap((r, i) => (r.stored ? [shuffled[k]![i]!.callId] : [])))
    expect(storedIds.sort()).toEqual(batch.map((r) => r.callId).sort())
    const book = new KpiBook()
    for (const r of batch) book.add(r)
    expect((await batches.readKpi('team', 't-race', '2026-11-27', '2026-11-27', 'day')).periods).toEqual(book.report('team', 't-race', 'day').periods)
  })

  it('saves a batch spanning months without partitions', async () => {
    const at = (i: number, startedAt: string): CallReport => ({ ...reports[i]!, callId: `months-${i}`, agentId: 'a-months', teamId: 't-months', startedAt })
    const results = await batches.saveReports([at(1, '2023-03-05T02:00:00.000Z'), at(2, '2023-04-05T02:00:00.000Z')])
    expect(results.map((r) => r.stored)).toEqual([true, true])
    const parts = await batches.sql<Array<{ name: string }>>`SELECT tableoid::regclass::text AS name FROM reports WHERE call_id LIKE 'months-%' ORDER BY 1`
    expect(parts.map((p) => p.name)).toEqual(['reports_p202303', 'reports_p202304'])
  })

})

describe('KPIs', () => {
  it('read back equal to the in-memory book over the same reports (per day and per month, seat-days included)', async () => {
    const book = new KpiBook()
    for (const r of reports) book.add(r)
    for (const teamId of book.ids('team')) {
      expect((await store.readKpi('team', teamId, '2026-11-01', '2026-11-30', 'month')).periods).toEqual(book.report('team', teamId, 'month').periods)
    }
    for (const agentId of book.ids('agent')) {
      expect((await store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')).periods).toEqual(book.report('agent', agentId, 'day').periods)
      expect(await store.teamOfAgent(agentId)).toBe(reports.find((r) => r.agentId === agentId)!.teamId)
    }
  })

  it('refuses a range longer than the limit', async () => {
    await expect(store.readKpi('team', 't', '2020-01-01', '2026-01-01', 'day')).rejects.toThrow(RangeError)
  })
})

describe('search', () => {
  const november = reports.filter((r) => r.startedAt.startsWith('2026-11'))
  const teamId = reports[0]!.teamId

  it('lists a team newest first across pages, each call once', async () => {
    const ids = await allPages({ teamId, limit: 7 })
    const expected = newestFirst(november.filter((r) => r.teamId === teamId))
    expect(ids).toEqual(expected)
  })

  it('filters by agent, date range, rule, score range and disposition together', async () => {
    const agentId = reports[10]!.agentId
    const fromMs = Date.parse('2026-11-27T01:00:00Z')
    const toMs = Date.parse('2026-11-27T08:00:00Z')
    const hits = await allPages({ agentId, fromMs, toMs, rule: 'missing_closing', minScore: 50, maxScore: 95, disposition: 'success', limit: 3 })
    const expected = reports.filter(
      (r) =>
        r.agentId === agentId &&
        Date.parse(r.startedAt) >= fromMs &&
        Date.parse(r.startedAt) < toMs &&
        r.findings.some((f) => f.rule === 'missing_closing') &&
        r.score >= 50 &&
        r.score <= 95 &&
        r.disposition === 'success',
    )
    expect(hits.sort()).toEqual(expected.map((r) => r.callId).sort())
  })

  it('finds calls by a Chinese phrase in the masked transcript, as a substring', async () => {
    // A forbidden phrase as the simulation planted it in some transcript.
    const finding = reports.flatMap((r) => r.findings).find((f) => f.rule === 'forbidden_phrase' && f.span && f.text)!
    const phrase = finding.text!.slice(finding.span![0], finding.span![1])
    expect([...phrase].length).toBeGreaterThanOrEqual(3)
    const hits = await allPages({ phrase, limit: 1000 })
    const expected = [...reports, { ...reports[3]!, callId: 'dup-1' }, { ...reports[0]!, callId: 'far-past' }].filter((r) => r.transcript.some((l) => l.text.includes(phrase)))
    expect(expected.length).toBeGreaterThan(0)
    expect(hits.sort()).toEqual(expected.map((r) => r.callId).sort())
  })

  it('takes % and _ in a phrase literally', async () => {
    const report: CallReport = { ...reports[1]!, callId: 'pct-1', agentId: 'a-extra', teamId: 't-extra', transcript: [{ seq: 0, speaker: 'agent', text: '优惠100%到账', startMs: 0, endMs: 1000 }] }
    await store.saveReport(report)
    expect((await store.searchReports({ phrase: '0%到' })).items.map((s) => s.callId)).toEqual(['pct-1'])
    expect((await store.searchReports({ phrase: '_%' })).items).toEqual([])
  })

  it('limits to the caller scope: a set of teams, or complaint-risk calls only', async () => {
    const teams = [...new Set(reports.map((r) => r.teamId))].slice(0, 2)
    const scoped = await allPages({ teamIds: teams, limit: 1000 })
    expect(scoped.length).toBeGreaterThan(0)
    const summaries = await Promise.all(scoped.map((id) => store.getSummary(id)))
    expect(summaries.every((s) => teams.includes(s!.teamId))).toBe(true)
    const risky = await store.searchReports({ complaintRisk: true, limit: 1000 })
    const extra = [reports[3]!, reports[0]!, reports[1]!].filter((r) => r.metrics.complaintRisk).length
    expect(risky.items.length).toBe(reports.filter((r) => r.metrics.complaintRisk).length + extra)
    expect(risky.items.every((s) => s.complaintRisk)).toBe(true)
  })

  it('rejects a bad cursor and an empty or overlong phrase with coded errors', async () => {
    await expect(store.searchReports({ cursor: 'garbage' })).rejects.toThrow(CursorError)
    await expect(store.searchReports({ phrase: '  ' })).rejects.toMatchObject({ code: 'CQ_ERR_INVALID_PARAMETER', parameter: 'phrase' })
    await expect(store.searchReports({ phrase: '长'.repeat(101) })).rejects.toThrow(SearchQueryError)
  })
})

describe('revising', () => {
  /** A report with one more deduction of 5 points, as a reviewer would add. */
  function deduct(report: CallReport): CallReport {
    return {
      ...report,
      score: Math.max(0, report.score - 5),
      findings: [...report.findings, { id: `review-${report.findings.length}`, rule: 'overpromise', severity: 'major', atMs: 0 }],
      deductions: [...report.deductions, { rule: 'overpromise', findingId: `review-${report.findings.length}`, points: 5, reason: '复核：过度承诺' }],
    }
  }

  it('writes the next version and moves the KPIs by the difference, exactly once', async () => {
    const original = reports.find((r) => r.teamId === reports[5]!.teamId && r.callId !== 'dup-1')!
    const teamBefore = await store.readKpi('team', original.teamId, '2026-11-27', '2026-11-27', 'day')
    const result = await store.reviseReport(original.callId, (current, version) => {
      expect(version).toBe(1)
      return deduct(current)
    })
    expect(result).toMatchObject({ changed: true, version: 2 })
    expect(await store.getStoredReport(original.callId)).toEqual({ report: deduct(original), version: 2 })
    const summary = (await store.getSummary(original.callId))!
    expect(summary).toMatchObject({ version: 2, score: Math.max(0, original.score - 5), findings: original.findings.length + 1 })
    expect(summary.rules).toContain('overpromise')
    const teamAfter = await store.readKpi('team', original.teamId, '2026-11-27', '2026-11-27', 'day')
    expect(teamAfter.total.calls).toBe(teamBefore.total.calls)
    expect(teamAfter.total.findings).toBe(teamBefore.total.findings + 1)
    expect(teamAfter.total.findingsByRule.overpromise).toBe(teamBefore.total.findingsByRule.overpromise + 1)
    expect(teamAfter.total.seatDays).toBe(teamBefore.total.seatDays)
    // Saving the original again (a late duplicate job) changes nothing.
    expect((await store.saveReport(original)).stored).toBe(false)
    expect((await store.readKpi('team', original.teamId, '2026-11-27', '2026-11-27', 'day')).total).toEqual(teamAfter.total)
  })

  it('serialises concurrent revisions: each applies on top of the last', async () => {
    const original = reports[20]!
    const before = await store.readKpi('agent', original.agentId, '2026-11-27', '2026-11-27', 'day')
    const results = await Promise.all(Array.from({ length: 6 }, () => store.reviseReport(original.callId, (current) => deduct(current))))
    expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4, 5, 6, 7])
    const stored = (await store.getStoredReport(original.callId))!
    expect(stored.version).toBe(7)
    expect(stored.report.findings.length).toBe(original.findings.length + 6)
    const after = await store.readKpi('agent', original.agentId, '2026-11-27', '2026-11-27', 'day')
    expect(after.total.findings).toBe(before.total.findings + 6)
  })

  it('refuses a stale version, an identity change and an unknown call; null changes nothing', async () => {
    const original = reports[30]!
    await expect(store.reviseReport(original.callId, deduct, { expectedVersion: 3 })).rejects.toThrow(ReportVersionConflictError)
    await expect(store.reviseReport(original.callId, (r) => ({ ...r, agentId: 'someone-else' }))).rejects.toThrow(ReportRevisionError)
    await expect(store.reviseReport('no-such-call', deduct)).rejects.toThrow(ReportNotFoundError)
    expect(await store.reviseReport(original.callId, () => null)).toMatchObject({ changed: false, version: 1 })
    expect(await store.getStoredReport(original.callId)).toEqual({ report: original, version: 1 })
  })

  it('computes the delta of two reports field by field', () => {
    const r = reports[0]!
    expect(rollupDelta(r, r)).toEqual({})
    expect(rollupDelta(r, deduct(r))).toMatchObject({ findings: 1, 'rule:overpromise': 1 })
  })
})

describe('retention', () => {
  it('drops months wholly older than the retention, with their counted rows, and old rollups', async () => {
    const other = await createTestDatabase()
    const short = new ReportStore({ databaseUrl: other.url, retentionDays: 40, kpiRetentionDays: 60, maxConnections: 2 })
    try {
      const at = (callId: string, startedAt: string): CallReport => ({ ...reports[0]!, callId, startedAt })
      await short.saveReport(at('sep', '2026-09-15T02:00:00.000Z'))
      await short.saveReport(at('oct', '2026-10-20T02:00:00.000Z'))
      await short.saveReport(at('nov', '2026-11-20T02:00:00.000Z'))
      const now = Date.parse('2026-11-25T00:00:00Z') // cutoff 2026-10-16: September is wholly older, October is not
      const result = await short.maintain(now)
      // A day's transcripts go with their month's reports: September's day, not October's.
      expect(result.dropped).toEqual(['report_transcripts_p20260915', 'reports_p202609'])
      expect(result.ensured).toEqual([
        'reports_p202611', 'reports_p202612', 'reports_p202701',
        'report_transcripts_p20261125', 'report_transcripts_p20261126', 'report_transcripts_p20261127', 'report_transcripts_p20261128',
      ])
      // Closed days get their text index, once; today and the days ahead none.
      expect(result.indexed).toEqual(['report_transcripts_p20261020', 'report_transcripts_p20261120'])
      expect((await short.transcriptDays()).map((d) => [d.name.slice(-8), d.indexed])).toEqual([
        ['20261020', true], ['20261120', true], ['20261125', false], ['20261126', false], ['20261127', false], ['20261128', false],
      ])
      expect(await short.getReport('sep')).toBeNull()
      expect(await short.getReport('oct')).not.toBeNull()
      const calls = await short.sql<Array<{ call_id: string }>>`SELECT call_id FROM report_calls ORDER BY call_id`
      expect(calls.map((c) => c.call_id)).toEqual(['nov', 'oct'])
      // Rollups: 60 days back from 2026-11-25 keeps October, drops September.
      expect((await short.readKpi('agent', reports[0]!.agentId, '2026-09-01', '2026-09-30', 'month')).total.calls).toBe(0)
      expect((await short.readKpi('agent', reports[0]!.agentId, '2026-10-01', '2026-11-30', 'month')).total.calls).toBe(2)
      expect(await short.maintain(now)).toMatchObject({ dropped: [], indexed: [] })
    } finally {
      await short.close()
      await other.drop()
    }
  })
})

describe('connections', () => {
  it('uses a pool it is given without ending it', async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => undefined })
    const shared = new ReportStore({ sql })
    expect(await shared.getSummary(reports[2]!.callId)).toMatchObject({ callId: reports[2]!.callId, version: 1 })
    await shared.close()
    expect((await sql`SELECT 1 AS one`)[0]).toEqual({ one: 1 })
    await sql.end()
  })
})
