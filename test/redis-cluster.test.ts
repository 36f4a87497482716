/**
 * callqa on a real Redis Cluster of three masters (test/redis-cluster.ts starts it): two real
 * gateway instances and two real aggregator workers, all through CALLQA_REDIS_CLUSTER.
 * - A call moved between the gateways mid-call (A → B → A, resends included) loses nothing and
 *   doubles nothing, while other calls' checkpoints of the same flushes land on several masters.
 * - Scoring is exactly once: a score job run again, and the same report run by both workers at
 *   once, leave one report and one count in the KPIs.
 * - An alert raised on one gateway reaches the supervisors of each gateway once, its
 *   acknowledgement too, and the other gateway's catch-up, live-call and follow (transcript from the
 *   checkpoint) paths see them.
 * - Console login (the back-off script over three counters) and its session work across gateways.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Queue } from 'bullmq'
import { CallMonitor } from '@callqa/engine'
import type { CallEvent, CallReport, Utterance } from '@callqa/protocol'
import { isCluster, redisKeys, ReportStore, SCORE_JOB_OPTIONS, scanKeys, scoreJobId, type RedisConnection, type ScoreJobData } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { startWorkers, type RunningWorkers } from '@callqa/aggregator'
import {
  callStarted,
  startGateway,
  TestSocket,
  testEnv,
  testRulebook,
  TEST_ADMIN_TOKEN,
  TEST_INGEST_TOKEN,
  utterance,
  type TestGateway,
} from '../services/gateway/src/testing.js'
import { simReport, simulateDay } from './aggregator-simulate.js'
import { until } from './aggregator-helpers.js'
import { useRedisCluster } from './redis-cluster.js'

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

describe('on a Redis Cluster of three masters', () => {
  const cluster = useRedisCluster()
  const id = `test-${randomUUID()}`
  const bullPrefix = `{${id}-bull}`
  let env: Record<string, string>
  let a: TestGateway
  let b: TestGateway
  let redis: RedisConnection
  let db: TestDatabase
  let store: ReportStore
  let queue: Queue<ScoreJobData>
  const workers: RunningWorkers[] = []
  let demoBefore: (string | undefined)[] = []

  beforeAll(async () => {
    // The demo console accounts, for the login test (the auth plugin reads this from the process environment).
    env = testEnv({ CALLQA_REDIS_CLUSTER: cluster.seeds, CALLQA_REDIS_PREFIX: id, CALLQA_BULL_PREFIX: bullPrefix, CALLQA_SNAPSHOT_EVERY_EVENTS: '3', CALLQA_DEMO_ACCOUNTS: '1', CALLQA_ACCOUNTS_FILE: `/nonexistent/${id}.json` })
    demoBefore = [process.env.CALLQA_DEMO_ACCOUNTS, process.env.CALLQA_ACCOUNTS_FILE]
    process.env.CALLQA_DEMO_ACCOUNTS = env.CALLQA_DEMO_ACCOUNTS
    process.env.CALLQA_ACCOUNTS_FILE = env.CALLQA_ACCOUNTS_FILE
    db = await createTestDatabase()
    env.DATABASE_URL = db.url
    ;[a, b] = await Promise.all([startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-a' }), startGateway({ ...env, CALLQA_INSTANCE_ID: 'gw-b' })])
    for (let i = 0; i < 2; i++) {
      workers.push(await startWorkers({ redisClusterNodes: cluster.nodes, databaseUrl: db.url, bullPrefix, concurrency: 8, webhookConcurrency: 0, logLevel: 'silent' }))
    }
    redis = cluster.connect()
    queue = new Queue<ScoreJobData>('score', { connection: redis, prefix: bullPrefix })
    store = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
  }, 60_000)
  afterAll(async () => {
    for (const [name, value] of [['CALLQA_DEMO_ACCOUNTS', demoBefore[0]], ['CALLQA_ACCOUNTS_FILE', demoBefore[1]]] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    await Promise.allSettled([a?.close(), b?.close()])
    await Promise.allSettled(workers.map((w) => w.close()))
    await queue?.close()
    await redis?.quit()
    await store?.close()
    await db?.drop()
  })

  it('runs every connection of the gateways and workers on the cluster', () => {
    expect(isCluster(a.app.callqa.redis)).toBe(true)
    expect(isCluster(redis)).toBe(true)
  })

  it('continues a call moved between two gateways mid-call: every utterance acknowledged, every alert once on each, one report', async () => {
    const CALL = 'c-cluster-move'
    const supA = await TestSocket.open(`${a.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    const supB = await TestSocket.open(`${b.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await supA.waitFor((m) => m.type === 'hello')
    await supB.waitFor((m) => m.type === 'hello')

    const started = callStarted(CALL, 'A3001', 'T03')
    const utterances = lines.map(([speaker, text], seq) => utterance(CALL, seq, speaker, text, seq * 3500))
    const ended: CallEvent = { type: 'call.ended', callId: CALL, endMs: lines.length * 3500 + 2000, disposition: 'success' }
    const reference = new CallMonitor(testRulebook(), started)
    const expectedAlertIds = new Set<string>()
    for (const e of [...utterances, ended] as Utterance[]) {
      for (const f of reference.feed(e).findings) if (!f.reportOnly) expectedAlertIds.add(`${CALL}:${f.id}`)
    }
    expect(expectedAlertIds.size).toBeGreaterThanOrEqual(4)

    // Other calls in the same frames: their keys hash to slots all over the cluster, so each flush
    // writes to several masters at once.
    const others = Array.from({ length: 12 }, (_, i) => `c-cluster-side-${i}`)
    const onA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onA.send([started, ...others.map((c) => callStarted(c, 'A3002', 'T03'))])
    onA.send([...utterances.slice(0, 5), ...others.map((c) => utterance(c, 0, 'agent', '您好，请问是张先生吗？'))])
    await onA.waitForAck(CALL, 4)
    for (const c of others) await onA.waitForAck(c, 0)
    onA.send(utterances.slice(5, 7))
    onA.ws.terminate()

    const keys = redisKeys(id)
    const mastersWithCalls = new Set<number>()
    if (isCluster(redis)) {
      for (const [i, node] of redis.nodes('master').entries()) {
        for await (const found of scanKeys(node, `${keys.prefix}:call:*:state`)) if (found.length > 0) mastersWithCalls.add(i)
      }
    }
    expect(mastersWithCalls.size).toBeGreaterThanOrEqual(2)

    // On B: resend everything not acknowledged (5, 6), continue to 9, and resend an old one.
    const onB = await TestSocket.open(`${b.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onB.send(utterances.slice(5, 10))
    await onB.waitForAck(CALL, 9)
    onB.send(utterances[2])
    await onB.waitForAck(CALL, 2)
    await onB.close()

    // Back on A (its copy is stale): the rest and the end.
    const againA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    againA.send(utterances.slice(9))
    await againA.waitForAck(CALL, lines.length - 1)
    againA.send(ended)
    for (const sup of [supA, supB]) await sup.waitFor((m) => m.type === 'call' && m.state === 'ended' && m.callId === CALL)
    await againA.close()

    for (const sup of [supA, supB]) {
      const ids = sup.of('alert').filter((m) => m.callId === CALL).map((m) => m.alertId as string)
      expect(ids.length).toBe(new Set(ids).size)
      expect(new Set(ids)).toEqual(expectedAlertIds)
      expect(sup.of('call').filter((m) => m.state === 'ended' && m.callId === CALL)).toHaveLength(1)
    }
    // The catch-up stream ({alerts} slot) lists each alert once, though two instances raised some.
    const recent = (await (await fetch(`${b.url}/v1/alerts/recent?limit=500`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as { alerts: { alertId: string; callId: string }[] }
    const streamed = recent.alerts.filter((x) => x.callId === CALL).map((x) => x.alertId)
    expect(streamed.sort()).toEqual([...expectedAlertIds].sort())

    // Scored once by one of the two workers, as an uninterrupted engine run would score it.
    const stored = await until('the report in PostgreSQL', () => store.getReport(CALL).then((r) => r ?? undefined), 20_000)
    expect(stored).toEqual(reference.report())
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])
    expect(jobs.filter((j) => j.data.report.callId === CALL).map((j) => j.id)).toEqual([scoreJobId(CALL)])
    // Its live state is gone from every slot it used, and the live index no longer lists it.
    expect(await redis.exists(keys.callState(CALL), keys.callLog(CALL), keys.callOwner(CALL))).toBe(0)
    expect(await redis.zscore(keys.liveCalls, CALL)).toBeNull()
    await supA.close()
    await supB.close()
  })

  it('scores each call exactly once: a job run again and the same report on both workers at once count once', async () => {
    const reports: CallReport[] = simulateDay({ teams: 1, agentsPerTeam: 2, seed: 11, callsPerAgent: [10, 10], callPrefix: `cl-${randomUUID().slice(0, 8)}` }).map(simReport)
    const teamId = reports[0]!.teamId
    const day = reports[0]!.startedAt.slice(0, 10)
    const before = (await store.readKpi('team', teamId, day, day, 'day')).total.calls
    const ran = new Map<string, number>()
    for (const w of workers) w.scoreWorker.on('completed', () => ran.set(w.scoreWorker.id, (ran.get(w.scoreWorker.id) ?? 0) + 1))
    // Each report twice, under two job ids: both workers take them at the same time.
    const jobIds = reports.flatMap((r) => [scoreJobId(r.callId), `${scoreJobId(r.callId)}-again`])
    await queue.addBulk(reports.flatMap((report, i) => [0, 1].map((k) => ({ name: 'score', data: { report }, opts: { ...SCORE_JOB_OPTIONS, jobId: jobIds[2 * i + k]! } }))))
    const finished = async (jobId: string) => (await queue.getJob(jobId))?.finishedOn !== undefined
    await until('every job completed', async () => (await Promise.all(jobIds.map(finished))).every(Boolean), 30_000)
    // And one job run once more after it completed (removed, then the same callId queued again).
    const first = (await queue.getJob(scoreJobId(reports[0]!.callId)))!
    await first.remove()
    await queue.add('score', { report: reports[0]! }, { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(reports[0]!.callId) })
    await until('the re-run completed', () => finished(scoreJobId(reports[0]!.callId)), 20_000)

    const [{ n }] = (await store.sql`SELECT count(*)::int AS n FROM report_calls WHERE call_id = ANY(${reports.map((r) => r.callId)})`) as unknown as [{ n: number }]
    expect(n).toBe(reports.length)
    const kpi = await store.readKpi('team', teamId, day, day, 'day')
    expect(kpi.total.calls - before).toBe(reports.length)
    expect(ran.size).toBe(2)
  })

  it('fans an alert out to the supervisors of each gateway once, with its acknowledgement, and both gateways list the call', async () => {
    const callId = 'c-cluster-fanout'
    const sups = await Promise.all([a, b, a, b].map((g) => TestSocket.open(`${g.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)))
    for (const s of sups) await s.waitFor((m) => m.type === 'hello')
    const onB = await TestSocket.open(`${b.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onB.send([callStarted(callId, 'A4001', 'T04'), utterance(callId, 0, 'agent', '您好，请问是陈先生吗？'), utterance(callId, 1, 'agent', '这个我不知道，你找领导去。')])
    await onB.waitForAck(callId, 1)
    const alerts = await Promise.all(sups.map((s) => s.waitFor((m) => m.type === 'alert' && m.callId === callId)))
    const alertId = alerts[0]!.alertId as string
    for (const m of alerts) expect(m.alertId).toBe(alertId)

    const live = (await (await fetch(`${a.url}/v1/live/calls`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as { calls: { callId: string }[] }
    expect(live.calls.map((c) => c.callId)).toContain(callId)

    const ack = await fetch(`${a.url}/v1/alerts/${encodeURIComponent(alertId)}/ack`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    expect(ack.status).toBe(200)
    for (const s of sups) await s.waitFor((m) => m.type === 'alert.ack' && m.alertId === alertId)
    const recent = (await (await fetch(`${b.url}/v1/alerts/recent?limit=500`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as { alerts: { alertId: string; acknowledgedBy?: string }[] }
    expect(recent.alerts.filter((x) => x.alertId === alertId)).toEqual([expect.objectContaining({ alertId, acknowledgedBy: 'admin' })])

    // A supervisor on A follows the call B holds: its transcript so far comes from the checkpoint (one slot).
    sups[0]!.send({ type: 'follow', callId })
    await sups[0]!.waitFor(() => sups[0]!.of('transcript').filter((m) => m.callId === callId).length >= 2)

    await new Promise((r) => setTimeout(r, 200))
    for (const s of sups) {
      expect(s.of('alert').filter((m) => m.alertId === alertId)).toHaveLength(1)
      expect(s.of('alert.ack').filter((m) => m.alertId === alertId)).toHaveLength(1)
    }
    await onB.close()
    await Promise.all(sups.map((s) => s.close()))
  })

  it('logs a supervisor in on one gateway and keeps the session on the other; failed logins are counted (one {login} slot)', async () => {
    const login = (g: TestGateway, password: string) =>
      fetch(`${g.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wang', password }) })
    const wrong = await login(a, 'not-the-password')
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { code: string }).code).toBe('CQ_ERR_BAD_LOGIN')
    const ok = await login(a, 'callqa-demo')
    expect(ok.status).toBe(200)
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('callqa_session='))!.split(';')[0]!
    const onB = await fetch(`${b.url}/v1/session`, { headers: { cookie } })
    expect(onB.status).toBe(200)
    expect(((await onB.json()) as { principal: { username: string } }).principal.username).toBe('wang')
    // Both attempts were reserved against the address counter; the right password gave one back.
    expect(await redis.hget(redisKeys(id).loginAttempts('ip', '127.0.0.1'), 'f')).toBe('1')
  })

  it('closes silent calls from any gateway with the idle sweep: one score job each, gone from the live index', async () => {
    const keys = redisKeys(id)
    const callId = 'c-cluster-silent'
    const onA = await TestSocket.open(`${a.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    onA.send([callStarted(callId, 'A5001', 'T05'), utterance(callId, 0, 'agent', '您好，请问是陈先生吗？')])
    await onA.waitForAck(callId, 0)
    await onA.close()
    const live = await redis.zrange(keys.liveCalls, '0', '-1')
    expect(live).toContain(callId)
    // B sweeps as if the idle timeout had passed: it claims each call A (or nobody) holds and ends it.
    const closed = await b.app.callqa.registry.sweepIdle(Date.now() + 10 * 60_000)
    expect(closed).toBe(live.length)
    expect(await redis.zcard(keys.liveCalls)).toBe(0)
    expect(await redis.hlen(keys.liveCallInfo)).toBe(0)
    const stored = await until('the silent call scored', () => store.getReport(callId).then((r) => r ?? undefined), 20_000)
    expect(stored.disposition).toBe('abandoned')
    for (const c of live) expect((await queue.getJob(scoreJobId(c)))?.id).toBe(scoreJobId(c))
    // A second sweep, from the other gateway, finds nothing left to close.
    expect(await a.app.callqa.registry.sweepIdle(Date.now() + 10 * 60_000)).toBe(0)
  })
})
