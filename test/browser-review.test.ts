/**
 * The QA loop across roles in real Chromium: the agent appeals a deduction on the 复核申诉 page,
 * the team's 外呼管理员 overturns it in another browser, and the call's score and the team's
 * KPI average move on both screens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleReport } from '../packages/review/src/testing.js'
import { login, openBrowser, SCREENSHOTS, SKIP_BROWSER, startServer, type TestBrowser, type TestServer } from './browser-helpers.js'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

let server: TestServer
const browsers: TestBrowser[] = []

beforeAll(async () => {
  if (SKIP_BROWSER) return
  server = await startServer()
  await server.reports.ensurePartitions(Date.now())
  const base = sampleReport('03-broadband-renewal-no-greeting', { callId: 'loop-1', agentId: 'a-7', teamId: 't-1' })
  await server.reports.saveReport({ ...base, startedAt: new Date(Date.now() - 600_000).toISOString(), endedAt: new Date(Date.now() - 300_000).toISOString() })
}, 120_000)
afterAll(async () => {
  for (const b of browsers) await b.close()
  await server?.close()
})

describe.skipIf(SKIP_BROWSER)('review loop in the browser', { timeout: 180_000 }, () => {
  it('agent appeals, manager overturns, score and team KPI change on both screens', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const agent = await openBrowser()
    const manager = await openBrowser()
    browsers.push(agent, manager)
    await login(agent.page, server.url, 'a7')
    await agent.page.click('[data-testid=nav-review]')
    await agent.page.fill('[data-testid=review-call]', 'loop-1')
    await agent.page.click('[data-testid=review-open]')
    await agent.page.waitForSelector('[data-testid=review-view]')
    const before = Number(await agent.page.textContent('[data-testid=review-score]'))
    await agent.page.fill('[data-testid=review-text]', '开头我说了您好')
    await agent.page.click('[data-testid=appeal-file]')
    await agent.page.waitForSelector('[data-testid=appeal-row][data-status=pending]')

    await login(manager.page, server.url, 'li')
    const kpiAverage = async () => {
      await manager.page.goto(`${server.url}/#/kpi`)
      await manager.page.reload()
      await manager.page.waitForSelector('[data-testid=kpi-avgScore]')
      return (await manager.page.textContent('[data-testid=kpi-avgScore] .card-value'))!.trim()
    }
    const kpiBefore = await kpiAverage()
    await manager.page.goto(`${server.url}/#/review`)
    await manager.page.reload()
    await manager.page.waitForSelector('[data-testid=appeal-row][data-status=pending]')
    await manager.page.fill('[data-testid=review-text]', '复听确认已问候')
    await manager.page.click('[data-testid=appeal-overturn]')
    await manager.page.waitForSelector('[data-testid=appeal-row][data-status=overturned]')
    await manager.page.click('[data-testid=appeal-row] a')
    await manager.page.waitForSelector('[data-testid=review-view]')
    const managerScore = Number(await manager.page.textContent('[data-testid=review-score]'))
    expect(managerScore).toBeGreaterThan(before)
    await manager.page.screenshot({ path: join(SCREENSHOTS, 'review-manager.png'), fullPage: true })
    const kpiAfter = await kpiAverage()
    expect(Number(kpiAfter)).toBe(managerScore)
    expect(Number(kpiAfter)).toBeGreaterThan(Number(kpiBefore))

    await agent.page.reload()
    await agent.page.waitForSelector('[data-testid=appeal-row][data-status=overturned]')
    await agent.page.fill('[data-testid=review-call]', 'loop-1')
    await agent.page.click('[data-testid=review-open]')
    await agent.page.waitForSelector('[data-testid=review-view]')
    expect(Number(await agent.page.textContent('[data-testid=review-score]'))).toBe(managerScore)
    expect(await agent.page.textContent('[data-testid=appeals]')).toContain('复听确认已问候')
    await agent.page.screenshot({ path: join(SCREENSHOTS, 'review-agent.png'), fullPage: true })
  })
})
