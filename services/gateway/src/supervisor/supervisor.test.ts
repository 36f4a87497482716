import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertMessage } from '@callqa/protocol'
import {
  callStarted,
  cleanupRedis,
  startGateway,
  TestSocket,
  testEnv,
  TEST_ADMIN_TOKEN,
  TEST_INGEST_TOKEN,
  utterance,
  type TestGateway,
} from '../testing.js'

const FORBIDDEN = ['不知道', '找领导去', '你问我，我问谁', '我解决不了', '有意见，告去', '你懂不懂']

describe('supervisor socket and alert routes', () => {
  const env = testEnv({ CALLQA_SUPERVISOR_MAX_BUFFER_BYTES: '65536' })
  let gw: TestGateway
  let ingest: TestSocket

  beforeAll(async () => {
    gw = await startGateway(env)
    ingest = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
  })
  afterAll(async () => {
    await ingest.close()
    await gw.close()
    await cleanupRedis(env)
  })

  it('refuses the upgrade without a principal', async () => {
    await expect(TestSocket.open(`${gw.wsUrl}/v1/alerts`, 'nope')).rejects.toThrow(/401/)
  })

  it('filters by ?teams= and sends transcripts only for followed calls', async () => {
    const t1 = await TestSocket.open(`${gw.wsUrl}/v1/alerts?teams=T1`, TEST_ADMIN_TOKEN)
    const t2 = await TestSocket.open(`${gw.wsUrl}/v1/alerts?teams=T2,T3`, TEST_ADMIN_TOKEN)
    await t1.waitFor((m) => m.type === 'hello')
    await t2.waitFor((m) => m.type === 'hello')
    t1.send({ type: 'follow', callId: 'c-sup-t1' })
    await t1.waitFor((m) => m.type === 'following')
    ingest.send([callStarted('c-sup-t1', 'A1', 'T1'), callStarted('c-sup-t2', 'A2', 'T2')])
    ingest.send([utterance('c-sup-t1', 0, 'agent', '您好，有意见，告去。'), utterance('c-sup-t2', 0, 'agent', '您好，我解决不了。')])
    await t1.waitFor((m) => m.type === 'alert' && m.callId === 'c-sup-t1')
    await t2.waitFor((m) => m.type === 'alert' && m.callId === 'c-sup-t2')
    const line = await t1.waitFor((m) => m.type === 'transcript')
    expect(line).toMatchObject({ callId: 'c-sup-t1', seq: 0, speaker: 'agent', final: true })
    expect((line.findings as unknown[]).length).toBeGreaterThan(0)
    await ingest.waitForAck('c-sup-t2', 0)
    expect(t1.messages.filter((m) => m.callId === 'c-sup-t2')).toEqual([])
    expect(t2.messages.filter((m) => m.callId === 'c-sup-t1')).toEqual([])
    expect(t2.of('transcript')).toEqual([])
    // Text frames only, also for the messages the hub sends as one pre-encoded Buffer to every socket.
    expect(t1.binaryFrames + t2.binaryFrames).toBe(0)
    t1.send({ type: 'ping' })
    await t1.waitFor((m) => m.type === 'pong')
    t1.send('nonsense')
    await t1.waitFor((m) => m.type === 'error' && m.code === 'CQ_ERR_NOT_JSON')
    await t1.close()
    await t2.close()
  })

  it('closes a supervisor that does not read with 1013; it catches up from /v1/alerts/recent with no gaps or duplicates', async () => {
    const fast = await TestSocket.open(`${gw.wsUrl}/v1/alerts?teams=TS`, TEST_ADMIN_TOKEN)
    const slow = await TestSocket.open(`${gw.wsUrl}/v1/alerts?teams=TS`, TEST_ADMIN_TOKEN)
    await fast.waitFor((m) => m.type === 'hello')
    await slow.waitFor((m) => m.type === 'hello')
    // Transcripts of followed calls are big (4,000-character lines): enough to fill the kernel's
    // socket buffers so the server's own send buffer has to grow.
    const calls = 40
    for (let c = 0; c < calls; c++) slow.send({ type: 'follow', callId: `c-flood-${c}` })
    await slow.waitFor((m) => m.type === 'following' && (m.callIds as string[]).length === calls)
    // Stop reading: the server's send buffer for this socket fills up.
    ;(slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
    const filler = '套餐流量话费宽带'.repeat(480)
    for (let c = 0; c < calls; c++) {
      ingest.send(callStarted(`c-flood-${c}`, `A${c}`, 'TS'))
      for (let i = 0; i < 10; i++) {
        const phrase = FORBIDDEN[i % FORBIDDEN.length]!
        ingest.send(utterance(`c-flood-${c}`, i, 'agent', i < FORBIDDEN.length ? `您好，${phrase}。${filler}` : filler))
      }
    }
    const expected = calls * FORBIDDEN.length
    await ingest.waitForAck(`c-flood-${calls - 1}`, 9)
    await fast.waitFor(() => fast.of('alert').filter((m) => m.rule === 'forbidden_phrase').length >= expected, 20_000).catch(() => {})
    ;(slow.ws as unknown as { _socket: { resume(): void } })._socket.resume()
    expect(await slow.closed).toBe(1013)
    const fastIds = new Set(fast.of('alert').map((m) => m.alertId))
    const seen = new Map(slow.of('alert').map((m) => [m.alertId as string, m]))
    const last = slow.of('alert').at(-1)
    // Catch up: from the last alert it received (or from the start), page until done.
    let since = last ? String(last.raisedAt) : '0'
    for (let page = 0; page < 100; page++) {
      const res = await fetch(`${gw.url}/v1/alerts/recent?teams=TS&limit=50&since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { alerts: AlertMessage[]; cursor: string | null }
      for (const a of body.alerts) seen.set(a.alertId, a as unknown as Record<string, unknown>)
      if (body.alerts.length === 0 || !body.cursor) break
      since = body.cursor
    }
    expect(new Set(seen.keys())).toEqual(fastIds)
    expect(fastIds.size).toBeGreaterThanOrEqual(expected)
    await fast.close()
  })

  it('records an acknowledgement once and pushes alert.ack to supervisors', async () => {
    const sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts?teams=TA`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    ingest.send([callStarted('c-ack', 'A9', 'TA'), utterance('c-ack', 0, 'agent', '您好，你懂不懂啊？')])
    const alert = await sup.waitFor((m) => m.type === 'alert' && m.callId === 'c-ack')
    await ingest.waitForAck('c-ack', 0)
    const ack = (id: string) => fetch(`${gw.url}/v1/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    const first = await ack(String(alert.alertId))
    expect(first.status).toBe(200)
    const body = (await first.json()) as Record<string, unknown>
    expect(body).toMatchObject({ alertId: alert.alertId, callId: 'c-ack', acknowledgedBy: 'admin', first: true })
    const pushed = await sup.waitFor((m) => m.type === 'alert.ack')
    expect(pushed).toMatchObject({ alertId: alert.alertId, acknowledgedBy: 'admin', teamId: 'TA' })
    const second = (await (await ack(String(alert.alertId))).json()) as Record<string, unknown>
    expect(second).toMatchObject({ first: false, acknowledgedAt: body.acknowledgedAt })
    const recent = (await (await fetch(`${gw.url}/v1/alerts/recent?teams=TA`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as { alerts: AlertMessage[] }
    expect(recent.alerts.find((a) => a.alertId === alert.alertId)).toMatchObject({ acknowledgedBy: 'admin' })
    expect((await ack('c-ack:nope')).status).toBe(404)
    const unauth = await fetch(`${gw.url}/v1/alerts/${encodeURIComponent(String(alert.alertId))}/ack`, { method: 'POST' })
    expect(unauth.status).toBe(401)
    const badSince = await fetch(`${gw.url}/v1/alerts/recent?since=yesterday`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    expect(((await badSince.json()) as Record<string, unknown>).code).toBe('CQ_ERR_INVALID_SINCE')
    const live = (await (await fetch(`${gw.url}/v1/live/calls?teams=TA`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as { calls: Record<string, unknown>[] }
    expect(live.calls.map((c) => c.callId)).toEqual(['c-ack'])
    await sup.close()
  })
})
