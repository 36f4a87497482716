#!/usr/bin/env tsx
/**
 * `pnpm start`: the gateway and the aggregator workers in one process, against REDIS_URL
 * (default redis://127.0.0.1:6379). When nothing answers there and the URL is local and
 * `redis-server` is installed, a private Redis is started (data under ./data, append-only file on)
 * so a first run works; otherwise it exits saying how to get Redis. Development tokens are filled
 * in (and printed) for settings that are not set, so `pnpm demo` works against it out of the box.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { Redis } from 'ioredis'

import { DEFAULT_DATABASE_URL } from '@callqa/store'
import { ensurePostgres } from './start/postgres.js'
import { DEV_ADMIN_TOKEN, DEV_INGEST_TOKEN, DEV_WEBHOOK_SECRET } from './start-dev-settings.js'

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

async function startPrivateRedis(url: URL): Promise<ChildProcess> {
  const dir = resolve(process.cwd(), 'data')
  mkdirSync(dir, { recursive: true })
  const port = url.port || '6379'
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', 'redis.log'], { stdio: 'ignore' })
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url.toString())) return child
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error(`redis-server did not start on port ${port} (see ${dir}/redis.log)`)
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
  process.env.REDIS_URL = redisUrl
  let privateRedis: ChildProcess | undefined
  if (!(await redisAnswers(redisUrl))) {
    const url = new URL(redisUrl)
    const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)
    if (local && hasRedisServer()) {
      console.error(`callqa: nothing answers at ${redisUrl}; starting a private redis-server (data in ./data, append-only)`)
      privateRedis = await startPrivateRedis(url)
    } else {
      console.error(
        `callqa: Redis does not answer at ${redisUrl}.\n` +
          '  Install and start it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis && brew services start redis),\n' +
          '  or run `docker compose up redis`, or point REDIS_URL at a Redis 7 you have.',
      )
      process.exit(1)
    }
  }
  // PostgreSQL (the store of record of reports and KPIs): a private cluster under ./data when none answers.
  const privatePostgres = await ensurePostgres((process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL), resolve(process.cwd(), 'data')).catch((err: Error) => (console.error(`callqa: ${err.message}`), process.exit(1)))
  const dev: string[] = []
  if (!process.env.CALLQA_INGEST_TOKENS) (process.env.CALLQA_INGEST_TOKENS = DEV_INGEST_TOKEN), dev.push(`CALLQA_INGEST_TOKENS=${DEV_INGEST_TOKEN}`)
  if (!process.env.CALLQA_ADMIN_TOKEN) (process.env.CALLQA_ADMIN_TOKEN = DEV_ADMIN_TOKEN), dev.push(`CALLQA_ADMIN_TOKEN=${DEV_ADMIN_TOKEN}`)
  if (!process.env.CALLQA_WEBHOOK_SECRET) (process.env.CALLQA_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET), dev.push(`CALLQA_WEBHOOK_SECRET=${DEV_WEBHOOK_SECRET}`)
  // A newcomer's first run needs someone to log in as: with no accounts file, the console's demo accounts.
  const accountsFile = process.env.CALLQA_ACCOUNTS_FILE ?? './config/accounts.json'
  if (!existsSync(accountsFile) && process.env.CALLQA_DEMO_ACCOUNTS === undefined) {
    process.env.CALLQA_DEMO_ACCOUNTS = '1'
    dev.push(`console accounts: no ${accountsFile}, so the DEMO accounts wang (话务班长), li (外呼管理员 t-1), zhou (外呼管理员 t-2), zhao (投诉管理员), a7 (外呼员); password callqa-demo. Add real ones with \`pnpm --silent callqa adduser\``)
  }
  if (dev.length > 0) console.error(`callqa: development settings (set them in the environment for real use):\n  ${dev.join('\n  ')}`)

  const { buildApp, loadConfig } = await import('../services/gateway/src/index.js')
  const config = loadConfig()
  const app = await buildApp(config)
  const { startWorkers } = await import('@callqa/aggregator')
  const workers = await startWorkers({ redisUrl })
  await app.listen({ host: config.host, port: config.port })
  console.error(`callqa: gateway on http://${config.host}:${config.port} (console at /, metrics at /metrics); Ctrl-C stops`)

  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return
      stopping = true
      void (async () => {
        await app.close().catch((err: unknown) => console.error(err))
        await workers.close().catch((err: unknown) => console.error(err))
        privateRedis?.kill('SIGTERM')
        privatePostgres?.stop()
        process.exit(0)
      })()
    })
  }
}

await main()
