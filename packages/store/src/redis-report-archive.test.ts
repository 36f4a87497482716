import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { KpiBook } from '@callqa/kpi'
import { parseScoreJobData, ReportPayloadError, type CallReport } from '@callqa/protocol'
import { simReport, simulateDay } from '../../../test/aggregator-simulate.js'
import {
  decodeReport,
  encodeReport,
  parseWebhookSubscribers,
  RedisReportArchive as ReportStore,
  scoreJobId,
  type ReportSummary,
} from './index.js'
import { TEST_REDIS_URL } from '../../../test/redis-url.js'

let redis: Redis
let prefix: string
let store: ReportStore

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { lazyConnect: false })
})
afterAll(async () => {
  await redis.quit()
})

async function fresh(): Promise<void> {
  prefix = `test-${randomUUID()}`
  store = new ReportStore({ redis, prefix })
}

afterEach(async () => {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    if (keys.length) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
})

const day = simulateDay({ teams: 2, agentsPerTeam: 4, seed: 7, callsPerAgent: [20, 40], callPrefix: 'st' })
const reports = day.map(simReport)

/** A 3-minute answered call (the length the storage target is about). */
function threeMinuteCall(): CallReport {
  const answered = reports.filter((r) => r.transcript.length > 0)
  return answered.reduce((best, r) => (Math.abs(r.endMs - 180_000) < Math.abs(best.endMs - 180_000) ? r : best))
}

describe('encoding', () => {
  it('stores a realistic 3-minute call in at most 4 KB and reads it back unchanged', () => {
    const report = threeMinuteCall()
    expect(Math.abs(report.endMs - 180_000)).toBeLessThan(30_000)
    const json = Buffer.byteLength(JSON.stringify(report))
    const encoded = encodeReport(report)
    console.log(`3-minute call: ${report.transcript.length} lines, JSON ${json} B, stored ${encoded.length} B`)
    expect(encoded.length).toBeLessThanOrEqual(4096)
    expect(decodeReport(encoded)).toEqual(report)
  })
})

describe('ReportStore', () => {
  it('counts a report once however many times (and however concurrently) it is saved', async () => {
    await fresh()
    const report = reports[5]!
    const results = await Promise.all(Array.from({ length: 8 }, () => store.saveReport(report)))
    expect(results.filter((r) => r.stored)).toHaveLength(1)
    expect((await store.saveReport(report)).stored).toBe(false)
    const kpi = await store.readKpi('agent', report.agentId, '2026-11-27', '2026-11-27', 'day')
    expect(kpi.total.calls).toBe(1)
    expect(kpi.total.seatDays).toBe(1)
    expect(await store.getReport(report.callId)).toEqual(report)
    expect(await store.teamOfAgent(report.agentId)).toBe(report.teamId)
    const ttl = await redis.ttl(store.keys.report(report.callId))
    expect(ttl).toBeGreaterThan(179 * 86_400)
    expect(ttl).toBeLessThanOrEqual(180 * 86_400)
  })

  it('keeps reports for the retention and drops their index entries after it', async () => {
    prefix = `test-${randomUUID()}`
    store = new ReportStore({ redis, prefix, retentionDays: 1 })
    const old = { ...reports[0]!, callId: 'ret-old', startedAt: '2026-11-01T02:00:00.000Z' }
    await store.saveReport(old, Date.parse('2026-11-01T03:00:00.000Z'))
    const ttl = await redis.ttl(store.keys.report('ret-old'))
    expect(ttl).toBeGreaterThan(86_000)
    expect(ttl).toBeLessThanOrEqual(86_400)
    expect(await redis.ttl(store.keys.reportIndexAgent(old.agentId))).toBeGreaterThan(0)
    // A later write whose start (ms) is a multiple of 16 trims the indexes it touches.
    const later = { ...reports[0]!, callId: 'ret-new', startedAt: new Date(Date.parse('2026-11-20T02:00:00.000Z')).toISOString() }
    expect(Date.parse(later.startedAt) % 16).toBe(0)
    await store.saveReport(later, Date.parse('2026-11-20T03:00:00.000Z'))
    expect(await redis.zrange(store.keys.reportIndexAll, '0', '-1')).toEqual(['ret-new'])
    expect(await redis.zrange(store.keys.reportIndexAgent(old.agentId), '0', '-1')).toEqual(['ret-new'])
  })

  it('KPIs read back equal the in-memory book over the same reports', async () => {
    await fresh()
    for (const r of reports) await store.saveReport(r)
    const book = new KpiBook()
    for (const r of reports) book.add(r)
    for (const teamId of book.ids('team')) {
      const fromRedis = await store.readKpi('team', teamId, '2026-11-01', '2026-11-30', 'month')
      const inMemory = book.report('team', teamId, 'month')
      expect(fromRedis.periods).toEqual(inMemory.periods)
    }
    for (const agentId of book.ids('agent')) {
      const fromRedis = await store.readKpi('agent', agentId, '2026-11-27', '2026-11-27', 'day')
      expect(fromRedis.periods).toEqual(book.report('agent', agentId, 'day').periods)
    }
  })

  it('searches newest first with filters, and cursors walk every match exactly once', async () => {
    await fresh()
    // Some calls share a start time: the cursor must not lose or repeat them.
    const sameStart = reports.slice(0, 30).map((r, i) => ({ ...r, startedAt: i < 10 ? '2026-11-27T03:00:00.000Z' : r.startedAt }))
    const all = [...sameStart, ...reports.slice(30)]
    for (const r of all) await store.saveReport(r)
    const expected = (pred: (r: CallReport) => boolean): string[] =>
      all
        .filter(pred)
        .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.callId < b.callId ? 1 : -1))
        .map((r) => r.callId)
    const walk = async (query: Parameters<ReportStore['searchReports']>[0]): Promise<ReportSummary[]> => {
      const out: ReportSummary[] = []
      let cursor: string | undefined
      for (let pages = 0; pages < 1000; pages++) {
        const page = await store.searchReports({ ...query, ...(cursor ? { cursor } : {}) })
        out.push(...page.items)
        if (!page.nextCursor) return out
        cursor = page.nextCursor
      }
      throw new Error('search never ended')
    }
    expect((await walk({ limit: 7 })).map((s) => s.callId)).toEqual(expected(() => true))
    const teamId = all[0]!.teamId
    expect((await walk({ teamId, minScore: 80, limit: 5 })).map((s) => s.callId)).toEqual(expected((r) => r.teamId === teamId && r.score >= 80))
    expect((await walk({ rule: 'forbidden_phrase', maxScore: 95, limit: 3 })).map((s) => s.callId)).toEqual(
      expected((r) => r.score <= 95 && r.findings.some((f) => f.rule === 'forbidden_phrase')),
    )
    const agentId = all[3]!.agentId
    const fromMs = Date.parse('2026-11-27T03:00:00.000Z')
    const toMs = Date.parse('2026-11-27T06:00:00.000Z')
    expect((await walk({ agentId, fromMs, toMs, limit: 4 })).map((s) => s.callId)).toEqual(
      expected((r) => r.agentId === agentId && Date.parse(r.startedAt) >= fromMs && Date.parse(r.startedAt) < toMs),
    )
    // A small scan budget still walks everything, with partial pages.
    expect((await walk({ minScore: 100, limit: 50, maxScanned: 40 })).map((s) => s.callId)).toEqual(expected((r) => r.score >= 100))
  })
})

