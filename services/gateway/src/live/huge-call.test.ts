import { describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { redisKeys } from '@callqa/store'
import { callStarted, TestSocket, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'

/** A long utterance of realistic Chinese (no personal numbers), `chars` characters. */
function longText(chars: number, salt: number): string {
  const base = `您好这边是客服中心关于您反馈的第${salt}个问题我们已经记录下来了请您耐心等待处理结果`
  return base.repeat(Math.ceil(chars / base.length)).slice(0, chars)
}

async function snapshotChars(gw: ReturnType<typeof useTestGateway>): Promise<number> {
  const metric = await gw.app.callqa.metrics.checkpointBytes.get()
  return metric.values.find((v) => v.labels.part === 'snapshot')?.value ?? 0
}

describe('one huge call cannot stall the others', () => {
  const gw = useTestGateway({ CALLQA_MAX_CALL_TEXT_CHARS: '20000' })

  it('refuses utterances past the per-call text limit with a coded error and keeps the connection', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send([callStarted('c-huge'), callStarted('c-small')])
    for (let seq = 0; seq < 5; seq++) s.send(utterance('c-huge', seq, 'agent', longText(4000, seq)))
    for (let seq = 0; seq < 5; seq++) await s.waitForAck('c-huge', seq)
    s.send(utterance('c-huge', 5, 'agent', longText(4000, 5)))
    const err = await s.waitFor((m) => m.type === 'error' && m.seq === 5)
    expect(err).toMatchObject({ code: 'CQ_ERR_CALL_TOO_LONG', callId: 'c-huge' })
    expect(String(err.message)).toContain('CALLQA_MAX_CALL_TEXT_CHARS')
    // Other calls on the same connection go on; the huge call can still end and be scored.
    s.send(utterance('c-small', 0, 'agent', '您好'))
    await s.waitForAck('c-small', 0)
    s.send({ type: 'call.ended', callId: 'c-huge', endMs: 30_000, disposition: 'success' })
    await s.close()
  })

  it('writes checkpoints in proportion to what changed, not a growing snapshot every few events', async () => {
    const callId = 'c-long'
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted(callId))
    const before = await snapshotChars(gw)
    const events = 400
    for (let from = 0; from < events; from += 20) {
      const frame = []
      for (let seq = from; seq < from + 20; seq++) frame.push(utterance(callId, seq, seq % 2 ? 'customer' : 'agent', longText(40, seq)))
      s.send(frame)
      await s.waitForAck(callId, from + 19)
    }
    const written = (await snapshotChars(gw)) - before
    const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    const keys = redisKeys(gw.env.CALLQA_REDIS_PREFIX)
    const finalState = (await redis.get(keys.callState(callId))) ?? ''
    const logLength = await redis.llen(keys.callLog(callId))
    await redis.quit()
    // Snapshots at 40, 80, 160, 320 events: less than twice the last one. A snapshot every 40 events
    // would have written ten growing snapshots, about five times the last one.
    expect(finalState.length).toBeGreaterThan(0)
    expect(written).toBeLessThan(2 * finalState.length)
    // The log holds what came after the last snapshot, never more events than the snapshot has.
    expect(logLength).toBe(events - 320)
    await s.close()
  })

  it("answers every utterance of another call, and of every flooding call, while calls stream at the text limit", async () => {
    const flood = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    const quiet = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    const floodCalls = 12
    const perCall = 8
    flood.send(Array.from({ length: floodCalls }, (_, c) => callStarted(`c-flood-${c}`)))
    quiet.send(callStarted('c-quiet'))
    await quiet.waitFor(() => false, 100).catch(() => {})
    // Each flood call sends 8 utterances of 4,000 characters: 5 reach its limit, 3 are refused.
    for (let seq = 0; seq < perCall; seq++) {
      for (let c = 0; c < floodCalls; c++) flood.send(utterance(`c-flood-${c}`, seq, 'agent', longText(4000, seq * 100 + c)))
    }
    for (let seq = 0; seq < 3; seq++) {
      quiet.send(utterance('c-quiet', seq, 'customer', '好的，谢谢'))
      await quiet.waitForAck('c-quiet', seq)
    }
    await flood.waitFor((m) => m.type === 'error' && m.callId === `c-flood-${floodCalls - 1}` && m.seq === perCall - 1, 30_000)
    await flood.waitFor(() => flood.of('ack').length + flood.of('error').length === floodCalls * perCall, 30_000).catch(() => {})
    expect(flood.of('ack').length).toBe(floodCalls * 5)
    expect(flood.of('error').every((m) => m.code === 'CQ_ERR_CALL_TOO_LONG')).toBe(true)
    // Every quiet round trip completed while the flood streamed. How prompt they are is not asserted
    // here (the capped flood is cheap enough to be answered first); bench:live measures latency.
    expect(quiet.of('ack').length).toBe(3)
    await flood.close()
    await quiet.close()
  })
})
