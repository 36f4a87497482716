/**
 * The console in a real browser (Debian's Chromium via playwright-core) against the real gateway and
 * Redis: roles and scopes, alerts within a second of the utterance, acknowledgements seen by a second
 * supervisor, live transcripts, a forced socket drop, KPI charts over reports seeded through the real
 * store, and the screenshots in docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import WebSocket from 'ws'
import type { CallEvent, CallReport } from '@callqa/protocol'
import { checkTranscript, loadDefaultRulebook } from '@callqa/engine'
import { dayOf } from '@callqa/kpi'
import {
  IngestClient,
  ROOT,
  SCREENSHOTS,
  SKIP_BROWSER,
  ended,
  login,
  openBrowser,
  said,
  speechMs,
  started,
  startServer,
  type TestBrowser,
  type TestServer,
} from './browser-helpers.js'

const GREETING = '您好，我是中国移动客服代表小王，请问是李先生吗？'
const figures: Record<string, unknown> = {}
/** A browser step on a loaded 2-core machine can take seconds (logins hash with scrypt); generous, not a measure. */
const BROWSER_TEST_TIMEOUT_MS = 120_000

let server: TestServer
let ingest: IngestClient
let lead: TestBrowser // 王班长, shift lead: every team
let manager: TestBrowser // 李经理, outbound manager of t-1
let other: TestBrowser // one more browser, logged in and out as the other roles in turn

/** Calls on the wall for the screenshots and the scope checks. */
const CALLS = [
  { callId: 'c-t1-a7', agentId: 'a-7', teamId: 't-1' },
  { callId: 'c-t1-a8', agentId: 'a-8', teamId: 't-1' },
  { callId: 'c-t1-a12', agentId: 'a-12', teamId: 't-1' },
  { callId: 'c-t2-a9', agentId: 'a-9', teamId: 't-2' },
  { callId: 'c-t2-a10', agentId: 'a-10', teamId: 't-2' },
  { callId: 'c-t2-a11', agentId: 'a-11', teamId: 't-2' },
]
const nextSeq = new Map<string, number>()
/** Each call's clock: the next utterance starts 0.7 s after the last one ended (no overlap, no long wait). */
const nextStartMs = new Map<string, number>()

async function say(callId: string, speaker: 'agent' | 'customer', text: string): Promise<number> {
  const seq = nextSeq.get(callId) ?? 0
  nextSeq.set(callId, seq + 1)
  const startMs = nextStartMs.get(callId) ?? 0
  nextStartMs.set(callId, startMs + speechMs(text) + 700)
  ingest.send(said(callId, seq, speaker, text, startMs))
  await ingest.waitForAck(callId, seq)
  return seq
}

async function alertIds(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__callqa!.store.alerts.map((a) => a.alertId))
}

async function apiStatus(page: Page, path: string, init: { method?: string } = {}): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ path, init }) => {
      const res = await fetch(path, { ...init, credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: init.method === 'POST' ? '{}' : undefined })
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {}
      return { status: res.status, body }
    },
    { path, init },
  )
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

beforeAll(async () => {
  if (SKIP_BROWSER) return
  server = await startServer()
  ingest = await IngestClient.open(server.wsUrl)
  await mkdir(SCREENSHOTS, { recursive: true })
  ;[lead, manager, other] = await Promise.all([openBrowser(), openBrowser(), openBrowser()])
  // The drop test slows this page's reconnect so alerts raised while it is away must come by catch-up.
  await lead.page.goto(`${server.url}/`)
  await lead.page.evaluate(() => localStorage.setItem('callqa.minBackoffMs', '5000'))
  await login(lead.page, server.url, 'wang')
  await login(manager.page, server.url, 'li')
  await lead.page.waitForSelector('[data-testid=link-live]')
  await manager.page.waitForSelector('[data-testid=link-live]')
  for (const c of CALLS) {
    ingest.send(started(c.callId, c.agentId, c.teamId, new Date(Date.now() - 40_000 * (CALLS.indexOf(c) + 1)).toISOString()))
    await say(c.callId, 'agent', GREETING)
    await say(c.callId, 'customer', '是我，什么事？')
    await say(c.callId, 'agent', '我们推出了新的5G畅享套餐，每月128元，含30GB国内通用流量，比您现在的套餐多20GB。')
  }
}, 180_000)

