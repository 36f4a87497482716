/**
 * End to end through the real services: a call streamed into the gateway's ingest socket ends,
 * the gateway queues its score job, the aggregator workers store and count it, the gateway's REST
 * API serves the report and the KPIs, and a subscriber receives signed `alert.raised` (from the
 * gateway) and `call.scored` (from the workers) webhooks.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Webhook } from 'standardwebhooks'
import type { CallReport } from '@callqa/protocol'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { startWorkers, type RunningWorkers } from '@callqa/aggregator'
import { cleanupRedis, startGateway, testEnv, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, type TestGateway } from '../services/gateway/src/testing.js'
import { simEvents, simulateDay } from './aggregator-simulate.js'
import { until } from './aggregator-helpers.js'

const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = []
const hookServer = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
    res.statusCode = 204
    res.end()
  })
})
let env: Record<string, string>
let gateway: TestGateway
let workers: RunningWorkers
let db: TestDatabase

beforeAll(async () => {
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`
  db = await createTestDatabase()
  env = testEnv({ DATABASE_URL: db.url, CALLQA_WEBHOOK_SUBSCRIBERS: JSON.stringify([{ id: 'crm', url, secret, events: ['call.scored', 'alert.raised'] }]) })
  // The gateway's core reads the webhook subscribers from the process environment.
  Object.assign(process.env, env)
  gateway = await startGateway(env)
  workers = await startWorkers({ databaseUrl: db.url, bullPrefix: env.CALLQA_BULL_PREFIX!, concurrency: 4, logLevel: 'silent' })
})

afterAll(async () => {
  await workers?.close()
  await gateway?.close()
  await new Promise((resolve) => hookServer.close(resolve))
  if (env) await cleanupRedis(env)
  for (const name of Object.keys(env ?? {})) delete process.env[name]
  await db?.drop()
})

it('a call streamed into the gateway becomes a stored report, KPIs and signed webhooks', { timeout: 120_000 }, async () => {
  // A careless agent's call with a forbidden phrase (a live alert) from the simulated day.
  const call = simulateDay({ teams: 2, agentsPerTeam: 8, seed: 31, callsPerAgent: [20, 20], callPrefix: `e2e-${Date.now()}` }).find(
    (c) => c.planted.forbidden.length > 0 && c.disposition !== 'no_answer',
  )!
  const socket = await TestSocket.open(`${gateway.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
  const events = simEvents(call)
  for (const event of events) socket.send(event)
  const last = events.filter((e) => e.type === 'utterance').at(-1)!
  await socket.waitForAck(call.started.callId, (last as { seq: number }).seq)
  await socket.close()

  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
  const report = await until('the report to be served', async () => {
    const res = await fetch(`${gateway.url}/v1/calls/${call.started.callId}/report`, { headers: auth })
    return res.status === 200 ? ((await res.json()) as CallReport) : undefined
  })
  expect(report.agentId).toBe(call.started.agentId)
  expect(report.findings.some((f) => f.rule === 'forbidden_phrase')).toBe(true)

  const html = await (await fetch(`${gateway.url}/v1/calls/${call.started.callId}/report?format=html`, { headers: auth })).text()
  expect(html).toContain('<mark')

  const kpi = (await (await fetch(`${gateway.url}/v1/kpi/agents/${call.started.agentId}?from=2026-11-27&to=2026-11-27`, { headers: auth })).json()) as {
    total: { calls: number; findingsByRule: Record<string, number> }
  }
  expect(kpi.total.calls).toBe(1)
  expect(kpi.total.findingsByRule.forbidden_phrase).toBe(report.findings.filter((f) => f.rule === 'forbidden_phrase').length)

  const list = (await (await fetch(`${gateway.url}/v1/calls?agentId=${call.started.agentId}`, { headers: auth })).json()) as { items: Array<{ callId: string }> }
  expect(list.items.map((i) => i.callId)).toEqual([call.started.callId])

  await until('call.scored and alert.raised delivered', () => {
    const types = received.map((r) => (JSON.parse(r.body) as { type: string }).type)
    return types.includes('call.scored') && types.includes('alert.raised')
  })
  for (const r of received) {
    const payload = new Webhook(secret).verify(r.body, {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    }) as { type: string; data: { callId: string } }
    expect(payload.data.callId).toBe(call.started.callId)
  }
})
