/**
 * Rulebook replay from the console's API (services/gateway/src/routes/replays.ts): a real gateway
 * on real Redis (a prefix of its own) and a real PostgreSQL database of its own, a real replay
 * worker (the aggregator's) taking the day jobs. A replay started with POST and polled with GET
 * ends in the summary `callqa replay --local --json` prints for the same candidate; roles, Origin
 * and a bad candidate are refused with coded errors.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import type { Worker } from 'bullmq'
import { startReplayWorker } from '@callqa/aggregator'
import { DEFAULT_RULEBOOK_PATH } from '@callqa/engine'
import type { ReplaySummary } from '@callqa/review'
import { ReviewStore } from '@callqa/review/pg'
import { ReportStore } from '@callqa/store'
import { hashPassword, upsertAccount } from '../services/gateway/src/auth/accounts.js'
import { MAX_REPLAY_RULEBOOK_CHARS } from '../services/gateway/src/routes/replays.js'
import { useTestGateway } from '../services/gateway/src/testing.js'
import { defaultRulebook, sampleReport } from '../packages/review/src/testing.js'
import { ROOT, until } from './aggregator-helpers.js'
import { TEST_REDIS_URL } from './redis-url.js'

const PASSWORD = 'replay-test-密码'
const dir = await mkdtemp(join(tmpdir(), 'callqa-replay-api-'))
const accountsFile = join(dir, 'accounts.json')
const passwordHash = await hashPassword(PASSWORD)
await upsertAccount(accountsFile, { username: 'wang', role: 'shift_lead', passwordHash })
await upsertAccount(accountsFile, { username: 'li', role: 'outbound_manager', teams: ['t-1'], passwordHash })
await upsertAccount(accountsFile, { username: 'a7', role: 'agent', agentId: 'a-7', passwordHash })
const candidatePath = join(dir, 'candidate.yaml')
const defaultYaml = await readFile(DEFAULT_RULEBOOK_PATH, 'utf8')
// The candidate: 不知道 no longer a forbidden phrase.
const candidate = defaultYaml.replace('      - phrase: 不知道\n', '      - phrase: 完全不知道怎么办\n')
await writeFile(candidatePath, candidate)

const gw = useTestGateway({ CALLQA_ACCOUNTS_FILE: accountsFile, CALLQA_MAX_REPLAYS_PER_USER: '2' }, { database: true })
let store: ReportStore
let connection: Redis
let worker: Worker
const cookies: Record<string, string> = {}

beforeAll(async () => {
  store = new ReportStore({ databaseUrl: gw.env.DATABASE_URL!, maxConnections: 2 })
  await store.ensurePartitions(Date.now())
  const samples = ['03-broadband-renewal-no-greeting', '05-angry-agent-forbidden-phrases', '07-interruptions-slow-answer']
  for (const [i, name] of samples.entries()) {
    for (const day of [0, 1]) {
      const r = sampleReport(name, { callId: `ra-${i}-${day}`, teamId: i === 1 ? 't-1' : 't-2' })
      await store.saveReport({ ...r, startedAt: new Date(Date.now() - day * 86_400_000 - 3_600_000).toISOString() })
    }
  }
  // A reviewer dismissed one 不知道: the candidate's agreement counts it as removed.
  const angry = (await store.getReport('ra-1-0'))!
  await new ReviewStore({ store, rulebook: defaultRulebook() }).review('ra-1-0', { username: 'wang', role: 'shift_lead' }, { type: 'dismiss', findingId: angry.findings[0]!.id, reason: 'innocent_use' }, { atMs: Date.now() })
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null })
  worker = startReplayWorker({ connection, prefix: gw.env.CALLQA_BULL_PREFIX!, store })
  for (const username of ['wang', 'li', 'a7']) {
    const res = await gw.app.inject({ method: 'POST', url: '/v1/session', payload: { username, password: PASSWORD } })
    expect(res.statusCode).toBe(200)
    cookies[username] = String(([] as string[]).concat(res.headers['set-cookie'] as string | string[])[0]).split(';')[0]!
  }
})
afterAll(async () => {
  await worker?.close()
  await connection?.quit()
  await store?.close()
  await rm(dir, { recursive: true, force: true })
})

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/callqa.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: gw.env.DATABASE_URL! } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const post = (who: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
  gw.app.inject({ method: 'POST', url: '/v1/replays', payload: payload as object, headers: { ...(who ? { cookie: cookies[who]! } : {}), ...headers } })
const get = (who: string, replayId: string) => gw.app.inject({ url: `/v1/replays/${replayId}`, headers: { cookie: cookies[who]! } })

async function finished(who: string, replayId: string) {
  const seen: number[] = []
  const status = await until('the replay to finish', async () => {
    const res = await get(who, replayId)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    seen.push(body.progress.done)
    return body.state === 'done' || body.state === 'failed' ? body : undefined
  }, 120_000)
  return { status, seen }
}

describe('replay API', { timeout: 300_000 }, () => {
  it('a replay started by POST and polled by GET ends in the summary the CLI prints', async () => {
    const res = await post('wang', { rulebook: candidate, sinceDays: 30 })
    expect(res.statusCode).toBe(202)
    const started = res.json()
    expect(started).toMatchObject({ replayId: expect.stringMatching(/^r-/), chunks: expect.any(Number) })
    expect(started.chunks).toBeGreaterThanOrEqual(30)
    const { status, seen } = await finished('wang', started.replayId)
    expect(status.state).toBe('done')
    expect(status.progress).toEqual({ done: 6, chunksDone: started.chunks, chunks: started.chunks })
    expect(seen.at(-1)).toBe(6)
    const summary = status.summary as ReplaySummary
    expect(summary.calls).toBe(6)
    expect(summary.rules.find((r) => r.rule === 'forbidden_phrase')!.disappeared).toBe(2)
    expect(summary.agreement.dismissedRemoved).toBe(1)

    const local = await cli(['replay', '--rulebook', candidatePath, '--since', '30d', '--json', '--local'])
    expect({ code: local.code, stderr: local.stderr.slice(-500) }).toMatchObject({ code: 0 })
    expect(summary).toEqual(JSON.parse(local.stdout))
  })

  it('a 外呼管理员 replays their own teams only, and only they (or a 话务班长) see it', async () => {
    const res = await post('li', { rulebook: candidate, sinceDays: 7 })
    expect(res.statusCode).toBe(202)
    expect(res.json().teamIds).toEqual(['t-1'])
    const { status } = await finished('li', res.json().replayId)
    expect(status.summary.calls).toBe(2)
    expect(status.summary.teams.map((t: { teamId: string }) => t.teamId)).toEqual(['t-1'])
    expect((await get('wang', res.json().replayId)).statusCode).toBe(200)

    const lead = await post('wang', { rulebook: candidate, sinceDays: 1 })
    const hidden = await get('li', lead.json().replayId)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json().code).toBe('CQ_ERR_UNKNOWN_REPLAY')
  })

  it('refuses agents, the logged out, other origins, a bad or oversized rulebook and a bad range, with coded errors', async () => {
    const agent = await post('a7', { rulebook: candidate, sinceDays: 7 })
    expect(agent.statusCode).toBe(403)
    expect(agent.json().code).toBe('CQ_ERR_FORBIDDEN')
    expect((await get('a7', 'r-0')).statusCode).toBe(403)
    expect((await post(undefined, { rulebook: candidate, sinceDays: 7 })).json().code).toBe('CQ_ERR_UNAUTHORIZED')
    const cross = await post('wang', { rulebook: candidate, sinceDays: 7 }, { origin: 'http://evil.example' })
    expect(cross.statusCode).toBe(403)
    expect(cross.json().code).toBe('CQ_ERR_CROSS_ORIGIN')

    const bad = await post('wang', { rulebook: defaultYaml.replace(/weight: 10/, 'weight: lots'), sinceDays: 7 })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('CQ_ERR_INVALID_RULEBOOK')
    expect(bad.json().message).toMatch(/candidate\.yaml:\d+:\d+: .*weight/)
    const huge = await post('wang', { rulebook: 'x'.repeat(MAX_REPLAY_RULEBOOK_CHARS + 1), sinceDays: 7 })
    expect(huge.statusCode).toBe(400)
    expect(huge.json().code).toBe('CQ_ERR_VALIDATION')
    const neither = await post('wang', { rulebook: candidate })
    expect(neither.json()).toMatchObject({ statusCode: 400, code: 'CQ_ERR_INVALID_PARAMETER' })
    const backwards = await post('wang', { rulebook: candidate, since: '2026-11-20', until: '2026-11-10' })
    expect(backwards.json()).toMatchObject({ statusCode: 400, code: 'CQ_ERR_INVALID_PARAMETER' })
    // None of the refused ones queued anything: the only replays are the ones the tests above started.
    expect((await get('wang', 'r-00000000-0000-0000-0000-000000000000')).json().code).toBe('CQ_ERR_UNKNOWN_REPLAY')
  })

  it('one user may have CALLQA_MAX_REPLAYS_PER_USER replays queued or running; a finished one gives its place back', async () => {
    await worker.pause()
    const first = await post('wang', { rulebook: candidate, sinceDays: 2 })
    const second = await post('wang', { rulebook: candidate, sinceDays: 2 })
    expect([first.statusCode, second.statusCode]).toEqual([202, 202])
    const third = await post('wang', { rulebook: candidate, sinceDays: 2 })
    expect(third.statusCode).toBe(429)
    expect(third.json()).toMatchObject({ code: 'CQ_ERR_TOO_MANY_REPLAYS', message: expect.stringMatching(/wang has 2 replays queued or running.*CALLQA_MAX_REPLAYS_PER_USER/) })
    // Another user's places are their own.
    const other = await post('li', { rulebook: candidate, sinceDays: 2 })
    expect(other.statusCode).toBe(202)
    worker.resume()
    for (const [who, res] of [['wang', first], ['wang', second], ['li', other]] as const) expect((await finished(who, res.json().replayId)).status.state).toBe('done')
    const again = await post('wang', { rulebook: candidate, sinceDays: 2 })
    expect(again.statusCode).toBe(202)
    expect((await finished('wang', again.json().replayId)).status.state).toBe('done')
  })
})
