#!/usr/bin/env tsx
/**
 * Retakes docs/screenshots/ from a running demo: start `pnpm start`, run `pnpm demo --days 7` in a
 * second terminal, wait until the live calls are on the wall (about 40 s), then
 * `pnpm exec tsx test/take-screenshots.ts [--url URL] [--out DIR]`. It logs in with the demo accounts
 * (wang 话务班长, li 外呼管理员 t-1) in Debian's Chromium and saves the login page, the live wall, a
 * followed transcript, the KPI page over the last 8 days, the report search, one printable report
 * and the rulebook. Look at every picture before committing it.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from 'playwright-core'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.CALLQA_URL ?? `http://127.0.0.1:${process.env.PORT || '8080'}` },
    out: { type: 'string', default: resolve(import.meta.dirname, '../docs/screenshots') },
    password: { type: 'string', default: 'callqa-demo' },
  },
})
const base = values.url.replace(/\/$/, '')

async function login(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/`)
  await page.waitForSelector('[data-testid=login-form], [data-testid=logout]')
  if (await page.$('[data-testid=logout]')) await page.click('[data-testid=logout]')
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', values.password)
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=whoami]')
}

function dayIn(timeZone: string, offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + offsetDays * 86_400_000)
}

async function main(): Promise<void> {
  await mkdir(values.out, { recursive: true })
  const browser = await chromium.launch({ executablePath: process.env.CALLQA_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await context.newPage()
    await page.goto(`${base}/`)
    await page.waitForSelector('[data-testid=login-form]')
    await page.screenshot({ path: join(values.out, 'login.png') })

    await login(page, 'wang')
    await page.waitForSelector('[data-testid=call-tile]')
    await page.waitForSelector('[data-testid=alert-row]')
    await page.waitForTimeout(1500)
    await page.screenshot({ path: join(values.out, 'live-wall.png') })
    await page.click('[data-testid=call-tile]:not(.ended)')
    await page.waitForSelector('[data-testid=transcript-line]', { timeout: 15_000 })
    await page.waitForTimeout(1000)
    await page.screenshot({ path: join(values.out, 'live-transcript.png') })

    const zone = ((await page.textContent('[data-testid=center-zone]')) ?? '').trim().split(/\s+/).pop() || 'Asia/Shanghai'
    await login(page, 'li')
    await page.click('[data-testid=nav-kpi]')
    await page.selectOption('[data-testid=kpi-id]', 't-1')
    await page.fill('[data-testid=kpi-from]', dayIn(zone, -7))
    await page.fill('[data-testid=kpi-to]', dayIn(zone, 0))
    await page.click('[data-testid=kpi-load]')
    await page.waitForSelector('[data-testid=kpi-view]')
    await page.waitForTimeout(1500)
    await page.screenshot({ path: join(values.out, 'kpi.png'), fullPage: true })

    await page.click('[data-testid=nav-reports]')
    await page.waitForSelector('[data-testid=search-row]')
    await page.screenshot({ path: join(values.out, 'reports.png') })
    const href = await page.getAttribute('[data-testid=search-row] [data-testid=open-report]', 'href')
    const report = await context.newPage()
    await report.goto(`${base}${href}`)
    await report.screenshot({ path: join(values.out, 'report.png'), fullPage: true })

    await page.click('[data-testid=nav-rulebook]')
    await page.waitForSelector('[data-testid=rule]')
    await page.click('[data-testid=try-run]')
    await page.waitForSelector('[data-testid=try-result]')
    await page.screenshot({ path: join(values.out, 'rulebook.png') })
    console.log(`screenshots in ${values.out}`)
  } finally {
    await browser.close()
  }
}

main().catch((err: Error) => {
  console.error(`screenshots: ${err.message}`)
  process.exit(1)
})
