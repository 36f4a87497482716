/**
 * Runs the gateway: the only file that listens. Settings from the environment (config.ts,
 * README.md). Refuses to start outside development with missing or default secrets.
 * SIGINT/SIGTERM close sockets, flush checkpoints and quit Redis, then exit, within
 * SHUTDOWN_DEADLINE_MS even when Redis is gone; the same signal again exits at once.
 */
import { buildApp } from './app.js'
import { assertSecrets, loadConfig } from './config.js'
import { guardProcess } from './process-guard.js'

/** `docker stop` waits 10 s before SIGKILL and `pnpm start` 8 s: finish before either. */
export const SHUTDOWN_DEADLINE_MS = 7000

try {
  assertSecrets()
} catch (err) {
  console.error(`callqa gateway: ${(err as Error).message}`)
  process.exit(78)
}
const config = loadConfig()
const app = await buildApp(config)
guardProcess({ log: app.log, name: 'gateway' })
await app.listen({ host: config.host, port: config.port })

// The same signal again exits at once; another does not: Ctrl-C reaches every process of
// `pnpm start` as SIGINT and its supervisor then sends SIGTERM, which is one stop.
let stoppingOn: NodeJS.Signals | undefined
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppingOn === signal) {
      app.log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    if (stoppingOn) return
    stoppingOn = signal
    app.log.info({ signal }, 'shutting down')
    setTimeout(() => {
      app.log.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time: exiting')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
