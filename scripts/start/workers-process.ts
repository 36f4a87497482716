/**
 * The score workers under `pnpm start`'s supervisor: their own process, so a gateway crash never
 * stops scoring (and the other way round). SIGTERM closes them within the aggregator's
 * SHUTDOWN_DEADLINE_MS even when Redis or PostgreSQL is gone.
 */
import { closeOnSignals, startWorkers } from '@callqa/aggregator'
import { guardProcess } from '@callqa/gateway/process-guard'

const log = { error: (obj: object, msg: string) => console.error(JSON.stringify({ level: 50, process: 'score workers', msg, ...serializable(obj) })) }
function serializable(obj: object): object {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v
  return out
}
guardProcess({ log, name: 'score workers' })
// The workers read REDIS_URL / CALLQA_REDIS_CLUSTER in their config module (the same environment).
const workers = await startWorkers()
closeOnSignals(workers, { onError: (msg, err) => log.error(err instanceof Error ? { err } : {}, msg) })
