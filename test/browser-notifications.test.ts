/**
 * Console notifications in real Chromium (issue 12 item 6): the agent's open page lists a stored
 * deduction, the manager's open page shows the appeal waiting as soon as the agent files it, and
 * when the manager overturns it the agent's page shows the badge and the outcome, all without a
 * reload; read marks survive one. Agents stay refused from live data; the channel is
 * Origin-checked like every socket and closed to roles without notifications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { NotificationStore } from '@callqa/review/pg'
import { sampleReport } from '../packages/review/src/testing.js'
import { login, openBrowser, SCREENSHOTS, SKIP_BROWSER, startServer, type TestBrowser, type TestServer } from './browser-helpers.js'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

let server: TestServer
const browsers: TestBrowser[] = []

beforeAll(async () => {
  if (SKIP_BROWSER) return
  server = await startServer()
  await server.reports.ensurePartitions(Date.now())
  const base = sampleReport('03-broadband-renewal-no-greeting', { callId: 'bell-1', agentId: 'a-7', teamId: 't-1' })
  const report = { ...base, startedAt: new Date(Date.now() - 600_000).toISOString(), endedAt: new Date(Date.now() - 300_000).toISOString() }
  await server.reports.saveReport(report)
  // As the score worker does after storing it: the agent's deduction notification (read from the list on page load).
  await new NotificationStore(server.reports.sql).reportStored(report, new Date().toISOString())
}, 120_000)
afterAll(async () => {
  for (const b of browsers) await b.close()
  await server?.close()
})

const badge = async (page: Page) => Number(await page.getAttribute('[data-testid=notify-badge]', 'data-count'))
const waitForBadge = (page: Page, count: number) => page.waitForSelector(`[data-testid=notify-badge][data-count="${count}"]`, { timeout: 20_000 })

describe.skipIf(SKIP_BROWSER)('notifications in the browser', { timeout: 180_000 }, () => {
  it('the manager sees the appeal waiting and the agent the outcome, live; reads survive a reload', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const agent = await openBrowser()
    const manager = await openBrowser()
    browsers.push(agent, manager)

    await login(agent.page, server.url, 'a7')
    await waitForBadge(agent.page, 1)
    await login(manager.page, server.url, 'li')
    await manager.page.waitForSelector('[data-testid=notify-badge]')
    expect(await badge(manager.page)).toBe(0)
    // Marks that a reload would wipe: the pages below must change without one.
    await agent.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true))
    await manager.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true))

    await agent.page.click('[data-testid=nav-review]')
    await agent.page.fill('[data-testid=review-call]', 'bell-1')
    await agent.page.click('[data-testid=review-open]')
    await agent.page.waitForSelector('[data-testid=review-view]')
    const scoreBefore = Number(await agent.page.textContent('[data-testid=review-score]'))
    await agent.page.fill('[data-testid=review-text]', '开头我说了您好')
    await agent.page.click('[data-testid=appeal-file]')
    await agent.page.waitForSelector('[data-testid=appeal-row][data-status=pending]')

    // The manager's open page: the badge counts the appeal, the panel shows it and the queue.
    await waitForBadge(manager.page, 1)
    await manager.page.click('[data-testid=notify-badge]')
    const waiting = await manager.page.waitForSelector('[data-testid=notify-item][data-kind=appeal_filed]')
    expect(await waiting.textContent()).toContain('开头我说了您好')
    await manager.page.waitForSelector('[data-testid=notify-waiting][data-pending="1"]')
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'notifications-manager.png') })
    await manager.page.click('[data-testid=notify-badge]')

    await manager.page.click('[data-testid=nav-review]')
    await manager.page.waitForSelector('[data-testid=appeal-row][data-status=pending]')
    await manager.page.fill('[data-testid=review-text]', '复听确认已问候')
    await manager.page.click('[data-testid=appeal-overturn]')
    await manager.page.waitForSelector('[data-testid=appeal-row][data-status=overturned]')

    // The agent's page, untouched since: the outcome arrives with the badge.
    await waitForBadge(agent.page, 2)
    await agent.page.click('[data-testid=notify-badge]')
    const outcome = await agent.page.waitForSelector('[data-testid=notify-item][data-kind=appeal_decided][data-status=overturned]')
    expect(await outcome.textContent()).toContain('复听确认已问候')
    expect(await outcome.textContent()).toContain('申诉成立')
    // The review page the agent has open follows: the appeal decided, the score back up.
    await agent.page.waitForSelector('[data-testid=appeal-row][data-status=overturned]')
    await agent.page.waitForFunction((before) => Number(document.querySelector('[data-testid=review-score]')?.textContent) > before, scoreBefore)
    expect(await agent.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true)
    await agent.page.screenshot({ path: join(SCREENSHOTS, 'notifications-agent.png') })

    // Decided: it no longer waits on the manager's badge either (still no reload there).
    await waitForBadge(manager.page, 0)
    expect(await manager.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true)

    // Read marks are stored: after a reload the agent's badge stays at 0.
    await agent.page.click('[data-testid=notify-read-all]')
    await waitForBadge(agent.page, 0)
    await agent.page.reload()
    await agent.page.waitForSelector('[data-testid=notify-badge]')
    await new Promise((r) => setTimeout(r, 500))
    expect(await badge(agent.page)).toBe(0)
  })

  it('agents stay refused from live data; the channel refuses other origins and roles without notifications', async () => {
    const agent = browsers[0]!
    const status = (path: string) => agent.page.evaluate(async (p) => (await fetch(p)).status, path)
    expect(await status('/v1/alerts/recent')).toBe(403)
    expect(await status('/v1/live/calls')).toBe(403)
    expect(await status('/v1/notifications')).toBe(200)
    const cookie = (await agent.context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ')
    const handshake = (origin: string, cookies = cookie) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/v1/notifications`, { headers: { cookie: cookies, origin } })
        ws.once('open', () => {
          ws.close()
          resolve(101)
        })
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.once('error', () => resolve(-1))
      })
    expect(await handshake(server.url)).toBe(101)
    expect(await handshake('http://evil.example')).toBe(403)
    expect(await handshake(server.url, '')).toBe(401)

    const lead = await openBrowser()
    browsers.push(lead)
    await login(lead.page, server.url, 'wang')
    expect(await lead.page.$('[data-testid=notify-badge]')).toBeNull()
    expect(await lead.page.evaluate(async () => (await fetch('/v1/notifications')).status)).toBe(403)
  })
})
