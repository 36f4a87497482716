/**
 * Console notifications on real PostgreSQL (a database of this file's own) and Redis (a channel of
 * its own): the score worker announces a stored report's deductions to its agent, each review and
 * appeal transition writes what it announces in its own transaction and pushes it once on the
 * channel; the list per principal, read marks per user, waiting and overdue appeals.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { Queue, QueueEvents } from 'bullmq'
import { pino } from 'pino'
import type { CallReport, Principal } from '@callqa/protocol'
import { channelPublisher, decodeNotificationEvent, type NotificationEvent } from '@callqa/review'
import { NotificationStore, ReviewStore } from '@callqa/review/pg'
import { redisKeys, SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { defaultRulebook, sampleReport } from '../../../packages/review/src/testing.js'
import { TEST_REDIS_URL, testRedisOptions } from '../../../test/redis-url.js'
import { startWorkers, type RunningWorkers } from './index.js'

const id = randomUUID()
const keyPrefix = `test-${id}`
const bullPrefix = `test-bull-${id}`
const channel = redisKeys(keyPrefix).notifications
const lead: Principal = { username: 'lead', role: 'shift_lead' }
const agent: Principal = { username: 'a7', role: 'agent', agentId: 'agent-n' }
const otherAgent: Principal = { username: 'a8', role: 'agent', agentId: 'agent-x' }
const manager: Principal = { username: 'li', role: 'outbound_manager', teams: ['team-n'] }
const secondManager: Principal = { username: 'li2', role: 'outbound_manager', teams: ['team-n'] }
const otherManager: Principal = { username: 'zhou', role: 'outbound_manager', teams: ['team-x'] }
const complaints: Principal = { username: 'zhao', role: 'complaint_manager' }

let db: TestDatabase
let workers: RunningWorkers
let redis: Redis
let subscriber: Redis
let reviews: ReviewStore
let notifications: NotificationStore
const received: NotificationEvent[] = []

/** A sample as a call of now (appeal window open), of agent-n in team-n. */
function callOf(sample: string, callId: string): CallReport {
  const r = sampleReport(sample, { callId, agentId: 'agent-n', teamId: 'team-n' })
  return { ...r, startedAt: new Date(Date.now() - 600_000).toISOString(), endedAt: new Date(Date.now() - 300_000).toISOString() }
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const pushed = (notificationId: string) => received.filter((e) => e.type === 'notification' && e.notification.id === notificationId)
const listIds = async (p: Principal, nowMs = Date.now()) => (await notifications.list(p, { nowMs })).items.map((n) => n.id)

beforeAll(async () => {
  db = await createTestDatabase()
  redis = new Redis(TEST_REDIS_URL)
  subscriber = new Redis(TEST_REDIS_URL)
  subscriber.on('message', (from: string, text: string) => {
    const event = from === channel ? decodeNotificationEvent(text) : null
    if (event) received.push(event)
  })
  await subscriber.subscribe(channel)
  workers = await startWorkers({ redisUrl: TEST_REDIS_URL, databaseUrl: db.url, keyPrefix, bullPrefix, webhookConcurrency: 0, concurrency: 2, logger: pino({ level: 'silent' }) })
  await workers.store.ensurePartitions(Date.now())
  notifications = new NotificationStore(workers.store.sql)
  reviews = new ReviewStore({ store: workers.store, rulebook: defaultRulebook(), publish: channelPublisher(redis, channel) })
}, 60_000)
afterAll(async () => {
  await workers?.close()
  await subscriber?.quit()
  const queue = new Queue('score', { connection: testRedisOptions(), prefix: bullPrefix })
  await queue.obliterate({ force: true }).catch(() => undefined)
  await queue.close()
  await redis?.quit()
  await db?.drop()
})

async function score(report: CallReport, jobId = scoreJobId(report.callId)): Promise<void> {
  const queue = new Queue('score', { connection: testRedisOptions(), prefix: bullPrefix })
  const events = new QueueEvents('score', { connection: testRedisOptions(), prefix: bullPrefix })
  try {
    await events.waitUntilReady()
    const job = await queue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId })
    await job.waitUntilFinished(events, 20_000)
  } finally {
    await Promise.all([events.close(), queue.close()])
  }
}

