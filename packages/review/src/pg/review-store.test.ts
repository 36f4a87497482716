/**
 * Reviews and appeals on a real PostgreSQL (a database of this file's own): scores and KPIs after
 * every transition, exactly once under repeated and concurrent requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KpiBook, dayOf } from '@callqa/kpi'
import type { CallReport, Principal } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { appealDeadlineMs, DEFAULT_APPEAL_SETTINGS, renderReviewHtml, type ReviewedReport } from '../index.js'
import { defaultRulebook, sampleReport } from '../testing.js'
import { ReviewStore } from './review-store.js'

let db: TestDatabase
let store: ReportStore
let reviews: ReviewStore
const lead: Principal = { username: 'lead-1', role: 'shift_lead' }
const atMs = Date.parse('2026-11-29T12:00:00Z')

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 12 })
  reviews = new ReviewStore({ store, rulebook: defaultRulebook() })
  // A fresh pool's first query must not be saveReport: postgres.js sends sql.array() as a literal until it has read the array types (noted for the store).
  await store.ensurePartitions(atMs)
})
afterAll(async () => {
  await store?.close()
  await db?.drop()
})

/** Saves a fresh copy of a sample under its own ids (agent and team of its own, so KPIs are its alone). */
async function saved(sample: string, tag: string): Promise<CallReport> {
  const report = sampleReport(sample, { callId: `call-${tag}`, agentId: `agent-${tag}`, teamId: `team-${tag}` })
  expect((await store.saveReport(report)).stored).toBe(true)
  return report
}

/** The stored KPIs of the report's agent and team equal a KpiBook fed exactly the current report once. */
async function expectKpisOf(report: CallReport): Promise<void> {
  const day = dayOf(report.startedAt, store.timeZone)
  const book = new KpiBook()
  book.add(report)
  for (const [scope, id] of [['agent', report.agentId], ['team', report.teamId]] as const) {
    const kpi = await store.readKpi(scope, id, day, day, 'day')
    expect(kpi.periods, `${scope} ${id}`).toEqual(book.report(scope, id, 'day').periods)
  }
}

async function current(callId: string): Promise<ReviewedReport> {
  return (await store.getReport(callId)) as ReviewedReport
}

