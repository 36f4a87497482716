/** `GET /healthz` (alive), `GET /readyz` (Redis answers), `GET /metrics` (Prometheus text). */
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const Health = Type.Object({ ok: Type.Boolean(), instance: Type.String() })
const Ready = Type.Object({ ok: Type.Boolean(), redis: Type.String(), liveCalls: Type.Integer() })

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { redis, config, registry, metrics } = app.callqa
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({ ok: true, instance: config.instanceId }))
  app.get('/readyz', { schema: { response: { 200: Ready, 503: Ready } } }, async (_request, reply) => {
    try {
      const pong = await Promise.race([redis.ping(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout after 1000 ms')), 1000).unref())])
      return { ok: pong === 'PONG', redis: 'ok', liveCalls: registry.size }
    } catch (err) {
      return reply.status(503).send({ ok: false, redis: (err as Error).message, liveCalls: registry.size })
    }
  })
  app.get('/metrics', { schema: { response: { 200: Type.String() } } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType)
    return metrics.registry.metrics()
  })
}
