import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

/** Runs a script that installs the guard, then throws `throws` times from timers. */
async function run(throws: number): Promise<{ code: number | null; stderr: string }> {
  const script = `
    import { guardProcess } from './services/gateway/src/process-guard.ts'
    guardProcess({ name: 'probe', log: { error: (o, m) => console.error(m, o.err?.message ?? ''), fatal: (o, m) => console.error(m, o.err?.message ?? '') } })
    for (let i = 0; i < ${throws}; i++) setTimeout(() => { throw new Error('bug ' + i) }, 5 * i)
    setTimeout(() => Promise.reject(new Error('lost promise')), 5)
    setTimeout(() => { console.error('still running'); process.exit(0) }, 5 * ${throws} + 200)
  `
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  return { code, stderr }
}

describe('process guard', () => {
  it('logs an uncaught exception or a lost rejection and keeps the process running', async () => {
    const { code, stderr } = await run(3)
    expect(stderr).toMatch(/uncaught exception \(kept running\) bug 0/)
    expect(stderr).toMatch(/unhandled promise rejection \(kept running\) lost promise/)
    expect(stderr).toContain('still running')
    expect(code).toBe(0)
  }, 30_000)

  it('exits with code 70 for its supervisor to restart it when exceptions come in a burst', async () => {
    const { code, stderr } = await run(12)
    expect(stderr).toMatch(/11 in a minute, exiting for a restart/)
    expect(stderr).not.toContain('still running')
    expect(code).toBe(70)
  }, 30_000)
})
