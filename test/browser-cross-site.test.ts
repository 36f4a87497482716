/**
 * Cross-site requests in real Chromium: wang is logged in to the console; a page on another port
 * of the same host (same site, so the SameSite=Strict cookie still goes along) tries to
 * acknowledge an alert, log wang out and open the supervisor socket with wang's cookie. All are
 * refused (403 CQ_ERR_CROSS_ORIGIN before any handler or upgrade), while the console's own page
 * does the same things fine.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisKeys } from '@callqa/store'
import { login, openBrowser, SKIP_BROWSER, startServer, type TestBrowser, type TestServer } from './browser-helpers.js'

const ALERT_ID = 'al-cross-site-1'

/** What the hostile page tries, reported in window.results. */
const HOSTILE_PAGE = (target: string) => `<!doctype html><meta charset="utf-8"><title>prize</title><script>
window.results = {};
(async () => {
  try {
    const r = await fetch('${target}/v1/alerts/${ALERT_ID}/ack', { method: 'POST', credentials: 'include', mode: 'no-cors' });
    window.results.ack = r.type;
  } catch (e) { window.results.ack = 'error ' + e.message }
  try {
    await fetch('${target}/v1/session', { method: 'DELETE', credentials: 'include', mode: 'no-cors' });
    window.results.logout = 'sent';
  } catch (e) { window.results.logout = 'error ' + e.message }
  window.results.socket = await new Promise((resolve) => {
    const ws = new WebSocket('${target.replace('http', 'ws')}/v1/alerts');
    ws.onmessage = (m) => { resolve('message ' + m.data); ws.close() };
    ws.onerror = () => resolve('refused');
    setTimeout(() => resolve('timeout'), 5000);
  });
  window.done = true;
})();
</script>`

describe.skipIf(SKIP_BROWSER)('cross-site requests', { timeout: 120_000 }, () => {
  let server: TestServer
  let hostile: Server
  let hostileUrl: string
  let browser: TestBrowser

  beforeAll(async () => {
    server = await startServer()
    hostile = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HOSTILE_PAGE(server.url)))
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r))
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`
    const alert = { type: 'alert', alertId: ALERT_ID, callId: 'c-x', agentId: 'a-1', teamId: 't-1', rule: 'forbidden_phrase', severity: 'critical', atMs: 0, raisedAt: new Date().toISOString() }
    await server.redis.set(redisKeys(server.prefix).alert(ALERT_ID), JSON.stringify(alert), 'EX', 600)
    browser = await openBrowser()
    await login(browser.page, server.url, 'wang')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((r) => hostile?.close(r))
    await server?.close()
  })

  it('a page on another port cannot acknowledge, log out or open the supervisor socket with the console cookie', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${hostileUrl}/`)
    await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 20_000 })
    const results = (await page.evaluate(() => (window as unknown as { results: Record<string, string> }).results))
    expect(results.socket).toBe('refused')
    // Nothing happened on the server: the alert is not acknowledged and wang is still logged in.
    expect(await server.redis.hget(redisKeys(server.prefix).alertAcks, ALERT_ID)).toBeNull()
    const session = await browser.page.evaluate(async () => (await fetch('/v1/session')).status)
    expect(session).toBe(200)
    await page.close()
  })

  it('the console\'s own page can, and a refused request says why with a code', async () => {
    const own = await browser.page.evaluate(async (id) => {
      const ack = await fetch(`/v1/alerts/${id}/ack`, { method: 'POST' })
      const hello = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/v1/alerts`)
        ws.onmessage = (m) => (resolve(JSON.parse(m.data).type), ws.close())
        ws.onerror = () => resolve('refused')
      })
      return { ack: ack.status, hello }
    }, ALERT_ID)
    expect(own).toEqual({ ack: 200, hello: 'hello' })
    const refused = await fetch(`${server.url}/v1/alerts/${ALERT_ID}/ack`, { method: 'POST', headers: { origin: hostileUrl, authorization: 'Bearer x' } })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ code: 'CQ_ERR_CROSS_ORIGIN' })
  })
})
