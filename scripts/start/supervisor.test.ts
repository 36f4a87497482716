/**
 * `pnpm start` as a supervisor, run for real (tsx scripts/start.ts) against a private redis-server:
 * a gateway or the score workers killed with SIGKILL is restarted and named on stderr while the
 * other gateway keeps answering; SIGTERM stops every process within 10 s even after Redis died.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => res(port))
    })
    server.on('error', rej)
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('pnpm start supervises its processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callqa-start-'))
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('restarts what dies, says so, and stops everything within 10 s of SIGTERM even when Redis is gone', async () => {
    const redisPort = await freePort()
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
    children.push(redis)
    const port = await freePort()
    // As `pnpm start` runs it: the supervisor itself gets the signal (the tsx CLI would relay it, and
    // SIGKILLs its child when the child is slow to answer, which left the gateways orphaned).
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: String(port), CALLQA_GATEWAYS: '2', LOG_LEVEL: 'warn', CALLQA_ACCOUNTS_FILE: join(dir, 'none.json'), CALLQA_DEMO_ACCOUNTS: '0', NODE_ENV: 'development' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    children.push(start)
    let stderr = ''
    start.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    await until(() => /gateway on http/.test(stderr), 90_000, `the gateways to listen; stderr: ${stderr}`)
    const pids = new Map([...stderr.matchAll(/(gateway \d|score workers) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]))
    expect([...pids.keys()].sort()).toEqual(['gateway 1', 'gateway 2', 'score workers'])
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)

    process.kill(pids.get('gateway 1')!, 'SIGKILL')
    await until(() => /gateway 1 was killed by SIGKILL; restarting it in [\d.]+ s \(restart 1\)/.test(stderr), 10_000, 'the restart message')
    // The other gateway answers meanwhile: the port is shared.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    process.kill(pids.get('score workers')!, 'SIGKILL')
    await until(() => /score workers was killed by SIGKILL; restarting it in [\d.]+ s \(restart 1\)/.test(stderr), 10_000, 'the workers restart message')

    await until(() => (stderr.match(/restarted \(pid \d+\)/g) ?? []).length === 2, 30_000, 'both restarts')
    for (const m of stderr.matchAll(/(gateway \d|score workers) restarted \(pid (\d+)\)/g)) pids.set(`${m[1]} again`, Number(m[2]))
    expect(pids.size).toBe(5)
    redis.kill('SIGKILL')
    await new Promise((r) => setTimeout(r, 1000))
    const stoppedAt = Date.now()
    start.kill('SIGTERM')
    await until(() => start.exitCode !== null || start.signalCode !== null, 12_000, 'pnpm start to exit')
    expect(Date.now() - stoppedAt).toBeLessThan(10_000)
    for (const [name, pid] of pids) expect(alive(pid), `${name} ${pid}\n${stderr}`).toBe(false)
    expect(stderr).toMatch(/SIGTERM: stopping 2 gateway process\(es\) and the score workers/)
    // Each process stopped by itself: none had to be killed.
    expect(stderr).not.toMatch(/did not stop within/)
  }, 150_000)
})
