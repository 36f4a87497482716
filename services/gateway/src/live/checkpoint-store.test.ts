import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import type { AlertMessage } from '@callqa/protocol'
import { connectRedis, redisKeys, scanKeys, unlinkKeys } from '@callqa/store'
import { TEST_REDIS_URL } from '../../../../test/redis-url.js'
import { CheckpointStore, MAX_CALLS_PER_RUN, type CheckpointWrite } from './checkpoint-store.js'

describe('checkpoint store: a flush of tens of thousands of calls', () => {
  const prefix = `test-livep-${randomUUID()}`
  const keys = redisKeys(prefix)
  const redis = connectRedis({ url: TEST_REDIS_URL, clusterNodes: [] }, { maxRetriesPerRequest: 2 })
  const store = new CheckpointStore({ redis, keys, instanceId: 'me', callStateTtlSeconds: 600, endedTtlSeconds: 600, alertStreamMax: 100_000, log: pino({ level: 'silent' }) })

  afterAll(async () => {
    for await (const found of scanKeys(redis, `${prefix}:*`)) await unlinkKeys(redis, found)
    await redis.quit()
  })

  // What a flush after a long stall of the event loop holds at 30,000 calls: once every argument of
  // one script run was spread onto the JS stack, and a run of 18,000 calls threw "Maximum call stack
  // size exceeded", so every call of the flush was refused and dropped from memory.
  it('writes every call, indexes them and records every alert, in runs the stack and Redis can take', async () => {
    const calls = 20_000
    const alertsEvery = 10
    const owners = redis.pipeline()
    for (let i = 0; i < calls; i++) owners.set(keys.callOwner(`c${i}`), 'me', 'EX', 600)
    await owners.exec()
    const writes: CheckpointWrite[] = []
    for (let i = 0; i < calls; i++) {
      const callId = `c${i}`
      const alerts: AlertMessage[] = i % alertsEvery === 0 ? [{ type: 'alert', alertId: `${callId}:f1`, callId } as AlertMessage] : []
      writes.push({
        callId,
        state: '',
        log: [`{"type":"utterance","callId":"${callId}","seq":0}`, `{"type":"utterance","callId":"${callId}","seq":1}`],
        info: '{"type":"call"}',
        refresh: true,
        alerts,
        alertJson: alerts.map((a) => JSON.stringify(a)),
        retractions: [],
      })
    }
    expect(calls).toBeGreaterThan(10 * MAX_CALLS_PER_RUN)
    const outcomes = await store.writeBatch(writes, Date.now())
    expect(outcomes.filter((o) => o !== 'written')).toEqual([])
    expect(outcomes).toHaveLength(calls)
    for (const i of [0, 499, 500, 19_999]) expect(await redis.lrange(keys.callLog(`c${i}`), 0, -1)).toHaveLength(2)
    // 'touch' only refreshes calls already in the index: none here, so none were added.
    expect(await redis.zcard(keys.liveCalls)).toBe(0)
    expect(await redis.xlen(keys.alertStream)).toBe(calls / alertsEvery)
  })

  it('answers a call this instance does not own as not-owner, whatever run it is in', async () => {
    const writes: CheckpointWrite[] = []
    for (let i = 0; i < 3 * MAX_CALLS_PER_RUN; i++) {
      writes.push({ callId: i === MAX_CALLS_PER_RUN + 7 ? 'someone-elses' : `c${i}`, state: '', log: ['{}'], info: '', refresh: false, alerts: [], alertJson: [], retractions: [] })
    }
    const outcomes = await store.writeBatch(writes, Date.now())
    expect(outcomes[MAX_CALLS_PER_RUN + 7]).toBe('not-owner')
    expect(outcomes.filter((o) => o === 'written')).toHaveLength(3 * MAX_CALLS_PER_RUN - 1)
  })
})