describe('review on the store', () => {
  it('dismiss, repeat, re-review and add: score and KPIs follow each step exactly once, with history', async () => {
    const original = await saved('05-angry-agent-forbidden-phrases', 'r1')
    const finding = original.findings[0]!
    const dismissed = await reviews.review(original.callId, lead, { type: 'dismiss', findingId: finding.id, reason: 'asr_error' }, { atMs })
    expect(dismissed).toMatchObject({ changed: true, version: 2 })
    expect(dismissed.report.score).toBe(original.score + 10)
    await expectKpisOf(dismissed.report)

    const again = await reviews.review(original.callId, lead, { type: 'dismiss', findingId: finding.id, reason: 'asr_error' }, { atMs })
    expect(again).toMatchObject({ changed: false, version: 2 })
    await expectKpisOf(dismissed.report)

    const confirmed = await reviews.review(original.callId, lead, { type: 'confirm', findingId: finding.id, note: '复听确认' }, { atMs: atMs + 1000 })
    expect(confirmed.report.score).toBe(original.score)
    await expectKpisOf(original)

    const added = await reviews.review(original.callId, lead, { type: 'add', rule: 'overpromise', seq: 3, note: '承诺了办不到的事', phrase: '不知道' }, { atMs: atMs + 2000 })
    expect(added.report.score).toBe(original.score - defaultRulebook().rules.overpromise!.weight)
    await expectKpisOf(added.report)

    const stored = await current(original.callId)
    expect(stored.review!.history.map((e) => e.action)).toEqual(['dismiss', 'confirm', 'add'])
    const events = await store.sql`SELECT action, actor, reason, score_before, score_after FROM review_events WHERE call_id = ${original.callId} ORDER BY id`
    expect(events.map((e) => [e.action, e.actor, e.reason, e.score_before, e.score_after])).toEqual([
      ['dismiss', 'lead-1', 'asr_error', original.score, original.score + 10],
      ['confirm', 'lead-1', null, original.score + 10, original.score],
      ['add', 'lead-1', null, original.score, added.report.score],
    ])
    expect(renderReviewHtml(stored, 'Asia/Shanghai')).toMatch(/复核记录[\s\S]*lead-1[\s\S]*误识别[\s\S]*补充问题/)
  })

  it('concurrent reviews: the same dismissal twelve times counts once; different ones all land', async () => {
    const original = await saved('05-angry-agent-forbidden-phrases', 'r2')
    const [a, b, c] = original.deductions.map((d) => d.findingId!)
    const same = await Promise.all(
      Array.from({ length: 12 }, () => reviews.review(original.callId, lead, { type: 'dismiss', findingId: a!, reason: 'innocent_use' }, { atMs })),
    )
    expect(same.filter((r) => r.changed)).toHaveLength(1)
    await Promise.all([
      reviews.review(original.callId, lead, { type: 'dismiss', findingId: b!, reason: 'asr_error' }, { atMs }),
      reviews.review(original.callId, lead, { type: 'dismiss', findingId: c!, reason: 'rule_not_applicable' }, { atMs }),
      reviews.review(original.callId, lead, { type: 'confirm', findingId: a! }, { atMs }),
    ])
    const final = await current(original.callId)
    expect(final.score).toBe(original.score + 20)
    expect((await store.getSummary(original.callId))!.version).toBe(5)
    await expectKpisOf(final)
  })

  it('refuses a reviewer outside their teams and a stale version', async () => {
    const original = await saved('03-broadband-renewal-no-greeting', 'r3')
    const other: Principal = { username: 'm-x', role: 'outbound_manager', teams: ['team-else'] }
    const id = original.findings[0]!.id
    await expect(reviews.review(original.callId, other, { type: 'confirm', findingId: id }, { atMs })).rejects.toMatchObject({ code: 'CQ_ERR_FORBIDDEN', statusCode: 403 })
    const own: Principal = { username: 'm-r3', role: 'outbound_manager', teams: ['team-r3'] }
    await reviews.review(original.callId, own, { type: 'confirm', findingId: id }, { atMs, expectedVersion: 1 })
    await expect(reviews.review(original.callId, own, { type: 'dismiss', findingId: id, reason: 'asr_error' }, { atMs, expectedVersion: 1 })).rejects.toMatchObject({ code: 'CQ_ERR_REPORT_VERSION_CONFLICT' })
    await expectKpisOf(original)
  })
})

describe('appeals on the store', () => {
  it('within the window, routed to the team manager, overturned: score and KPIs move once; past the window refused', async () => {
    const original = await saved('03-broadband-renewal-no-greeting', 'p1')
    const agent: Principal = { username: 'agent-p1', role: 'agent', agentId: 'agent-p1' }
    const manager: Principal = { username: 'mgr-p1', role: 'outbound_manager', teams: ['team-p1'] }
    const deduction = original.deductions[0]!
    const late = appealDeadlineMs(original, DEFAULT_APPEAL_SETTINGS) + 60_000
    await expect(reviews.fileAppeal(original.callId, agent, { findingId: deduction.findingId!, reason: '我问候了' }, { atMs: late })).rejects.toMatchObject({ code: 'CQ_ERR_APPEAL_WINDOW_CLOSED' })
    const filedAt = Date.parse(original.startedAt) + 3_600_000
    await reviews.fileAppeal(original.callId, agent, { findingId: deduction.findingId!, reason: '我问候了,是识别错了' }, { atMs: filedAt })
    await expect(reviews.fileAppeal(original.callId, agent, { findingId: deduction.findingId!, reason: '再来' }, { atMs: filedAt })).rejects.toMatchObject({ code: 'CQ_ERR_APPEAL_STATE' })
    await expectKpisOf(original) // an appeal alone moves nothing

    const queue = await reviews.listAppeals(manager, { status: 'pending', nowMs: filedAt })
    expect(queue).toHaveLength(1)
    expect(queue[0]).toMatchObject({ routedTo: 'outbound_manager', overdue: false, callId: original.callId })
    expect(await reviews.listAppeals({ username: 'x', role: 'outbound_manager', teams: ['t-none'] }, { nowMs: filedAt })).toEqual([])
    const overdueLater = await reviews.listAppeals(manager, { nowMs: Date.parse(queue[0]!.dueAt) + 1 })
    expect(overdueLater[0]!.overdue).toBe(true)

    const results = await Promise.all(
      Array.from({ length: 6 }, () => reviews.decideAppeal(queue[0]!.id, manager, { outcome: 'overturned', reply: '复听确认已问候' }, { atMs: filedAt + 60_000 })),
    )
    expect(results.filter((r) => r.changed)).toHaveLength(1)
    const after = await current(original.callId)
    expect(after.score).toBe(original.score + deduction.points)
    expect(after.metrics.greeted).toBe(true)
    await expectKpisOf(after)
    const mine = await reviews.listAppeals(agent, { nowMs: filedAt })
    expect(mine[0]).toMatchObject({ status: 'overturned', reply: '复听确认已问候', decidedBy: 'mgr-p1' })
    const counts = await reviews.appealCounts(lead, { fromMs: filedAt - 1, toMs: filedAt + 1, nowMs: filedAt })
    expect(counts.teams.find((t) => t.teamId === 'team-p1')).toMatchObject({ filed: 1, overturned: 1, overturnedShare: 1 })
    expect(counts.rules.find((r) => r.rule === deduction.rule)).toMatchObject({ filed: 1, overturned: 1 })
  })

  it('a complaint-risk call goes to the complaint manager, not the team manager', async () => {
    const original = await saved('05-angry-agent-forbidden-phrases', 'p2')
    const agent: Principal = { username: 'agent-p2', role: 'agent', agentId: 'agent-p2' }
    const filedAt = Date.parse(original.startedAt) + 3_600_000
    const done = await reviews.fileAppeal(original.callId, agent, { findingId: original.deductions[0]!.findingId!, reason: '不是忌语' }, { atMs: filedAt })
    const appeal = (done.report as ReviewedReport).review!.appeals[0]!
    expect(appeal.routedTo).toBe('complaint_manager')
    await expect(reviews.decideAppeal(appeal.id, { username: 'm', role: 'outbound_manager', teams: ['team-p2'] }, { outcome: 'upheld', reply: 'x' }, { atMs: filedAt })).rejects.toMatchObject({ code: 'CQ_ERR_FORBIDDEN' })
    const upheld = await reviews.decideAppeal(appeal.id, { username: 'c', role: 'complaint_manager' }, { outcome: 'upheld', reply: '维持' }, { atMs: filedAt })
    expect(upheld.report.score).toBe(original.score)
    await expectKpisOf(upheld.report)
  })
})

