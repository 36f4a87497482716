/**
 * KPIs per agent and per team, per day or per month, with the handbook's staffing band:
 * `GET /v1/kpi/agents/:agentId` and `GET /v1/kpi/teams/:teamId` (`from`, `to`, `granularity`,
 * `?format=csv`). Reads the day rollups the aggregator workers count into PostgreSQL.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { canSeeAgent, canSeeTeam, LANGS, type Lang, type Principal } from '@callqa/protocol'
import { dayOf, isDay, kpiCsv, MAX_KPI_RANGE_DAYS, type Granularity, type KpiReport } from '@callqa/store'
import { gatewayError, invalidParameter } from '../errors.js'
import { readStore, rejectUnknownQuery, reportStoreFor, storeReady, type ReportRoutesOptions } from './reports.js'

export type KpiRoutesOptions = ReportRoutesOptions

const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' })
const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() })
const KpiQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD or YYYY-MM (its first day), center time zone' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD or YYYY-MM (its last day), inclusive' })),
    granularity: Type.Optional(Type.Enum(['day', 'month'])),
    format: Type.Optional(Type.Enum(['json', 'csv'])),
    /** CSV header language: zh (default) or en. */
    lang: Type.Optional(Type.Enum(LANGS)),
    token: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
const Loose = Type.Object({}, { additionalProperties: true })
const KpiResponse = Type.Object(
  {
    scope: Type.String(),
    id: Type.String(),
    teamId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    from: Type.String(),
    to: Type.String(),
    granularity: Type.String(),
    timeZone: Type.String(),
    periods: Type.Array(Loose),
    total: Loose,
  },
  { additionalProperties: true },
)

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/** `YYYY-MM-DD`, or `YYYY-MM` meaning its first day (`from`) or last day (`to`). */
export function parseDayParameter(parameter: 'from' | 'to', value: string): string {
  if (isDay(value)) return value
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return parameter === 'from' ? `${value}-01` : lastDayOfMonth(value)
  throw invalidParameter(parameter, `must be a day YYYY-MM-DD or a month YYYY-MM, got ${JSON.stringify(value)}`)
}

/** Range of a KPI request; defaults: the last 30 days (day) or the last 12 months (month), to today. */
export function kpiRange(query: { from?: string; to?: string; granularity?: Granularity }, today: string): { from: string; to: string; granularity: Granularity } {
  const granularity = query.granularity ?? 'day'
  const to = query.to !== undefined ? parseDayParameter('to', query.to) : today
  let from: string
  if (query.from !== undefined) from = parseDayParameter('from', query.from)
  else if (granularity === 'day') from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10)
  else {
    const d = new Date(Date.parse(`${to.slice(0, 7)}-01T00:00:00Z`))
    d.setUTCMonth(d.getUTCMonth() - 11)
    from = d.toISOString().slice(0, 10)
  }
  if (from > to) throw invalidParameter('from', `must not be after to (${to}), got ${from}`)
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1
  if (days > MAX_KPI_RANGE_DAYS) throw invalidParameter('from', `the range ${from}..${to} covers ${days} days, more than ${MAX_KPI_RANGE_DAYS}`)
  return { from, to, granularity }
}

export const kpiRoutes: FastifyPluginAsyncTypebox<KpiRoutesOptions> = async (app, options) => {
  const store = reportStoreFor(app, options)
  app.addHook('preHandler', async () => storeReady(app, store))
  const preValidation = rejectUnknownQuery(Object.keys(KpiQuery.properties))
  const response = { 200: Type.Union([KpiResponse, Type.String()]), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody }

  const answer = (report: KpiReport & { teamId?: string | null }, format: string | undefined, reply: import('fastify').FastifyReply, lang: Lang = 'zh') => {
    if (format === 'csv') {
      const file = `kpi-${report.scope}-${report.id}-${report.from}-${report.to}.csv`.replace(/[^A-Za-z0-9._-]/g, '_')
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(kpiCsv([report], { lang }))
    }
    return report
  }

  app.get('/v1/kpi/agents/:agentId', { preHandler: app.requirePrincipal, preValidation, schema: { params: Type.Object({ agentId: Id }), querystring: KpiQuery, response } }, async (request, reply) => {
    const { agentId } = request.params
    const range = kpiRange(request.query, dayOf(Date.now(), store.timeZone))
    const principal = request.principal as Principal
    const teamId = await readStore(() => store.teamOfAgent(agentId))
    if (!canSeeAgent(principal, agentId, teamId ?? undefined)) throw gatewayError('FORBIDDEN', `${principal.username} may not see the KPIs of agent ${agentId}`)
    const report = await readStore(() => store.readKpi('agent', agentId, range.from, range.to, range.granularity))
    return answer({ ...report, teamId }, request.query.format, reply, request.query.lang)
  })

  app.get('/v1/kpi/teams/:teamId', { preHandler: app.requirePrincipal, preValidation, schema: { params: Type.Object({ teamId: Id }), querystring: KpiQuery, response } }, async (request, reply) => {
    const { teamId } = request.params
    const range = kpiRange(request.query, dayOf(Date.now(), store.timeZone))
    const principal = request.principal as Principal
    if (!canSeeTeam(principal, teamId)) throw gatewayError('FORBIDDEN', `${principal.username} may not see the KPIs of team ${teamId}`)
    const report = await readStore(() => store.readKpi('team', teamId, range.from, range.to, range.granularity))
    return answer(report, request.query.format, reply, request.query.lang)
  })
}
