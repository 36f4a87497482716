/**
 * The live wall under load in a real browser: 1,000 live calls and 10,000 alerts pushed through the
 * real gateway (ingest socket → engine → Redis fan-out → supervisor socket). Frame times are
 * measured with requestAnimationFrame and reported beside an idle baseline from the same page in
 * the same run; the assertions are about behaviour (every alert once, lists virtualised), not time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { CallEvent } from '@callqa/protocol'
import { IngestClient, ROOT, SCREENSHOTS, SKIP_BROWSER, login, openBrowser, said, started, startServer, stats, type TestBrowser, type TestServer } from './browser-helpers.js'

/** PERF_CALLS=100 for a quick look; PERF_PROFILE=flood|scroll prints where the page spent its time. */
const CALLS = Number(process.env.PERF_CALLS ?? 1000)
const ALERTS_PER_CALL = 10
const CONNECTIONS = 4
const OFFENCES = ['这个我不知道。', '你问我，我问谁？', '我解决不了。', '着什么急，我正忙着。', '有意见，告去。']

declare global {
  interface Window {
    __frames?: number[]
    __stopFrames?: boolean
  }
}

let server: TestServer
let browser: TestBrowser

beforeAll(async () => {
  if (SKIP_BROWSER) return
  server = await startServer({ CALLQA_LIVE_UPDATE_INTERVAL_MS: '10000' })
  browser = await openBrowser()
  await login(browser.page, server.url, 'wang')
  await browser.page.waitForSelector('[data-testid=link-live]')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
}, 180_000)

/** Self time per function of a CPU profile, top 25 (PERF_PROFILE=flood|scroll). */
async function printProfile(cdp: import('playwright-core').CDPSession): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop')
  const self = new Map<string, number>()
  const dt = profile.timeDeltas ?? []
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  ;(profile.samples ?? []).forEach((id, i) => {
    const node = byId.get(id)!
    const key = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000)
  })
  console.log('profile', [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
}

async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__frames = []
    window.__stopFrames = false
    let last = performance.now()
    const loop = (t: number) => {
      window.__frames!.push(t - last)
      last = t
      if (!window.__stopFrames) requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
  })
}

async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    window.__stopFrames = true
    return window.__frames!.slice(1)
  })
}