afterAll(async () => {
  await lead?.close()
  await manager?.close()
  await other?.close()
  await ingest?.close()
  await server?.close()
  if (SKIP_BROWSER) return
  await mkdir(join(ROOT, 'test-results'), { recursive: true })
  await writeFile(join(ROOT, 'test-results', 'browser-console-figures.json'), JSON.stringify(figures, null, 2))
  console.log('browser figures', JSON.stringify(figures))
}, 180_000)

describe.skipIf(SKIP_BROWSER)('login', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('refuses a wrong password with a message and shows the login page in Chinese', async () => {
    const b = other
    {
      await b.page.goto(`${server.url}/`)
      await b.page.waitForSelector('[data-testid=login-form]')
      expect(await b.page.textContent('h2')).toBe('登录实时监控台')
      await b.page.screenshot({ path: join(SCREENSHOTS, 'login.png') })
      await b.page.fill('input[name=username]', 'wang')
      await b.page.fill('input[name=password]', 'not-the-password')
      await b.page.click('button[type=submit]')
      await b.page.waitForSelector('[data-testid=login-error]')
      expect(await b.page.textContent('[data-testid=login-error]')).toBe('用户名或密码错误')
      // The session cookie is HttpOnly: page scripts cannot read it.
      await login(b.page, server.url, 'zhou')
      expect(await b.page.evaluate(() => document.cookie)).toBe('')
      const cookies = await b.context.cookies()
      expect(cookies.find((c) => c.name === 'callqa_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
      // The English toggle.
      expect(await b.page.textContent('[data-testid=nav-live]')).toBe('实时监控')
      await b.page.click('[data-testid=lang-toggle]')
      expect(await b.page.textContent('[data-testid=nav-live]')).toBe('Live')
      await b.page.click('[data-testid=lang-toggle]')
      expect(await b.page.textContent('[data-testid=nav-live]')).toBe('实时监控')
    }
  })
})

describe.skipIf(SKIP_BROWSER)('live wall', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('shows an alert within a second of the offending utterance, with a sound and visual cue', async () => {
    await lead.page.waitForFunction(() => window.__callqa!.store.calls.size >= 6)
    const [beepsBefore, cuesBefore] = await lead.page.evaluate(() => [window.__callqa!.beeps(), window.__callqa!.cues()])
    const sentAt = Date.now()
    const seq = await say('c-t1-a7', 'agent', '这个我不知道，你问我，我问谁。')
    const selector = `[data-testid=alert-row][data-alert-id^="c-t1-a7:"]`
    await Promise.all([lead.page.waitForSelector(selector, { timeout: 10_000 }), manager.page.waitForSelector(selector, { timeout: 10_000 })])
    const visibleMs = Date.now() - sentAt
    figures.utteranceToAlertOnScreenMs = visibleMs
    expect(seq).toBe(3)
    const row = await lead.page.textContent(selector)
    expect(row).toContain('服务忌语')
    // The offending words are highlighted in the feed.
    expect(await lead.page.$$eval(`${selector} mark.hl`, (marks) => marks.map((m) => m.textContent))).toEqual(expect.arrayContaining([expect.stringMatching(/不知道|你问我，我问谁/)]))
    expect(await lead.page.evaluate(() => window.__callqa!.cues())).toBeGreaterThan(cuesBefore)
    expect(await lead.page.evaluate(() => window.__callqa!.beeps())).toBeGreaterThan(beepsBefore)
    // The call's tile turns critical and moves to the top (worst first).
    await lead.page.waitForSelector('[data-testid=call-tile][data-call-id="c-t1-a7"].sev-critical')
    const firstTile = await lead.page.getAttribute('[data-testid=call-tile]', 'data-call-id')
    expect(firstTile).toBe('c-t1-a7')
  })

  it('shows an outbound manager only their team, on the wall and in every API a URL can reach', async () => {
    await say('c-t2-a9', 'agent', '有意见，告去，我就这态度。')
    await lead.page.waitForSelector('[data-testid=alert-row][data-alert-id^="c-t2-a9:"]')
    // By then the manager's page has had the same fan-out; give it one more alert of its own team as a marker.
    await say('c-t1-a8', 'agent', '着什么急，我正忙着呢。')
    await manager.page.waitForSelector('[data-testid=alert-row][data-alert-id^="c-t1-a8:"]')
    const managerAlerts = await alertIds(manager.page)
    expect(managerAlerts.some((id) => id.startsWith('c-t2'))).toBe(false)
    expect(await manager.page.$$eval('[data-testid=call-tile]', (tiles) => tiles.map((t) => t.getAttribute('data-team-id')))).not.toContain('t-2')
    expect(await manager.page.evaluate(() => [...window.__callqa!.store.calls.values()].map((c) => c.teamId))).not.toContain('t-2')
    const leadAlerts = await alertIds(lead.page)
    expect(leadAlerts.some((id) => id.startsWith('c-t2-a9:'))).toBe(true)

    const t2Alert = leadAlerts.find((id) => id.startsWith('c-t2-a9:'))!
    const recent = await apiStatus(manager.page, `/v1/alerts/recent?since=0`)
    expect(recent.status).toBe(200)
    expect(recent.body.alerts.map((a: { teamId: string }) => a.teamId)).not.toContain('t-2')
    expect((await apiStatus(manager.page, `/v1/alerts/recent?since=0&teams=t-2`)).body.alerts).toEqual([])
    expect((await apiStatus(manager.page, `/v1/alerts/${encodeURIComponent(t2Alert)}/ack`, { method: 'POST' })).status).toBe(403)
    const live = await apiStatus(manager.page, '/v1/live/calls')
    expect(live.body.calls.map((c: { teamId: string }) => c.teamId)).not.toContain('t-2')
    expect((await apiStatus(manager.page, '/v1/kpi/teams/t-2')).status).toBe(403)
    expect((await apiStatus(manager.page, '/v1/kpi/teams/t-1')).status).toBe(200)
    expect((await apiStatus(manager.page, '/v1/calls?teamId=t-2')).status).toBe(403)

    // The supervisor socket with the manager's own session cookie, asking for the other team by URL
    // and by following its call: nothing of t-2 comes, while t-1 does.
    const cookie = (await manager.context.cookies()).find((c) => c.name === 'callqa_session')!
    const socket = new WebSocket(`${server.wsUrl}/v1/alerts?teams=t-1,t-2`, { headers: { cookie: `${cookie.name}=${cookie.value}` } })
    const received: Array<{ type: string; callId?: string; teamId?: string }> = []
    socket.on('message', (data) => received.push(JSON.parse(String(data))))
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    socket.send(JSON.stringify({ type: 'follow', callId: 'c-t2-a9' }))
    socket.send(JSON.stringify({ type: 'follow', callId: 'c-t1-a8' }))
    await waitUntil(() => received.some((m) => m.type === 'following' && (m as { callIds?: string[] }).callIds?.length === 2))
    await say('c-t2-a9', 'agent', '您的宽带报修单我已经提交了，不行的话您再打来。')
    await say('c-t1-a8', 'agent', '好的，您的流量包已经办好了。')
    await waitUntil(() => received.some((m) => m.type === 'transcript' && m.callId === 'c-t1-a8'))
    expect(received.filter((m) => m.teamId === 't-2' || m.callId?.startsWith('c-t2'))).toEqual([])
    socket.close()
  })

  it('acknowledges an alert in one browser and shows who and when in the other', async () => {
    const selector = `[data-testid=alert-row][data-alert-id^="c-t1-a7:"]`
    const alertId = (await lead.page.getAttribute(selector, 'data-alert-id'))!
    await lead.page.click(`[data-testid=alert-row][data-alert-id="${alertId}"] [data-testid=ack-button]`)
    const ackInOther = `[data-testid=alert-row][data-alert-id="${alertId}"] [data-testid=ack-info]`
    await manager.page.waitForSelector(ackInOther, { timeout: 10_000 })
    expect(await manager.page.textContent(ackInOther)).toMatch(/wang 已于 \d{2}:\d{2}:\d{2} 确认/)
    await lead.page.waitForSelector(`[data-testid=alert-row][data-alert-id="${alertId}"] [data-testid=ack-info]`)
  })

  it('follows a live transcript as it grows, with the offending words highlighted', async () => {
    await manager.page.click('[data-testid=call-tile][data-call-id="c-t1-a12"]')
    await manager.page.waitForSelector('[data-testid=transcript][data-call-id="c-t1-a12"]')
    // The lines said before the click come first (the transcript so far), then the live ones.
    await manager.page.waitForSelector('[data-testid=transcript-line]', { timeout: 10_000 })
    const before = await manager.page.$$eval('[data-testid=transcript-line]', (els) => els.map((e) => e.textContent))
    await say('c-t1-a12', 'customer', '我上个月的话费怎么多扣了三十块？')
    await say('c-t1-a12', 'agent', '这是规定，就不行，刚才不是和你说过了吗，怎么还问。')
    await manager.page.waitForFunction((n) => document.querySelectorAll('[data-testid=transcript-line]').length >= n + 2, before.length, { timeout: 10_000 })
    const lines = await manager.page.$$eval('[data-testid=transcript-line]', (els) => els.map((e) => e.textContent))
    expect(lines.slice(0, before.length)).toEqual(before)
    expect(lines).toHaveLength(before.length + 2)
    expect(lines[before.length]).toContain('话费怎么多扣了三十块')
    await manager.page.waitForSelector('[data-testid=transcript] mark.hl')
    const marked = await manager.page.$$eval('[data-testid=transcript] mark.hl', (els) => els.map((e) => e.textContent))
    expect(marked.join('|')).toMatch(/不行|刚才不是和你说过了吗/)
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'live-transcript.png') })
  })

  it('lets a complaint manager see complaint-risk alerts only, and an agent no live wall at all', async () => {
    const complaints = other
    const agent = other
    {
      await login(complaints.page, server.url, 'zhao')
      await complaints.page.waitForSelector('[data-testid=link-live]')
      await say('c-t2-a10', 'customer', '你们再这样乱扣费，我就打12315投诉你们！')
      await complaints.page.waitForSelector('[data-testid=alert-row][data-rule=complaint_risk]', { timeout: 10_000 })
      await lead.page.waitForSelector('[data-testid=alert-row][data-rule=complaint_risk]')
      const rules = await complaints.page.evaluate(() => window.__callqa!.store.alerts.map((a) => a.rule))
      expect(new Set(rules)).toEqual(new Set(['complaint_risk']))
      // The call behind the complaint shows on the wall with its next update.
      await say('c-t2-a10', 'agent', '非常抱歉，我马上帮您核实扣费明细。')
      await complaints.page.waitForSelector('[data-testid=call-tile][data-call-id="c-t2-a10"]', { timeout: 10_000 })
      expect(await complaints.page.evaluate(() => [...window.__callqa!.store.calls.keys()])).toEqual(['c-t2-a10'])
      expect(await complaints.page.$('[data-testid=nav-kpi]')).toBeNull()
      expect((await apiStatus(complaints.page, '/v1/kpi/teams/t-1')).status).toBe(403)
      const recent = await apiStatus(complaints.page, '/v1/alerts/recent?since=0')
      expect(recent.body.alerts.map((a: { rule: string }) => a.rule)).toEqual(expect.arrayContaining(['complaint_risk']))
      expect(recent.body.alerts.every((a: { rule: string }) => a.rule === 'complaint_risk')).toBe(true)

      await login(agent.page, server.url, 'a7')
      expect(await agent.page.$('[data-testid=nav-live]')).toBeNull()
      expect(await agent.page.getAttribute('[data-testid=whoami]', 'data-role')).toBe('agent')
      // Agents read their own after-call reports; live calls and alerts are refused outright.
      // A fresh load of the agent's console opens no supervisor socket (no live store at all).
      await agent.page.reload()
      await agent.page.waitForSelector('[data-testid=whoami]')
      expect(await agent.page.evaluate(() => window.__callqa === undefined)).toBe(true)
      for (const path of ['/v1/live/calls', '/v1/alerts/recent?since=0']) {
        const refused = await apiStatus(agent.page, path)
        expect(refused.status).toBe(403)
        expect(refused.body.code).toBe('CQ_ERR_FORBIDDEN')
      }
      expect((await apiStatus(agent.page, '/v1/kpi/agents/a-9')).status).toBe(403)
      expect((await apiStatus(agent.page, '/v1/kpi/teams/t-1')).status).toBe(403)
    }
  })

  it('recovers from a forced socket drop with every alert raised meanwhile, once', async () => {
    const before = await alertIds(lead.page)
    const connectsBefore = await lead.page.evaluate(() => window.__callqa!.socket.connects)
    // Drop every supervisor socket from the server side, as a network failure or a restart would.
    for (const client of server.app.callqa.hub.clients) client.ws.terminate()
    await lead.page.waitForSelector('[data-testid=link-banner][data-state=reconnecting]')
    await lead.page.screenshot({ path: join(SCREENSHOTS, 'live-reconnecting.png') })
    const missed = [
      await say('c-t2-a11', 'agent', '你想好了没有，快点。'),
      await say('c-t1-a8', 'agent', '说了这么多遍还不明白。'),
      await say('c-t2-a11', 'agent', '我解决不了，你找领导去。'),
    ]
    expect(missed).toHaveLength(3)
    await lead.page.waitForSelector('[data-testid=link-live]', { timeout: 20_000 })
    await lead.page.waitForFunction(
      () => ['c-t2-a11', 'c-t1-a8'].every((id) => window.__callqa!.store.alerts.some((a) => a.callId === id && a.seq !== undefined && a.seq >= 3)),
      null,
      { timeout: 10_000 },
    )
    const after = await alertIds(lead.page)
    expect(new Set(after).size).toBe(after.length)
    expect(after.filter((id) => !before.includes(id)).length).toBeGreaterThanOrEqual(3)
    expect(await lead.page.evaluate(() => window.__callqa!.socket.caughtUp)).toBeGreaterThanOrEqual(3)
    expect(await lead.page.evaluate(() => window.__callqa!.socket.connects)).toBe(connectsBefore + 1)
    // The server's own record agrees: every alert in the stream is on the page exactly once.
    const recent = await apiStatus(lead.page, '/v1/alerts/recent?since=0&limit=1000')
    expect([...after].sort()).toEqual(recent.body.alerts.map((a: { alertId: string }) => a.alertId).sort())
    await manager.page.waitForSelector('[data-testid=link-live]', { timeout: 20_000 })
    // The shift lead's wall for the README: every team, a followed call's transcript growing.
    await lead.page.click('[data-testid=call-tile][data-call-id="c-t1-a12"]')
    await lead.page.waitForSelector('[data-testid=transcript][data-call-id="c-t1-a12"]')
    await lead.page.waitForTimeout(300)
    await say('c-t1-a12', 'customer', '那我这个月的流量包能不能退？')
    await say('c-t1-a12', 'agent', '不知道就别说了，你自己去营业厅问。')
    await say('c-t1-a12', 'customer', '你这什么态度，我要找你们领导！')
    await lead.page.waitForFunction(() => document.querySelectorAll('[data-testid=transcript-line]').length >= 3, null, { timeout: 10_000 })
    await lead.page.screenshot({ path: join(SCREENSHOTS, 'live-wall.png') })
  })
})

