/**
 * The score batcher on a real PostgreSQL store: batches follow the load, each call counts once,
 * and one bad report fails only its own job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KpiBook } from '@callqa/kpi'
import type { CallReport } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { simReport, simulateDay } from '../../../test/aggregator-simulate.js'
import { ScoreBatcher, type BatchWriter } from './score-batcher.js'

const reports = simulateDay({ teams: 1, agentsPerTeam: 3, seed: 5, callsPerAgent: [8, 8], callPrefix: 'sb' }).map(simReport)
let db: TestDatabase
let store: ReportStore

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
  await store.ensurePartitions(Date.parse('2026-11-27T00:00:00Z'))
})
afterAll(async () => {
  await store?.close()
  await db?.drop()
})

/** The real store, with the size of each batch it was handed written down. */
function recording(sizes: number[]): BatchWriter {
  return {
    saveReports: (rs) => (sizes.push(rs.length), store.saveReports(rs)),
    saveReport: (r) => (sizes.push(-1), store.saveReport(r)),
  }
}

function tagged(list: CallReport[], tag: string): CallReport[] {
  return list.map((r, i) => ({ ...r, callId: `${tag}-${i}`, agentId: `${tag}-a${i % 3}`, teamId: `${tag}-t` }))
}

async function expectCountedOnce(list: CallReport[], teamId: string): Promise<void> {
  const book = new KpiBook()
  for (const r of list) book.add(r)
  expect((await store.readKpi('team', teamId, '2026-11-27', '2026-11-27', 'day')).periods).toEqual(book.report('team', teamId, 'day').periods)
}

describe('score batcher', () => {
  it('writes the jobs in flight together as batches, at most maxBatch each, and a lone job alone', async () => {
    const sizes: number[] = []
    const batcher = new ScoreBatcher(recording(sizes), { maxBatch: 5, maxInFlight: 1 })
    const list = tagged(reports.slice(0, 12), 'load')
    const results = await Promise.all(list.map((r) => batcher.add(r)))
    expect(results.every((r) => r.stored)).toBe(true)
    expect(sizes).toEqual([5, 5, 2])
    await expectCountedOnce(list, 'load-t')
    const [lone] = tagged(reports.slice(12, 13), 'lone')
    expect((await batcher.add(lone!)).stored).toBe(true)
    expect(sizes.at(-1)).toBe(1)
  })

  it('counts a call once when its job runs twice in one batch and again later', async () => {
    const sizes: number[] = []
    const batcher = new ScoreBatcher(recording(sizes), { maxBatch: 50 })
    const list = tagged(reports.slice(13, 20), 'dup')
    const withDuplicate = [...list.slice(0, 4), list[2]!, ...list.slice(4)]
    const results = await Promise.all(withDuplicate.map((r) => batcher.add(r)))
    expect(sizes).toEqual([withDuplicate.length])
    expect(results.map((r) => r.stored)).toEqual([true, true, true, true, false, true, true, true])
    expect((await Promise.all(list.map((r) => batcher.add(r)))).some((r) => r.stored)).toBe(false)
    await expectCountedOnce(list, 'dup-t')
  })

  it('fails only the bad report of a batch; the others are stored and counted', async () => {
    const sizes: number[] = []
    const batcher = new ScoreBatcher(recording(sizes), { maxBatch: 50 })
    const list = tagged(reports.slice(20, 24), 'bad')
    // NaN goes out as null: PostgreSQL refuses the row (score NOT NULL), and with it the batch.
    const bad: CallReport = { ...list[1]!, callId: 'bad-nan', score: Number.NaN }
    const outcomes = await Promise.allSettled([list[0]!, bad, ...list.slice(1)].map((r) => batcher.add(r)))
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/null value in column "score"/)
    expect(sizes).toEqual([5, -1, -1, -1, -1, -1])
    expect(await store.getSummary('bad-nan')).toBeNull()
    await expectCountedOnce(list, 'bad-t')
  })
})
