/**
 * The workers' process (main.ts, as docker-compose runs it) stops within 10 s of SIGTERM, the time
 * `docker stop` gives before SIGKILL, even when Redis and PostgreSQL stopped answering under it:
 * a real process, a private redis-server killed, and PostgreSQL behind a TCP relay that goes silent
 * (connections stay open and never answer, the worst case for a client's close) while a job is in
 * flight (a close waits for it).
 */
import { once } from 'node:events'
import { createServer, Socket, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { Queue } from 'bullmq'
import { SCORE_JOB_OPTIONS, scoreJobId } from '@callqa/store'
import { kill, PrivateRedis, spawnWorker, until } from '../../../test/aggregator-helpers.js'
import { simReport, simulateDay } from '../../../test/aggregator-simulate.js'

const report = simReport(simulateDay({ teams: 1, agentsPerTeam: 1, seed: 5, callsPerAgent: [1, 1], callPrefix: 'shutdown' })[0]!)

/** A TCP relay to `target` that can go silent: it keeps every connection open and forwards nothing. */
class SilentableRelay {
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  #silent = false

  constructor(target: { host: string; port: number }) {
    this.#server = createServer((client) => {
      const upstream = new Socket()
      upstream.connect(target.port, target.host)
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('error', () => undefined)
        s.on('close', () => this.#sockets.delete(s))
      }
      client.on('data', (d) => this.#silent || upstream.write(d))
      upstream.on('data', (d) => this.#silent || client.write(d))
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
  }

  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server, 'listening')
    return (this.#server.address() as { port: number }).port
  }

  silence(): void {
    this.#silent = true
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy()
    await new Promise((r) => this.#server.close(r))
  }
}

describe('aggregator main.ts', () => {
  const redis = new PrivateRedis({ appendOnly: false })
  let db: TestDatabase
  let relay: SilentableRelay

  beforeAll(async () => {
    await redis.start()
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await relay?.close()
    await redis.stop()
    await db?.drop()
  })

  it('exits within 10 s of SIGTERM while Redis is gone and PostgreSQL does not answer', { timeout: 60_000 }, async () => {
    const dbUrl = new URL(db.url)
    relay = new SilentableRelay({ host: dbUrl.hostname, port: Number(dbUrl.port) || 5432 })
    dbUrl.port = String(await relay.listen())
    const worker = await spawnWorker({
      REDIS_URL: redis.url,
      DATABASE_URL: dbUrl.toString(),
      CALLQA_BULL_PREFIX: 'test-shutdown',
      CALLQA_WEBHOOK_CONCURRENCY: '0',
    })
    const queue = new Queue('score', { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 }, prefix: 'test-shutdown' })
    try {
      // A job in flight that can never finish: its store write waits on the silent PostgreSQL.
      relay.silence()
      await queue.add('score', { report }, { ...SCORE_JOB_OPTIONS, jobId: scoreJobId(report.callId) })
      await until('the job to be taken', async () => (await queue.getJobCounts('active')).active === 1, 20_000)
      await queue.close()
      await redis.crash()
      const exited = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
      worker.kill('SIGTERM')
      const outcome = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))])
      // Exits by itself, not by a signal: 1, the deadline cut the close short (the job cannot finish).
      expect(outcome).not.toBe('still running')
      expect(outcome).toEqual([1, null])
    } finally {
      await queue.close().catch(() => undefined)
      await kill(worker, 'SIGKILL')
    }
  })
})
