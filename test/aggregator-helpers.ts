/** Test support for the aggregator suites: real processes, real Redis, nothing mocked. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'

export const ROOT = resolve(import.meta.dirname, '..')

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    if (keys.length) await redis.unlink(...keys)
    cursor = next
  } while (cursor !== '0')
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** `services/aggregator/src/main.ts` as a real child process; resolves once it says it is ready. */
export async function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services/aggregator/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.includes('aggregator ready')) resolveReady()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before ready:\n${output}`)))
  })
  child.removeAllListeners('exit')
  return child
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill(signal)
  await exited
}

/**
 * A private `redis-server` on a free port, in a temp dir: append-only with an fsync on every write
 * (crash tests), or `appendOnly: false` for a bare one nothing else talks to (measuring what a
 * service sends it).
 */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'callqa-redis-'))
  port = 0
  process: ChildProcess | undefined
  readonly #appendOnly: boolean

  constructor(options: { appendOnly?: boolean } = {}) {
    this.#appendOnly = options.appendOnly ?? true
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort()
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...(this.#appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']), '--save', '', '--daemonize', 'no', '--logfile', ''],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    this.process = child
    let log = ''
    child.stdout!.on('data', (c: Buffer) => (log += c.toString('utf8')))
    await until(`redis-server on ${this.port} to load its data`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited:\n${log}`)
      const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      probe.on('error', () => undefined)
      try {
        await probe.connect()
        const info = await probe.info('persistence')
        return /loading:0/.test(info)
      } catch {
        return false
      } finally {
        probe.disconnect()
      }
    })
  }

  /** SIGKILL: no shutdown save, no goodbye; only what was fsynced survives. */
  async crash(): Promise<void> {
    if (this.process) await kill(this.process, 'SIGKILL')
  }

  async stop(): Promise<void> {
    await this.crash()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
