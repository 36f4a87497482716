/**
 * Runs the aggregator workers on their own (docker-compose `worker` service; start more of these
 * to scale out: every worker takes jobs from the same queues). Config from the environment: see
 * services/aggregator/README.md. SIGINT/SIGTERM stop it within SHUTDOWN_DEADLINE_MS (shutdown.ts),
 * even when Redis or PostgreSQL is gone.
 */
import { startWorkers } from './index.js'
import { closeOnSignals } from './shutdown.js'

const workers = await startWorkers()
closeOnSignals(workers, {
  onError: (msg, err) => console.error(JSON.stringify({ level: 50, name: 'aggregator', msg, ...(err ? { err: err instanceof Error ? err.message : String(err) } : {}) })),
})
// Parent processes (tests, supervisors) wait for this line.
process.stdout.write(`${JSON.stringify({ msg: 'aggregator ready', pid: process.pid })}\n`)
