/**
 * Two gateway instances on one Redis: a call moves between them mid-call (A → B → A) over
 * reconnects with resends, and every supervisor, on either instance, sees every alert exactly once;
 * the one score job carries the same report as an uninterrupted run of the engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { redisKeys } from '@callqa/store'
import { decodeBatch } from '../services/gateway/src/fanout/wire.js'
import { CallMonitor } from '@callqa/engine'
import type { CallEvent, Utterance } from '@callqa/protocol'
import {
  callStarted,
  cleanupRedis,
  scoreQueue,
  startGateway,
  TestSocket,
  testEnv,
  testRulebook,
  TEST_ADMIN_TOKEN,
  TEST_INGEST_TOKEN,
  utterance,
  type TestGateway,
} from '../services/gateway/src/testing.js'

const CALL = 'c-move-0001'
const lines: [Utterance['speaker'], string][] = [
  ['agent', '您好，我是中国移动客服小王，请问是李女士吗？'],
  ['customer', '是我，什么事？'],
  ['agent', '给您推荐一个5G套餐，每月多20G流量。'],
  ['customer', '我上个月话费怎么多扣了三十块？'],
  ['agent', '这个我不知道，你找领导去。'],
  ['customer', '你这什么态度，我要投诉你！'],
  ['agent', '有意见，告去。'],
  ['customer', '我要打12315投诉。'],
  ['agent', '你问我，我问谁？'],
  ['customer', '算了，帮我查一下宽带到期时间。'],
  ['agent', '好的，您的宽带下个月十五号到期。'],
  ['agent', '感谢您的来电，再见。'],
]

describe('two gateway instances on one Redis', () => {
  const env = testEnv({ CALLQA_SNAPSHOT_EVERY_EVENTS: '3' })
  let a: TestGateway
  let b: TestGateway

  beforeAll(async () => {
    a = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-a' })
    b = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-b' })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await cleanupRedis(env)
  })

  it('continues a call moved mid-call without losing or repeating findings; every supervisor sees every alert once', async () => {
    const supA = await TestSocket.open(`${a.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    const supB = await TestSocket.open(`${b.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supA.waitFor((m) => m.type === 'hello')
    await supB.waitFor((m) => m.type === 'hello')

    const started = callStarted(CALL, 'A3001', 'T03')
    const utterances = lines.map(([speaker, text], seq) => utterance(CALL, seq, speaker, text, seq * 3500))
    const ended: CallEvent = { type: 'call.ended', callId: CALL, endMs: lines.length * 3500 + 2000, disposition: 'success' }

    // What an uninterrupted engine run raises and reports.
    const reference = new CallMonitor(testRulebook(), started)
    const expectedAlertIds = new Set<string>()
    for (const e of [...utterances, ended] as (Utterance | typeof ended)[]) {
      for (const f of reference.feed(e as Utterance).findings) if (!f.reportOnly) expectedAlertIds.add(`${CALL}:${f.id}`)
    }
    expect(expectedAlertIds.size).toBeGreaterThanOrEqual(4)

    // Part 1 on A: seqs 0-4 acknowledged, 5-6 sent but the connection dies before we look at acks.
    const onA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onA.send(started)
    for (const u of utterances.slice(0, 5)) onA.send(u)
    await onA.waitForAck(CALL, 4)
    onA.send(utterances.slice(5, 7))
    onA.ws.terminate()

    // Part 2 on B: resend everything not acknowledged (5, 6), continue to 9.
    const onB = await TestSocket.open(`${b.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onB.send(utterances.slice(5, 10))
    await onB.waitForAck(CALL, 9)
    // A resend of something A acknowledged long ago is acknowledged again, not processed again.
    onB.send(utterances[2])
    await onB.waitForAck(CALL, 2)
    await onB.close()

    // Part 3 back on A (its in-memory copy is stale now): the rest and the end.
    const againA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    againA.send(utterances.slice(9))
    await againA.waitForAck(CALL, lines.length - 1)
    againA.send(ended)
    await supA.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === CALL)
    await supB.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === CALL)
    await againA.close()

    for (const sup of [supA, supB]) {
      const ids = sup.of('alert').map((m) => m.alertId as string)
      expect(ids.length).toBe(new Set(ids).size)
      expect(new Set(ids)).toEqual(expectedAlertIds)
      expect(sup.of('call').filter((m) => m.state === 'ended')).toHaveLength(1)
    }

    const queue = scoreQueue(env)
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])
    expect(jobs.map((j) => j.id)).toEqual([CALL])
    expect(jobs[0]!.data.report).toEqual(reference.report())
    await queue.close()
    await supA.close()
    await supB.close()
  })

  it('sends a live transcript to a supervisor following the call on the other instance', async () => {
    const supA = await TestSocket.open(`${a.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supA.waitFor((m) => m.type === 'hello')
    supA.send({ type: 'follow', callId: 'c-follow-x' })
    await supA.waitFor((m) => m.type === 'following')
    for (let i = 0; i < 200 && !b.app.callqa.bus.wantsTranscript('c-follow-x'); i++) await new Promise((r) => setTimeout(r, 10))
    expect(b.app.callqa.bus.wantsTranscript('c-follow-x')).toBe(true)
    expect(b.app.callqa.bus.wantsTranscript('c-nobody-follows')).toBe(false)
    const onB = await TestSocket.open(`${b.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onB.send([callStarted('c-follow-x', 'A5', 'T05'), utterance('c-follow-x', 0, 'agent', '您好，请问是陈先生吗？')])
    const line = await supA.waitFor((m) => m.type === 'transcript')
    expect(line).toMatchObject({ callId: 'c-follow-x', seq: 0, speaker: 'agent', final: true, text: '您好，请问是陈先生吗？' })
    await onB.close()
    await supA.close()
  })

  it('sends the transcript so far when a call is followed, from the owner (same instance) or the Redis checkpoint (other instance), then the live lines, each seq once', async () => {
    const callId = 'c-follow-history'
    const onB = await TestSocket.open(`${b.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onB.send([
      callStarted(callId, 'A6', 'T06'),
      utterance(callId, 0, 'agent', '您好，我是中国移动客服小王，请问是李女士吗？'),
      utterance(callId, 1, 'customer', '是我，我手机号13812345678，上个月话费怎么多扣了三十块？'),
      utterance(callId, 2, 'agent', '这个我不知道，你找领导去。'),
      utterance(callId, 3, 'customer', '你这什么态度，我要', 12_000, false),
    ])
    for (const seq of [0, 1, 2, 3]) await onB.waitForAck(callId, seq)
    // Nobody followed the call so far: no line was published anywhere.
    const supB = await TestSocket.open(`${b.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    const supA = await TestSocket.open(`${a.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    for (const sup of [supA, supB]) {
      await sup.waitFor((m) => m.type === 'hello')
      sup.send({ type: 'follow', callId })
    }
    const history = async (sup: TestSocket) => {
      await sup.waitFor(() => sup.of('transcript').length >= 4)
      return sup.of('transcript')
    }
    const fromOwner = await history(supB)
    const fromCheckpoint = await history(supA)
    expect(fromOwner.map((m) => [m.seq, m.final])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
    ])
    expect(fromCheckpoint).toEqual(fromOwner)
    expect(fromOwner[1]!.text).not.toContain('13812345678')
    const findings = fromOwner[2]!.findings as { rule: string; span: [number, number]; phrase: string }[]
    const forbidden = findings.find((f) => f.rule === 'forbidden_phrase')!
    expect(String(fromOwner[2]!.text).slice(forbidden.span[0], forbidden.span[1])).toBe(forbidden.phrase)

    // Live from here on, on both instances.
    onB.send([utterance(callId, 3, 'customer', '你这什么态度，我要投诉你！', 12_000), utterance(callId, 4, 'agent', '有意见，告去。')])
    for (const sup of [supA, supB]) {
      await sup.waitFor((m) => m.type === 'transcript' && m.seq === 4)
      const lines = sup.of('transcript')
      const seqs = lines.map((m) => m.seq)
      // seq 3 came as a partial in the history and again as its final; every other seq once.
      expect(seqs).toEqual([0, 1, 2, 3, 3, 4])
      expect(lines.filter((m) => m.seq === 3).map((m) => m.final)).toEqual([false, true])
    }
    await onB.close()
    await supA.close()
    await supB.close()
  })
})

describe('two gateway instances with a long flush window', () => {
  // 1.5 s: far longer than an alert may take, so only an alert that does not wait for the flush passes.
  const env = testEnv({ CALLQA_FLUSH_INTERVAL_MS: '1500' })
  let a: TestGateway
  let b: TestGateway

  beforeAll(async () => {
    a = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-slow-a' })
    b = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-slow-b' })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await cleanupRedis(env)
  })

  it('sends an alert to a supervisor on the other instance before the flush that acknowledges its utterance', async () => {
    const callId = 'c-alert-before-flush'
    const supB = await TestSocket.open(`${b.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supB.waitFor((m) => m.type === 'hello')
    const onA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onA.send([callStarted(callId, 'A7', 'T07'), utterance(callId, 0, 'agent', '这个我不知道，你找领导去。')])
    const alert = await supB.waitFor((m) => m.type === 'alert' && m.callId === callId, 1000)
    expect(alert.rule).toBe('forbidden_phrase')
    // The utterance's checkpoint is still waiting for its window: no ack yet.
    expect(onA.messages.some((m) => m.type === 'ack' && m.callId === callId)).toBe(false)
    await onA.waitForAck(callId, 0)
    await onA.close()
    await supB.close()
  })
})

describe('a gateway alone on the fan-out channel', () => {
  const env = testEnv({ CALLQA_FANOUT_PEER_TIMEOUT_MS: '400' })
  const heard: { origin: string; kinds: string[] }[] = []
  let listener: Redis
  let a: TestGateway
  let b: TestGateway | undefined

  beforeAll(async () => {
    // A plain subscriber is not an instance: it hears what is published, and says nothing.
    listener = new Redis(env.REDIS_URL!)
    listener.on('message', (_channel: string, text: string) => {
      const batch = decodeBatch(text)
      if (batch) heard.push({ origin: batch.origin, kinds: batch.items.map((i) => i.kind) })
    })
    await listener.subscribe(redisKeys(env.CALLQA_REDIS_PREFIX).fanout)
    a = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-alone-a' })
  })
  afterAll(async () => {
    await a.close()
    await b?.close()
    listener.disconnect()
    await cleanupRedis(env)
  })

  it('publishes only its heartbeat while no other instance is there, and everything again once one starts', async () => {
    const supA = await TestSocket.open(`${a.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supA.waitFor((m) => m.type === 'hello')
    await new Promise((r) => setTimeout(r, 600))
    heard.length = 0
    const onA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onA.send([callStarted('c-alone', 'A8', 'T08'), utterance('c-alone', 0, 'agent', '这个我不知道，你找领导去。')])
    await supA.waitFor((m) => m.type === 'alert' && m.callId === 'c-alone')
    await onA.waitForAck('c-alone', 0)
    await new Promise((r) => setTimeout(r, 200))
    // Its heartbeats (empty batches) went out; the alert and the call updates did not.
    expect(heard.length).toBeGreaterThan(0)
    expect(heard.every((h) => h.origin === 'gw-alone-a' && h.kinds.length === 0)).toBe(true)

    b = await startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-alone-b' })
    const supB = await TestSocket.open(`${b.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supB.waitFor((m) => m.type === 'hello')
    onA.send(utterance('c-alone', 1, 'agent', '有意见，告去。', 3500))
    const alert = await supB.waitFor((m) => m.type === 'alert' && m.callId === 'c-alone')
    expect(alert.seq).toBe(1)
    expect(heard.some((h) => h.origin === 'gw-alone-a' && h.kinds.includes('alert'))).toBe(true)
    await onA.close()
    await supA.close()
    await supB.close()
  })
})
