/**
 * Production runs compiled JavaScript: `tsc -b tsconfig.build.json` (what `pnpm build` runs before
 * the console) emits every deployable's dist/, and `pnpm start:prod`'s command (plain node,
 * `--conditions=callqa-dist`, NODE_ENV=production, tsx unresolvable) runs the compiled supervisor,
 * gateway and score workers: /healthz answers, one call goes over the sockets (ack, alert to a
 * supervisor, end) and its report is stored by the workers, and the try-box's worker thread runs.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { cleanupRedis, TestSocket } from '../services/gateway/src/testing.js'
import { TEST_REDIS_URL } from './redis-url.js'

const ROOT = resolve(import.meta.dirname, '..')
const run = promisify(execFile)
/** Long enough for the production secret check (16+ characters, not a shipped value). */
const INGEST_TOKEN = `build-test-ingest-${randomUUID()}`
const ADMIN_TOKEN = `build-test-admin-${randomUUID()}`

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
}

describe('the compiled build', () => {
  const id = `test-${randomUUID()}`
  const env = { CALLQA_REDIS_PREFIX: id, CALLQA_BULL_PREFIX: `${id}-bull`, REDIS_URL: TEST_REDIS_URL }
  let db: TestDatabase | undefined
  let gateway: ChildProcess | undefined
  let stderr = ''
  let base = ''

  beforeAll(async () => {
    const [, database] = await Promise.all([run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: ROOT }), createTestDatabase()])
    db = database
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    // package.json's start:prod, with the tsx guard; children inherit the node flags.
    gateway = spawn(process.execPath, ['--conditions=callqa-dist', '--import', './test/no-tsx.mjs', 'scripts/dist/start.js'], {
      cwd: ROOT,
      // Only what production has: no tsx loader inherited through NODE_OPTIONS.
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        CALLQA_GATEWAYS: '1',
        DATABASE_URL: db.url,
        CALLQA_ACCOUNTS_FILE: join(ROOT, 'test-results', `none-${id}.json`),
        CALLQA_INGEST_TOKENS: INGEST_TOKEN,
        CALLQA_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    gateway.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    for (let i = 0; i < 600 && gateway.exitCode === null; i++) {
      if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the compiled gateway did not get ready (exit ${gateway.exitCode}): ${stderr}`)
  }, 120_000)

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      gateway.kill('SIGTERM')
      await new Promise((r) => gateway!.once('exit', r))
    }
    await cleanupRedis(env)
    await db?.drop()
  })

  it('resolves the workspace packages to their dist/ under the callqa-dist condition, to the sources without it', async () => {
    const probe = "process.stdout.write(import.meta.resolve('@callqa/engine'))"
    const compiled = await run(process.execPath, ['--conditions=callqa-dist', '--input-type=module', '-e', probe], { cwd: join(ROOT, 'services/gateway') })
    const sources = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: join(ROOT, 'services/gateway') })
    expect(compiled.stdout).toMatch(/packages\/engine\/dist\/index\.js$/)
    expect(sources.stdout).toMatch(/packages\/engine\/src\/index\.ts$/)
  })

  it('answers /healthz and carries a call end to end', async () => {
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true })

    const supervisor = await TestSocket.open(`${base.replace('http', 'ws')}/v1/alerts`, ADMIN_TOKEN)
    await supervisor.waitFor((m) => m.type === 'hello')
    const ingest = await TestSocket.open(`${base.replace('http', 'ws')}/v1/ingest`, INGEST_TOKEN)
    const callId = `c-build-${randomUUID().slice(0, 8)}`
    ingest.send({ type: 'call.started', callId, agentId: 'a-7', teamId: 't-1', direction: 'outbound', at: new Date().toISOString() })
    ingest.send({ type: 'utterance', callId, seq: 0, speaker: 'agent', text: '您好，我是客服小王。', startMs: 0, endMs: 2000, final: true })
    ingest.send({ type: 'utterance', callId, seq: 1, speaker: 'agent', text: '这个我也不知道，你找领导去吧。', startMs: 2500, endMs: 5000, final: true })
    await ingest.waitForAck(callId, 1)
    const alert = await supervisor.waitFor((m) => m.type === 'alert' && m.callId === callId)
    expect(alert).toMatchObject({ callId, rule: 'forbidden_phrase', seq: 1 })
    ingest.send({ type: 'call.ended', callId, endMs: 6000, disposition: 'success' })
    // The compiled score workers store its report (the API reads it from PostgreSQL).
    let report: Response | undefined
    for (let i = 0; i < 300 && report?.status !== 200; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100))
      report = await fetch(`${base}/v1/calls/${callId}/report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    }
    expect(report!.status).toBe(200)
    expect(await report!.json()).toMatchObject({ callId, agentId: 'a-7', findings: expect.arrayContaining([expect.objectContaining({ rule: 'forbidden_phrase' })]) })
    expect(ingest.of('error')).toEqual([])
    await ingest.close()
    await supervisor.close()
  })

  it('runs the rulebook try-box in its compiled worker thread (no tsx to register)', async () => {
    const res = await fetch(`${base}/v1/rulebook/try`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '坐席：您好，我是客服小王。\n客户：我的话费怎么多了？\n坐席：这个我也不知道，你找领导去吧。' }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { reports: Array<{ findings: Array<{ rule: string }> }> }
    expect(body.reports[0]!.findings.map((f) => f.rule)).toContain('forbidden_phrase')
  })
})