describe.skipIf(SKIP_BROWSER)('rulebook', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('shows the active rulebook and checks a pasted dialogue', async () => {
    await lead.page.click('[data-testid=nav-rulebook]')
    await lead.page.waitForSelector('[data-testid=rule][data-rule=forbidden_phrase]')
    expect(await lead.page.textContent('[data-testid=rule][data-rule=forbidden_phrase] [data-testid=rule-phrases]')).toContain('找领导去')
    await lead.page.click('[data-testid=try-run]')
    await lead.page.waitForSelector('[data-testid=try-finding]')
    const rules = await lead.page.$$eval('[data-testid=try-finding]', (els) => els.map((e) => e.getAttribute('data-rule')))
    expect(rules).toEqual(expect.arrayContaining(['forbidden_phrase', 'complaint_risk']))
    await lead.page.screenshot({ path: join(SCREENSHOTS, 'rulebook.png'), fullPage: false })
  })
})

/** Realistic scored calls for the KPI and report pages, through the engine and the real report store. */
function buildReports(): { reports: CallReport[]; days: string[] } {
  const rulebook = loadDefaultRulebook()
  const today = dayOf(Date.now())
  const yesterday = dayOf(Date.now() - 86_400_000)
  const plans: Array<{ agentId: string; teamId: string; day: string; n: number }> = [
    { agentId: 'a-7', teamId: 't-1', day: yesterday, n: 6 },
    { agentId: 'a-7', teamId: 't-1', day: today, n: 4 },
    { agentId: 'a-8', teamId: 't-1', day: today, n: 5 },
    { agentId: 'a-9', teamId: 't-2', day: today, n: 3 },
  ]
  const offences = ['这个我不知道。', '你问我，我问谁。', '不知道就别说了。', '这是规定，就不行。']
  const events: CallEvent[] = []
  let k = 0
  for (const plan of plans) {
    for (let i = 0; i < plan.n; i++, k++) {
      const callId = `r-${plan.teamId}-${plan.agentId}-${plan.day}-${i}`
      const at = new Date(Date.parse(`${plan.day}T02:00:00.000Z`) + i * 600_000).toISOString()
      const lines: Array<['agent' | 'customer', string]> = [
        ['agent', k % 5 === 4 ? '喂，李先生吗？' : GREETING],
        ['customer', '是我，宽带最近老是断，怎么回事？'],
        ['agent', '非常抱歉给您带来不便，我帮您查一下，您家宽带是千兆融合套餐对吧？'],
        ['customer', '对，每个月话费一百多，网还这么差。'],
        ['agent', k % 3 === 0 ? offences[k % offences.length]! : '我已经为您提交了报修单，师傅会在二十四小时内上门。'],
        ['customer', k % 7 === 6 ? '再这样我就打12315投诉。' : '好的，那我等电话。'],
        ['agent', k % 4 === 3 ? '嗯。' : '感谢您的耐心，祝您生活愉快，再见。'],
      ]
      events.push({ type: 'call.started', callId, agentId: plan.agentId, teamId: plan.teamId, direction: 'outbound', at })
      let ms = 0
      lines.forEach(([speaker, text], seq) => {
        const durationMs = [...text].length * 500
        events.push({ type: 'utterance', callId, seq, speaker, text, startMs: ms, endMs: ms + durationMs, final: true })
        ms += durationMs + 600
      })
      events.push({ type: 'call.ended', callId, endMs: ms, disposition: k % 4 === 1 ? 'failed' : 'success' })
    }
  }
  const result = checkTranscript(rulebook, events)
  expect(result.errors).toEqual([])
  return { reports: result.reports, days: [yesterday, today] }
}

