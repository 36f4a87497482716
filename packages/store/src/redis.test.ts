/**
 * The Redis Cluster rules of keys.ts and the connection settings, without a server: every key a
 * script or MULTI touches together hashes to one slot; seed nodes and BullMQ prefixes are checked.
 * (The same on a real three-master cluster: test/redis-cluster.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { DEFAULT_BULL_PREFIX, redisKeys } from './keys.js'
import { groupBySlot, hasHashTag, keySlot, parseRedisClusterNodes } from './redis.js'

describe('keys.ts on a Redis Cluster', () => {
  const keys = redisKeys('test-prefix')

  it('puts every key of one call in one slot, and different calls in different slots', () => {
    for (const callId of ['c-1', 'c-20261129-0005', 'a:b@c.d', 'x'.repeat(128)]) {
      const slots = new Set([keys.callState, keys.callEnded, keys.callLog, keys.callOwner].map((k) => keySlot(k(callId))))
      slots.add(keySlot(keys.asrStreams(callId, 'agent')))
      expect(slots.size).toBe(1)
    }
    const many = new Set(Array.from({ length: 200 }, (_, i) => keySlot(keys.callState(`c-${i}`))))
    expect(many.size).toBeGreaterThan(150)
  })

  it('gives each shared structure a fixed slot: live index, alerts, login counters', () => {
    expect(keySlot(keys.liveCalls)).toBe(keySlot(keys.liveCallInfo))
    expect(new Set([keys.alertStream, keys.alertAcks, keys.alert('c-1:f-3'), keys.alert('c-9:f-1'), keys.alertRetracted('c-1:f-3')].map(keySlot)).size).toBe(1)
    expect(new Set([keys.loginAttempts('pair', 'wang\n10.0.0.1'), keys.loginAttempts('user', 'wang'), keys.loginAttempts('ip', '10.0.0.1')].map(keySlot)).size).toBe(1)
  })

  it('tags the default BullMQ prefix, so a queue is one slot', () => {
    expect(hasHashTag(DEFAULT_BULL_PREFIX)).toBe(true)
    expect(keySlot(`${DEFAULT_BULL_PREFIX}:score:wait`)).toBe(keySlot(`${DEFAULT_BULL_PREFIX}:score:c-1`))
    expect(hasHashTag('bull')).toBe(false)
    expect(hasHashTag('{}bull')).toBe(false)
    expect(hasHashTag('x-{t}')).toBe(true)
  })
})

describe('CALLQA_REDIS_CLUSTER', () => {
  it('reads seed nodes, IPv6 included', () => {
    expect(parseRedisClusterNodes('10.0.0.1:7000, redis-b:7001,[::1]:7002')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    })
  })

  it('names the bad entry', () => {
    expect(parseRedisClusterNodes('10.0.0.1:7000,redis://x:1')).toEqual({ problem: expect.stringContaining('"redis://x:1"') })
    expect(parseRedisClusterNodes('h:70000')).toEqual({ problem: expect.stringContaining('"h:70000"') })
    expect(parseRedisClusterNodes(' , ')).toEqual({ problem: expect.stringContaining('names no node') })
  })

  it('keeps a whole batch as one group on a single Redis', () => {
    const single = new Redis({ lazyConnect: true })
    expect(groupBySlot(single, ['a', 'b', 'c'], (x) => x)).toEqual([['a', 'b', 'c']])
    single.disconnect()
  })
})
