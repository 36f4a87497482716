import { describe, expect, it } from 'vitest'
import { callStarted, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, type TestGateway, useTestGateway } from '../testing.js'

describe('ASR ingest socket', () => {
  const gw = useTestGateway()

  it('checks a FunASR 2pass stream: the partial and its corrected sentence raise the alert once', async () => {
    const sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    const control = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    control.send(callStarted('c-funasr'))
    await sup.waitFor((m) => m.type === 'call' && m.callId === 'c-funasr')
    const asr = await TestSocket.open(`${gw.wsUrl}/v1/ingest/asr/funasr?callId=c-funasr&speaker=agent`, TEST_INGEST_TOKEN)
    asr.send({ mode: '2pass-online', text: '您好', wav_name: 'agent', is_final: false })
    asr.send({ mode: '2pass-offline', text: '您好，中国移动。', wav_name: 'agent', is_final: false })
    asr.send({ mode: '2pass-online', text: '这个我', wav_name: 'agent', is_final: false })
    asr.send({ mode: '2pass-online', text: '不知道', wav_name: 'agent', is_final: false })
    asr.send({ mode: '2pass-offline', text: '这个我不知道。', wav_name: 'agent', is_final: false })
    await asr.waitForAck('c-funasr', 2)
    await asr.waitFor((m) => m.type === 'ack' && m.seq === 2 && asr.of('ack').filter((a) => a.seq === 2).length >= 3)
    // Supervisor messages are gathered for a few ms (CALLQA_SUPERVISOR_PUSH_WINDOW_MS): wait for the
    // alert, then well past one window, so a second copy would have arrived.
    await sup.waitFor((m) => m.type === 'alert' && m.rule === 'forbidden_phrase')
    await new Promise((r) => setTimeout(r, 100))
    const alerts = sup.of('alert').filter((m) => m.rule === 'forbidden_phrase')
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ callId: 'c-funasr', seq: 2, phrase: '不知道' })
    asr.send('not json')
    await asr.waitFor((m) => m.type === 'error' && m.code === 'CQ_ERR_NOT_JSON')
    asr.send({ mode: 'whatever', text: 'x' })
    await asr.waitFor((m) => m.type === 'error' && m.code === 'CQ_ERR_INVALID_ASR_MESSAGE')
    await asr.close()
    await control.close()
    await sup.close()
  })

  it('gives a reconnected channel a new seq block, so its sentences are not taken for resends', async () => {
    const sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    const control = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    control.send(callStarted('c-vosk-reconnect'))
    await sup.waitFor((m) => m.type === 'call' && m.callId === 'c-vosk-reconnect')
    const url = `${gw.wsUrl}/v1/ingest/asr/vosk?callId=c-vosk-reconnect&speaker=agent`
    const first = await TestSocket.open(url, TEST_INGEST_TOKEN)
    first.send({ result: [{ conf: 1, start: 0.3, end: 1.5, word: '您好' }], text: '您好 中国移动' })
    await first.waitForAck('c-vosk-reconnect', 0)
    await first.close()
    const second = await TestSocket.open(`${url}&offsetMs=60000`, TEST_INGEST_TOKEN)
    second.send({ result: [{ conf: 1, start: 0.2, end: 1.1, word: '这个' }], text: '这个 我 不知道' })
    await second.waitForAck('c-vosk-reconnect', 20_000)
    const alert = await sup.waitFor((m) => m.type === 'alert' && m.callId === 'c-vosk-reconnect' && m.rule === 'forbidden_phrase')
    expect(alert).toMatchObject({ seq: 20_000, phrase: '不知道' })
    await second.close()
    await control.close()
    await sup.close()
  })

  it('refuses an unknown format or a missing callId before the upgrade', async () => {
    await expect(TestSocket.open(`${gw.wsUrl}/v1/ingest/asr/kaldi?callId=c1&speaker=agent`, TEST_INGEST_TOKEN)).rejects.toThrow(/400/)
    await expect(TestSocket.open(`${gw.wsUrl}/v1/ingest/asr/vosk?speaker=agent`, TEST_INGEST_TOKEN)).rejects.toThrow(/400/)
  })
})
