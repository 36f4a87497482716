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

describe('live calls: idle sweep and limits', () => {
  const gw = useTestGateway({ CALLQA_IDLE_TIMEOUT_MS: '400', CALLQA_SWEEP_INTERVAL_MS: '100', CALLQA_MAX_CALLS_PER_CONNECTION: '2' })
  const env = gw.env

  it('closes a call that sends nothing as abandoned, with one score job, and frees its memory', async () => {
    const sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted('c-idle'))
    s.send(utterance('c-idle', 0, 'agent', '您好，请问是张先生吗？'))
    await s.waitForAck('c-idle', 0)
    const ended = await sup.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === 'c-idle')
    expect(ended).toMatchObject({ disposition: 'abandoned' })
    expect(gw.app.callqa.registry.isLive('c-idle')).toBe(false)
    const queue = scoreQueue(env)
    const job = await queue.getJob('c-idle')
    expect(job?.data.report).toMatchObject({ callId: 'c-idle', disposition: 'abandoned' })
    await queue.close()
    s.send(utterance('c-idle', 1, 'agent', '喂？'))
    await s.waitFor((m) => m.type === 'error' && m.code === 'CQ_ERR_CALL_ENDED' && m.seq === 1)
    // A call started by webhook and never heard of again is closed too.
    await postWebhook(gw.url, callStarted('c-idle-wh'))
    await sup.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === 'c-idle-wh')
    await s.close()
    await sup.close()
  })

  it('refuses more live calls on one connection than CALLQA_MAX_CALLS_PER_CONNECTION', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send([callStarted('c-lim-1'), callStarted('c-lim-2'), callStarted('c-lim-3')])
    const err = await s.waitFor((m) => m.type === 'error')
    expect(err).toMatchObject({ code: 'CQ_ERR_TOO_MANY_CALLS', callId: 'c-lim-3' })
    s.send(utterance('c-lim-2', 0, 'agent', '您好'))
    await s.waitForAck('c-lim-2', 0)
    await s.close()
  })
})

describe('ingest rate limit', () => {
  const gw = useTestGateway({ CALLQA_INGEST_EVENTS_PER_SECOND: '5', CALLQA_INGEST_BURST_EVENTS: '20' })

  it('closes a connection past its rate limit with 1008 after saying why', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    for (let i = 0; i < 30; i++) s.send('{"type":"ping"}')
    expect(await s.closed).toBe(1008)
    expect(s.messages.at(-1)).toMatchObject({ type: 'error', code: 'CQ_ERR_RATE_LIMITED' })
  })
})
