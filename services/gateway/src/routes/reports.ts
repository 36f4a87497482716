/**
 * After-call reports: `GET /v1/calls/:callId/report` (JSON, or `?format=html` a printable page with
 * the transcript and the offending words highlighted) and `GET /v1/calls` (search, newest first,
 * cursor pages, `?format=csv`). Reads what the aggregator workers wrote to PostgreSQL (`@callqa/store`).
 * Access: `request.principal` and `canSee`/`canSeeTeam`/`canSeeAgent` from `@callqa/protocol`.
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { canSee, canSeeAgent, canSeeTeam, LANGS, RULE_IDS, type Principal } from '@callqa/protocol'
import {
  CursorError,
  dayStartMs,
  DEFAULT_DATABASE_URL,
  DEFAULT_TIME_ZONE,
  isDay,
  migrateReportsSchema,
  nextDay,
  ReportStore,
  SearchQueryError,
  StoreUnavailableError,
  type SearchQuery as StoreSearchQuery,
} from '@callqa/store'
import { gatewayError, invalidParameter } from '../errors.js'
import { renderReportHtml, searchCsv } from '../report-view/index.js'
import { csvNamesOf, namesOf } from '../roster/index.js'

export interface ReportRoutesOptions {
  /**
   * Reads reports. Default: one store per gateway core (`app.callqa`) on its config's `databaseUrl`
   * (`DATABASE_URL`), its pool ended on close; the schema is migrated before the first read.
   */
  store?: ReportStore
}

interface CoreLike {
  config: { databaseUrl?: string; databasePoolSize?: number; timeZone?: string }
}

const stores = new WeakMap<object, { store: ReportStore; ready: Promise<void> }>()

/** The store of `options`, else the one shared by the gateway's report and KPI routes. */
export function reportStoreFor(app: FastifyInstance, options: ReportRoutesOptions): ReportStore {
  if (options.store) return options.store
  const core = (app as FastifyInstance & { callqa?: CoreLike }).callqa
  if (!core) throw new Error('report routes need options.store or the gateway core plugin (app.callqa)')
  let entry = stores.get(core)
  if (!entry) {
    const databaseUrl = core.config.databaseUrl ?? DEFAULT_DATABASE_URL
    const store = new ReportStore({ databaseUrl, maxConnections: core.config.databasePoolSize ?? 10, timeZone: core.config.timeZone ?? DEFAULT_TIME_ZONE })
    // The workers migrate at start too; whoever comes first does it (node-pg-migrate's lock), the other waits.
    let ready: Promise<void> | undefined
    entry = {
      store,
      get ready() {
        ready ??= migrateReportsSchema(databaseUrl).then(
          () => undefined,
          (err: Error) => {
            ready = undefined // try again on the next request
            throw new StoreUnavailableError(`the report store does not answer: ${err.message}`)
          },
        )
        return ready
      },
    }
    stores.set(core, entry)
    app.addHook('onClose', async () => {
      await store.close().catch(() => undefined)
    })
  }
  return entry.store
}

/** Resolves once the default store's schema is there (no-op for a store passed in options). */
export async function storeReady(app: FastifyInstance, store: ReportStore): Promise<void> {
  const core = (app as FastifyInstance & { callqa?: CoreLike }).callqa
  const entry = core ? stores.get(core) : undefined
  if (entry && entry.store === store) await entry.ready
}

/** Connection-level failures of postgres.js and the socket (not query errors). */
const CONNECTION_ERROR = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|CONNECT_TIMEOUT|CONNECTION_(CLOSED|ENDED|DESTROYED)|57P0[1-3])$/

/** Runs a store read; a lost connection to PostgreSQL becomes a 503 naming it, other errors pass. */
export async function readStore<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code && CONNECTION_ERROR.test(code)) throw new StoreUnavailableError(`the report store does not answer (${code}): try again shortly`)
    throw err
  }
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
    disposition: Type.Optional(Type.Enum(['success', 'failed', 'no_answer', 'abandoned'])),
    phrase: Type.Optional(Type.String({ minLength: 1, maxLength: 400, description: 'text the masked transcript contains' })),
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
export function parseTimeBound(parameter: 'from' | 'to' | 'since' | 'until', value: string, timeZone: string): number {
  // An end bound's day counts whole: up to the next day's start.
  if (isDay(value)) return dayStartMs(parameter === 'to' || parameter === 'until' ? nextDay(value) : value, timeZone)
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value)
    if (Number.isFinite(ms)) return ms
  }
  throw invalidParameter(parameter, `must be a day YYYY-MM-DD or an ISO 8601 date-time, got ${JSON.stringify(value)}`)
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
      if (!known.has(name)) throw invalidParameter(name, `unknown query parameter; known: ${allowed.join(', ')}`)
    }
  }
}

