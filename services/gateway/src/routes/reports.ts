/**
 * After-call reports: `GET /v1/calls/:callId/report` (JSON, or `?format=html` a printable page with
 * the transcript and the offending words highlighted) and `GET /v1/calls` (search, newest first,
 * cursor pages, `?format=csv`). Reads what the aggregator workers wrote (`@callqa/store`).
 * Access: `request.principal` and `canSee`/`canSeeTeam`/`canSeeAgent` from `@callqa/protocol`.
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { Redis } from 'ioredis'
import { canSee, canSeeAgent, canSeeTeam, LANGS, RULE_IDS, type Principal } from '@callqa/protocol'
import { CursorError, dayStartMs, DEFAULT_TIME_ZONE, isDay, nextDay, ReportStore } from '@callqa/store'
import { renderReportHtml, searchCsv } from '../report-view/index.js'
import { csvNamesOf, namesOf } from '../roster/index.js'

export interface ReportRoutesOptions {
  /**
   * Reads reports. Default: one store per gateway core (`app.callqa`), on `REPORTS_REDIS_URL` if set
   * (its own connection, quit on close) else the core's Redis, prefix `CALLQA_REDIS_PREFIX`, time zone
   * `CALLQA_TIMEZONE` (default Asia/Shanghai) — the same settings as the aggregator workers.
   */
  store?: ReportStore
}

const stores = new WeakMap<object, ReportStore>()

/** The store of `options`, else the one shared by the gateway's report and KPI routes. */
export function reportStoreFor(app: FastifyInstance, options: ReportRoutesOptions): ReportStore {
  if (options.store) return options.store
  const core = (app as FastifyInstance & { callqa?: { redis: Redis; config: { keyPrefix: string } } }).callqa
  if (!core) throw new Error('report routes need options.store or the gateway core plugin (app.callqa)')
  let store = stores.get(core)
  if (!store) {
    const url = process.env.REPORTS_REDIS_URL
    const redis = url ? new Redis(url, { maxRetriesPerRequest: 2 }) : core.redis
    if (url) {
      redis.on('error', (err: Error) => app.log.warn({ err: err.message, connection: 'reports' }, 'redis connection error'))
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => undefined)
      })
    }
    store = new ReportStore({ redis, prefix: core.config.keyPrefix, timeZone: process.env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE })
    stores.set(core, store)
  }
  return store
}

