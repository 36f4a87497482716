import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRedis, redisKeys, type RedisConnection } from '@callqa/store'
import { loadConfig } from '../config.js'
import { callStarted, scoreQueue, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'

// A flush window long enough that every end of one frame lands in one batch (finishCalls gets them together).
const gw = useTestGateway({ CALLQA_FLUSH_INTERVAL_MS: '30', CALLQA_SWEEP_INTERVAL_MS: '3600000' })

describe('the ends of one flush, finished together', () => {
  let redis: RedisConnection
  beforeAll(() => {
    const config = loadConfig(gw.env)
    redis = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes }, { maxRetriesPerRequest: 2 })
  })
  afterAll(() => redis.quit())

  it('queues one score job per call, removes every call from the live index and tells supervisors once each', async () => {
    const keys = redisKeys(loadConfig(gw.env).keyPrefix)
    const calls = Array.from({ length: 40 }, (_, i) => `c-bulk-${i}`)
    const sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(calls.flatMap((c) => [callStarted(c), utterance(c, 0, 'agent', '您好，这里是中国移动，请问是张先生吗？')]))
    for (const c of calls) await s.waitForAck(c, 0)
    expect(await redis.zcard(keys.liveCalls)).toBe(calls.length)

    // Every end in one frame, and the second half's ends sent again in the next: repeats are harmless.
    s.send(calls.map((c, i) => ({ type: 'call.ended', callId: c, endMs: 9000 + i, disposition: 'success' })))
    s.send(calls.slice(20).map((c) => ({ type: 'call.ended', callId: c, endMs: 9500, disposition: 'success' })))
    for (const c of calls) await sup.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === c)

    const queue = scoreQueue(gw.env)
    try {
      for (const [i, c] of calls.entries()) {
        const job = await queue.getJob(c)
        expect(job?.data.report, c).toMatchObject({ callId: c, disposition: 'success', endMs: 9000 + i })
      }
      expect(await queue.count()).toBe(calls.length)
    } finally {
      await queue.close()
    }
    expect(await redis.zcard(keys.liveCalls)).toBe(0)
    expect(await redis.hlen(keys.liveCallInfo)).toBe(0)
    for (const c of calls) {
      expect(await redis.exists(keys.callEnded(c), keys.callState(c), keys.callLog(c), keys.callOwner(c)), c).toBe(1)
      expect(gw.app.callqa.registry.isLive(c)).toBe(false)
    }
    // Once each, and an utterance after the end is refused.
    await new Promise((r) => setTimeout(r, 200))
    for (const c of calls) expect(sup.messages.filter((m) => m.type === 'call' && m.state === 'ended' && m.callId === c), c).toHaveLength(1)
    s.send(utterance(calls[0]!, 1, 'agent', '喂？'))
    await s.waitFor((m) => m.type === 'error' && m.code === 'CQ_ERR_CALL_ENDED' && m.callId === calls[0])
    await s.close()
    await sup.close()
  })
})
