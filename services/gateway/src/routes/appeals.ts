/**
 * Appeals (申诉): an agent appeals a deduction of their own call within the window
 * (`POST /v1/calls/:callId/appeals`); the team's 外呼管理员 (complaint-risk calls: 投诉管理员)
 * upholds or overturns it (`POST /v1/appeals/decision`); `GET /v1/appeals` lists the caller's
 * queue or own appeals with overdue marks; `GET /v1/appeals/counts` per team and rule.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Principal } from '@callqa/protocol'
import type { ReviewedReport } from '@callqa/review'
import { parseTimeBound } from './reports.js'
import { ErrorBody, Id, reviewStoreFor, reviewView, type ReviewRoutesOptions } from './review.js'

const DAY_MS = 86_400_000

export const appealRoutes: FastifyPluginAsyncTypebox<ReviewRoutesOptions> = async function appealRoutes(app, options) {
  const reviews = reviewStoreFor(app, options)
  const errors = { 200: Type.Unknown(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

  app.post(
    '/v1/calls/:callId/appeals',
    {
      preHandler: app.requirePrincipal,
      schema: { params: Type.Object({ callId: Id }), body: Type.Object({ findingId: Type.String({ minLength: 1, maxLength: 300 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), response: errors },
    },
    async (request) => {
      const result = await reviews.fileAppeal(request.params.callId, request.principal as Principal, request.body, { atMs: Date.now() })
      return reviewView(result.report as ReviewedReport, result.version)
    },
  )

  app.post(
    '/v1/appeals/decision',
    {
      preHandler: app.requirePrincipal,
      schema: {
        body: Type.Object(
          { appealId: Type.String({ minLength: 1, maxLength: 500 }), outcome: Type.Enum(['upheld', 'overturned']), reply: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: errors,
      },
    },
    async (request) => {
      const { appealId, outcome, reply } = request.body
      const result = await reviews.decideAppeal(appealId, request.principal as Principal, { outcome, reply }, { atMs: Date.now() })
      return { changed: result.changed, ...reviewView(result.report as ReviewedReport, result.version) }
    },
  )

  app.get(
    '/v1/appeals',
    {
      preHandler: app.requirePrincipal,
      schema: { querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'upheld', 'overturned'])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }), response: errors },
    },
    async (request) => {
      const items = await reviews.listAppeals(request.principal as Principal, { nowMs: Date.now(), ...request.query })
      return { items, overdue: items.filter((a) => a.overdue).length }
    },
  )

  app.get(
    '/v1/appeals/counts',
    {
      preHandler: app.requirePrincipal,
      schema: { querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 40 })), to: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), response: errors },
    },
    async (request) => {
      const nowMs = Date.now()
      const tz = reviews.store.timeZone
      const fromMs = request.query.from ? parseTimeBound('from', request.query.from, tz) : nowMs - 30 * DAY_MS
      const toMs = request.query.to ? parseTimeBound('to', request.query.to, tz) : nowMs + 1
      return reviews.appealCounts(request.principal as Principal, { fromMs, toMs, nowMs })
    },
  )
}
