import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { TEST_ADMIN_TOKEN, useTestGateway } from '../testing.js'

describe('origin guard', () => {
  const gw = useTestGateway({ CALLQA_ALLOWED_ORIGINS: 'https://qa.example.com', CALLQA_TRUST_PROXY: '127.0.0.1' })
  const ack = (headers: Record<string, string>) => fetch(`${gw.url}/v1/alerts/al-none/ack`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers } })

  it('lets the own origin, an allowed origin and non-browser clients through, refuses others with a coded 403', async () => {
    expect((await ack({})).status).toBe(404)
    expect((await ack({ origin: gw.url })).status).toBe(404)
    expect((await ack({ origin: 'https://qa.example.com' })).status).toBe(404)
    // Behind the TLS proxy the own origin is the one the browser saw.
    expect((await ack({ origin: 'https://callqa.internal', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'callqa.internal' })).status).toBe(404)
    const evil = await ack({ origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    expect(await evil.json()).toMatchObject({ statusCode: 403, code: 'CQ_ERR_CROSS_ORIGIN' })
    expect((await ack({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
  })

  it('refuses the supervisor socket handshake from another origin before the upgrade', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${gw.wsUrl}/v1/alerts`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, origin: 'http://127.0.0.1:1' } })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => (resolve(101), ws.close()))
      ws.on('error', () => {})
    })
    expect(status).toBe(403)
  })
})
