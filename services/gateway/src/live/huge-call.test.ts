import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { redisKeys } from '@callqa/store'
import { PrivateRedis, until } from '../../../../test/aggregator-helpers.js'
import { callStarted, startGateway, testEnv, TestSocket, TEST_INGEST_TOKEN, utterance, useTestGateway, type TestGateway } from '../testing.js'

/** A long utterance of realistic Chinese (no personal numbers), `chars` characters. */
function longText(chars: number, salt: number): string {
  const base = `您好这边是客服中心关于您反馈的第${salt}个问题我们已经记录下来了请您耐心等待处理结果`
  return base.repeat(Math.ceil(chars / base.length)).slice(0, chars)
}

/** Bytes this Redis has received from all its clients (only the test's gateway talks to it). */
async function redisInputBytes(redis: Redis): Promise<number> {
  const info = await redis.info('stats')
  return Number(/total_net_input_bytes:(\d+)/.exec(info)![1])
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
})

/**
 * Measured where the cost lands: a private Redis that only this gateway talks to, so every byte it
 * receives is the gateway's. A snapshot rewritten every 40 events (the old checkpoint) makes the
 * bytes per event grow with the call (quadratic in all); a snapshot at doubling intervals keeps
 * them flat, and the per-call text cap bounds what one call can ever make Redis hold.
 */
describe('checkpoint bytes in Redis stay in proportion to the call', () => {
  const redisServer = new PrivateRedis({ appendOnly: false })
  let redis: Redis
  let gw: TestGateway
  let env: Record<string, string>

  beforeAll(async () => {
    await redisServer.start()
    redis = new Redis(redisServer.url)
    env = testEnv({ REDIS_URL: redisServer.url })
    gw = await startGateway(env)
  })
  afterAll(async () => {
    await gw?.close()
    await redis?.quit()
    await redisServer.stop()
  })

  it('receives as many bytes per event over events 200 to 1,000 as over the first 200', async () => {
    const callId = 'c-long'
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted(callId))
    const frameEvents = 20
    const marks = new Map<number, number>()
    let sentBytes = 0
    marks.set(0, await redisInputBytes(redis))
    for (let from = 0; from < 1000; from += frameEvents) {
      const frame = []
      // 100 characters in 50 s (120 a minute), one after the other: a call that raises no alert.
      for (let seq = from; seq < from + frameEvents; seq++) frame.push({ ...utterance(callId, seq, seq % 2 ? 'customer' : 'agent', longText(100, seq), seq * 51_000), endMs: seq * 51_000 + 50_000 })
      const json = JSON.stringify(frame)
      sentBytes += Buffer.byteLength(json)
      s.send(json)
      await s.waitForAck(callId, from + frameEvents - 1)
      if ((from + frameEvents) % 100 === 0) marks.set(from + frameEvents, await redisInputBytes(redis))
    }
    const perEvent = (from: number, to: number) => (marks.get(to)! - marks.get(from)!) / (to - from)
    const early = perEvent(0, 200)
    const late = perEvent(200, 1000)
    const keys = redisKeys(env.CALLQA_REDIS_PREFIX!)
    const logLength = await redis.llen(keys.callLog(callId))
    // Per event, in log entries: doubling snapshots (at 40, 80, 160, 320, 640) 1+1.4r over the first
    // 200, 1+1.2r over the rest (r: a snapshot's bytes per event over a log entry's, about 0.9);
    // measured 916 and 914 bytes. A snapshot every 40 events: 1+3r, then 1+15.5r (1,485 and 6,508).
    expect(late).toBeLessThan(1.5 * early)
    // In all, Redis got the log (about what the call sent) and snapshots of at most twice the call:
    // 2.2 times what the call sent, measured; every 40 events it is about 12 times.
    expect(marks.get(1000)! - marks.get(0)!).toBeLessThan(3 * sentBytes)
    // The log holds what came after the last snapshot (at 640 events).
    expect(logLength).toBe(1000 - 640)
    await s.close()
  })

  it("refuses the issue's huge call (2,500 utterances of 4,000 characters) at the text limit while another call's acks keep arriving", { timeout: 120_000 }, async () => {
    const huge = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    const quiet = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    huge.send(callStarted('c-huge'))
    quiet.send(callStarted('c-quiet'))
    const total = 2500
    const window = 100
    const limit = gw.config.maxCallTextChars
    const atStart = await redisInputBytes(redis)
    let acceptedBytes = 0
    for (let from = 0; from < total; from += window) {
      for (let seq = from; seq < from + window; seq++) {
        // One after the other, 34 s apart: the whole call fits in the protocol's 24 h.
        const u = { ...utterance('c-huge', seq, 'agent', longText(4000, seq), seq * 34_000), endMs: seq * 34_000 + 33_000 }
        const json = JSON.stringify(u)
        if ((seq + 1) * 4000 <= limit) acceptedBytes += Buffer.byteLength(json)
        huge.send(json)
      }
      // While the huge call's window is on its way, the quiet call sends one line and must get its
      // ack before the huge call sends on: the two streams interleave, 25 quiet acks in all.
      const q = from / window
      quiet.send({ ...utterance('c-quiet', q, q % 2 ? 'agent' : 'customer', '好的，谢谢', q * 5000), endMs: q * 5000 + 2500 })
      await quiet.waitForAck('c-quiet', q)
      await huge.waitFor((m) => (m.type === 'ack' || m.type === 'error') && m.seq === from + window - 1, 30_000)
    }
    const accepted = limit / 4000
    expect(huge.of('ack').map((m) => m.seq)).toEqual(Array.from({ length: accepted }, (_, i) => i))
    const refused = huge.of('error')
    expect(refused.map((m) => m.seq)).toEqual(Array.from({ length: total - accepted }, (_, i) => accepted + i))
    expect(refused.every((m) => m.code === 'CQ_ERR_CALL_TOO_LONG' && m.callId === 'c-huge')).toBe(true)
    expect(quiet.of('ack')).toHaveLength(total / window)
    expect(quiet.of('error')).toEqual([])
    // What the huge call cost Redis is bounded by the limit, not by what it sent (30 MB): its log and
    // snapshots, under three times the accepted utterances (a snapshot every 40 events of a call
    // without a limit: hundreds of megabytes).
    expect((await redisInputBytes(redis)) - atStart).toBeLessThan(3 * acceptedBytes)
    const keys = redisKeys(env.CALLQA_REDIS_PREFIX!)
    expect(await redis.strlen(keys.callState('c-huge'))).toBeLessThan(1.5 * acceptedBytes)
    // The huge call still ends (its checkpoint is replaced by the ended mark once its score job is queued).
    huge.send({ type: 'call.ended', callId: 'c-huge', endMs: total * 34_000, disposition: 'success' })
    await until('the huge call to end', async () => (await redis.exists(keys.callEnded('c-huge'))) === 1, 10_000)
    await huge.close()
    await quiet.close()
  })
})
