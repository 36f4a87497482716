/**
 * Who is calling. Every HTTP route and supervisor socket reads `request.principal` (set in
 * onRequest, before any WebSocket upgrade) and asks `@callqa/protocol`'s access rules what it may see.
 *
 * Contract used by the rest of the gateway (keep it stable):
 * - `app.register(authPlugin, options)`
 * - `request.principal: Principal | null`
 * - `app.requirePrincipal` (preHandler): 401 `CQ_ERR_UNAUTHORIZED` when there is none.
 *
 * Sources of a principal: `Authorization: Bearer <CALLQA_ADMIN_TOKEN>` (or `?token=`) gives the
 * admin principal. Console accounts and session cookies are added by the console work.
 */
import fp from 'fastify-plugin'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '@callqa/protocol'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyInstance {
    requirePrincipal: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

export interface AuthOptions {
  /** Bearer token that grants the admin principal (all teams). Empty disables it. */
  adminToken: string
}

export class UnauthorizedError extends Error {
  readonly code = 'CQ_ERR_UNAUTHORIZED'
  readonly statusCode = 401
  constructor(message = 'authentication required: send Authorization: Bearer <token> or log in') {
    super(message)
  }
}

/** Constant-time comparison of two tokens. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b)
}

/** The token a request carries: `Authorization: Bearer x`, else `?token=x`. */
export function requestToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const query = request.query as Record<string, unknown> | undefined
  return typeof query?.token === 'string' ? query.token : undefined
}

export const authPlugin = fp(
  async function auth(app, options: AuthOptions) {
    app.decorateRequest('principal', null)
    app.addHook('onRequest', async (request) => {
      const token = requestToken(request)
      if (token !== undefined && options.adminToken && sameToken(token, options.adminToken)) {
        request.principal = { username: 'admin', role: 'admin' }
      }
    })
    app.decorate('requirePrincipal', async (request: FastifyRequest) => {
      if (!request.principal) throw new UnauthorizedError()
    })
  },
  { name: 'callqa-auth', fastify: '5.x' },
)
