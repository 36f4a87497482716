/**
 * The gateway app factory: `buildApp(config)` registers everything and returns the fastify
 * instance without listening (server.ts listens; tests listen on port 0).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import type { Rulebook } from '@callqa/engine'
import { authPlugin } from './auth/index.js'
import { consoleRoutes } from './routes/console.js'
import type { GatewayConfig } from './config.js'
import { corePlugin } from './core.js'
import { ingestRoutes } from './ingest/index.js'
import { healthRoutes } from './routes/health.js'
import { kpiRoutes } from './routes/kpi.js'
import { reportRoutes } from './routes/reports.js'
import { reviewRoutes } from './routes/review.js'
import { appealRoutes } from './routes/appeals.js'
import { qualityRoutes } from './routes/quality.js'
import { caseRoutes } from './routes/cases.js'
import { supervisorRoutes } from './supervisor/index.js'
import { webhookRoutes } from './webhook/index.js'

export interface BuildOptions {
  /** A parsed rulebook (tests and benches skip reading the file). */
  rulebook?: Rulebook
  /** Replaces the pino logger options (tests pass `false`). */
  logger?: FastifyServerOptions['logger']
}

/** Ping interval of every socket; a peer that misses one pong is dropped. */
const HEARTBEAT_MS = 30_000

export async function buildApp(config: GatewayConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, base: { service: 'gateway', instance: config.instanceId } },
    bodyLimit: 1024 * 1024,
  })

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed')
    const code = error.validation ? 'CQ_ERR_VALIDATION' : (error.code ?? 'CQ_ERR_INTERNAL')
    // A 5xx never echoes internals unless it is one of our coded errors.
    const message = statusCode >= 500 && !error.code?.startsWith('CQ_ERR_') ? 'internal error: see the gateway logs' : error.message
    void reply.status(statusCode).send({ statusCode, code, error: statusText(statusCode), message })
  })

  // Frames over maxFrameBytes get a coded error and the socket stays open; only frames far over
  // it (16x) are refused by ws itself (close 1009) so a hostile peer cannot make us buffer more.
  // Invalid UTF-8 in a text frame would make ws close the socket (1007); we let the decoder answer
  // it with a coded error instead, like any other bad frame, and keep the connection.
  await app.register(websocket, { options: { maxPayload: config.maxFrameBytes * 16, skipUTF8Validation: true } })
  await app.register(corePlugin, { config, ...(options.rulebook ? { rulebook: options.rulebook } : {}) })
  await app.register(authPlugin, { adminToken: config.adminToken })

  await app.register(healthRoutes)
  await app.register(ingestRoutes)
  await app.register(webhookRoutes)
  await app.register(supervisorRoutes)
  // Route plugins of the other areas register below (one line each).
  await app.register(reportRoutes)
  await app.register(kpiRoutes)
  await app.register(reviewRoutes)
  await app.register(appealRoutes)
  await app.register(qualityRoutes)
  await app.register(caseRoutes)
  await app.register(consoleRoutes)

  const heartbeat = setInterval(() => {
    for (const client of app.websocketServer.clients) {
      const alive = client as typeof client & { isAlive?: boolean }
      if (alive.isAlive === false) {
        client.terminate()
        continue
      }
      alive.isAlive = false
      client.ping()
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  app.websocketServer.on('connection', (client) => {
    const alive = client as typeof client & { isAlive?: boolean }
    alive.isAlive = true
    client.on('pong', () => {
      alive.isAlive = true
    })
  })
  app.addHook('onClose', async () => clearInterval(heartbeat))
  return app
}

function statusText(statusCode: number): string {
  const texts: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests', 503: 'Service Unavailable' }
  return texts[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error')
}