it.skipIf(SKIP_BROWSER)('stays smooth with 1,000 live calls and 10,000 alerts, every alert shown once', { timeout: 240_000 }, async () => {
  const page = browser.page
  await startFrames(page)
  await page.waitForTimeout(1500)
  const idle = stats(await stopFrames(page))

  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => IngestClient.open(server.wsUrl)))
  const callIds = Array.from({ length: CALLS }, (_, i) => `perf-${String(i).padStart(4, '0')}`)
  const clientOf = (i: number) => clients[i % CONNECTIONS]!
  const startedAt = Date.now()
  const floodCdp = process.env.PERF_PROFILE === 'flood' ? await browser.context.newCDPSession(page) : undefined
  if (floodCdp) {
    await floodCdp.send('Profiler.enable')
    await floodCdp.send('Profiler.start')
  }
  await startFrames(page)
  // Waves: every call starts and greets, then says one offending sentence per wave (a busy floor).
  const batches = new Map<IngestClient, CallEvent[]>()
  const flush = () => {
    for (const [client, events] of batches) for (let i = 0; i < events.length; i += 400) client.send(events.slice(i, i + 400))
    batches.clear()
  }
  const queue = (i: number, event: CallEvent) => {
    const client = clientOf(i)
    const list = batches.get(client) ?? []
    list.push(event)
    batches.set(client, list)
  }
  callIds.forEach((id, i) => {
    queue(i, started(id, `a-${i % 200}`, `t-${(i % 10) + 1}`, new Date(startedAt - (i % 300) * 1000).toISOString()))
    queue(i, said(id, 0, 'agent', '您好，我是中国移动客服代表，请问是机主本人吗？'))
  })
  flush()
  for (let wave = 1; wave <= ALERTS_PER_CALL; wave++) {
    callIds.forEach((id, i) => queue(i, said(id, wave, 'agent', `${OFFENCES[(i + wave) % OFFENCES.length]}`)))
    flush()
    await Promise.all(callIds.map((id, i) => clientOf(i).waitForAck(id, wave)))
  }
  const ingestedMs = Date.now() - startedAt
  await page.waitForFunction((n) => window.__callqa!.store.alerts.length >= n, CALLS * ALERTS_PER_CALL, { timeout: 120_000, polling: 250 })
  const allShownMs = Date.now() - startedAt
  const flood = stats(await stopFrames(page))
  if (floodCdp) await printProfile(floodCdp)

  // Scrolling both virtualised lists, one step per frame, for three seconds.
  const cdp = process.env.PERF_PROFILE === 'scroll' ? await browser.context.newCDPSession(page) : undefined
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
  }
  await startFrames(page)
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const alerts = document.querySelector('[data-testid=alert-list]') as HTMLElement
        const grid = document.querySelector('[data-testid=call-grid]') as HTMLElement
        const until = performance.now() + 3000
        const step = () => {
          alerts.scrollTop = (alerts.scrollTop + 640) % (alerts.scrollHeight - alerts.clientHeight)
          grid.scrollTop = (grid.scrollTop + 272) % (grid.scrollHeight - grid.clientHeight)
          if (performance.now() < until) requestAnimationFrame(step)
          else resolve()
        }
        requestAnimationFrame(step)
      }),
  )
  const scroll = stats(await stopFrames(page))
  if (cdp) await printProfile(cdp)


  const state = await page.evaluate(() => {
    const ids = window.__callqa!.store.alerts.map((a) => a.alertId)
    return {
      calls: window.__callqa!.store.calls.size,
      alerts: ids.length,
      distinct: new Set(ids).size,
      alertRowsInDom: document.querySelectorAll('[data-testid=alert-row]').length,
      tilesInDom: document.querySelectorAll('[data-testid=call-tile]').length,
      heapMb: Math.round(((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6),
    }
  })
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, 'live-wall-1000-calls.png') })
  await Promise.all(clients.map((c) => c.close()))

  // The floor: the same two scrollers on a static page (plain DOM, no framework, no data), same browser.
  const floorPage = await browser.context.newPage()
  await floorPage.setContent(`<!doctype html><meta charset=utf-8><style>body{margin:0;display:flex;gap:12px;height:100vh;font:14px sans-serif}
    .s{overflow:auto;flex:1}.t{display:inline-block;width:224px;height:128px;margin:4px;border:1px solid #ccc;border-left:6px solid red;background:#fee}
    .r{height:64px;border-bottom:1px solid #ddd;border-left:4px solid red;padding:6px}</style>
    <div class=s id=g>${'<div class=t>a-7 t-1 00:42 服务忌语</div>'.repeat(1000)}</div><div class=s id=a style="flex:0 0 420px">${'<div class=r>严重 服务忌语「不知道」 a-7 · t-1<br>这个我不知道，你问我，我问谁。</div>'.repeat(2000)}</div>`)
  await startFrames(floorPage)
  await floorPage.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const alerts = document.getElementById('a')!
        const grid = document.getElementById('g')!
        const until = performance.now() + 3000
        const step = () => {
          alerts.scrollTop = (alerts.scrollTop + 640) % (alerts.scrollHeight - alerts.clientHeight)
          grid.scrollTop = (grid.scrollTop + 272) % (grid.scrollHeight - grid.clientHeight)
          if (performance.now() < until) requestAnimationFrame(step)
          else resolve()
        }
        requestAnimationFrame(step)
      }),
  )
  const floorScroll = stats(await stopFrames(floorPage))
  await floorPage.close()

  const figures = { calls: CALLS, alerts: state.alerts, ingestedMs, allShownMs, frameMs: { idle, flood, scroll, floorScroll }, dom: { alertRows: state.alertRowsInDom, tiles: state.tilesInDom }, heapMb: state.heapMb }
  await mkdir(join(ROOT, 'test-results'), { recursive: true })
  await writeFile(join(ROOT, 'test-results', 'browser-perf-figures.json'), JSON.stringify(figures, null, 2))
  console.log('live wall under load', JSON.stringify(figures))

  expect(state.calls).toBe(CALLS)
  expect(state.alerts).toBeGreaterThanOrEqual(CALLS * ALERTS_PER_CALL)
  expect(state.distinct).toBe(state.alerts)
  // Virtualised: a screenful of rows in the DOM, not ten thousand.
  expect(state.alertRowsInDom).toBeLessThan(100)
  expect(state.tilesInDom).toBeLessThan(200)
  expect(flood.n).toBeGreaterThan(0)
  expect(scroll.n).toBeGreaterThan(0)
})
