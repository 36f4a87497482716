/**
 * Precision from the floor: `GET /v1/quality/rules?from&to&teamId` per rule and phrase: findings,
 * confirmed, dismissed, pending, share dismissed, dismissal reasons, findings added by hand.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Principal } from '@callqa/protocol'
import { parseTimeBound } from './reports.js'
import { ErrorBody, Id, reviewStoreFor, type ReviewRoutesOptions } from './review.js'

const DAY_MS = 86_400_000

export const qualityRoutes: FastifyPluginAsyncTypebox<ReviewRoutesOptions> = async function qualityRoutes(app, options) {
  const reviews = reviewStoreFor(app, options)
  app.get(
    '/v1/quality/rules',
    {
      preHandler: app.requirePrincipal,
      schema: {
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 40 })), to: Type.Optional(Type.String({ maxLength: 40 })), teamId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Unknown(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const nowMs = Date.now()
      const tz = reviews.store.timeZone
      const fromMs = request.query.from ? parseTimeBound('from', request.query.from, tz) : nowMs - 30 * DAY_MS
      const toMs = request.query.to ? parseTimeBound('to', request.query.to, tz) : nowMs + 1
      const rules = await reviews.ruleQuality(request.principal as Principal, { fromMs, toMs, ...(request.query.teamId ? { teamId: request.query.teamId } : {}) })
      return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), rules }
    },
  )
}
