/**
 * One replay worker process for `pnpm bench:replay` (the aggregator's replay worker alone, on the
 * bench's database and Redis prefix): prints `ready` once it takes jobs, stops on SIGTERM.
 * Env: DATABASE_URL, REDIS_URL, CALLQA_BULL_PREFIX.
 */
import { Redis } from 'ioredis'
import { startReplayWorker } from '@callqa/aggregator'
import { ReportStore } from '@callqa/store'

const connection = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
const store = new ReportStore({ databaseUrl: process.env.DATABASE_URL!, maxConnections: 2 })
const worker = startReplayWorker({ connection, prefix: process.env.CALLQA_BULL_PREFIX!, store })
await worker.waitUntilReady()
process.stdout.write('ready\n')
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => Promise.all([store.close(), connection.quit()]))
    .finally(() => process.exit(0))
})
