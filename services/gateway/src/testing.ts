/**
 * Test helpers (used by the gateway's tests and test/gateway*.test.ts): a real gateway on an
 * ephemeral port against the real Redis under a unique key prefix, real `ws` clients, cleanup.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { Queue } from 'bullmq'
import { WebSocket } from 'ws'
import { Webhook } from 'standardwebhooks'
import type { FastifyInstance } from 'fastify'
import { loadDefaultRulebook, type Rulebook } from '@callqa/engine'
import type { CallStarted, Utterance } from '@callqa/protocol'
import { connectRedis, scanKeys, unlinkKeys } from '@callqa/store'
import { createTestDatabase, databaseUrlFor, TEST_DATABASE_URL, type TestDatabase } from '@callqa/store/testing'
import { buildApp } from './app.js'
import { loadConfig, type GatewayConfig } from './config.js'
import { TEST_REDIS_URL, testRedisOptions } from '../../../test/redis-url.js'

export const TEST_INGEST_TOKEN = 'ingest-test-token'
export const TEST_ADMIN_TOKEN = 'admin-test-token'
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from('callqa-test-secret-0123456789abcdef').toString('base64')}`

let sharedRulebook: Rulebook | undefined
export function testRulebook(): Rulebook {
  sharedRulebook ??= loadDefaultRulebook()
  return sharedRulebook
}

export interface TestGateway {
  app: FastifyInstance
  config: GatewayConfig
  url: string
  wsUrl: string
  close(): Promise<void>
}

/**
 * Settings of a test cluster: one prefix, one queue, shared by its instances. Its PostgreSQL
 * database does not exist (report routes answer 503) unless the test makes one
 * (`useTestGateway(…, { database: true })`): a test never writes to the default `callqa` database,
 * which a developer's `pnpm start` uses and other test runs would share.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const id = `test-${randomUUID()}`
  return {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: databaseUrlFor(TEST_DATABASE_URL, `absent_${id.slice(5).replace(/-/g, '')}`),
    CALLQA_REDIS_PREFIX: id,
    CALLQA_BULL_PREFIX: `${id}-bull`,
    CALLQA_INGEST_TOKENS: TEST_INGEST_TOKEN,
    CALLQA_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    CALLQA_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    LOG_LEVEL: 'silent',
    ...overrides,
  }
}

export async function startGateway(env: Record<string, string>, options: { clock?: () => number } = {}): Promise<TestGateway> {
  const config = { ...loadConfig({ ...env }), port: 0 }
  const app = await buildApp(config, { rulebook: testRulebook(), logger: false, ...(options.clock ? { clock: options.clock } : {}) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () => app.close(),
  }
}

export interface GatewayFixture extends TestGateway {
  env: Record<string, string>
}

/**
 * A gateway for the enclosing describe block: started in beforeAll under its own key prefix,
 * closed and its Redis keys deleted in afterAll. Its fields are read inside tests. With
 * `database: true` it gets a PostgreSQL database of its own (schema migrated, dropped after).
 */
export function useTestGateway(overrides: Record<string, string> = {}, options: { database?: boolean; clock?: () => number } = {}): GatewayFixture {
  const env = testEnv(overrides)
  let started: TestGateway | undefined
  let db: TestDatabase | undefined
  const current = (): TestGateway => {
    if (!started) throw new Error('the test gateway starts in beforeAll: use it inside a test or a later hook')
    return started
  }
  beforeAll(async () => {
    if (options.database) {
      db = await createTestDatabase()
      env.DATABASE_URL = db.url
    }
    started = await startGateway(env, options.clock ? { clock: options.clock } : {})
  })
  afterAll(async () => {
    await started?.close()
    await cleanupRedis(env)
    await db?.drop()
  })
  return {
    env,
    get app() {
      return current().app
    },
    get config() {
      return current().config
    },
    get url() {
      return current().url
    },
    get wsUrl() {
      return current().wsUrl
    },
    close: () => current().close(),
  }
}