describe('score job payload', () => {
  it('names the field that is wrong', () => {
    const report = reports[0]!
    expect(parseScoreJobData({ report })).toBe(report)
    const bad = (data: unknown): string => {
      try {
        parseScoreJobData(data)
      } catch (err) {
        expect(err).toBeInstanceOf(ReportPayloadError)
        return (err as Error).message
      }
      throw new Error('accepted a bad payload')
    }
    expect(bad(null)).toMatch(/score job data must be an object/)
    expect(bad({})).toMatch(/data.report is required/)
    const { agentId: _omitted, ...withoutAgent } = report
    expect(bad({ report: withoutAgent })).toMatch(/report.agentId is required/)
    expect(bad({ report: { ...report, score: 140 } })).toMatch(/report.score must .*140/)
    expect(bad({ report: { ...report, findings: [{ ...report.findings[0], id: 'x', rule: 'nope', severity: 'major' }] } })).toMatch(/findings\[0\]\.rule/)
    expect(bad({ report: { ...report, startedAt: 'yesterday' } })).toMatch(/startedAt/)
  })

  it('job ids are the callId where BullMQ allows it, and one-to-one', () => {
    expect(scoreJobId('call-123')).toBe('call-123')
    expect(scoreJobId('12345')).not.toBe('12345')
    expect(scoreJobId('a:b')).not.toContain(':')
    const ids = ['a:b', 'a~cb', 'ab', '123', '~n123', 'a~b', 'a:b:c']
    expect(new Set(ids.map(scoreJobId)).size).toBe(ids.length)
  })
})

describe('webhook subscribers config', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
  it('reads subscribers and names the bad field', () => {
    const subs = parseWebhookSubscribers(JSON.stringify([{ url: 'https://crm.example.com/hooks', secret, events: ['call.scored'] }]))
    expect(subs[0]!.events).toEqual(['call.scored'])
    expect(subs[0]!.id).toMatch(/^[0-9a-f]{12}$/)
    expect(() => parseWebhookSubscribers('[{"url":"ftp://x","secret":"x","events":[]}]')).toThrow(/\[0\]\.url must be an http/)
    expect(() => parseWebhookSubscribers(JSON.stringify([{ url: 'https://x.example', secret: 'whsec_c2hvcnQ=', events: ['call.scored'] }]))).toThrow(/secret/)
    expect(() => parseWebhookSubscribers(JSON.stringify([{ url: 'https://x.example', secret, events: ['call.ended'] }]))).toThrow(/events/)
  })
})
