import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '@callqa/protocol'
import {
  callStarted,
  scoreQueue,
  TestSocket,
  TEST_ADMIN_TOKEN,
  TEST_INGEST_TOKEN,
  utterance,
  useTestGateway,
} from '../testing.js'

describe('ingest socket', () => {
  const gw = useTestGateway()
  const env = gw.env

  it('refuses the upgrade without a valid bearer token', async () => {
    await expect(TestSocket.open(`${gw.wsUrl}/v1/ingest`, 'wrong')).rejects.toThrow(/401/)
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest?token=${TEST_INGEST_TOKEN}`, '')
    await s.close()
  })

  it('pushes an alert to a supervisor after the offending utterance, and acknowledges it', async () => {
    const supervisor = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supervisor.waitFor((m) => m.type === 'hello')
    const ingest = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    ingest.send(callStarted('c-alert-1'))
    ingest.send(utterance('c-alert-1', 0, 'agent', '您好，这里是中国移动客服，请问是王先生吗？'))
    ingest.send(utterance('c-alert-1', 1, 'customer', '是的，我的流量怎么又超了？'))
    await ingest.waitForAck('c-alert-1', 1)
    expect(supervisor.of('alert')).toHaveLength(0)
    ingest.send(utterance('c-alert-1', 2, 'agent', '这个我也不知道，你找领导去吧。'))
    const alert = await supervisor.waitFor((m) => m.type === 'alert' && m.rule === 'forbidden_phrase')
    expect(alert).toMatchObject({ callId: 'c-alert-1', agentId: 'A1001', teamId: 'T01', severity: 'critical', seq: 2 })
    expect(typeof alert.alertId).toBe('string')
    await ingest.waitForAck('c-alert-1', 2)
    await ingest.close()
    await supervisor.close()
  })

  it('acknowledges a resent utterance again without processing it twice, across a reconnect', async () => {
    const supervisor = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supervisor.waitFor((m) => m.type === 'hello')
    const first = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    first.send(callStarted('c-resend'))
    first.send(utterance('c-resend', 0, 'agent', '您好，我是10086客服小李。'))
    first.send(utterance('c-resend', 1, 'agent', '你问我，我问谁？'))
    await first.waitForAck('c-resend', 1)
    await supervisor.waitFor((m) => m.type === 'alert' && m.callId === 'c-resend')
    first.ws.terminate()
    const second = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    second.send([utterance('c-resend', 0, 'agent', '您好，我是10086客服小李。'), utterance('c-resend', 1, 'agent', '你问我，我问谁？')])
    await second.waitForAck('c-resend', 0)
    await second.waitForAck('c-resend', 1)
    second.send(utterance('c-resend', 2, 'customer', '那我的宽带什么时候能修好？'))
    await second.waitForAck('c-resend', 2)
    second.send({ type: 'call.ended', callId: 'c-resend', endMs: 20_000, disposition: 'success' })
    await supervisor.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === 'c-resend')
    const alerts = supervisor.of('alert').filter((m) => m.callId === 'c-resend' && m.rule === 'forbidden_phrase')
    expect(alerts).toHaveLength(1)
    const queue = scoreQueue(env)
    const job = await queue.getJob('c-resend')
    expect(job?.data.report.callId).toBe('c-resend')
    expect(job?.data.report.metrics.utterances).toBe(3)
    await queue.close()
    await second.close()
    await supervisor.close()
  })

  it('refuses a start of a call that has ended and leaves it out of the live index', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted('c-restart'))
    s.send(utterance('c-restart', 0, 'agent', '您好'))
    await s.waitForAck('c-restart', 0)
    const { redis, keys } = gw.app.callqa
    expect(await redis.zscore(keys.liveCalls, 'c-restart')).not.toBeNull()
    expect(await redis.hget(keys.liveCallInfo, 'c-restart')).toContain('"state":"started"')
    s.send({ type: 'call.ended', callId: 'c-restart', endMs: 5000, disposition: 'success' })
    // The end leaves the index once its score job is queued.
    for (let i = 0; i < 200 && (await redis.zscore(keys.liveCalls, 'c-restart')) !== null; i++) await new Promise((r) => setTimeout(r, 10))
    expect(await redis.zscore(keys.liveCalls, 'c-restart')).toBeNull()
    s.send(callStarted('c-restart'))
    await s.waitFor((m) => m.type === 'error' && m.code === ErrorCodes.CALL_ENDED && m.callId === 'c-restart')
    expect(await redis.zscore(keys.liveCalls, 'c-restart')).toBeNull()
    expect(await redis.hget(keys.liveCallInfo, 'c-restart')).toBeNull()
    await s.close()
  })

  it('answers every kind of bad frame with its own code and keeps the connection open', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send('{not json')
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    s.send(JSON.stringify({ type: 'utterance', callId: 'x', pad: 'a'.repeat(70 * 1024) }))
    s.send({ type: 'call.transferred', callId: 'c-bad' })
    s.send({ type: 'utterance', callId: 'c-bad', seq: -1, speaker: 'agent', text: '您好', startMs: 0, endMs: 10 })
    s.send(utterance('c-never-started', 0, 'agent', '您好'))
    s.send(Array.from({ length: 501 }, () => ({ type: 'call.ended' })))
    const codes = [ErrorCodes.NOT_JSON, ErrorCodes.BINARY_FRAME, ErrorCodes.FRAME_TOO_LARGE, ErrorCodes.UNKNOWN_EVENT_TYPE, ErrorCodes.INVALID_EVENT, ErrorCodes.UNKNOWN_CALL, ErrorCodes.BATCH_TOO_LARGE]
    for (const code of codes) await s.waitFor((m) => m.type === 'error' && m.code === code)
    const invalid = s.messages.find((m) => m.code === ErrorCodes.INVALID_EVENT)!
    expect(invalid.message).toMatch(/seq/)
    expect(invalid).toMatchObject({ callId: 'c-bad', seq: -1 })
    expect(s.messages.find((m) => m.code === ErrorCodes.UNKNOWN_CALL)).toMatchObject({ callId: 'c-never-started', seq: 0 })
    // Still open: a good call goes through.
    s.send(callStarted('c-after-bad'))
    s.send(utterance('c-after-bad', 0, 'agent', '您好'))
    await s.waitForAck('c-after-bad', 0)
    s.send(utterance('c-after-bad', 1, 'agent', '好的'))
    s.send({ type: 'call.ended', callId: 'c-after-bad', endMs: 9000, disposition: 'success' })
    await s.waitForAck('c-after-bad', 1)
    await new Promise((r) => setTimeout(r, 50))
    s.send(utterance('c-after-bad', 2, 'agent', '还在吗'))
    await s.waitFor((m) => m.type === 'error' && m.code === ErrorCodes.CALL_ENDED && m.seq === 2)
    await s.close()
  })
})
