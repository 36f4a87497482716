/**
 * Review (质检复核) of a stored report: `GET /v1/calls/:callId/review` (each finding's status,
 * appeals, history) and `POST /v1/calls/:callId/review` (confirm / dismiss with a reason / add a
 * missed finding; 话务班长 any team, 外呼管理员 their own). The score and KPIs are recomputed at
 * once from the rulebook in the same transaction (@callqa/review/pg).
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Rulebook } from '@callqa/engine'
import { canSee, RULE_IDS, type Principal } from '@callqa/protocol'
import { allFindings, channelPublisher, DEFAULT_APPEAL_SETTINGS, DISMISS_REASONS, findingStatus, stateOf, type AppealSettings, type ReviewAction, type ReviewedReport } from '@callqa/review'
import { ReviewStore } from '@callqa/review/pg'
import type { ReportStore } from '@callqa/store'
import { gatewayError } from '../errors.js'
import { reportStoreFor, storeReady } from './reports.js'

export interface ReviewRoutesOptions {
  store?: ReportStore
  /** Rescoring rulebook; default the gateway core's (app.callqa.rulebook). */
  rulebook?: Rulebook
  appeals?: AppealSettings
}

const reviewStores = new WeakMap<ReportStore, ReviewStore>()

/** The ReviewStore over the gateway's report store (shared by the review, appeal and quality routes). */
export function reviewStoreFor(app: FastifyInstance, options: ReviewRoutesOptions): ReviewStore {
  const store = reportStoreFor(app, options)
  let reviews = reviewStores.get(store)
  if (!reviews) {
    const rulebook = options.rulebook ?? (app as FastifyInstance & { callqa?: { rulebook: Rulebook } }).callqa?.rulebook
    if (!rulebook) throw new Error('review routes need options.rulebook or the gateway core plugin (app.callqa)')
    // Notifications a transition writes are pushed to every gateway (services/gateway/src/notifications).
    const core = (app as FastifyInstance & { callqa?: FastifyInstance['callqa'] }).callqa
    const push = core ? { publish: channelPublisher(core.redis, core.keys.notifications), onPublishError: (err: Error) => app.log.warn({ err: err.message }, 'notification push failed; consoles list it on their next load') } : {}
    reviews = new ReviewStore({ store, rulebook, appeals: options.appeals ?? DEFAULT_APPEAL_SETTINGS, ...push })
    reviewStores.set(store, reviews)
  }
  return reviews
}

export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' })
export const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() })
const Note = Type.String({ maxLength: 500 })

const ReviewBody = Type.Object(
  {
    action: Type.Enum(['confirm', 'dismiss', 'add']),
    findingId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    reason: Type.Optional(Type.Enum(DISMISS_REASONS)),
    note: Type.Optional(Note),
    rule: Type.Optional(Type.Enum(RULE_IDS)),
    seq: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    phrase: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
)

/** What the review screen shows of a report. */
export function reviewView(report: ReviewedReport, version: number) {
  const state = stateOf(report)
  return {
    callId: report.callId,
    agentId: report.agentId,
    teamId: report.teamId,
    version,
    score: report.score,
    findings: allFindings(state).map((f) => ({
      finding: f,
      origin: f.id.includes(':manual:') ? 'manual' : 'engine',
      status: findingStatus(state, f.id),
      decision: state.decisions[f.id] ?? null,
      points: report.deductions.find((d) => d.findingId === f.id)?.points ?? 0,
    })),
    appeals: state.appeals,
    history: state.history,
  }
}

function actionOf(body: Static): ReviewAction {
  const missing = (field: string): never => {
    throw Object.assign(new Error(`${field}: required for action ${body.action}`), { statusCode: 400, code: 'CQ_ERR_INVALID_REVIEW' })
  }
  switch (body.action) {
    case 'confirm':
      return { type: 'confirm', findingId: body.findingId ?? missing('findingId'), ...(body.note ? { note: body.note } : {}) }
    case 'dismiss':
      return { type: 'dismiss', findingId: body.findingId ?? missing('findingId'), reason: body.reason ?? missing('reason'), ...(body.note ? { note: body.note } : {}) }
    default:
      return { type: 'add', rule: body.rule ?? missing('rule'), seq: body.seq ?? missing('seq'), note: body.note ?? missing('note'), ...(body.phrase ? { phrase: body.phrase } : {}) }
  }
}
type Static = { action: 'confirm' | 'dismiss' | 'add'; findingId?: string; reason?: (typeof DISMISS_REASONS)[number]; note?: string; rule?: (typeof RULE_IDS)[number]; seq?: number; phrase?: string; expectedVersion?: number }

export const reviewRoutes: FastifyPluginAsyncTypebox<ReviewRoutesOptions> = async function reviewRoutes(app, options) {
  const reviews = reviewStoreFor(app, options)
  app.addHook('preHandler', async () => storeReady(app, reviews.store))

  app.get(
    '/v1/calls/:callId/review',
    { preHandler: app.requirePrincipal, schema: { params: Type.Object({ callId: Id }), response: { 200: Type.Unknown(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } } },
    async (request) => {
      const stored = await reviews.store.getStoredReport(request.params.callId)
      if (!stored) throw gatewayError('UNKNOWN_REPORT', `no report for call ${request.params.callId}`)
      const principal = request.principal as Principal
      if (!canSee(principal, { ...stored.report, complaintRisk: stored.report.metrics.complaintRisk })) throw gatewayError('FORBIDDEN', `${principal.username} may not see call ${request.params.callId}`)
      return reviewView(stored.report as ReviewedReport, stored.version)
    },
  )

  app.post(
    '/v1/calls/:callId/review',
    { preHandler: app.requirePrincipal, schema: { params: Type.Object({ callId: Id }), body: ReviewBody, response: { 200: Type.Unknown(), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } } },
    async (request) => {
      const principal = request.principal as Principal
      const body = request.body
      const result = await reviews.review(request.params.callId, principal, actionOf(body), { atMs: Date.now(), ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}) })
      return { changed: result.changed, ...reviewView(result.report as ReviewedReport, result.version) }
    },
  )
}
