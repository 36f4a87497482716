/**
 * The reports and KPI API (`services/gateway/src/routes/reports.ts`, `kpi.ts`) through
 * `app.inject` against the real PostgreSQL (a database of this file's own): JSON, printable HTML, search with cursors, CSV, access scope
 * and bad parameters. Principals other than admin come from a test header (the console's accounts
 * set `request.principal` the same way).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { dispositionLabel, ruleLabel, type CallReport, type Principal } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { authPlugin } from '../services/gateway/src/auth/index.js'
import { reportRoutes } from '../services/gateway/src/routes/reports.js'
import { kpiRoutes } from '../services/gateway/src/routes/kpi.js'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { centerIso } from '../services/gateway/src/report-view/index.js'
import { TEST_REDIS_URL } from './redis-url.js'

const ADMIN = 'test-admin-token'
let db: TestDatabase
let app: FastifyInstance
let store: ReportStore
const reports = simulateDay({ teams: 2, agentsPerTeam: 3, seed: 4, callsPerAgent: [20, 30], callPrefix: 'api' }).map(simReport)
// A call whose transcript tries to inject markup into the printable page.
const hostile: CallReport = (() => {
  const base = reports.find((r) => r.findings.some((f) => f.rule === 'forbidden_phrase'))!
  const seq = base.findings.find((f) => f.rule === 'forbidden_phrase')!.seq!
  const line = base.transcript[seq]!
  const text = `<script>alert(1)</script>${line.text}`
  const shift = '<script>alert(1)</script>'.length
  return {
    ...base,
    callId: 'api-hostile',
    transcript: base.transcript.map((l) => (l.seq === seq ? { ...l, text } : l)),
    findings: base.findings.map((f) => (f.seq === seq && f.span ? { ...f, text, span: [f.span[0] + shift, f.span[1] + shift] as [number, number] } : f)),
  }
})()

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
  for (const r of [...reports, hostile]) await store.saveReport(r)
  app = Fastify()
  await app.register(authPlugin, { adminToken: ADMIN })
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-test-principal']
    if (typeof header === 'string') request.principal = JSON.parse(header) as Principal
  })
  await app.register(reportRoutes, { store })
  await app.register(kpiRoutes, { store })
  await app.ready()
})

afterAll(async () => {
  await app.close()
  await store.close()
  await db.drop()
})

const admin = { authorization: `Bearer ${ADMIN}` }
const as = (p: Principal) => ({ 'x-test-principal': JSON.stringify(p) })

function parseCsv(text: string): string[][] {
  // Enough CSV for our output: quoted fields may hold commas, quotes and line breaks.
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(field), (field = '')
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++
    } else field += c
  }
  return rows
}

describe('GET /v1/calls/:callId/report', () => {
  it('needs a principal', async () => {
    const res = await app.inject({ url: `/v1/calls/${reports[0]!.callId}/report` })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('CQ_ERR_UNAUTHORIZED')
  })

  it('answers the stored report as JSON, 404 for an unknown call', async () => {
    const r = reports[3]!
    const res = await app.inject({ url: `/v1/calls/${r.callId}/report`, headers: admin })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/application\/json/)
    expect(res.json()).toEqual(r)
    const missing = await app.inject({ url: '/v1/calls/no-such-call/report', headers: admin })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({
      statusCode: 404,
      code: 'CQ_ERR_UNKNOWN_REPORT',
      error: 'Not Found',
      message: 'no report for call no-such-call that you may see (not scored yet, older than the retention, or not in your teams)',
    })
  })

  it('renders a printable zh-CN page with the offending words highlighted and everything escaped', async () => {
    const res = await app.inject({ url: `/v1/calls/${hostile.callId}/report?format=html`, headers: admin })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/html; charset=utf-8/)
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    const html = res.body
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('通话质检报告')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const finding = hostile.findings.find((f) => f.rule === 'forbidden_phrase')!
    const said = finding.text!.slice(finding.span![0], finding.span![1])
    expect(html).toMatch(new RegExp(`<mark title="服务忌语「${finding.phrase}」">${said}</mark>`))
    expect(html).not.toMatch(/<link|src=|https?:\/\//)
  })

  it('is refused outside the principal scope', async () => {
    const r = reports[0]!
    const other = reports.find((x) => x.agentId !== r.agentId)!
    expect((await app.inject({ url: `/v1/calls/${r.callId}/report`, headers: as({ username: 'a', role: 'agent', agentId: r.agentId }) })).statusCode).toBe(200)
    const res = await app.inject({ url: `/v1/calls/${other.callId}/report`, headers: as({ username: 'a', role: 'agent', agentId: r.agentId }) })
    // Someone else's call answers exactly like a call that does not exist (ids cannot be probed).
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('CQ_ERR_UNKNOWN_REPORT')
    const manager = as({ username: 'm', role: 'outbound_manager', teams: [r.teamId] })
    const otherTeam = reports.find((x) => x.teamId !== r.teamId)!
    const theirs = await app.inject({ url: `/v1/calls/${otherTeam.callId}/report`, headers: manager })
    const missing = await app.inject({ url: `/v1/calls/c-does-not-exist/report`, headers: manager })
    expect(theirs.statusCode).toBe(404)
    expect(theirs.json()).toEqual({ ...missing.json(), message: missing.json().message.replace('c-does-not-exist', otherTeam.callId) })
  })
})

describe('GET /v1/calls', () => {
  it('lists newest first and walks every page with the cursor', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await app.inject({ url: `/v1/calls?limit=25${cursor ? `&cursor=${cursor}` : ''}`, headers: admin })
      expect(res.statusCode).toBe(200)
      const body = res.json() as { items: Array<{ callId: string; startedAt: string }>; nextCursor: string | null }
      seen.push(...body.items.map((i) => i.callId))
      cursor = body.nextCursor
    } while (cursor)
    const all = [...reports, hostile]
    expect(seen).toHaveLength(all.length)
    expect(new Set(seen).size).toBe(all.length)
    const started = new Map(all.map((r) => [r.callId, Date.parse(r.startedAt)]))
    for (let i = 1; i < seen.length; i++) expect(started.get(seen[i - 1]!)!).toBeGreaterThanOrEqual(started.get(seen[i]!)!)
  })

  it('filters by agent, team, time, score and rule', async () => {
    const r = reports[0]!
    const q = `agentId=${r.agentId}&teamId=${r.teamId}&from=2026-11-27&to=2026-11-27&minScore=80&maxScore=100&rule=forbidden_phrase&limit=1000`
    const res = await app.inject({ url: `/v1/calls?${q}`, headers: admin })
    expect(res.statusCode).toBe(200)
    const expected = [...reports, hostile].filter((x) => x.agentId === r.agentId && x.score >= 80 && x.findings.some((f) => f.rule === 'forbidden_phrase'))
    expect(res.json().items.map((i: { callId: string }) => i.callId).sort()).toEqual(expected.map((x) => x.callId).sort())
    // The day before (Shanghai time) has nothing.
    const none = await app.inject({ url: `/v1/calls?from=2026-11-26&to=2026-11-26`, headers: admin })
    expect(none.json().items).toEqual([])
  })

  it('finds calls by a phrase of the masked transcript and by disposition', async () => {
    const line = hostile.transcript.find((l) => l.text.startsWith('<script>'))!
    const phrase = line.text.slice('<script>alert(1)</script>'.length, '<script>alert(1)</script>'.length + 4)
    const res = await app.inject({ url: `/v1/calls?phrase=${encodeURIComponent(phrase)}&limit=1000`, headers: admin })
    expect(res.statusCode).toBe(200)
    const expected = [...reports, hostile].filter((x) => x.transcript.some((l) => l.text.includes(phrase)))
    expect(res.json().items.map((i: { callId: string }) => i.callId).sort()).toEqual(expected.map((x) => x.callId).sort())
    const failed = await app.inject({ url: '/v1/calls?disposition=failed&limit=1000', headers: admin })
    expect(failed.json().items.length).toBe([...reports, hostile].filter((x) => x.disposition === 'failed').length)
    expect(failed.json().items.every((i: { disposition: string }) => i.disposition === 'failed')).toBe(true)
    const tooLong = await app.inject({ url: `/v1/calls?phrase=${encodeURIComponent('长'.repeat(101))}`, headers: admin })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json()).toMatchObject({ statusCode: 400, code: 'CQ_ERR_INVALID_PARAMETER', error: 'Bad Request', message: expect.stringMatching(/^phrase: \S/) })
  })

  it('fills a scoped page: the scope is part of the query, not a filter after it', async () => {
    const manager = as({ username: 'm', role: 'outbound_manager', teams: ['team-b'] })
    const page = await app.inject({ url: '/v1/calls?limit=5', headers: manager })
    expect(page.json().items).toHaveLength(5)
    expect(page.json().items.every((i: { teamId: string }) => i.teamId === 'team-b')).toBe(true)
    expect(page.json().nextCursor).not.toBeNull()
  })

  it('scopes results to what the principal may see', async () => {
    const r = reports[0]!
    const agentView = await app.inject({ url: '/v1/calls?limit=1000', headers: as({ username: 'a', role: 'agent', agentId: r.agentId }) })
    expect(agentView.json().items.every((i: { agentId: string }) => i.agentId === r.agentId)).toBe(true)
    expect(agentView.json().items).toHaveLength([...reports, hostile].filter((x) => x.agentId === r.agentId).length)
    const other = reports.find((x) => x.agentId !== r.agentId)!
    expect((await app.inject({ url: `/v1/calls?agentId=${other.agentId}`, headers: as({ username: 'a', role: 'agent', agentId: r.agentId }) })).statusCode).toBe(403)
    const complaints = await app.inject({ url: '/v1/calls?limit=1000', headers: as({ username: 'c', role: 'complaint_manager' }) })
    expect(complaints.json().items.length).toBe([...reports, hostile].filter((x) => x.metrics.complaintRisk).length)
    const manager = as({ username: 'm', role: 'outbound_manager', teams: ['team-a'] })
    expect((await app.inject({ url: '/v1/calls?teamId=team-b', headers: manager })).statusCode).toBe(403)
    const managed = await app.inject({ url: '/v1/calls?limit=1000', headers: manager })
    expect(managed.json().items.every((i: { teamId: string }) => i.teamId === 'team-a')).toBe(true)
  })

  it('exports CSV with a BOM and the right columns', async () => {
    const res = await app.inject({ url: '/v1/calls?format=csv&lang=en&limit=1000', headers: admin })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toContain('calls.csv')
    expect(res.body.startsWith('\uFEFF')).toBe(true)
    const rows = parseCsv(res.body.slice(1))
    expect(rows[0]).toEqual(['call_id', 'started_at', 'agent_id', 'agent_name', 'team_id', 'team_name', 'direction', 'disposition', 'score', 'violation_rules', 'greeted', 'closed', 'complaint_risk', 'duration_s'])
    expect(rows).toHaveLength(reports.length + 2)
    const byId = new Map(rows.slice(1).map((row) => [row[0], row]))
    const r = reports[7]!
    expect(byId.get(r.callId)).toEqual([
      r.callId,
      centerIso(r.startedAt, 'Asia/Shanghai'),
      r.agentId,
      '',
      r.teamId,
      '',
      r.direction,
      dispositionLabel(r.disposition, 'en'),
      String(r.score),
      [...new Set(r.findings.map((f) => f.rule))].filter((x) => x !== 'complaint_risk').sort().map((x) => ruleLabel(x, 'en')).join(' '),
      String(r.metrics.greeted),
      String(r.metrics.closed),
      String(r.metrics.complaintRisk),
      String(Math.round(r.endMs / 1000)),
    ])
    // The center's wall clock with its offset, not UTC.
    expect(centerIso('2026-11-27T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-27T10:00:00+08:00')
    expect(centerIso('2026-11-27T02:00:00.000Z', 'America/New_York')).toBe('2026-11-26T21:00:00-05:00')
  })

  it('exports CSV with Chinese headers and the handbook\'s words by default', async () => {
    const res = await app.inject({ url: '/v1/calls?format=csv&limit=1000', headers: admin })
    const rows = parseCsv(res.body.slice(1))
    expect(rows[0]!.slice(0, 3)).toEqual(['通话编号', '开始时间', '外呼员编号'])
    expect(rows[0]).toContain('投诉风险')
    const withPhrase = reports.find((x) => x.findings.some((f) => f.rule === 'forbidden_phrase'))!
    const row = rows.find((x) => x[0] === withPhrase.callId)!
    expect(row[rows[0]!.indexOf('违规类型')]).toContain('服务忌语')
  })

  it('answers 400 naming the bad parameter', async () => {
    const bad = async (query: string, parameter: string): Promise<void> => {
      const res = await app.inject({ url: `/v1/calls?${query}`, headers: admin })
      expect(res.statusCode, query).toBe(400)
      expect(res.json().message, query).toContain(parameter)
    }
    await bad('minScore=abc', 'minScore')
    await bad('maxScore=101', 'maxScore')
    await bad('minScore=90&maxScore=10', 'minScore')
    await bad('from=2026-13-01', 'from')
    await bad('to=yesterday', 'to')
    await bad('from=2026-11-28&to=2026-11-27', 'from')
    await bad('rule=rudeness', 'rule')
    await bad('limit=0', 'limit')
    await bad('cursor=bm9wZQ', 'cursor')
    await bad('agentId=has%20space', 'agentId')
    await bad('colour=red', 'colour')
  })
})

describe('the store unreachable', () => {
  it('answers 503 CQ_ERR_STORE_UNAVAILABLE, not an internal error', async () => {
    const down = new ReportStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', maxConnections: 1 })
    const other = Fastify()
    await other.register(authPlugin, { adminToken: ADMIN })
    await other.register(reportRoutes, { store: down })
    await other.register(kpiRoutes, { store: down })
    try {
      for (const url of ['/v1/calls', '/v1/calls/x/report', '/v1/kpi/teams/team-a']) {
        const res = await other.inject({ url, headers: admin })
        expect(res.statusCode, url).toBe(503)
        expect(res.json().code, url).toBe('CQ_ERR_STORE_UNAVAILABLE')
      }
    } finally {
      await other.close()
      await down.close()
    }
  })
})

describe('GET /v1/kpi', () => {
  it('answers an agent and a team per day and per month, matching the stored rollups', async () => {
    const r = reports[0]!
    const res = await app.inject({ url: `/v1/kpi/agents/${r.agentId}?from=2026-11-01&to=2026-11-30&granularity=day`, headers: admin })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.teamId).toBe(r.teamId)
    expect(body.periods.map((p: { period: string }) => p.period)).toEqual(['2026-11-27'])
    const mine = [...reports, hostile].filter((x) => x.agentId === r.agentId)
    expect(body.total.calls).toBe(mine.length)
    expect(body.total.staffing.advice.zh).toMatch(/增加外呼量|增加外呼台席数量|处于编制范围内/)
    const month = await app.inject({ url: `/v1/kpi/teams/${r.teamId}?from=2026-11&to=2026-11&granularity=month`, headers: admin })
    expect(month.statusCode).toBe(200)
    expect(month.json().periods.map((p: { period: string }) => p.period)).toEqual(['2026-11'])
    expect(month.json().total).toEqual((await store.readKpi('team', r.teamId, '2026-11-01', '2026-11-30', 'month')).total)
  })

  it('exports KPI CSV with a BOM and the right columns', async () => {
    const res = await app.inject({ url: '/v1/kpi/teams/team-a?from=2026-11-27&to=2026-11-27&format=csv&lang=en', headers: admin })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.body.startsWith('\uFEFF')).toBe(true)
    const rows = parseCsv(res.body.slice(1))
    expect(rows[0]!.slice(0, 6)).toEqual(['scope', 'id', 'period', 'calls', 'successful_calls', 'success_rate'])
    expect(rows[0]).toContain('findings_forbidden_phrase')
    expect(rows[0]).toContain('staffing_advice_zh')
    expect(rows).toHaveLength(3)
    const header = rows[0]!
    const day = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]))
    expect(day.period).toBe('2026-11-27')
    expect(Number(day.calls)).toBe([...reports, hostile].filter((x) => x.teamId === 'team-a').length)
    expect(rows[2]![2]).toBe('total')
  })

  it('keeps managers and agents to their own scope', async () => {
    const r = reports.find((x) => x.teamId === 'team-a')!
    const manager = as({ username: 'm', role: 'outbound_manager', teams: ['team-a'] })
    expect((await app.inject({ url: '/v1/kpi/teams/team-a', headers: manager })).statusCode).toBe(200)
    const denied = await app.inject({ url: '/v1/kpi/teams/team-b', headers: manager })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toEqual({ statusCode: 403, code: 'CQ_ERR_FORBIDDEN', error: 'Forbidden', message: 'm may not see the KPIs of team team-b' })
    expect((await app.inject({ url: `/v1/kpi/agents/${r.agentId}`, headers: manager })).statusCode).toBe(200)
    const agent = as({ username: 'a', role: 'agent', agentId: r.agentId })
    expect((await app.inject({ url: `/v1/kpi/agents/${r.agentId}`, headers: agent })).statusCode).toBe(200)
    expect((await app.inject({ url: '/v1/kpi/teams/team-a', headers: agent })).statusCode).toBe(403)
    expect((await app.inject({ url: '/v1/kpi/teams/team-a' })).statusCode).toBe(401)
  })

  it('answers 400 naming the bad parameter', async () => {
    const bad = async (query: string, parameter: string): Promise<void> => {
      const res = await app.inject({ url: `/v1/kpi/teams/team-a?${query}`, headers: admin })
      expect(res.statusCode, query).toBe(400)
      expect(res.json().message, query).toContain(parameter)
    }
    await bad('granularity=week', 'granularity')
    await bad('from=2026-02-30', 'from')
    await bad('to=2026-11-31', 'to')
    await bad('from=2026-12-01&to=2026-11-01', 'from')
    await bad('from=2020-01-01&to=2026-11-30', 'from')
    await bad('format=xlsx', 'format')
    await bad('granularty=month', 'granularty')
  })
})
