/**
 * Rulebook replay as a BullMQ job (real Redis, unique prefix) over calls in a real PostgreSQL
 * database of this file's own: what a candidate changes, per rule, per team, against the reviews.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { DEFAULT_RULEBOOK_PATH, parseRulebook } from '@callqa/engine'
import type { Principal } from '@callqa/protocol'
import type { ReplaySummary } from '@callqa/review'
import { ReviewStore, replayStoredCalls } from '@callqa/review/pg'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { defaultRulebook, sampleReport } from '../../../packages/review/src/testing.js'
import { addReplayFlow, REPLAY_QUEUE, startReplayWorker, type ReplayJobData } from './replay-worker.js'

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const prefix = `test-${randomUUID()}`
let db: TestDatabase
let store: ReportStore
let connection: Redis
const lead: Principal = { username: 'lead', role: 'shift_lead' }
const samples = ['01-5g-upgrade-clean', '03-broadband-renewal-no-greeting', '05-angry-agent-forbidden-phrases', '07-interruptions-slow-answer']
const defaultYaml = readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8')
// The candidate: 不知道 no longer a forbidden phrase (renamed to one nobody says), and forbidden phrases cost 5, not 10.
const candidateYaml = defaultYaml.replace('      - phrase: 不知道\n', '      - phrase: 完全不知道怎么办\n').replace(/(forbidden_phrase:\n(?:.*\n){0,3}?\s+weight: )10/, '$15')

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
  await store.ensurePartitions(Date.now())
  for (const [i, name] of samples.entries()) await store.saveReport(sampleReport(name, { callId: `rp-${i}`, teamId: i % 2 ? 'team-odd' : 'team-even' }))
  const reviews = new ReviewStore({ store, rulebook: defaultRulebook() })
  const angry = (await store.getReport('rp-2'))!
  const [first, , third] = angry.findings
  await reviews.review('rp-2', lead, { type: 'dismiss', findingId: first!.id, reason: 'innocent_use' }, { atMs: Date.now() })
  await reviews.review('rp-2', lead, { type: 'confirm', findingId: third!.id }, { atMs: Date.now() })
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
})
afterAll(async () => {
  const keys = await connection.keys(`${prefix}:*`)
  if (keys.length) await connection.del(...keys)
  await connection.quit()
  await store?.close()
  await db?.drop()
})

const all = { fromMs: Date.parse('2020-01-01T00:00:00Z'), toMs: Date.parse('2030-01-01T00:00:00Z') }

describe('replay', () => {
  it('the rulebook in use changes nothing', async () => {
    const summary = await replayStoredCalls(store, defaultRulebook(), all)
    expect(summary.calls).toBe(samples.length)
    expect(summary.rules).toEqual([])
    expect(summary.agreement).toEqual({ dismissedRemoved: 0, dismissedKept: 1, confirmedLost: 0, confirmedKept: 1 })
  })

  it('runs as a job on the replay queue with progress and reports appear/disappear, team shift and agreement', async () => {
    expect(candidateYaml).not.toBe(defaultYaml)
    const worker = startReplayWorker({ connection, prefix, store })
    const queue = new Queue<ReplayJobData>(REPLAY_QUEUE, { connection, prefix })
    const events = new QueueEvents(REPLAY_QUEUE, { connection: connection.duplicate(), prefix })
    const progress: number[] = []
    try {
      await events.waitUntilReady()
      events.on('progress', ({ data }) => progress.push((data as { done: number }).done))
      const job = await queue.add('replay', { rulebookYaml: candidateYaml, rulebookName: 'candidate.yaml', ...all })
      const summary = (await job.waitUntilFinished(events, 120_000)) as ReplaySummary
      expect(progress.at(-1)).toBe(samples.length)
      const forbidden = summary.rules.find((r) => r.rule === 'forbidden_phrase')!
      expect(forbidden.disappeared).toBeGreaterThanOrEqual(1)
      expect(forbidden.examplesDisappeared[0]).toMatchObject({ callId: 'rp-2', seq: 3, phrase: '不知道' })
      const even = summary.teams.find((t) => t.teamId === 'team-even')!
      expect(even.averageScoreAfter).toBeGreaterThan(even.averageScoreBefore)
      // The dismissed 不知道 goes away with the candidate; the confirmed 找领导去 stays.
      expect(summary.agreement).toMatchObject({ dismissedRemoved: 1, dismissedKept: 0, confirmedKept: 1, confirmedLost: 0 })

      const bad = await queue.add('replay', { rulebookYaml: 'rules: [', rulebookName: 'bad.yaml', ...all })
      await expect(bad.waitUntilFinished(events, 60_000)).rejects.toThrow(/CQ_ERR_RULEBOOK/)
    } finally {
      await worker.close()
      await Promise.allSettled([events.close(), queue.close()])
    }
  })

  it('a replay in chunks, taken by two workers, merges to the same summary with the progress summed', async () => {
    const whole = await replayStoredCalls(store, parseRulebook(candidateYaml, 'candidate.yaml'), all)
    const starts = await store.sql<Array<{ min: Date; max: Date }>>`SELECT min(started_at), max(started_at) FROM reports`
    const fromMs = starts[0]!.min.getTime()
    const toMs = starts[0]!.max.getTime() + 1
    // Chunks small enough that the calls fall into several of them.
    const chunkMs = Math.max(1, Math.ceil((toMs - fromMs) / 3))
    const workers = [startReplayWorker({ connection, prefix, store }), startReplayWorker({ connection, prefix, store })]
    const events = new QueueEvents(REPLAY_QUEUE, { connection: connection.duplicate(), prefix })
    try {
      await events.waitUntilReady()
      const { merge, chunkIds } = await addReplayFlow(connection, prefix, { rulebookYaml: candidateYaml, rulebookName: 'candidate.yaml', fromMs, toMs }, { chunkMs })
      expect(chunkIds.length).toBeGreaterThanOrEqual(3)
      const done = new Map<string, number>()
      events.on('progress', ({ jobId, data }) => {
        if (chunkIds.includes(jobId)) done.set(jobId, (data as { done: number }).done)
      })
      const summary = (await merge.waitUntilFinished(events, 120_000)) as ReplaySummary
      expect(summary).toEqual(whole)
      await new Promise((r) => setTimeout(r, 200))
      expect([...done.values()].reduce((a, b) => a + b, 0)).toBe(samples.length)
      expect([...done.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2)
    } finally {
      await Promise.all(workers.map((w) => w.close()))
      await events.close()
    }
  })
})