/** Deletes every key of a test cluster of gateways (callqa prefix and BullMQ prefix), on every master of a Redis Cluster. */
export async function cleanupRedis(env: Record<string, string>): Promise<void> {
  const config = loadConfig(env)
  const redis = connectRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes }, { maxRetriesPerRequest: 2 })
  try {
    for (const pattern of [`${env.CALLQA_REDIS_PREFIX}:*`, `${env.CALLQA_BULL_PREFIX}:*`]) {
      for await (const keys of scanKeys(redis, pattern)) await unlinkKeys(redis, keys)
    }
  } finally {
    await redis.quit()
  }
}

/** The score queue of a test cluster (close it). */
export function scoreQueue(env: Record<string, string>): Queue {
  return new Queue('score', { connection: testRedisOptions(), prefix: env.CALLQA_BULL_PREFIX! })
}

/** A ws client that records every message it receives, with waits on them. */
export class TestSocket {
  readonly ws: WebSocket
  readonly messages: Record<string, unknown>[] = []
  closeCode: number | undefined
  closeReason = ''
  /** Messages that came as binary frames (the protocol sends JSON text frames only). */
  binaryFrames = 0
  readonly #waiters: { predicate: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = []
  readonly closed: Promise<number>

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers })
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++
      const m = JSON.parse(data.toString()) as Record<string, unknown>
      this.messages.push(m)
      for (let i = this.#waiters.length - 1; i >= 0; i--) {
        const w = this.#waiters[i]!
        if (w.predicate(m)) {
          this.#waiters.splice(i, 1)
          w.resolve(m)
        }
      }
    })
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeCode = code
        this.closeReason = reason.toString()
        resolve(code)
      })
    })
    this.ws.on('error', () => {})
  }

  static async open(url: string, token: string): Promise<TestSocket> {
    const s = new TestSocket(url, { authorization: `Bearer ${token}` })
    await new Promise<void>((resolve, reject) => {
      s.ws.once('open', () => resolve())
      s.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
      s.ws.once('error', reject)
    })
    return s
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value))
  }

  /** Resolves with the first message (already received or future) matching `predicate`. */
  waitFor(predicate: (m: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const found = this.messages.find(predicate)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: (m: Record<string, unknown>) => (clearTimeout(timer), resolve(m)) }
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter)
        if (i >= 0) this.#waiters.splice(i, 1)
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`))
      }, timeoutMs)
      this.#waiters.push(waiter)
    })
  }

  waitForAck(callId: string, seq: number): Promise<Record<string, unknown>> {
    return this.waitFor((m) => m.type === 'ack' && m.callId === callId && m.seq === seq)
  }

  of(type: string): Record<string, unknown>[] {
    return this.messages.filter((m) => m.type === type)
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    this.ws.close()
    await this.closed
  }
}

export function callStarted(callId: string, agentId = 'A1001', teamId = 'T01'): CallStarted {
  return { type: 'call.started', callId, agentId, teamId, direction: 'outbound', at: '2026-03-02T09:00:00.000Z' }
}

export function utterance(callId: string, seq: number, speaker: 'agent' | 'customer', text: string, startMs = seq * 4000, final = true): Utterance {
  return { type: 'utterance', callId, seq, speaker, text, startMs, endMs: startMs + Math.max(800, text.length * 250), final }
}

/** A signed webhook POST (Standard Webhooks), as the telephony platform sends it. */
export async function postWebhook(
  url: string,
  body: unknown,
  options: { id?: string; secret?: string; at?: Date; signature?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  const id = options.id ?? `msg_${randomUUID().replace(/-/g, '')}`
  const at = options.at ?? new Date()
  const signature = options.signature ?? new Webhook(options.secret ?? TEST_WEBHOOK_SECRET).sign(id, at, raw)
  const res = await fetch(`${url}/v1/webhooks/telephony`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: raw,
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}
