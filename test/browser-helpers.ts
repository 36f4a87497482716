/**
 * Browser-test harness: the real gateway (`buildApp`, port 0, real Redis under a test prefix) with
 * console accounts, Debian's Chromium through playwright-core (a fresh profile per browser), and a
 * small ingest client speaking protocol v1 over the real socket.
 */
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'
import type { CallEvent } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { buildApp } from '../services/gateway/src/app.js'
import { loadConfig } from '../services/gateway/src/config.js'
import { consoleRoutes } from '../services/gateway/src/routes/console.js'
import { reportRoutes } from '../services/gateway/src/routes/reports.js'
import { createTestDatabase } from '@callqa/store/testing'
import { kpiRoutes } from '../services/gateway/src/routes/kpi.js'
import { hashPassword, upsertAccount, type Account } from '../services/gateway/src/auth/index.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/**
 * Every run saves a screenshot of each page to test-results/screenshots/ (not committed);
 * `CALLQA_UPDATE_SCREENSHOTS=1 pnpm test` refreshes the committed ones in docs/screenshots/ (README).
 */
export const SCREENSHOTS =
  process.env.CALLQA_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'screenshots')
export const CHROMIUM = process.env.CALLQA_CHROMIUM ?? '/usr/bin/chromium'
/** `CALLQA_SKIP_BROWSER=1` (a machine without Chromium, see scripts/setup.sh) skips the browser tests, and says so. */
export const SKIP_BROWSER = process.env.CALLQA_SKIP_BROWSER === '1'
export const PASSWORD = 'floor-test-密码-2026'
export const INGEST_TOKEN = 'browser-ingest-token'
export const ADMIN_TOKEN = 'browser-admin-token'

export const ACCOUNTS: Array<Omit<Account, 'passwordHash'>> = [
  { username: 'wang', role: 'shift_lead', displayName: '王班长' },
  { username: 'li', role: 'outbound_manager', teams: ['t-1'], displayName: '李经理' },
  { username: 'zhou', role: 'outbound_manager', teams: ['t-2'], displayName: '周经理' },
  { username: 'zhao', role: 'complaint_manager', displayName: '赵主管' },
  { username: 'a7', role: 'agent', agentId: 'a-7', displayName: '外呼员小王' },
]

function newestMtimeMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds services/console/dist when it is missing or older than its sources (CI's setup builds it first). */
export function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'services/console/dist/index.html')
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtimeMs(join(ROOT, 'services/console/src'))) return
  execFileSync(join(ROOT, 'services/console/node_modules/.bin/vite'), ['build'], { cwd: join(ROOT, 'services/console'), stdio: 'ignore' })
}

export interface TestServer {
  app: FastifyInstance
  url: string
  wsUrl: string
  prefix: string
  redis: Redis
  reports: ReportStore
  close(): Promise<void>
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  ensureConsoleBuilt()
  const prefix = `test-${randomUUID()}`
  const dir = await mkdtemp(join(tmpdir(), 'callqa-browser-'))
  const accountsFile = join(dir, 'accounts.json')
  const passwordHash = await hashPassword(PASSWORD)
  for (const account of ACCOUNTS) await upsertAccount(accountsFile, { ...account, passwordHash })
  process.env.CALLQA_ACCOUNTS_FILE = accountsFile
  // The store of record: a database of this server's own, dropped on close.
  const db = await createTestDatabase()
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    DATABASE_URL: db.url,
    CALLQA_REDIS_PREFIX: prefix,
    CALLQA_BULL_PREFIX: `${prefix}-bull`,
    CALLQA_SCORE_QUEUE: `${prefix}-score`,
    CALLQA_INGEST_TOKENS: INGEST_TOKEN,
    CALLQA_ADMIN_TOKEN: ADMIN_TOKEN,
    CALLQA_INGEST_EVENTS_PER_SECOND: '200000',
    CALLQA_INGEST_BURST_EVENTS: '400000',
    CALLQA_LIVE_UPDATE_INTERVAL_MS: '500',
    // The tests end their calls themselves; a slow machine must not close them as abandoned meanwhile.
    CALLQA_IDLE_TIMEOUT_MS: '3600000',
    CALLQA_SUPERVISOR_MAX_BUFFER_BYTES: String(64 * 1024 * 1024),
    LOG_LEVEL: 'silent',
    ...env,
  })
  const app = await buildApp(config, { logger: false })
  const redis = new Redis(config.redisUrl)
  const reports = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
  // Routes app.ts may not register yet in this tree: the test registers the same plugins itself.
  if (!app.hasRoute({ method: 'GET', url: '/v1/rulebook' })) await app.register(consoleRoutes)
  if (!app.hasRoute({ method: 'GET', url: '/v1/calls' })) await app.register(reportRoutes, { store: reports })
  if (!app.hasRoute({ method: 'GET', url: '/v1/kpi/teams/:teamId' })) await app.register(kpiRoutes, { store: reports })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    prefix,
    redis,
    reports,
    async close() {
      await app.close()
      const keys = await redis.keys(`${prefix}*`)
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500))
      await redis.quit()
      await reports.close()
      await db.drop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface TestBrowser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/** One Chromium with a fresh profile (a second call gives a second, independent browser). */
