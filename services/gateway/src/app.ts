/**
 * The gateway app factory: `buildApp(config)` registers everything and returns the fastify
 * instance without listening (server.ts listens; tests listen on port 0).
 */
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import type { Rulebook } from '@callqa/engine'
import { formatError, jsonDepthOver, MAX_JSON_DEPTH, PROTOCOL_ERRORS } from '@callqa/protocol'
import { authPlugin } from './auth/index.js'
import { consoleRoutes } from './routes/console.js'
import type { GatewayConfig } from './config.js'
import { corePlugin } from './core.js'
import { GATEWAY_ERRORS, GatewayError, GatewayErrorCodes, invalidParameter } from './errors.js'
import { ingestRoutes } from './ingest/index.js'
import { healthRoutes } from './routes/health.js'
import { kpiRoutes } from './routes/kpi.js'
import { reportRoutes } from './routes/reports.js'
import { rosterPlugin } from './roster/index.js'
import { reviewRoutes } from './routes/review.js'
import { appealRoutes } from './routes/appeals.js'
import { qualityRoutes } from './routes/quality.js'
import { caseRoutes } from './routes/cases.js'
import { replayRoutes } from './routes/replays.js'
import { notificationRoutes } from './notifications/index.js'
import { originGuard } from './supervisor/origin.js'
import { supervisorRoutes } from './supervisor/index.js'
import { webhookRoutes } from './webhook/index.js'

export interface BuildOptions {
  /** A parsed rulebook (tests and benches skip reading the file). */
  rulebook?: Rulebook
  /** Replaces the pino logger options (tests pass `false`, or `{ level, stream }` to read the log). */
  logger?: FastifyServerOptions['logger']
  /** Wall-clock milliseconds for the live-call registry (tests step time with it); default `Date.now`. */
  clock?: () => number
}

/** Ping interval of every socket; a peer that misses one pong is dropped. */
const HEARTBEAT_MS = 30_000
/**
 * How long a closing gateway waits for a socket's close handshake (1001 going away) before it drops the
 * socket: a peer that never answers would otherwise hold the HTTP server's close for ws's own 30 s
 * timeout (a test's teardown, or most of the 10 s shutdown deadline of `pnpm start`).
 */
const WS_CLOSE_GRACE_MS = 2_000

/** `?token=…` (and `&token=`) in a logged URL becomes `token=[redacted]`: access logs hold no secrets. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')
}

const serializers = {
  req(request: FastifyRequest) {
    return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort }
  },
}

function loggerOptions(config: GatewayConfig, option: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (option === false) return false
  const base = option && typeof option === 'object' ? option : { level: config.logLevel, base: { service: 'gateway', instance: config.instanceId } }
  return { ...base, serializers: { ...(base as { serializers?: object }).serializers, ...serializers } }
}

/** fastify's own client errors, with the catalogue code each one is answered with. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: GatewayErrorCodes.BODY_TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: GatewayErrorCodes.UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: GatewayErrorCodes.BAD_REQUEST,
  FST_ERR_CTP_EMPTY_JSON_BODY: GatewayErrorCodes.BAD_REQUEST,
  FST_ERR_CTP_INVALID_JSON_BODY: PROTOCOL_ERRORS.NOT_JSON.code,
  FST_ERR_BAD_URL: GatewayErrorCodes.BAD_REQUEST,
}

/** Whether an error means Redis is not there (connection refused, closed, or retries given up). */
function isRedisDown(error: Error & { code?: string }): boolean {
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|Command timed out|Reached the max retries/.test(error.message)
  )
}