describe('rule quality', () => {
  it('counts findings, confirmed, dismissed, pending, reasons and added by hand per rule and phrase', async () => {
    const q = await reviews.ruleQuality(lead, { fromMs: 0, toMs: Date.parse('2030-01-01T00:00:00Z'), teamId: 'team-r2' })
    const forbidden = q.find((r) => r.rule === 'forbidden_phrase' && r.phrase === null)!
    // r2: the first three deductions dismissed (asr_error, innocent_use then re-confirmed, rule_not_applicable).
    const sample = sampleReport('05-angry-agent-forbidden-phrases')
    const reviewed = sample.deductions.slice(0, 3).map((d) => d.rule)
    const count = (list: string[]) => list.filter((r) => r === 'forbidden_phrase').length
    expect(forbidden.findings).toBe(sample.findings.filter((f) => f.rule === 'forbidden_phrase').length)
    expect(forbidden.confirmed + forbidden.dismissed).toBe(count(reviewed))
    expect(forbidden.pending).toBe(forbidden.findings - forbidden.confirmed - forbidden.dismissed)
    expect(Object.values(forbidden.reasons).reduce((a, b) => a + b, 0)).toBe(forbidden.dismissed)
    const r1 = await reviews.ruleQuality(lead, { fromMs: 0, toMs: Date.parse('2030-01-01T00:00:00Z'), teamId: 'team-r1' })
    expect(r1.find((r) => r.rule === 'overpromise' && r.phrase === null)).toMatchObject({ addedByHand: 1, findings: 0 })
    const first = sampleReport('05-angry-agent-forbidden-phrases').findings[0]!
    const sameKey = sampleReport('05-angry-agent-forbidden-phrases').findings.filter((f) => f.rule === first.rule && f.phrase === first.phrase).length
    expect(r1.find((r) => r.rule === first.rule && r.phrase === (first.phrase ?? null))).toMatchObject({ findings: sameKey, confirmed: 1, pending: sameKey - 1 })
    await expect(reviews.ruleQuality({ username: 'a', role: 'agent', agentId: 'x' }, { fromMs: 0, toMs: 1 })).rejects.toMatchObject({ code: 'CQ_ERR_FORBIDDEN' })
  })
})
