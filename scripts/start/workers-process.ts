/**
 * The score workers under `pnpm start`'s supervisor: their own process, so a gateway crash never
 * stops scoring (and the other way round). SIGTERM closes them within SHUTDOWN_DEADLINE_MS even
 * when Redis is gone.
 */
import { startWorkers } from '@callqa/aggregator'
import { guardProcess } from '../../services/gateway/src/process-guard.js'

const SHUTDOWN_DEADLINE_MS = 7000

const log = { error: (obj: object, msg: string) => console.error(JSON.stringify({ level: 50, process: 'score workers', msg, ...serializable(obj) })) }
function serializable(obj: object): object {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v
  return out
}
guardProcess({ log, name: 'score workers' })
// The workers read REDIS_URL / CALLQA_REDIS_CLUSTER in their config module (the same environment).
const workers = await startWorkers()
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref()
    workers.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err)
        process.exit(1)
      },
    )
  })
}
