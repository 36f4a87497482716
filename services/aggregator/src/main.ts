/**
 * Runs the aggregator workers on their own (docker-compose `worker` service; start more of these
 * to scale out: every worker takes jobs from the same queues). Config from the environment: see
 * services/aggregator/README.md.
 */
import { startWorkers } from './index.js'

const workers = await startWorkers()
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return
    stopping = true
    workers.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  })
}
// Parent processes (tests, supervisors) wait for this line.
process.stdout.write(`${JSON.stringify({ msg: 'aggregator ready', pid: process.pid })}\n`)