/**
 * Errors node's HTTP parser meets before fastify sees a request (headers too large, a malformed
 * request line, a slow client): answered in our `{statusCode, code, error, message}` shape too.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: import('node:stream').Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [statusCode, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, GatewayErrorCodes.BAD_REQUEST, 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, GatewayErrorCodes.HEADERS_TOO_LARGE, 'the request headers (URL and query included) are over 16 KiB: send less in the query']
        : [400, GatewayErrorCodes.BAD_REQUEST, 'the request is not valid HTTP']
  const body = JSON.stringify({ statusCode, code, error: statusCode === 431 ? 'Request Header Fields Too Large' : statusCode === 408 ? 'Request Timeout' : 'Bad Request', message })
  if (socket.writable) socket.write(`HTTP/1.1 ${statusCode} ${statusCode === 431 ? 'Request Header Fields Too Large' : statusCode === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`)
  socket.destroy(err)
}

export async function buildApp(config: GatewayConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, options.logger),
    bodyLimit: 1024 * 1024,
    // fastify takes a hop count too (proxy-addr), though its types leave numbers out.
    trustProxy: config.trustProxy as boolean | string[],
    clientErrorHandler,
  })

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    let statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode <= 599 ? error.statusCode : 500
    let code = error.validation ? GatewayErrorCodes.VALIDATION : error.code?.startsWith('CQ_ERR_') ? error.code : (FASTIFY_CODES[error.code ?? ''] ?? (statusCode < 500 ? GatewayErrorCodes.BAD_REQUEST : GatewayErrorCodes.INTERNAL))
    let message = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? formatError(GATEWAY_ERRORS.UNSUPPORTED_MEDIA_TYPE, JSON.stringify(String(request.headers['content-type'] ?? '').slice(0, 100))) : error.message
    if (statusCode >= 500 && !error.code?.startsWith('CQ_ERR_') && isRedisDown(error)) {
      statusCode = 503
      code = GatewayErrorCodes.UNAVAILABLE
      message = 'Redis did not answer: retry shortly'
    }
    if (statusCode >= 500 && code !== GatewayErrorCodes.UNAVAILABLE) request.log.error({ err: error }, 'request failed')
    // A 5xx never echoes internals unless it is one of our coded errors.
    if (statusCode >= 500 && !error.code?.startsWith('CQ_ERR_') && code !== GatewayErrorCodes.UNAVAILABLE) message = `internal error: see the gateway logs (request id ${request.id})`
    if (statusCode === 503) reply.header('retry-after', '1')
    void reply.status(statusCode).send({ statusCode, code, error: statusText(statusCode), message })
  })

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ statusCode: 404, code: GatewayErrorCodes.NOT_FOUND, error: 'Not Found', message: `no route ${request.method} ${redactUrl(request.url).slice(0, 200)}: see services/gateway/README.md for the routes` })
  })

  // Every JSON body: nesting bounded before anything parses deeper (the validator and the error
  // describer recurse), then fastify's own parser (which refuses __proto__ and constructor keys).
  const defaultJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthOver(body as string)) {
      done(new GatewayError(PROTOCOL_ERRORS.NESTING_TOO_DEEP.code, 400, `the body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined)
      return
    }
    defaultJson(request, body as string, done)
  })
  // The validator turns a query's "1e999" (and JSON's 1e999) into Infinity and lets it through
  // `maximum` (ajv's comparisons are false for it): refuse non-finite numbers after validation,
  // naming the field, before a handler passes one on (Redis answers "COUNT Infinity" with an error).
  app.addHook('preHandler', async (request) => {
    const where = nonFiniteNumberAt(request.query, 'query') ?? nonFiniteNumberAt(request.body, 'body')
    if (where) throw invalidParameter(where, 'must be a finite number')
  })
  // Every body route takes JSON: a text/plain body (fastify parses it to a string by default) would
  // reach the schema as a string and get a 400 saying nothing about the content type.
  app.removeContentTypeParser('text/plain')

  // Frames over maxFrameBytes get a coded error and the socket stays open; only frames far over
  // it (16x) are refused by ws itself (close 1009) so a hostile peer cannot make us buffer more.
  // Invalid UTF-8 in a text frame would make ws close the socket (1007); we let the decoder answer
  // it with a coded error instead, like any other bad frame, and keep the connection.
  await app.register(websocket, {
    options: { maxPayload: config.maxFrameBytes * 16, skipUTF8Validation: true },
    preClose(done) {
      const server = this.websocketServer
      for (const client of server.clients) client.close(1001, 'gateway shutting down')
      const drop = setTimeout(() => {
        for (const client of server.clients) client.terminate()
      }, WS_CLOSE_GRACE_MS)
      drop.unref()
      // ws emits the server's close once every client socket has closed.
      server.close(() => {
        clearTimeout(drop)
        done()
      })
    },
  })
  await app.register(corePlugin, { config, ...(options.rulebook ? { rulebook: options.rulebook } : {}), ...(options.clock ? { clock: options.clock } : {}) })

  // While Redis is unreachable every API route (sessions, reports, alerts) would wait on it: answer
  // 503 at once instead. Ingest sockets keep their own handling (calls held here carry on).
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v1/') || request.url.startsWith('/v1/ingest')) return
    if (app.callqa.redis.status !== 'ready') {
      throw new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, `Redis is not reachable (connection ${app.callqa.redis.status}): retry shortly`)
    }
  })
  await app.register(originGuard, { allowedOrigins: config.allowedOrigins })
  await app.register(authPlugin, { adminToken: config.adminToken })

  // Answers of the API may carry transcripts and personal data: no cache keeps them.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/v1/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
  })

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
  await app.register(replayRoutes)
  await app.register(notificationRoutes)
  await app.register(consoleRoutes)
  await app.register(rosterPlugin, { file: config.rosterFile, timeZone: config.timeZone })

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
  const texts: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 503: 'Service Unavailable' }
  return texts[statusCode] ?? (statusCode >= 500 ? 'Internal Server Error' : 'Error')
}

/** The path of the first number that is not finite in a validated query or body (depth already bounded). */
function nonFiniteNumberAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = nonFiniteNumberAt(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`)
    if (found) return found
  }
  return undefined
}