describe('notifications', { timeout: 60_000 }, () => {
  it('a stored report with deductions tells its agent once; one without tells nobody', async () => {
    const report = callOf('03-broadband-renewal-no-greeting', 'n-1')
    await score(report)
    const n = await waitFor('the deduction push', () => pushed('deduction:n-1:1')[0])
    expect(n).toMatchObject({ notification: { kind: 'deduction', audience: 'agent', agentId: 'agent-n', callId: 'n-1', score: report.score } })
    expect((n as Extract<NotificationEvent, { type: 'notification' }>).notification.deductions!.map((d) => d.rule).sort()).toEqual(['missing_closing', 'missing_greeting'])
    // The same call scored again (a duplicate job under another id): nothing new is written or pushed.
    await score(report, 'n-1-again')
    await score(callOf('01-5g-upgrade-clean', 'n-clean'))
    await new Promise((r) => setTimeout(r, 200))
    expect(pushed('deduction:n-1:1')).toHaveLength(1)
    expect(received.filter((e) => e.type === 'notification' && e.notification.callId === 'n-clean')).toEqual([])
    expect(await listIds(agent)).toEqual(['deduction:n-1:1'])
    expect(await listIds(otherAgent)).toEqual([])
    expect(await listIds(manager)).toEqual([])
    expect(await listIds(lead)).toEqual([])
  })

  it('a review that adds a deduction tells the agent; a dismissal or confirmation does not', async () => {
    const report = (await workers.store.getReport('n-1'))!
    await reviews.review('n-1', lead, { type: 'dismiss', findingId: report.findings[0]!.id, reason: 'asr_error' }, { atMs: Date.now() })
    await reviews.review('n-1', lead, { type: 'confirm', findingId: report.findings[1]!.id }, { atMs: Date.now() })
    const added = await reviews.review('n-1', lead, { type: 'add', rule: 'overpromise', seq: report.transcript[1]!.seq, note: '承诺' }, { atMs: Date.now() })
    expect(added.version).toBe(4)
    const n = await waitFor('the added deduction', () => pushed('deduction:n-1:4')[0])
    expect((n as Extract<NotificationEvent, { type: 'notification' }>).notification).toMatchObject({ score: added.report.score, deductions: [{ rule: 'overpromise' }] })
    expect(received.filter((e) => e.type === 'notification' && /^deduction:n-1:[23]$/.test(e.notification.id))).toEqual([])
    expect(await listIds(agent)).toEqual(['deduction:n-1:4', 'deduction:n-1:1'])
  })

  it('an appeal waits for the team\'s managers only; its decision tells the agent and stops it waiting for every manager', async () => {
    const report = (await workers.store.getReport('n-1'))!
    const findingId = report.deductions.find((d) => d.rule === 'missing_closing')!.findingId!
    const appealId = `n-1/${findingId}`
    await reviews.fileAppeal('n-1', agent, { findingId, reason: '客户先挂断' }, { atMs: Date.now() })
    const filed = await waitFor('the appeal push', () => pushed(`appeal-filed:${appealId}`)[0])
    expect(filed).toMatchObject({ notification: { kind: 'appeal_filed', audience: 'outbound_manager', teamId: 'team-n', appeal: { id: appealId, status: 'pending', reason: '客户先挂断' } } })
    expect(await listIds(manager)).toEqual([`appeal-filed:${appealId}`])
    expect(await listIds(secondManager)).toEqual([`appeal-filed:${appealId}`])
    expect(await listIds(otherManager)).toEqual([])
    expect(await listIds(complaints)).toEqual([])
    const list = await notifications.list(manager, { nowMs: Date.now() })
    expect(list.waiting).toEqual({ pending: 1, overdue: 0 })
    // Past the decision limit it shows overdue.
    const later = await notifications.list(manager, { nowMs: Date.now() + 10 * 86_400_000 })
    expect(later.waiting).toEqual({ pending: 1, overdue: 1 })
    expect(later.items[0]!.overdue).toBe(true)
    // One manager reads it: the other still has it unread.
    expect(await notifications.markRead(manager, [`appeal-filed:${appealId}`], Date.now())).toEqual([`appeal-filed:${appealId}`])
    expect(await notifications.markRead(otherManager, 'all', Date.now())).toEqual([])
    expect(await listIds(manager)).toEqual([])
    expect(await listIds(secondManager)).toEqual([`appeal-filed:${appealId}`])

    const decided = await reviews.decideAppeal(appealId, secondManager, { outcome: 'overturned', reply: '复听属实' }, { atMs: Date.now() })
    const outcome = await waitFor('the outcome push', () => pushed(`appeal-decided:${appealId}`)[0])
    expect(outcome).toMatchObject({ notification: { kind: 'appeal_decided', audience: 'agent', agentId: 'agent-n', score: decided.report.score, appeal: { status: 'overturned', reply: '复听属实', decidedBy: 'li2' } } })
    const resolved = await waitFor('the resolved push', () => received.find((e) => e.type === 'resolved'))
    expect(resolved).toEqual({ type: 'resolved', ids: [`appeal-filed:${appealId}`], audience: 'outbound_manager', teamId: 'team-n' })
    expect(await listIds(secondManager)).toEqual([])
    expect((await notifications.list(secondManager, { nowMs: Date.now() })).waiting).toEqual({ pending: 0, overdue: 0 })
    expect((await listIds(agent))[0]).toBe(`appeal-decided:${appealId}`)
    // The same decision again changes nothing and announces nothing.
    await reviews.decideAppeal(appealId, secondManager, { outcome: 'overturned', reply: '复听属实' }, { atMs: Date.now() })
    await new Promise((r) => setTimeout(r, 200))
    expect(pushed(`appeal-decided:${appealId}`)).toHaveLength(1)
  })

  it('a complaint-risk call\'s appeal waits for the complaint managers, not the team\'s', async () => {
    const report = callOf('05-angry-agent-forbidden-phrases', 'n-2')
    await score(report)
    const findingId = report.deductions[0]!.findingId!
    await reviews.fileAppeal('n-2', agent, { findingId, reason: '语境' }, { atMs: Date.now() })
    await waitFor('the appeal push', () => pushed(`appeal-filed:n-2/${findingId}`)[0])
    expect(await listIds(complaints)).toEqual([`appeal-filed:n-2/${findingId}`])
    expect(await listIds(manager)).toEqual([])
    await reviews.decideAppeal(`n-2/${findingId}`, complaints, { outcome: 'upheld', reply: '维持' }, { atMs: Date.now() })
    const outcome = await waitFor('the outcome push', () => pushed(`appeal-decided:n-2/${findingId}`)[0])
    expect(outcome).toMatchObject({ notification: { appeal: { status: 'upheld' }, score: report.score } })
    expect(await listIds(complaints)).toEqual([])
  })
})
