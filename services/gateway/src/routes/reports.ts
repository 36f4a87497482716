/**
 * After-call reports: `GET /v1/calls/:callId/report` (JSON, or `?format=html` a printable page with
 * the transcript and the offending words highlighted) and `GET /v1/calls` (search, newest first,
 * cursor pages, `?format=csv`). Reads what the aggregator workers wrote to PostgreSQL (`@callqa/store`).
 * Access: `request.principal` and `canSee`/`canSeeTeam`/`canSeeAgent` from `@callqa/protocol`.
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { canSee, canSeeAgent, canSeeTeam, RULE_IDS, type CallReport, type Principal, type RuleId } from '@callqa/protocol'
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
  toCsv,
  type ReportSummary,
  type SearchQuery as StoreSearchQuery,
} from '@callqa/store'
import { renderReviewHtml } from '@callqa/review'

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

/** PostgreSQL is down or unreachable: 503, the client may retry. */
export class StoreUnavailableError extends Error {
  readonly code = 'CQ_ERR_STORE_UNAVAILABLE'
  readonly statusCode = 503
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
    disposition: Type.Optional(Type.Enum(['success', 'failed', 'no_answer', 'abandoned'])),
    phrase: Type.Optional(Type.String({ minLength: 1, maxLength: 400, description: 'text the masked transcript contains' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_LIMIT })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    format: Type.Optional(Type.Enum(['json', 'csv'])),
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

const DISPOSITION_ZH: Record<string, string> = { success: '成功', failed: '未成功', no_answer: '未接通', abandoned: '中断' }
const RULE_ZH: Record<RuleId, string> = {
  forbidden_phrase: '服务禁语',
  missing_greeting: '未使用问候语',
  missing_closing: '未使用结束语',
  speaking_rate: '语速不当',
  interruption: '打断客户',
  slow_response: '响应迟缓',
  complaint_risk: '投诉风险',
  internal_disclosure: '泄露内部信息',
  overpromise: '过度承诺',
  pointing_out_mistake: '明确指出客户错误',
  scolding: '训斥、顶撞、责备客户',
  sarcasm: '讽刺挖苦客户',
}
const SEVERITY_ZH: Record<string, string> = { critical: '严重', major: '重要', warning: '警告', info: '提示' }
const STRENGTH_ZH: Record<string, string> = { politeness: '礼貌用语', greeting: '问候语', closing: '结束语', speaking_rate: '语速' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** The line's text with every finding span on it wrapped in <mark>, everything escaped. */
function highlight(text: string, spans: Array<{ start: number; end: number; title: string }>): string {
  const sorted = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start).sort((a, b) => a.start - b.start)
  let out = ''
  let at = 0
  for (const span of sorted) {
    if (span.start < at) continue // overlapping spans: the first one wins
    out += escapeHtml(text.slice(at, span.start))
    out += `<mark title="${escapeHtml(span.title)}">${escapeHtml(text.slice(span.start, span.end))}</mark>`
    at = span.end
  }
  return out + escapeHtml(text.slice(at))
}

/** A self-contained, printable zh-CN page of one report (no scripts, no external resources). */
export function renderReportHtml(report: CallReport, timeZone: string): string {
  const started = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(Date.parse(report.startedAt))
  const spansBySeq = new Map<number, Array<{ start: number; end: number; title: string }>>()
  for (const f of report.findings) {
    if (f.seq === undefined || !f.span) continue
    const line = report.transcript.find((l) => l.seq === f.seq)
    // Spans index the finding's text; only highlight when it is the line's text.
    if (!line || (f.text !== undefined && f.text !== line.text)) continue
    const list = spansBySeq.get(f.seq) ?? []
    list.push({ start: f.span[0], end: f.span[1], title: `${RULE_ZH[f.rule]}${f.phrase ? `「${f.phrase}」` : ''}` })
    spansBySeq.set(f.seq, list)
  }
  const m = report.metrics
  const yes = (b: boolean): string => (b ? '是' : '<b class="bad">否</b>')
  const rows = (cells: string[][]): string => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')
  const findings = report.findings.length
    ? `<table><thead><tr><th>时间</th><th>问题</th><th>级别</th><th>内容</th></tr></thead><tbody>${rows(
        report.findings.map((f) => [
          f.atMs !== undefined ? clock(f.atMs) : '',
          escapeHtml(RULE_ZH[f.rule] ?? f.rule),
          `<span class="sev-${escapeHtml(f.severity)}">${escapeHtml(SEVERITY_ZH[f.severity] ?? f.severity)}</span>`,
          escapeHtml(
            [f.phrase ? `「${f.phrase}」` : '', f.direction ? (f.direction === 'fast' ? '过快' : '过慢') : '', f.cpm !== undefined ? `${f.cpm} 字/分钟` : '', f.durationMs !== undefined ? `${(f.durationMs / 1000).toFixed(1)} 秒` : '']
              .filter(Boolean)
              .join(' '),
          ),
        ]),
      )}</tbody></table>`
    : '<p>未发现问题。</p>'
  const deductions = report.deductions.length
    ? `<table><thead><tr><th>扣分</th><th>原因</th></tr></thead><tbody>${rows(report.deductions.map((d) => [`−${d.points}`, escapeHtml(d.reason)]))}</tbody></table>`
    : '<p>无扣分。</p>'
  const strengths = report.strengths.length
    ? `<ul>${report.strengths.map((s) => `<li>${escapeHtml(STRENGTH_ZH[s.kind] ?? s.kind)}：${escapeHtml(s.reason)}${s.points ? `（+${s.points}）` : ''}</li>`).join('')}</ul>`
    : ''
  const transcript = report.transcript
    .map(
      (l) =>
        `<tr class="${l.speaker}"><td class="t">${clock(l.startMs)}</td><td class="who">${l.speaker === 'agent' ? '坐席' : '客户'}</td><td>${highlight(l.text, spansBySeq.get(l.seq) ?? [])}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>通话质检报告 ${escapeHtml(report.callId)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:52em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.5em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
.score{font-size:2.2em;font-weight:bold}.bad{color:#b00020}mark{background:#ffd54f;color:#000;font-weight:bold}
.sev-critical,.sev-major{color:#b00020;font-weight:bold}.t{white-space:nowrap;color:#666}.who{white-space:nowrap}
tr.agent td.who{color:#0b5394}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:#666}dd{margin:0}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>通话质检报告</h1>
<dl>
<dt>通话编号</dt><dd>${escapeHtml(report.callId)}</dd>
<dt>外呼员</dt><dd>${escapeHtml(report.agentId)}</dd>
<dt>班组</dt><dd>${escapeHtml(report.teamId)}</dd>
<dt>开始时间</dt><dd>${escapeHtml(started)}</dd>
<dt>通话时长</dt><dd>${clock(report.endMs)}</dd>
<dt>呼叫方向</dt><dd>${report.direction === 'outbound' ? '外呼' : '呼入'}</dd>
<dt>结果</dt><dd>${escapeHtml(DISPOSITION_ZH[report.disposition] ?? report.disposition)}</dd>
<dt>规则库</dt><dd>${escapeHtml(report.rulebook.id)} 版本 ${escapeHtml(report.rulebook.version)}</dd>
</dl>
<p>得分 <span class="score">${escapeHtml(String(report.score))}</span> / 100</p>
<h2>扣分明细</h2>${deductions}
${strengths ? `<h2>加分项</h2>${strengths}` : ''}
<h2>通话指标</h2>
<dl>
<dt>坐席语速</dt><dd>${m.agentCpm === null ? '—' : `${escapeHtml(String(m.agentCpm))} 字/分钟`}</dd>
<dt>使用问候语</dt><dd>${yes(m.greeted)}</dd>
<dt>使用结束语</dt><dd>${yes(m.closed)}</dd>
<dt>打断客户</dt><dd>${m.interruptions} 次</dd>
<dt>响应迟缓</dt><dd>${m.slowResponses} 次</dd>
<dt>投诉风险</dt><dd>${m.complaintRisk ? '<b class="bad">有</b>' : '无'}</dd>
</dl>
<h2>发现问题（${report.findings.length}）</h2>${findings}
<h2>通话记录</h2>
<table class="transcript"><tbody>${transcript || '<tr><td>（无通话内容）</td></tr>'}</tbody></table>
${renderReviewHtml(report, timeZone)}
</body></html>
`
}

const SEARCH_CSV_COLUMNS = [
  'call_id',
  'started_at',
  'agent_id',
  'team_id',
  'direction',
  'disposition',
  'score',
  'findings',
  'rules',
  'greeted',
  'closed',
  'complaint_risk',
  'duration_s',
] as const

export function searchCsv(items: ReportSummary[]): string {
  return toCsv(
    SEARCH_CSV_COLUMNS,
    items.map((s) => [
      s.callId,
      s.startedAt,
      s.agentId,
      s.teamId,
      s.direction,
      s.disposition,
      s.score,
      s.findings,
      s.rules.join(' '),
      s.greeted,
      s.closed,
      s.complaintRisk,
      Math.round(s.durationMs / 1000),
    ]),
  )
}

export const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, options) => {
  const store = reportStoreFor(app, options)
  app.addHook('preHandler', async () => storeReady(app, store))

  app.get(
    '/v1/calls/:callId/report',
    {
      preHandler: app.requirePrincipal,
      preValidation: rejectUnknownQuery(['format', 'token']),
      schema: {
        params: Type.Object({ callId: Id }),
        querystring: Type.Object({ format: Type.Optional(Type.Enum(['json', 'html'])), token: Type.Optional(Type.String()) }, { additionalProperties: false }),
        // The report is sent pre-serialized (JSON or HTML text): no serializer in the way.
        response: { 200: Type.String(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { callId } = request.params
      const summary = await readStore(() => store.getSummary(callId))
      // Another team's call and a call that does not exist get the same answer: ids are not probed.
      const notYours = `no report for call ${callId} that you may see (not scored yet, older than the retention, or not in your teams)`
      if (!summary) throw new UnknownReportError(notYours)
      const principal = principalOf(request)
      if (!canSee(principal, summary)) throw new UnknownReportError(notYours)
      const report = await readStore(() => store.getReport(callId))
      if (!report) throw new UnknownReportError(`no report for call ${callId}`)
      if (request.query.format === 'html') {
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .header('x-content-type-options', 'nosniff')
          .send(renderReportHtml(report, store.timeZone))
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
        const id = agentId
        const teamId = await readStore(() => store.teamOfAgent(id))
        if (!canSeeAgent(principal, id, teamId ?? undefined)) throw new ForbiddenError(`${principal.username} may not see agent ${id}`)
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
        if (err instanceof CursorError) throw new InvalidParameterError('cursor', err.message)
        if (err instanceof SearchQueryError) throw new InvalidParameterError(err.parameter, err.message.slice(err.parameter.length + 2))
        throw err
      }
      if (q.format === 'csv') {
        if (page.nextCursor) reply.header('x-next-cursor', page.nextCursor)
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="calls.csv"')
          .send(searchCsv(page.items))
      }
      return page
    },
  )
}