describe.skipIf(SKIP_BROWSER)('KPI dashboard and reports', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let seeded: CallReport[]
  let days: string[]

  beforeAll(async () => {
    ;({ reports: seeded, days } = buildReports())
    for (const report of seeded) await server.reports.saveReport(report)
  })

  it('draws the team KPIs with the numbers of the stored reports', async () => {
    await manager.page.click('[data-testid=nav-kpi]')
    await manager.page.fill('[data-testid=kpi-from]', days[0]!)
    await manager.page.fill('[data-testid=kpi-to]', days[1]!)
    await manager.page.click('[data-testid=kpi-load]')
    await manager.page.waitForSelector('[data-testid=chart-phrases]')
    const team = seeded.filter((r) => r.teamId === 't-1')
    // An independent recount over the reports that were stored.
    const phraseCounts = new Map<string, number>()
    for (const r of team) for (const f of r.findings) if (f.rule === 'forbidden_phrase') phraseCounts.set(f.phrase!, (phraseCounts.get(f.phrase!) ?? 0) + 1)
    expect(phraseCounts.size).toBeGreaterThan(0)
    expect(await manager.page.textContent('[data-testid=kpi-calls] .card-value')).toBe(String(team.length))
    const successes = team.filter((r) => r.disposition === 'success').length
    expect(await manager.page.textContent('[data-testid=kpi-successful] .card-value')).toContain(String(successes))
    const chart = await manager.page.$eval('[data-testid=chart-phrases]', (el) => ({ labels: JSON.parse(el.getAttribute('data-labels')!), values: JSON.parse(el.getAttribute('data-values')!) }))
    const shown = new Map<string, number>(chart.labels.map((label: string, i: number) => [label, chart.values[0].data[i]]))
    expect(shown).toEqual(phraseCounts)
    const trend = await manager.page.$eval('[data-testid=chart-trend]', (el) => ({ labels: JSON.parse(el.getAttribute('data-labels')!), values: JSON.parse(el.getAttribute('data-values')!) }))
    expect(trend.labels).toEqual(days)
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10
    expect(trend.values[0].data).toEqual(days.map((d) => mean(team.filter((r) => dayOf(r.startedAt) === d).map((r) => r.score))))
    const greeted = team.filter((r) => r.metrics.greeted).length
    expect(await manager.page.textContent('[data-testid=kpi-greetingRate] .card-value')).toBe(`${((greeted / team.length) * 100).toFixed(1)}%`)
    // The staffing advice in words: a few calls a day is far below the 70-100 band.
    expect(await manager.page.getAttribute('[data-testid=kpi-staffing]', 'data-verdict')).toBe('below')
    expect(await manager.page.textContent('[data-testid=kpi-staffing]')).toContain('增加外呼量')
    // The charts were drawn: the canvas has painted pixels.
    const painted = await manager.page.$eval('[data-testid=chart-trend] canvas', (c) => {
      const canvas = c as HTMLCanvasElement
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let n = 0
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
      return n
    })
    expect(painted).toBeGreaterThan(1000)
    const csv = await manager.page.getAttribute('[data-testid=kpi-csv]', 'href')
    const res = await apiStatus(manager.page, csv!)
    expect(res.status).toBe(200)
    await manager.page.setViewportSize({ width: 1440, height: 1280 })
    await manager.page.waitForTimeout(300)
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'kpi.png') })
    await manager.page.setViewportSize({ width: 1440, height: 900 })
  })

  it('searches reports within the manager scope and opens the printable report', async () => {
    await manager.page.click('[data-testid=nav-reports]')
    await manager.page.waitForSelector('[data-testid=search-row]')
    const teams = await manager.page.$$eval('[data-testid=search-row]', (rows) => rows.map((r) => r.getAttribute('data-team-id')))
    expect(new Set(teams)).toEqual(new Set(['t-1']))
    expect(teams).toHaveLength(seeded.filter((r) => r.teamId === 't-1').length)
    await manager.page.selectOption('[data-testid=search-rule]', 'forbidden_phrase')
    await manager.page.click('[data-testid=search-submit]')
    await manager.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=search-row]').length === n,
      seeded.filter((r) => r.teamId === 't-1' && r.findings.some((f) => f.rule === 'forbidden_phrase')).length,
    )
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'reports.png') })
    const [popup] = await Promise.all([manager.context.waitForEvent('page'), manager.page.click('[data-testid=search-row] [data-testid=open-report] >> nth=0')])
    await popup.waitForLoadState()
    expect(await popup.content()).toContain('<mark')
    await popup.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true })
    await popup.close()
    // Another team's report is refused even with its exact URL.
    const other = seeded.find((r) => r.teamId === 't-2')!
    expect((await apiStatus(manager.page, `/v1/calls/${other.callId}/report`)).status).toBe(404) // another team's call answers like a missing one
    expect((await apiStatus(manager.page, `/v1/calls/${other.callId}/report?format=html`)).status).toBe(404)
    expect((await apiStatus(manager.page, `/v1/kpi/agents/${other.agentId}`)).status).toBe(403)
  })

  it('shows an agent only their own reports, and a complaint manager only the calls behind complaint risks', async () => {
    const agent = other
    {
      await login(agent.page, server.url, 'a7')
      await agent.page.click('[data-testid=nav-reports]')
      await agent.page.waitForSelector('[data-testid=search-row]')
      const agents = await agent.page.$$eval('[data-testid=search-row]', (rows) => rows.map((r) => r.getAttribute('data-agent-id')))
      expect(agents).toHaveLength(seeded.filter((r) => r.agentId === 'a-7').length)
      expect(new Set(agents)).toEqual(new Set(['a-7']))
      expect((await apiStatus(agent.page, '/v1/calls?agentId=a-8')).status).toBe(403)
      const mine = await apiStatus(agent.page, '/v1/calls')
      expect(mine.body.items.every((r: { agentId: string }) => r.agentId === 'a-7')).toBe(true)
      const someoneElse = seeded.find((r) => r.agentId === 'a-8')!
      expect((await apiStatus(agent.page, `/v1/calls/${someoneElse.callId}/report`)).status).toBe(404)

      // A complaint manager: the calls behind complaint risks, of every team, and nothing else.
      await login(agent.page, server.url, 'zhao')
      const complaintCalls = seeded.filter((r) => r.metrics.complaintRisk).map((r) => r.callId).sort()
      expect(complaintCalls.length).toBeGreaterThan(0)
      const theirs = await apiStatus(agent.page, '/v1/calls?limit=1000')
      expect(theirs.body.items.map((r: { callId: string }) => r.callId).sort()).toEqual(complaintCalls)
      const calm = seeded.find((r) => !r.metrics.complaintRisk)!
      expect((await apiStatus(agent.page, `/v1/calls/${calm.callId}/report`)).status).toBe(404)
      expect((await apiStatus(agent.page, `/v1/calls/${complaintCalls[0]}/report?format=html`)).status).toBe(200)
    }
  })
})