export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'callqa-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

export async function login(page: Page, baseUrl: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/`)
  // The page asks the server who is logged in first: wait for its answer (the form or the console).
  await page.waitForSelector('[data-testid=login-form], [data-testid=logout]')
  if (await page.$('[data-testid=logout]')) await page.click('[data-testid=logout]')
  await page.waitForSelector('[data-testid=login-form]')
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=whoami]')
}

/** A protocol v1 ingest connection that waits for acknowledgements. */
export class IngestClient {
  readonly #ws: WebSocket
  readonly #acked = new Set<string>()
  readonly #waiters: Array<{ key: string; resolve: () => void }> = []
  readonly errors: unknown[] = []

  private constructor(ws: WebSocket) {
    this.#ws = ws
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; callId?: string; seq?: number }
      if (message.type === 'ack') {
        const key = `${message.callId}/${message.seq}`
        this.#acked.add(key)
        for (let i = this.#waiters.length - 1; i >= 0; i--) {
          if (this.#waiters[i]!.key === key) this.#waiters.splice(i, 1)[0]!.resolve()
        }
      } else if (message.type === 'error') {
        this.errors.push(message)
      }
    })
  }

  static async open(wsUrl: string): Promise<IngestClient> {
    const ws = new WebSocket(`${wsUrl}/v1/ingest`, { headers: { authorization: `Bearer ${INGEST_TOKEN}` } })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new IngestClient(ws)
  }

  send(events: CallEvent | CallEvent[]): void {
    this.#ws.send(JSON.stringify(events))
  }

  waitForAck(callId: string, seq: number): Promise<void> {
    if (this.#acked.has(`${callId}/${seq}`)) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ key: `${callId}/${seq}`, resolve }))
  }

  async close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return
    await new Promise<void>((resolve) => {
      this.#ws.once('close', () => resolve())
      this.#ws.close()
    })
  }
}

export function started(callId: string, agentId: string, teamId: string, at = new Date().toISOString()): CallEvent {
  return { type: 'call.started', callId, agentId, teamId, direction: 'outbound', at }
}

/** How long saying `text` takes at about 130 characters a minute (inside the handbook's band). */
export function speechMs(text: string): number {
  return Math.max(800, [...text].length * 460)
}

export function said(callId: string, seq: number, speaker: 'agent' | 'customer', text: string, startMs = seq * 4000): CallEvent {
  return { type: 'utterance', callId, seq, speaker, text, startMs, endMs: startMs + speechMs(text), final: true }
}

export function ended(callId: string, seq: number, disposition: 'success' | 'failed' = 'success'): CallEvent {
  return { type: 'call.ended', callId, endMs: seq * 4000 + 3000, disposition }
}

/** Percentiles of a list of numbers (ms). */
export function stats(values: number[]): { n: number; p50: number; p95: number; p99: number; max: number; over50: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const round = (n: number) => Math.round(n * 10) / 10
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0), over50: sorted.filter((v) => v > 50).length }
}

/** What the console exposes on `window.__callqa` (services/console/src/app.tsx), as far as tests read it. */
export interface ConsoleHooks {
  store: {
    alerts: Array<{ alertId: string; callId: string; rule: string; seq?: number; agentId: string; teamId: string }>
    calls: Map<string, { callId: string; teamId: string }>
    version: number
  }
  socket: { connects: number; caughtUp: number }
  beeps(): number
  /** Times the visual critical-alert cue was shown. */
  cues(): number
}

declare global {
  interface Window {
    __callqa?: ConsoleHooks
  }
}