function principalOf(request: { principal: Principal | null }): Principal {
  // requirePrincipal ran before: a principal is there.
  return request.principal!
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, options) => {
  const store = reportStoreFor(app, options)
  app.addHook('preHandler', async () => storeReady(app, store))

  app.get(
    '/v1/calls/:callId/report',
    {
      preHandler: app.requirePrincipal,
      preValidation: rejectUnknownQuery(['format', 'lang', 'token']),
      schema: {
        params: Type.Object({ callId: Id }),
        querystring: Type.Object({ format: Type.Optional(Type.Enum(['json', 'html'])), lang: Type.Optional(Type.Enum(LANGS)), token: Type.Optional(Type.String()) }, { additionalProperties: false }),
        // The report is sent pre-serialized (JSON or HTML text): no serializer in the way.
        response: { 200: Type.String(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { callId } = request.params
      const summary = await readStore(() => store.getSummary(callId))
      // Another team's call and a call that does not exist get the same answer: ids are not probed.
      const notYours = `no report for call ${callId} that you may see (not scored yet, older than the retention, or not in your teams)`
      if (!summary) throw gatewayError('UNKNOWN_REPORT', notYours)
      const principal = principalOf(request)
      if (!canSee(principal, summary)) throw gatewayError('UNKNOWN_REPORT', notYours)
      const report = await readStore(() => store.getReport(callId))
      if (!report) throw gatewayError('UNKNOWN_REPORT', `no report for call ${callId}`)
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
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = request.query
      const principal = principalOf(request)
      const fromMs = q.from !== undefined ? parseTimeBound('from', q.from, store.timeZone) : undefined
      const toMs = q.to !== undefined ? parseTimeBound('to', q.to, store.timeZone) : undefined
      if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw invalidParameter('from', `must be before to (${q.to})`)
      if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) {
        throw invalidParameter('minScore', `must not exceed maxScore (${q.maxScore})`)
      }
      let agentId = q.agentId
      if (principal.role === 'agent') {
        if (agentId !== undefined && agentId !== principal.agentId) throw gatewayError('FORBIDDEN', `${principal.username} may only see their own calls`)
        if (!principal.agentId) throw gatewayError('FORBIDDEN', `${principal.username} has no agent id`)
        agentId = principal.agentId
      } else if (q.teamId !== undefined && principal.role === 'outbound_manager' && !canSeeTeam(principal, q.teamId)) {
        throw gatewayError('FORBIDDEN', `${principal.username} may not see team ${q.teamId}`)
      } else if (agentId !== undefined && principal.role === 'outbound_manager') {
        const id = agentId
        const teamId = await readStore(() => store.teamOfAgent(id))
        if (!canSeeAgent(principal, id, teamId ?? undefined)) throw gatewayError('FORBIDDEN', `${principal.username} may not see agent ${id}`)
      }
      // The caller's scope becomes part of the query (canSee, in SQL): the page is full and the indexes apply.
      const scope: Pick<StoreSearchQuery, 'teamIds' | 'complaintRisk'> =
        principal.role === 'outbound_manager' ? { teamIds: principal.teams ?? [] } : principal.role === 'complaint_manager' ? { complaintRisk: true } : {}
      let page
      try {
        page = await readStore(() => store.searchReports({
          ...scope,
          ...(agentId !== undefined ? { agentId } : {}),
          ...(q.teamId !== undefined ? { teamId: q.teamId } : {}),
          ...(fromMs !== undefined ? { fromMs } : {}),
          ...(toMs !== undefined ? { toMs } : {}),
          ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
          ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
          ...(q.rule !== undefined ? { rule: q.rule } : {}),
          ...(q.disposition !== undefined ? { disposition: q.disposition } : {}),
          ...(q.phrase !== undefined ? { phrase: q.phrase } : {}),
          ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
          limit: q.limit ?? 50,
        }))
      } catch (err) {
        if (err instanceof CursorError) throw invalidParameter('cursor', err.message)
        if (err instanceof SearchQueryError) throw invalidParameter(err.parameter, err.message.slice(err.parameter.length + 2))
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