/** A request parameter with a bad value: 400 naming it. */
export class InvalidParameterError extends Error {
  readonly code = 'CQ_ERR_INVALID_PARAMETER'
  readonly statusCode = 400
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`)
  }
}

export class ForbiddenError extends Error {
  readonly code = 'CQ_ERR_FORBIDDEN'
  readonly statusCode = 403
}

export class UnknownReportError extends Error {
  readonly code = 'CQ_ERR_UNKNOWN_REPORT'
  readonly statusCode = 404
}

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' })
const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() })
const MAX_SEARCH_LIMIT = 1000

const ReportSummarySchema = Type.Object({
  callId: Type.String(),
  agentId: Type.String(),
  teamId: Type.String(),
  direction: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
  durationMs: Type.Number(),
  disposition: Type.String(),
  score: Type.Number(),
  findings: Type.Integer(),
  rules: Type.Array(Type.String()),
  greeted: Type.Boolean(),
  closed: Type.Boolean(),
  complaintRisk: Type.Boolean(),
  rulebook: Type.Object({ id: Type.String(), version: Type.String() }),
})

const SearchQuery = Type.Object(
  {
    agentId: Type.Optional(Id),
    teamId: Type.Optional(Id),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (local day, from its start) or ISO 8601 date-time' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (local day, to its end) or ISO 8601 date-time (exclusive)' })),
    minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    maxScore: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    rule: Type.Optional(Type.Enum(RULE_IDS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_LIMIT })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    format: Type.Optional(Type.Enum(['json', 'csv'])),
    /** CSV headers and labels: zh (default) or en. */
    lang: Type.Optional(Type.Enum(LANGS)),
    token: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)

/**
 * A time bound: a `YYYY-MM-DD` day in the center's time zone (from: its first instant; to: the
 * first instant of the next day, exclusive) or an ISO 8601 date-time.
 */
export function parseTimeBound(parameter: 'from' | 'to', value: string, timeZone: string): number {
  if (isDay(value)) return dayStartMs(parameter === 'to' ? nextDay(value) : value, timeZone)
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value)
    if (Number.isFinite(ms)) return ms
  }
  throw new InvalidParameterError(parameter, `must be a day YYYY-MM-DD or an ISO 8601 date-time, got ${JSON.stringify(value)}`)
}

/**
 * Rejects query parameters the route does not know (400 naming the first): a typo such as
 * `agent=` must not silently widen a search. fastify's default Ajv strips unknown properties
 * instead of failing, so this check runs before validation.
 */
export function rejectUnknownQuery(allowed: readonly string[]) {
  const known = new Set(allowed)
  return async (request: { query: unknown }): Promise<void> => {
    for (const name of Object.keys((request.query ?? {}) as Record<string, unknown>)) {
      if (!known.has(name)) throw new InvalidParameterError(name, `unknown query parameter; known: ${allowed.join(', ')}`)
    }
  }
}

function principalOf(request: { principal: Principal | null }): Principal {
  // requirePrincipal ran before: a principal is there.
  return request.principal!
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, options) => {
  const store = reportStoreFor(app, options)

  app.get(
    '/v1/calls/:callId/report',
    {
      preHandler: app.requirePrincipal,
      preValidation: rejectUnknownQuery(['format', 'lang', 'token']),
      schema: {
        params: Type.Object({ callId: Id }),
        querystring: Type.Object({ format: Type.Optional(Type.Enum(['json', 'html'])), lang: Type.Optional(Type.Enum(LANGS)), token: Type.Optional(Type.String()) }, { additionalProperties: false }),
        // The report is sent pre-serialized (JSON or HTML text): no serializer in the way.
        response: { 200: Type.String(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { callId } = request.params
      const summary = await store.getSummary(callId)
      // Another team's call and a call that does not exist get the same answer: ids are not probed.
      const notYours = `no report for call ${callId} that you may see (not scored yet, older than the retention, or not in your teams)`
      if (!summary) throw new UnknownReportError(notYours)
      const principal = principalOf(request)
      if (!canSee(principal, summary)) throw new UnknownReportError(notYours)
      const report = await store.getReport(callId)
      if (!report) throw new UnknownReportError(`no report for call ${callId}`)
      if (request.query.format === 'html') {
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .header('x-content-type-options', 'nosniff')
          .send(renderReportHtml(report, store.timeZone, { lang: request.query.lang ?? 'zh', names: namesOf(app, report) }))
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report))
    },
  )

  app.get(
    '/v1/calls',
    {
      preHandler: app.requirePrincipal,
      preValidation: rejectUnknownQuery(Object.keys(SearchQuery.properties)),
      schema: {
        querystring: SearchQuery,
        response: {
          // An object (JSON) or CSV text.
          200: Type.Union([Type.Object({ items: Type.Array(ReportSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), Type.String()]),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = request.query
      const principal = principalOf(request)
      const fromMs = q.from !== undefined ? parseTimeBound('from', q.from, store.timeZone) : undefined
      const toMs = q.to !== undefined ? parseTimeBound('to', q.to, store.timeZone) : undefined
      if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new InvalidParameterError('from', `must be before to (${q.to})`)
      if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) {
        throw new InvalidParameterError('minScore', `must not exceed maxScore (${q.maxScore})`)
      }
      let agentId = q.agentId
      if (principal.role === 'agent') {
        if (agentId !== undefined && agentId !== principal.agentId) throw new ForbiddenError(`${principal.username} may only see their own calls`)
        if (!principal.agentId) throw new ForbiddenError(`${principal.username} has no agent id`)
        agentId = principal.agentId
      } else if (q.teamId !== undefined && principal.role === 'outbound_manager' && !canSeeTeam(principal, q.teamId)) {
        throw new ForbiddenError(`${principal.username} may not see team ${q.teamId}`)
      } else if (agentId !== undefined && principal.role === 'outbound_manager') {
        const teamId = await store.teamOfAgent(agentId)
        if (!canSeeAgent(principal, agentId, teamId ?? undefined)) throw new ForbiddenError(`${principal.username} may not see agent ${agentId}`)
      }
      // A manager of one team searches that team's index rather than filtering everyone's calls.
      const teamId = q.teamId ?? (principal.role === 'outbound_manager' && agentId === undefined && principal.teams?.length === 1 ? principal.teams[0] : undefined)
      let page
      try {
        page = await store.searchReports({
          ...(agentId !== undefined ? { agentId } : {}),
          ...(teamId !== undefined ? { teamId } : {}),
          ...(fromMs !== undefined ? { fromMs } : {}),
          ...(toMs !== undefined ? { toMs } : {}),
          ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
          ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
          ...(q.rule !== undefined ? { rule: q.rule } : {}),
          ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
          limit: q.limit ?? 50,
          visible: (s) => canSee(principal, s),
        })
      } catch (err) {
        if (err instanceof CursorError) throw new InvalidParameterError('cursor', err.message)
        throw err
      }
      if (q.format === 'csv') {
        if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor)
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="calls.csv"')
          .send(searchCsv(page.items, { lang: q.lang ?? 'zh', timeZone: store.timeZone, ...csvNamesOf(app) }))
      }
      return page
    },
  )
}
