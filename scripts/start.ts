#!/usr/bin/env tsx
/**
 * `pnpm start`: the gateway as CALLQA_GATEWAYS processes sharing the port (default: one per core)
 * and the score workers as a separate process, against REDIS_URL (default redis://127.0.0.1:6379)
 * or the Redis Cluster of CALLQA_REDIS_CLUSTER,
 * all supervised (scripts/start/supervisor.ts): one that dies is restarted with a back-off and
 * named on stderr; SIGINT/SIGTERM stop everything within 10 s, even when Redis is gone. When
 * nothing answers at REDIS_URL and it is local, a private Redis is started (scripts/start/redis.ts).
 * Development tokens are filled in (and printed) for settings that are not set, so `pnpm demo`
 * works against it out of the box; outside development (NODE_ENV=production) those are refused.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'

import { DEFAULT_DATABASE_URL } from '@callqa/store'
import { ensurePostgres } from './start/postgres.js'
import { DEV_ADMIN_TOKEN, DEV_INGEST_TOKEN, DEV_WEBHOOK_SECRET } from './start-dev-settings.js'
import { loadRedisTarget } from './start/config.js'
import { ensureRedis, ensureRedisCluster } from './start/redis.js'
import { supervise } from './start/supervisor.js'
import { secretProblems } from '@callqa/gateway/config'

/** A module next to this one: .ts under tsx (development), .js when this runs compiled from scripts/dist (production). */
function sibling(path: string): string {
  return fileURLToPath(new URL(`${path}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url))
}

/** The supervisor's own deadline: children get 8 s to stop, then SIGKILL, all inside 10 s. */
const CHILD_STOP_DEADLINE_MS = 8000

function gatewayCount(): number {
  const raw = process.env.CALLQA_GATEWAYS
  if (raw === undefined || raw === '') return availableParallelism()
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`callqa: CALLQA_GATEWAYS must be an integer from 1 to 64, got ${JSON.stringify(raw)}`)
    process.exit(2)
  }
  return n
}

async function main(): Promise<void> {
  let target
  try {
    target = loadRedisTarget(process.env)
  } catch (err) {
    console.error(`callqa: ${(err as Error).message}`)
    process.exit(2)
  }
  process.env.REDIS_URL = target.url
  const gateways = gatewayCount()
  // With CALLQA_REDIS_CLUSTER the gateways and workers read it themselves (their config modules).
  const redis = target.clusterNodes.length > 0 ? await ensureRedisCluster(target) : await ensureRedis(target.url)
  // pnpm start is the development entry point; NODE_ENV=production turns the secret checks on.
  if (process.env.NODE_ENV !== 'production') process.env.CALLQA_DEV = '1'
  // PostgreSQL (the store of record of reports and KPIs): a private cluster under ./data when none answers.
  const privatePostgres = await ensurePostgres((process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL), resolve(process.cwd(), 'data')).catch((err: Error) => (console.error(`callqa: ${err.message}`), process.exit(1)))
  const dev: string[] = []
  // Production (`pnpm start:prod`) fills in nothing: every secret and account is the operator's.
  const production = process.env.NODE_ENV === 'production'
  if (!production && !process.env.CALLQA_INGEST_TOKENS) (process.env.CALLQA_INGEST_TOKENS = DEV_INGEST_TOKEN), dev.push(`CALLQA_INGEST_TOKENS=${DEV_INGEST_TOKEN}`)
  if (!production && !process.env.CALLQA_ADMIN_TOKEN) (process.env.CALLQA_ADMIN_TOKEN = DEV_ADMIN_TOKEN), dev.push(`CALLQA_ADMIN_TOKEN=${DEV_ADMIN_TOKEN}`)
  if (!production && !process.env.CALLQA_WEBHOOK_SECRET) (process.env.CALLQA_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET), dev.push(`CALLQA_WEBHOOK_SECRET=${DEV_WEBHOOK_SECRET}`)
  // A newcomer's first run needs someone to log in as: with no accounts file, the console's demo accounts.
  const accountsFile = process.env.CALLQA_ACCOUNTS_FILE ?? './config/accounts.json'
  if (!production && !existsSync(accountsFile) && process.env.CALLQA_DEMO_ACCOUNTS === undefined) {
    process.env.CALLQA_DEMO_ACCOUNTS = '1'
    dev.push(`console accounts: no ${accountsFile}, so the DEMO accounts wang (话务班长), li (外呼管理员 t-1), zhou (外呼管理员 t-2), zhao (投诉管理员), a7 (外呼员); password callqa-demo. Add real ones with \`pnpm --silent callqa adduser\``)
  } else if (existsSync(accountsFile)) {
    console.error(`callqa: console accounts from ${accountsFile} (the demo accounts are turned off; changes are picked up without a restart)`)
  } else if (production) {
    console.error(`callqa: no console accounts (${accountsFile} does not exist): add them with \`callqa adduser\`; the bearer token works meanwhile`)
  }
  // Development: request logs stay quiet (warnings and errors only) so the tokens and accounts above stay readable; production logs JSON at info.
  if (!process.env.LOG_LEVEL && process.env.NODE_ENV !== 'production') (process.env.LOG_LEVEL = 'warn'), dev.push('LOG_LEVEL=warn (request logs off; LOG_LEVEL=info shows them, NODE_ENV=production logs JSON at info)')
  if (dev.length > 0) console.error(`callqa: development settings (set them in the environment for real use):\n  ${dev.join('\n  ')}`)
  const problems = secretProblems()
  if (problems.length > 0) {
    console.error(`callqa: refusing to start with NODE_ENV=production and missing or default secrets:\n  ${problems.join('\n  ')}`)
    redis.stop()
    process.exit(78)
  }

  const host = process.env.HOST || '127.0.0.1'
  const port = process.env.PORT || '8080'
  const processes = supervise([
    { name: 'gateway', entry: sibling('./start/gateway-process'), count: gateways, shareListeningPort: true },
    { name: 'score workers', entry: sibling('./start/workers-process') },
  ])

  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      console.error(`callqa: ${signal}: stopping ${gateways} gateway process(es) and the score workers`)
      void processes.stop(CHILD_STOP_DEADLINE_MS).finally(() => {
        redis.stop()
        privatePostgres?.stop()
        process.exit(0)
      })
    })
  }

  await processes.ready
  const pids = [...processes.pids()].map(([label, pid]) => `${label} ${pid}`).join(', ')
  console.error(`callqa: gateway on http://${host}:${port} (console at /, metrics at /metrics; processes: ${pids}); Ctrl-C stops`)
}

await main()
