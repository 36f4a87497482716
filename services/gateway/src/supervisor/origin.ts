/**
 * Cross-site requests: the console's cookie session is only honoured from the console's own page.
 * A browser sends `Origin` with every WebSocket handshake and every POST/PUT/PATCH/DELETE, so a
 * page on another origin (another port of the same host counts: cookies do not care about ports)
 * is refused with 403 CQ_ERR_CROSS_ORIGIN before any handler runs or any socket is upgraded.
 * Allowed: the gateway's own origin (scheme and Host as the client saw them; behind a proxy with
 * CALLQA_TRUST_PROXY, X-Forwarded-Proto/-Host) and `CALLQA_ALLOWED_ORIGINS`. Requests without
 * `Origin` (servers, curl, the telephony platform) are not browsers and pass; the signed telephony
 * webhook and the bearer-token ingest sockets are not cookie routes and are not checked.
 */
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { GatewayError, GatewayErrorCodes } from '../errors.js'

export interface OriginGuardOptions {
  /** Origins besides the gateway's own (scheme://host[:port]). */
  allowedOrigins: string[]
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Whether the request is one a cross-site page must not make with the user's cookie. */
function guarded(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!
  if (path.startsWith('/v1/webhooks/') || path.startsWith('/v1/ingest')) return false
  if (STATE_CHANGING.has(request.method)) return true
  // Any other WebSocket handshake (the supervisor socket) reads live data with the cookie.
  return request.headers.upgrade?.toLowerCase() === 'websocket'
}

export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase()
}

export const originGuard = fp(
  async function origin(app, options: OriginGuardOptions) {
    const allowed = new Set(options.allowedOrigins.map((o) => o.toLowerCase()))
    app.addHook('onRequest', async (request) => {
      if (!guarded(request)) return
      const origin = request.headers.origin
      if (origin === undefined) {
        // Old browsers may omit Origin on same-origin requests but do send Sec-Fetch-Site.
        const site = request.headers['sec-fetch-site']
        if (site === undefined || site === 'same-origin' || site === 'none') return
        throw new GatewayError(GatewayErrorCodes.CROSS_ORIGIN, 403, `a ${site} request without Origin is refused on ${request.method} ${request.url.split('?')[0]}: use the console at ${ownOrigin(request)}`)
      }
      const given = origin.toLowerCase()
      if (given === ownOrigin(request) || allowed.has(given)) return
      throw new GatewayError(
        GatewayErrorCodes.CROSS_ORIGIN,
        403,
        `origin ${JSON.stringify(origin.slice(0, 100))} is not the console's (${ownOrigin(request)}): add it to CALLQA_ALLOWED_ORIGINS to allow it`,
      )
    })
  },
  { name: 'callqa-origin-guard', fastify: '5.x' },
)
