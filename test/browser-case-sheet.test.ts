/**
 * The printable case sheet (案例库) printed to PDF by real Chromium (A4), its pages rendered with
 * pdftoppm into test-results/screenshots/ (looked at by eye when the sheet changes).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import { makeCase, renderCaseSheetHtml } from '@callqa/review'
import { sampleReport } from '../packages/review/src/testing.js'
import { CHROMIUM, SCREENSHOTS, SKIP_BROWSER } from './browser-helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'callqa-case-sheet-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe.skipIf(SKIP_BROWSER)('case sheet', { timeout: 120_000 }, () => {
  it('prints to A4 PDF pages with the note, the findings and the key lines', async () => {
    const report = sampleReport('05-angry-agent-forbidden-phrases')
    const record = makeCase(
      report,
      { kind: 'negative', category: '服务忌语', note: '连续使用服务忌语「不知道」「找领导去」, 客户随即提出投诉。周培训: 如何替代忌语。', keySeqs: [3, 5, 7] },
      { principal: { username: 'lead', role: 'shift_lead' }, at: '2026-11-30T02:00:00.000Z', id: 'case-sheet-test' },
    )
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true })
    const pdf = join(tmp, 'case.pdf')
    try {
      const page = await browser.newPage()
      await page.setContent(renderCaseSheetHtml(record, 'Asia/Shanghai'))
      expect(await page.locator('tr.key').count()).toBe(3)
      expect(await page.locator('mark').count()).toBeGreaterThanOrEqual(4)
      await page.pdf({ path: pdf, format: 'A4', printBackground: true })
    } finally {
      await browser.close()
    }
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(tmp, 'page')])
    const pages = readdirSync(tmp).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort()
    expect(pages.length).toBeGreaterThanOrEqual(1)
    mkdirSync(SCREENSHOTS, { recursive: true })
    for (const [i, name] of pages.entries()) {
      expect(statSync(join(tmp, name)).size).toBeGreaterThan(10_000) // a rendered page, not a blank one
      copyFileSync(join(tmp, name), join(SCREENSHOTS, `case-sheet-${i + 1}.png`))
    }
  })
})
