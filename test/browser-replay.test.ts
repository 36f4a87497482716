/**
 * 在历史通话上重放 in real Chromium: a 话务班长 opens the rulebook page, finds the replay panel
 * prefilled with the active rulebook, edits it into a candidate, starts a replay over the last days
 * and sees the progress reach the end and the summary (per rule, per team, agreement) that the
 * workers computed; English labels after the toggle. An agent sees no panel.
 */
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import type { Worker } from 'bullmq'
import { startReplayWorker } from '@callqa/aggregator'
import { DEFAULT_RULEBOOK_PATH, parseRulebook } from '@callqa/engine'
import { replayStoredCalls } from '@callqa/review/pg'
import { sampleReport } from '../packages/review/src/testing.js'
import { login, openBrowser, SCREENSHOTS, SKIP_BROWSER, startServer, type TestBrowser, type TestServer } from './browser-helpers.js'
import { TEST_REDIS_URL } from './redis-url.js'

let server: TestServer
let connection: Redis
let worker: Worker
const browsers: TestBrowser[] = []

beforeAll(async () => {
  if (SKIP_BROWSER) return
  server = await startServer()
  await server.reports.ensurePartitions(Date.now())
  for (const [i, name] of ['03-broadband-renewal-no-greeting', '05-angry-agent-forbidden-phrases'].entries()) {
    const r = sampleReport(name, { callId: `br-${i}`, teamId: `t-${i + 1}` })
    await server.reports.saveReport({ ...r, startedAt: new Date(Date.now() - 7_200_000).toISOString() })
  }
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  worker = startReplayWorker({ connection, prefix: `${server.prefix}-bull`, store: server.reports })
}, 120_000)
afterAll(async () => {
  for (const b of browsers) await b.close()
  await worker?.close()
  await connection?.quit()
  await server?.close()
})

describe.skipIf(SKIP_BROWSER)('rulebook replay in the browser', { timeout: 180_000 }, () => {
  it('starts a replay from the rulebook page and shows its summary', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const lead = await openBrowser()
    browsers.push(lead)
    const { page } = lead
    await login(page, server.url, 'wang')
    await page.click('[data-testid=nav-rulebook]')
    const box = page.locator('[data-testid=replay-rulebook]')
    const activeYaml = await readFile(DEFAULT_RULEBOOK_PATH, 'utf8')
    await page.waitForFunction(() => ((document.querySelector('[data-testid=replay-rulebook]') as HTMLTextAreaElement | null)?.value ?? '') !== '')
    expect(await box.inputValue()).toBe(activeYaml)
    const candidate = activeYaml.replace('      - phrase: 不知道\n', '      - phrase: 完全不知道怎么办\n')
    await box.fill(candidate)
    await page.fill('[data-testid=replay-days]', '3')
    await page.click('[data-testid=replay-start]')
    await page.waitForSelector('[data-testid=replay-summary]', { timeout: 120_000 })
    expect(await page.getAttribute('[data-testid=replay-status]', 'data-state')).toBe('done')
    const bar = page.locator('[data-testid=replay-progress]')
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'))

    // What the workers computed, shown as it is: the same figures as a replay in this process.
    const expected = await replayStoredCalls(server.reports, parseRulebook(candidate, 'candidate.yaml'), { fromMs: Date.now() - 3 * 86_400_000, toMs: Date.now() + 1 })
    const forbidden = expected.rules.find((r) => r.rule === 'forbidden_phrase')!
    expect(forbidden.disappeared).toBeGreaterThan(0)
    const row = page.locator('[data-testid=replay-rules] tr[data-rule=forbidden_phrase]')
    expect(await row.locator('[data-testid=disappeared]').textContent()).toBe(`−${forbidden.disappeared}`)
    expect(await row.textContent()).toContain('服务忌语')
    expect(await row.textContent()).toContain('br-1')
    for (const team of expected.teams) {
      expect(await page.locator(`[data-testid=replay-teams] tr[data-team=${team.teamId}] [data-testid=team-score]`).textContent()).toBe(`${team.averageScoreBefore} → ${team.averageScoreAfter}`)
    }
    expect(await page.textContent('[data-testid=replay-summary]')).toContain(`共重放 ${expected.calls} 通电话`)
    expect(await page.textContent('[data-testid=replay-agreement]')).toContain('已驳回的违规中')
    await page.screenshot({ path: join(SCREENSHOTS, 'rulebook-replay.png'), fullPage: true })

    await page.click('[data-testid=lang-toggle]')
    expect(await page.textContent('[data-testid=replay]')).toContain('Replay on history')
    expect(await page.textContent('[data-testid=replay-summary]')).toContain(`${expected.calls} calls replayed`)
    await page.click('[data-testid=lang-toggle]')

    const agent = await openBrowser()
    browsers.push(agent)
    await login(agent.page, server.url, 'a7')
    await agent.page.click('[data-testid=nav-rulebook]')
    await agent.page.waitForSelector('[data-testid=rulebook-legend]')
    expect(await agent.page.$('[data-testid=replay]')).toBeNull()
  })
})
