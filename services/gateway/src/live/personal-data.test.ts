import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'
import type { Utterance } from '@callqa/protocol'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { callStarted, cleanupRedis, scoreQueue, testEnv, testRulebook, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, utterance } from '../testing.js'

// A mobile, a resident ID (valid check digit) and a bank card (passes Luhn), as digit strings.
const MOBILE = '13957246813'
const ID = '440308199901010012'
const CARD = '6222021234567890128'

const NUMERALS: Record<string, string> = { 零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 壹: '1', 二: '2', 两: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 拐: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 勾: '9', 玖: '9' }

/** What a stored value says once renderings are undone: numerals to digits, separators dropped. */
function digitsOf(value: string): string {
  let out = ''
  for (const ch of value) {
    const c = ch.charCodeAt(0)
    if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 0x30)
    else if (NUMERALS[ch]) out += NUMERALS[ch]
    else if (!/[\s,，.．、\-－"\\]/.test(ch)) out += ch
  }
  return out
}

function leaks(value: string): string[] {
  const digits = digitsOf(value)
  return [MOBILE, ID, CARD].filter((n) => digits.includes(n))
}

/** Every value under the test's prefixes, as text (strings, lists, hashes, sets, zsets, streams). */
async function everyStoredValue(redis: Redis, patterns: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const pattern of patterns) {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', '1000')
      cursor = next
      for (const key of keys) {
        const type = await redis.type(key)
        let value: unknown
        if (type === 'string') value = await redis.get(key)
        else if (type === 'list') value = await redis.lrange(key, 0, -1)
        else if (type === 'hash') value = await redis.hgetall(key)
        else if (type === 'set') value = await redis.smembers(key)
        else if (type === 'zset') value = await redis.zrange(key, '0', '-1')
        else if (type === 'stream') value = await redis.xrange(key, '-', '+')
        out.set(`${key} (${type})`, `${key} ${JSON.stringify(value)}`)
      }
    } while (cursor !== '0')
  }
  return out
}

describe('personal data never reaches Redis or the logs in clear', () => {
  const env = testEnv({ CALLQA_SNAPSHOT_EVERY_EVENTS: '6', LOG_LEVEL: 'debug' })
  const logLines: string[] = []
  let app: FastifyInstance
  let wsUrl = ''
  const redis = new Redis('redis://127.0.0.1:6379')

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString())
        done()
      },
    })
    app = await buildApp({ ...loadConfig(env), port: 0 }, { rulebook: testRulebook(), logger: { level: 'debug', stream } })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    wsUrl = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  })
  afterAll(async () => {
    await app.close()
    await cleanupRedis(env)
    await redis.quit()
  })

  it('masks every rendering of a mobile, ID or card number, in text and words, during and after the call', async () => {
    const callId = 'c-pii'
    const renderings = [
      `我的手机是${MOBILE}`,
      '号码是139，5724，6813',
      '幺三九五七二四六八幺三',
      '一三九 五七二四 六八一三',
      '壹叁玖伍柒贰肆陆捌壹叁',
      '139.五七二四.陆捌1三',
      `身份证${ID.slice(0, 6)}  ${ID.slice(6, 14)}  ${ID.slice(14)}`,
      '卡号6222-0212-3456-7890-128',
    ]
    const events: Utterance[] = renderings.map((text, seq) => utterance(callId, seq, 'customer', text))
    // An ASR that gives each digit group its own word.
    events.push({
      ...utterance(callId, renderings.length, 'customer', '139 5724 6813'),
      words: [
        { text: '139', startMs: 0, endMs: 300 },
        { text: '5724', startMs: 300, endMs: 700 },
        { text: '6813', startMs: 700, endMs: 1000 },
      ],
    })
    events.push({ ...utterance(callId, renderings.length + 1, 'customer', `再说一遍${MOBILE}`, 40_000, false) })

    const sup = await TestSocket.open(`${wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    const s = await TestSocket.open(`${wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send(callStarted(callId))
    for (const e of events) s.send(e)
    for (const e of events) await s.waitForAck(callId, e.seq)

    // During the call: the checkpoint (snapshot and log), live info, alerts.
    const patterns = [`${env.CALLQA_REDIS_PREFIX}:*`, `${env.CALLQA_BULL_PREFIX}:*`]
    const during = await everyStoredValue(redis, patterns)
    expect([...during.keys()].some((k) => k.includes(':state'))).toBe(true)
    for (const [key, value] of during) expect(leaks(value), key).toEqual([])

    s.send({ type: 'call.ended', callId, endMs: 60_000, disposition: 'success' })
    await sup.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === callId)
    const queue = scoreQueue(env)
    expect(await queue.getJob(callId)).toBeTruthy()
    await queue.close()

    // After the call: the ended marker, the score job (its report carries the transcript).
    const after = await everyStoredValue(redis, patterns)
    expect([...after.keys()].some((k) => k.includes(callId))).toBe(true)
    for (const [key, value] of after) expect(leaks(value), key).toEqual([])

    expect(logLines.length).toBeGreaterThan(0)
    for (const line of logLines) expect(leaks(line), line).toEqual([])
    // The test can fail: the raw renderings are recognised by the same check.
    for (const text of renderings.slice(0, 6)) expect(leaks(text)).toEqual([MOBILE])
    await s.close()
    await sup.close()
  })
})
