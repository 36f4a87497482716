/**
 * The case library (案例库): `POST /v1/calls/:callId/cases` marks a call or a span of it
 * (正面案例/反面案例/疑难点, category, note, key lines); `GET /v1/cases?category&kind&rule&teamId&text`
 * browses; `GET /v1/cases/:caseId?format=html` is the printable A4 case sheet.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { RULE_IDS, type Principal } from '@callqa/protocol'
import { CASE_CATEGORIES, CASE_KINDS, renderCaseSheetHtml } from '@callqa/review'
import { CaseStore } from '@callqa/review/pg'
import { gatewayError } from '../errors.js'
import { reportStoreFor, storeReady } from './reports.js'
import { ErrorBody, Id, type ReviewRoutesOptions } from './review.js'

const Seq = Type.Integer({ minimum: 0, maximum: 100_000 })

export const caseRoutes: FastifyPluginAsyncTypebox<ReviewRoutesOptions> = async function caseRoutes(app, options) {
  const store = reportStoreFor(app, options)
  const cases = new CaseStore(store)
  app.addHook('preHandler', async () => storeReady(app, store))
  const errors = { 200: Type.Unknown(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody }

  app.post(
    '/v1/calls/:callId/cases',
    {
      preHandler: app.requirePrincipal,
      schema: {
        params: Type.Object({ callId: Id }),
        body: Type.Object(
          {
            kind: Type.Enum(CASE_KINDS),
            category: Type.Enum(CASE_CATEGORIES),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
            fromSeq: Type.Optional(Seq),
            toSeq: Type.Optional(Seq),
            keySeqs: Type.Optional(Type.Array(Seq, { maxItems: 200 })),
          },
          { additionalProperties: false },
        ),
        response: errors,
      },
    },
    async (request) => cases.markCase(request.params.callId, request.principal as Principal, request.body, { atMs: Date.now() }),
  )

  app.get(
    '/v1/cases',
    {
      preHandler: app.requirePrincipal,
      schema: {
        querystring: Type.Object(
          {
            category: Type.Optional(Type.Enum(CASE_CATEGORIES)),
            kind: Type.Optional(Type.Enum(CASE_KINDS)),
            rule: Type.Optional(Type.Enum(RULE_IDS)),
            teamId: Type.Optional(Id),
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: errors,
      },
    },
    async (request) => ({ items: await cases.searchCases(request.principal as Principal, request.query) }),
  )

  app.get(
    '/v1/cases/:caseId',
    {
      preHandler: app.requirePrincipal,
      schema: {
        params: Type.Object({ caseId: Type.String({ format: 'uuid', maxLength: 36 }) }),
        querystring: Type.Object({ format: Type.Optional(Type.Enum(['json', 'html'])), token: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { ...errors, 200: Type.String() },
      },
    },
    async (request, reply) => {
      const record = await cases.getCase(request.params.caseId, request.principal as Principal)
      if (!record) throw gatewayError('UNKNOWN_REPORT', `no case ${request.params.caseId}`)
      if (request.query.format === 'html') {
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(renderCaseSheetHtml(record, store.timeZone))
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(record))
    },
  )
}
