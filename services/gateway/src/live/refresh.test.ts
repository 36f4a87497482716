import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRedis, redisKeys, type RedisConnection } from '@callqa/store'
import { loadConfig } from '../config.js'
import { callStarted, TestSocket, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'
import { liveRefreshMs } from './flush.js'

// The registry's wall clock is stepped by hand: refreshes are decided by it, not by real time. No
// `call` live updates in between (each one also writes the activity score, as fresh as it gets).
let now = 1_800_000_000_000
const gw = useTestGateway({ CALLQA_SWEEP_INTERVAL_MS: '3600000', CALLQA_SNAPSHOT_EVERY_EVENTS: '4', CALLQA_LIVE_UPDATE_INTERVAL_MS: '3600000' }, { clock: () => now })

describe('refreshing live-call TTLs and the activity score at most every liveRefreshMs', () => {
  let redis: RedisConnection
  beforeAll(() => {
    const config = loadConfig(gw.env)
    redis = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes }, { maxRetriesPerRequest: 2 })
  })
  afterAll(() => redis.quit())

  it('skips the refresh within the interval, never for longer, and the sweep waits for the lag', async () => {
    const config = loadConfig(gw.env)
    const n = liveRefreshMs(config)
    expect(n).toBe(15_000)
    const keys = redisKeys(config.keyPrefix)
    const callKeys = [keys.callOwner('c-rf'), keys.callState('c-rf'), keys.callLog('c-rf')]
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    const t0 = now
    s.send([callStarted('c-rf'), utterance('c-rf', 0, 'agent', '您好')])
    await s.waitForAck('c-rf', 0)
    expect(Number(await redis.zscore(keys.liveCalls, 'c-rf'))).toBe(t0)
    // As if the TTLs had run down for a while: a refresh puts them back to the full TTL.
    for (const key of callKeys) await redis.expire(key, 1000)

    now = t0 + n - 1
    s.send(utterance('c-rf', 1, 'agent', '请问是张先生吗'))
    await s.waitForAck('c-rf', 1)
    expect(Number(await redis.zscore(keys.liveCalls, 'c-rf'))).toBe(t0)
    for (const key of callKeys) expect(await redis.ttl(key), key).toBeLessThanOrEqual(1000)

    now = t0 + n
    s.send(utterance('c-rf', 2, 'agent', '好的'))
    await s.waitForAck('c-rf', 2)
    expect(Number(await redis.zscore(keys.liveCalls, 'c-rf'))).toBe(t0 + n)
    for (const key of callKeys) expect(await redis.ttl(key), key).toBeGreaterThan(1000)

    // An event inside the interval leaves the score n - 1 behind it: the sweep must not close the
    // call before it has been silent for the idle timeout.
    now = t0 + 2 * n - 1
    s.send(utterance('c-rf', 3, 'agent', '您还在吗'))
    await s.waitForAck('c-rf', 3)
    expect(Number(await redis.zscore(keys.liveCalls, 'c-rf'))).toBe(t0 + n)
    expect(await gw.app.callqa.registry.sweepIdle(now + config.idleTimeoutMs - 1)).toBe(0)
    expect(gw.app.callqa.registry.isLive('c-rf')).toBe(true)
    await s.close()
  })

  it('gives a log the flush creates (after a snapshot deleted it) a TTL at once, refresh or not', async () => {
    const config = loadConfig(gw.env)
    const keys = redisKeys(config.keyPrefix)
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted('c-rf-log'))
    // Snapshots every 4, 8, 16 events: the log is deleted and created again several times, all within one interval.
    for (let seq = 0; seq < 20; seq++) {
      s.send(utterance('c-rf-log', seq, 'customer', '嗯'))
      await s.waitForAck('c-rf-log', seq)
      const ttl = await redis.ttl(keys.callLog('c-rf-log'))
      // -2: no log (just snapshotted); -1 would be a log that never expires.
      expect(ttl === -2 || ttl > 0, `log TTL after seq ${seq}: ${ttl}`).toBe(true)
    }
    await s.close()
  })
})
