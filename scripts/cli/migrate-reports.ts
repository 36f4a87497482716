/**
 * `callqa migrate-reports [--prefix P] [--delete-from-redis]`: moves the reports and KPIs an install
 * kept in Redis (REDIS_URL, or REPORTS_REDIS_URL when it had its own) into PostgreSQL
 * (DATABASE_URL). Idempotent and resumable: run it again after a stop and it finishes the rest
 * without counting anything twice (packages/store/src/pg/import-redis.ts). Run it before starting
 * the new workers.
 *
 * Exit codes: 0 done; 1 some reports could not be decoded (left in Redis, named on stderr);
 * 2 bad usage, or Redis or PostgreSQL does not answer.
 */
import { Redis } from 'ioredis'
import { DEFAULT_DATABASE_URL, DEFAULT_PREFIX, importReportsFromRedis, ReportStore } from '@callqa/store'
import { DEFAULT_TIME_ZONE } from '@callqa/kpi'
import { parseCommandLine, UsageError } from './transcripts.js'

const USAGE = `usage: callqa migrate-reports [--prefix P] [--delete-from-redis]

Copies the reports and KPI rollups kept in Redis by an install before PostgreSQL into PostgreSQL.
Safe to run again (after a stop, or twice): nothing is copied or counted twice. Stop the workers
first; start the new ones after it.

  --prefix P            key prefix of the Redis store (default: CALLQA_REDIS_PREFIX or callqa)
  --delete-from-redis   unlink each key once its content is in PostgreSQL (frees the memory)

settings: REDIS_URL (or REPORTS_REDIS_URL), DATABASE_URL, CALLQA_TIMEZONE
exit codes: 0 done, 1 some reports could not be decoded (see stderr), 2 bad usage or a store does not answer
`

interface Options {
  prefix: string
  deleteFromRedis: boolean
}

function parse(argv: string[]): Options {
  const options: Options = { prefix: process.env.CALLQA_REDIS_PREFIX || DEFAULT_PREFIX, deleteFromRedis: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--delete-from-redis') options.deleteFromRedis = true
    else if (arg === '--prefix') {
      const value = argv[++i]
      if (!value) throw new UsageError('--prefix needs a value')
      options.prefix = value
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`)
  }
  return options
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('migrate-reports', USAGE, argv, parse)
  if (typeof options === 'number') return options
  const redisUrl = process.env.REPORTS_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379'
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true, retryStrategy: (n) => (n > 3 ? null : 200) })
  redis.on('error', () => undefined)
  const store = new ReportStore({ databaseUrl, maxConnections: 2, timeZone: process.env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE })
  try {
    try {
      await redis.connect()
    } catch (err) {
      process.stderr.write(`callqa migrate-reports: Redis does not answer at ${redisUrl}: ${(err as Error).message}\n`)
      return 2
    }
    try {
      await store.prepare(databaseUrl)
    } catch (err) {
      process.stderr.write(`callqa migrate-reports: PostgreSQL at DATABASE_URL: ${(err as Error).message}\n`)
      return 2
    }
    const abort = new AbortController()
    const onSignal = (): void => abort.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    let last = 0
    const result = await importReportsFromRedis({
      redis,
      store,
      prefix: options.prefix,
      deleteFromRedis: options.deleteFromRedis,
      signal: abort.signal,
      onProgress: (p) => {
        if (Date.now() - last < 2000) return
        last = Date.now()
        process.stderr.write(`  ${p.rollupsSeen} rollups, ${p.reportsSeen} reports so far...\n`)
      },
    })
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const line of result.unreadable) process.stderr.write(`callqa migrate-reports: unreadable report ${line}\n`)
    const summary = {
      stopped: abort.signal.aborted,
      reportsSeen: result.reportsSeen,
      reportsImported: result.reportsImported,
      reportsAlreadyThere: result.reportsSeen - result.reportsImported - result.reportsUnreadable,
      reportsUnreadable: result.reportsUnreadable,
      rollupsSeen: result.rollupsSeen,
      rollupsImported: result.rollupsImported,
      seatDays: result.seatDays,
      keysDeleted: result.keysDeleted,
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`)
    if (abort.signal.aborted) process.stderr.write('callqa migrate-reports: stopped; run it again to finish\n')
    return result.reportsUnreadable > 0 ? 1 : abort.signal.aborted ? 2 : 0
  } finally {
    await store.close()
    redis.disconnect()
  }
}
