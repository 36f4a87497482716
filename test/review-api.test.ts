/**
 * Review, appeal and rule-quality API (services/gateway/src/routes/review.ts, appeals.ts,
 * quality.ts) through `app.inject` on a real PostgreSQL database of this file's own; principals
 * from a test header as in aggregator-api.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import type { CallReport, Principal } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { dayOf } from '@callqa/kpi'
import { defaultRulebook, sampleReport } from '../packages/review/src/testing.js'
import { authPlugin } from '../services/gateway/src/auth/index.js'
import { reportRoutes } from '../services/gateway/src/routes/reports.js'
import { kpiRoutes } from '../services/gateway/src/routes/kpi.js'
import { reviewRoutes } from '../services/gateway/src/routes/review.js'
import { appealRoutes } from '../services/gateway/src/routes/appeals.js'
import { qualityRoutes } from '../services/gateway/src/routes/quality.js'
import { caseRoutes } from '../services/gateway/src/routes/cases.js'

let db: TestDatabase
let app: FastifyInstance
let store: ReportStore
let report: CallReport
const lead: Principal = { username: 'lead', role: 'shift_lead' }
const manager: Principal = { username: 'mgr', role: 'outbound_manager', teams: ['team-api'] }
const agent: Principal = { username: 'ag', role: 'agent', agentId: 'agent-api' }
const as = (p: Principal) => ({ 'x-test-principal': JSON.stringify(p) })

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
  await store.ensurePartitions(Date.now())
  // A call of now, so the appeal window is open.
  const base = sampleReport('03-broadband-renewal-no-greeting', { callId: 'call-api', agentId: 'agent-api', teamId: 'team-api' })
  report = { ...base, startedAt: new Date(Date.now() - 600_000).toISOString(), endedAt: new Date(Date.now() - 300_000).toISOString() }
  await store.saveReport(report)
  app = Fastify()
  await app.register(authPlugin, { adminToken: 'x-admin' })
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-test-principal']
    if (typeof header === 'string') request.principal = JSON.parse(header) as Principal
  })
  for (const routes of [reportRoutes, kpiRoutes]) await app.register(routes, { store })
  for (const routes of [reviewRoutes, appealRoutes, qualityRoutes, caseRoutes]) await app.register(routes, { store, rulebook: defaultRulebook() })
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await store?.close()
  await db?.drop()
})

async function teamAverage(): Promise<number> {
  const day = dayOf(report.startedAt, store.timeZone)
  const res = await app.inject({ url: `/v1/kpi/teams/team-api?from=${day}&to=${day}`, headers: as(lead) })
  expect(res.statusCode).toBe(200)
  return res.json().total.averageScore
}

describe('review API', () => {
  it('refuses a bad review with a coded 400 and another team manager with 403', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/calls/call-api/review', headers: as(lead), payload: { action: 'dismiss', findingId: report.findings[0]!.id } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'CQ_ERR_INVALID_REVIEW', message: expect.stringContaining('reason') })
    const unknown = await app.inject({ method: 'POST', url: '/v1/calls/call-api/review', headers: as(lead), payload: { action: 'confirm', findingId: 'no-such' } })
    expect(unknown.json().code).toBe('CQ_ERR_INVALID_REVIEW')
    const other = await app.inject({ method: 'POST', url: '/v1/calls/call-api/review', headers: as({ ...manager, teams: ['else'] }), payload: { action: 'confirm', findingId: report.findings[0]!.id } })
    expect(other.statusCode).toBe(403)
    const none = await app.inject({ method: 'POST', url: '/v1/calls/nope/review', headers: as(lead), payload: { action: 'confirm', findingId: 'x' } })
    expect(none.json().code).toBe('CQ_ERR_UNKNOWN_REPORT')
  })

  it('an added finding lowers the score and the team KPI at once, and shows in the HTML report history', async () => {
    const before = await teamAverage()
    const res = await app.inject({ method: 'POST', url: '/v1/calls/call-api/review', headers: as(manager), payload: { action: 'add', rule: 'overpromise', seq: report.transcript[1]!.seq, note: '承诺包装' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ changed: true, version: 2, score: report.score - defaultRulebook().rules.overpromise!.weight })
    expect(await teamAverage()).toBe(before - defaultRulebook().rules.overpromise!.weight)
    const html = await app.inject({ url: '/v1/calls/call-api/report?format=html', headers: as(manager) })
    expect(html.body).toMatch(/复核记录[\s\S]*mgr[\s\S]*补充问题[\s\S]*承诺包装/)
  })
})

describe('appeal API', () => {
  it('agent appeals, the manager sees it waiting and overturns it, the agent sees the outcome and the score back', async () => {
    const deduction = report.deductions.find((d) => d.rule === 'missing_greeting')!
    const before = await teamAverage()
    const filed = await app.inject({ method: 'POST', url: '/v1/calls/call-api/appeals', headers: as(agent), payload: { findingId: deduction.findingId, reason: '开头说了您好' } })
    expect(filed.statusCode).toBe(200)
    const other = await app.inject({ method: 'POST', url: '/v1/calls/call-api/appeals', headers: as({ ...agent, agentId: 'x' }), payload: { findingId: deduction.findingId, reason: 'x' } })
    expect(other.statusCode).toBe(403)
    const queue = await app.inject({ url: '/v1/appeals?status=pending', headers: as(manager) })
    expect(queue.json()).toMatchObject({ items: [{ callId: 'call-api', status: 'pending', overdue: false }], overdue: 0 })
    const appealId = queue.json().items[0].id
    const decided = await app.inject({ method: 'POST', url: '/v1/appeals/decision', headers: as(manager), payload: { appealId, outcome: 'overturned', reply: '核实已问候' } })
    expect(decided.statusCode).toBe(200)
    expect(await teamAverage()).toBe(before + deduction.points)
    const mine = await app.inject({ url: '/v1/appeals', headers: as(agent) })
    expect(mine.json().items[0]).toMatchObject({ status: 'overturned', reply: '核实已问候' })
    const again = await app.inject({ method: 'POST', url: '/v1/appeals/decision', headers: as(manager), payload: { appealId, outcome: 'upheld', reply: '改主意' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('CQ_ERR_APPEAL_STATE')
    const counts = await app.inject({ url: '/v1/appeals/counts', headers: as(lead) })
    expect(counts.json().teams).toEqual([expect.objectContaining({ teamId: 'team-api', filed: 1, overturned: 1 })])
  })
})

describe('GET /v1/quality/rules', () => {
  it('reports per rule the findings, dismissed (via the overturned appeal) and added by hand', async () => {
    const res = await app.inject({ url: '/v1/quality/rules?from=2020-01-01', headers: as(lead) })
    expect(res.statusCode).toBe(200)
    const rules = res.json().rules as Array<{ rule: string; phrase: string | null; findings: number; dismissed: number; addedByHand: number; reasons: Record<string, number> }>
    expect(rules.find((r) => r.rule === 'missing_greeting')).toMatchObject({ findings: 1, dismissed: 1, reasons: { appeal_overturned: 1 } })
    expect(rules.find((r) => r.rule === 'overpromise' && r.phrase === null)).toMatchObject({ addedByHand: 1 })
    expect((await app.inject({ url: '/v1/quality/rules', headers: as(agent) })).statusCode).toBe(403)
    expect((await app.inject({ url: '/v1/quality/rules?from=yesterday', headers: as(lead) })).json().code).toBe('CQ_ERR_INVALID_PARAMETER')
  })
})

describe('case library API', () => {
  it('marks a span as a case, finds it by category, rule and team, and prints its sheet; kept after the report is gone', async () => {
    const keySeq = report.transcript[2]!.seq
    const marked = await app.inject({
      method: 'POST',
      url: '/v1/calls/call-api/cases',
      headers: as(manager),
      payload: { kind: 'negative', category: '服务规范', note: '开场未问候, 培训时重点讲', fromSeq: report.transcript[0]!.seq, toSeq: report.transcript[4]!.seq, keySeqs: [keySeq] },
    })
    expect(marked.statusCode, marked.body).toBe(200)
    const id = marked.json().id as string
    expect(marked.json().snapshot.transcript).toHaveLength(5)
    const bad = await app.inject({ method: 'POST', url: '/v1/calls/call-api/cases', headers: as(manager), payload: { kind: 'negative', category: '服务规范', note: 'x', keySeqs: [9999] } })
    expect(bad.json()).toMatchObject({ statusCode: 400, code: 'CQ_ERR_INVALID_REVIEW' })
    expect((await app.inject({ method: 'POST', url: '/v1/calls/call-api/cases', headers: as(agent), payload: { kind: 'hard', category: '其他', note: 'x' } })).statusCode).toBe(403)
    for (const q of ['category=服务规范', 'kind=negative', 'teamId=team-api', 'text=重点']) {
      const found = await app.inject({ url: `/v1/cases?${encodeURI(q)}`, headers: as(lead) })
      expect(found.json().items.map((c: { id: string }) => c.id), q).toEqual([id])
    }
    expect((await app.inject({ url: '/v1/cases?category=营销', headers: as(lead) })).json().items).toEqual([])
    expect((await app.inject({ url: '/v1/cases', headers: as({ ...manager, teams: ['else'] }) })).json().items).toEqual([])
    const sheet = await app.inject({ url: `/v1/cases/${id}?format=html`, headers: as(lead) })
    expect(sheet.statusCode).toBe(200)
    expect(sheet.body).toContain('@page { size: A4')
    expect(sheet.body).toMatch(/反面案例[\s\S]*开场未问候[\s\S]*<tr class="key">/)
    // Beyond retention: the report partition dropped, the case stays.
    await store.sql`DELETE FROM reports WHERE call_id = 'call-api'`
    expect((await app.inject({ url: `/v1/cases/${id}`, headers: as(lead) })).json().note).toBe('开场未问候, 培训时重点讲')
  })
})
