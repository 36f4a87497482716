/**
 * `callqa replay` on a real PostgreSQL database of this file's own and a real Redis (a BullMQ
 * prefix of its own): queued as day jobs that two replay workers share, progress summed, the same
 * summary as `--local`.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { DEFAULT_RULEBOOK_PATH } from '@callqa/engine'
import { REPLAY_QUEUE, startReplayWorker } from '@callqa/aggregator'
import type { ReplaySummary } from '@callqa/review'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { sampleReport } from '../../packages/review/src/testing.js'
import { TEST_REDIS_URL } from '../../test/redis-url.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const tmp = mkdtempSync(join(tmpdir(), 'callqa-replay-'))
const prefix = `test-bull-${randomUUID()}`
const candidate = join(tmp, 'candidate.yaml')
let db: TestDatabase
let store: ReportStore
let connection: Redis

function callqa(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['scripts/callqa.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, CALLQA_BULL_PREFIX: prefix } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    // A replay that hangs is a failure to see, not a test timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

beforeAll(async () => {
  db = await createTestDatabase()
  store = new ReportStore({ databaseUrl: db.url, maxConnections: 4 })
  await store.ensurePartitions(Date.now())
  // Calls of the last three days, so the replay has several day jobs with calls in them.
  const samples = ['03-broadband-renewal-no-greeting', '05-angry-agent-forbidden-phrases', '07-interruptions-slow-answer']
  for (const [i, name] of samples.entries()) {
    for (const day of [0, 1, 2]) {
      const r = sampleReport(name, { callId: `cr-${i}-${day}`, teamId: `team-${i}` })
      await store.saveReport({ ...r, startedAt: new Date(Date.now() - day * 86_400_000 - 3_600_000).toISOString() })
    }
  }
  // The candidate: 不知道 no longer a forbidden phrase.
  writeFileSync(candidate, readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8').replace('      - phrase: 不知道\n', '      - phrase: 完全不知道怎么办\n'))
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
})
afterAll(async () => {
  await new Queue(REPLAY_QUEUE, { connection, prefix }).obliterate({ force: true }).catch(() => undefined)
  await connection?.quit()
  await store?.close()
  await db?.drop()
  rmSync(tmp, { recursive: true, force: true })
})

describe('callqa replay', { timeout: 300_000 }, () => {
  it('runs as day jobs shared by the workers and prints what the candidate changes; --local agrees', async () => {
    const workers = [startReplayWorker({ connection, prefix, store }), startReplayWorker({ connection, prefix, store })]
    let queued
    try {
      queued = await callqa(['replay', '--rulebook', candidate, '--since', '4d', '--json'])
    } finally {
      await Promise.all(workers.map((w) => w.close()))
    }
    expect(queued.stderr).not.toBe('')
    expect({ code: queued.code, stderr: queued.stderr }).toMatchObject({ code: 0 })
    expect(queued.stderr).toMatch(/callqa replay: [45] jobs \(one per day\) queued on replay/)
    expect(queued.stderr).toContain('callqa replay: 9 calls')
    const summary = JSON.parse(queued.stdout) as ReplaySummary
    expect(summary.calls).toBe(9)
    // Each of the three angry calls loses its 不知道 (what else the engine then reads in that line is its own business).
    const forbidden = summary.rules.find((r) => r.rule === 'forbidden_phrase')!
    expect(forbidden.disappeared).toBe(3)
    expect(forbidden.examplesDisappeared.map((e) => e.phrase)).toEqual(['不知道', '不知道', '不知道'])

    const local = await callqa(['replay', '--rulebook', candidate, '--since', '4d', '--json', '--local'])
    expect(local.code).toBe(0)
    expect(JSON.parse(local.stdout)).toEqual(summary)

    const text = await callqa(['replay', '--rulebook', candidate, '--since', '4d', '--local'])
    expect(text.stdout).toMatch(/replayed 9 calls/)
    expect(text.stdout).toMatch(/agreement with reviews/)
  })
})
