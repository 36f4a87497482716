/**
 * Runs the gateway: the only file that listens. Settings from the environment (config.ts,
 * README.md). SIGINT/SIGTERM close sockets, flush checkpoints and quit Redis, then exit.
 */
import { buildApp } from './app.js'
import { loadConfig } from './config.js'

const config = loadConfig()
const app = await buildApp(config)
await app.listen({ host: config.host, port: config.port })

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
