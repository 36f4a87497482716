import { describe, expect, it } from 'vitest'
import {
  callStarted,
  postWebhook,
  scoreQueue,
  TestSocket,
  TEST_ADMIN_TOKEN,
  TEST_INGEST_TOKEN,
  utterance,
  useTestGateway,
} from '../testing.js'

describe('telephony webhook', () => {
  const gw = useTestGateway()
  const env = gw.env

  it('accepts a signed call.started and the call then takes utterances on the socket', async () => {
    const res = await postWebhook(gw.url, callStarted('c-wh-1', 'A2001', 'T02'))
    expect(res).toEqual({ status: 200, json: { ok: true, duplicate: false, type: 'call.started', callId: 'c-wh-1' } })
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(utterance('c-wh-1', 0, 'agent', '您好，这里是中国移动。'))
    await s.waitForAck('c-wh-1', 0)
    await s.close()
  })

  it('rejects a bad signature, a wrong secret and a stale timestamp with 401', async () => {
    const body = callStarted('c-wh-bad')
    const forged = await postWebhook(gw.url, body, { signature: 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })
    expect(forged.status).toBe(401)
    expect(forged.json).toMatchObject({ statusCode: 401, code: 'CQ_ERR_WEBHOOK_SIGNATURE' })
    const otherSecret = await postWebhook(gw.url, body, { secret: `whsec_${Buffer.from('another-secret-another-secret!!').toString('base64')}` })
    expect(otherSecret.status).toBe(401)
    const stale = await postWebhook(gw.url, body, { at: new Date(Date.now() - 6 * 60_000) })
    expect(stale.status).toBe(401)
    expect(stale.json.message).toMatch(/timestamp/i)
    const res = await fetch(`${gw.url}/v1/webhooks/telephony`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.status).toBe(401)
  })

  it('answers 400 naming the field of a bad body', async () => {
    const res = await postWebhook(gw.url, { ...callStarted('c-wh-400'), direction: 'sideways' })
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ code: 'CQ_ERR_INVALID_BODY' })
    expect(res.json.message).toMatch(/direction/)
    const utter = await postWebhook(gw.url, utterance('c-wh-400', 0, 'agent', '您好'))
    expect(utter.status).toBe(400)
    expect(utter.json.message).toMatch(/ingest socket/)
  })

  it('answers a replayed webhook-id with 2xx without doing the work twice', async () => {
    const supervisor = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supervisor.waitFor((m) => m.type === 'hello')
    const body = callStarted('c-wh-replay')
    const first = await postWebhook(gw.url, body, { id: 'msg_replay_1' })
    const again = await postWebhook(gw.url, body, { id: 'msg_replay_1' })
    expect(first.json.duplicate).toBe(false)
    expect(again).toMatchObject({ status: 200, json: { ok: true, duplicate: true } })
    await supervisor.waitFor((m) => m.type === 'call' && m.callId === 'c-wh-replay' && m.state === 'started')
    await new Promise((r) => setTimeout(r, 100))
    expect(supervisor.of('call').filter((m) => m.callId === 'c-wh-replay')).toHaveLength(1)
    await supervisor.close()
  })

  it('queues exactly one score job when call.ended comes from the socket, the webhook, and twice', async () => {
    const supervisor = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supervisor.waitFor((m) => m.type === 'hello')
    await postWebhook(gw.url, callStarted('c-wh-end'))
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(utterance('c-wh-end', 0, 'agent', '您好，我是中国移动客服，给您推荐5G套餐。'))
    s.send(utterance('c-wh-end', 1, 'customer', '不需要，谢谢。'))
    await s.waitForAck('c-wh-end', 1)
    const ended = { type: 'call.ended', callId: 'c-wh-end', endMs: 12_000, disposition: 'failed', at: new Date().toISOString() }
    const [a, b] = await Promise.all([postWebhook(gw.url, ended), postWebhook(gw.url, ended)])
    s.send(ended)
    s.send(ended)
    expect([a.status, b.status]).toEqual([200, 200])
    await supervisor.waitFor((m) => m.type === 'call' && m.callId === 'c-wh-end' && m.state === 'ended')
    await gw.app.callqa.registry.settled()
    const again = await postWebhook(gw.url, ended)
    expect(again.status).toBe(200)
    const queue = scoreQueue(env)
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])
    const mine = jobs.filter((j) => j.data.report.callId === 'c-wh-end')
    expect(mine).toHaveLength(1)
    expect(mine[0]!.id).toBe('c-wh-end')
    expect(mine[0]!.data.report).toMatchObject({ disposition: 'failed', endMs: 12_000 })
    expect(supervisor.of('call').filter((m) => m.callId === 'c-wh-end' && m.state === 'ended')).toHaveLength(1)
    await queue.close()
    await s.close()
    await supervisor.close()
  })
})
