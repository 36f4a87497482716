/**
 * Reviews and appeals on the PostgreSQL store of record: each transition is one
 * `ReportStore.reviseReport` transaction (row lock on the call, report rewritten, KPI rollups moved
 * by the difference, exactly once), and the rows mirroring the review (finding_reviews,
 * review_events, appeals) are written in that same transaction.
 */
import type postgres from 'postgres'
import type { Rulebook } from '@callqa/engine'
import { canSeeTeam, RULE_IDS, type CallReport, type Principal, type RuleId } from '@callqa/protocol'
import type { ReportStore, ReviseResult } from '@callqa/store'
import {
  allFindings,
  applyReview,
  decideAppeal,
  DEFAULT_APPEAL_SETTINGS,
  fileAppeal,
  isManualFinding,
  stateOf,
  type Appeal,
  type AppealSettings,
  type AppealStatus,
  type ReviewAction,
  type ReviewedReport,
} from '../review.js'
import { ReviewError, ReviewErrorCodes } from '../errors.js'
import type { NotificationEvent } from '../notifications.js'
import { NotificationStore, type NotificationPublisher } from './notification-store.js'

export interface ReviewStoreOptions {
  store: ReportStore
  /** The rulebook rescoring uses (the live one). */
  rulebook: Rulebook
  appeals?: AppealSettings
  /**
   * Pushes the notifications a transition wrote (after its commit) to the live channel. Without
   * it they are still stored and listed; a failed push is reported to `onPublishError`, the
   * transition stands (the console finds them on its next load).
   */
  publish?: NotificationPublisher
  onPublishError?: (err: Error) => void
}

export interface AppealRow extends Appeal {
  callId: string
  teamId: string
  overdue: boolean
}

export interface AppealCounts {
  /** Per team, then per rule: filed, pending, overdue, upheld, overturned. */
  teams: Array<{ teamId: string; filed: number; pending: number; overdue: number; upheld: number; overturned: number; overturnedShare: number | null }>
  rules: Array<{ rule: RuleId; filed: number; pending: number; overdue: number; upheld: number; overturned: number; overturnedShare: number | null }>
}

export interface RuleQuality {
  rule: RuleId
  /** Canonical phrase for phrase rules; null for the rule's row over all its phrases. */
  phrase: string | null
  /** Findings the engine raised (counted or dismissed). */
  findings: number
  confirmed: number
  dismissed: number
  pending: number
  /** dismissed / (confirmed + dismissed); null before any review. */
  dismissedShare: number | null
  reasons: Record<string, number>
  /** Findings reviewers added by hand (the engine's misses). */
  addedByHand: number
}

const MAX_LIST = 500

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000
}

export class ReviewStore {
  readonly store: ReportStore
  readonly rulebook: Rulebook
  readonly appealSettings: AppealSettings
  readonly notifications: NotificationStore
  readonly #publish: NotificationPublisher | undefined
  readonly #onPublishError: (err: Error) => void

  constructor(options: ReviewStoreOptions) {
    this.store = options.store
    this.rulebook = options.rulebook
    this.appealSettings = options.appeals ?? DEFAULT_APPEAL_SETTINGS
    this.notifications = new NotificationStore(options.store.sql)
    this.#publish = options.publish
    this.#onPublishError = options.onPublishError ?? (() => undefined)
  }

  /** A review action by a 话务班长 or 外呼管理员 at `atMs`; `changed` false when it repeated an earlier one. */
  review(callId: string, principal: Principal, action: ReviewAction, options: { atMs: number; expectedVersion?: number }): Promise<ReviseResult> {
    const at = new Date(options.atMs).toISOString()
    return this.#revise(callId, (current) => applyReview(this.rulebook, current, action, { principal, at }), options.expectedVersion, at)
  }

  fileAppeal(callId: string, principal: Principal, input: { findingId: string; reason: string }, options: { atMs: number }): Promise<ReviseResult> {
    const at = new Date(options.atMs).toISOString()
    return this.#revise(callId, (current) => fileAppeal(current, input, { principal, at }, this.appealSettings), undefined, at)
  }

  async decideAppeal(appealId: string, principal: Principal, input: { outcome: 'upheld' | 'overturned'; reply: string }, options: { atMs: number }): Promise<ReviseResult> {
    const rows = await this.store.sql<Array<{ call_id: string }>>`SELECT call_id FROM appeals WHERE appeal_id = ${appealId}`
    if (!rows[0]) throw new ReviewError(ReviewErrorCodes.UNKNOWN_APPEAL, `no appeal ${JSON.stringify(appealId)}`)
    const at = new Date(options.atMs).toISOString()
    return this.#revise(rows[0].call_id, (current) => decideAppeal(this.rulebook, current, { appealId, ...input }, { principal, at }), undefined, at)
  }

  /** Appeals a principal handles or filed: an agent their own, a manager those routed to them. */
  async listAppeals(principal: Principal, query: { status?: AppealStatus; nowMs: number; limit?: number }): Promise<AppealRow[]> {
    const sql = this.store.sql
    const limit = Math.min(query.limit ?? 100, MAX_LIST)
    const where: postgres.PendingQuery<postgres.Row[]>[] = []
    if (query.status) where.push(sql`status = ${query.status}`)
    switch (principal.role) {
      case 'agent':
        where.push(sql`agent_id = ${principal.agentId ?? ''}`)
        break
      case 'outbound_manager':
        where.push(sql`routed_to = 'outbound_manager' AND team_id = ANY(${sql.array(principal.teams ?? [])})`)
        break
      case 'complaint_manager':
        where.push(sql`routed_to = 'complaint_manager'`)
        break
      default:
        break // shift lead and admin see all
    }
    const condition = where.length ? where.reduce((a, b) => sql`${a} AND ${b}`) : sql`true`
    const rows = await sql<Array<Record<string, unknown>>>`
      SELECT * FROM appeals WHERE ${condition} ORDER BY (status = 'pending') DESC, due_at, appeal_id LIMIT ${limit}`
    return rows.map((r) => {
      const appeal: AppealRow = {
        id: r.appeal_id as string,
        callId: r.call_id as string,
        teamId: r.team_id as string,
        findingId: r.finding_id as string,
        rule: r.rule as RuleId,
        agentId: r.agent_id as string,
        reason: r.reason as string,
        filedAt: (r.filed_at as Date).toISOString(),
        dueAt: (r.due_at as Date).toISOString(),
        routedTo: r.routed_to as Appeal['routedTo'],
        status: r.status as AppealStatus,
        overdue: r.status === 'pending' && (r.due_at as Date).getTime() < query.nowMs,
      }
      if (r.decided_at) appeal.decidedAt = (r.decided_at as Date).toISOString()
      if (r.decided_by) appeal.decidedBy = r.decided_by as string
      if (r.reply) appeal.reply = r.reply as string
      return appeal
    })
  }

  /** Appeals filed in [fromMs, toMs) per team and per rule, with how often they succeed (overturned). */
  async appealCounts(principal: Principal, query: { fromMs: number; toMs: number; nowMs: number }): Promise<AppealCounts> {
    const sql = this.store.sql
    const rows = await sql<Array<{ team_id: string; rule: string; status: string; overdue: boolean; n: number }>>`
      SELECT team_id, rule, status, (status = 'pending' AND due_at < ${new Date(query.nowMs)}) AS overdue, count(*)::int AS n
      FROM appeals WHERE filed_at >= ${new Date(query.fromMs)} AND filed_at < ${new Date(query.toMs)}
      GROUP BY 1, 2, 3, 4`
    const visible = rows.filter((r) => canSeeTeam(principal, r.team_id))
    const tally = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
      const out = new Map<K, { filed: number; pending: number; overdue: number; upheld: number; overturned: number }>()
      for (const r of visible) {
        const t = out.get(key(r)) ?? { filed: 0, pending: 0, overdue: 0, upheld: 0, overturned: 0 }
        t.filed += r.n
        if (r.status === 'pending') t.pending += r.n
        if (r.overdue) t.overdue += r.n
        if (r.status === 'upheld') t.upheld += r.n
        if (r.status === 'overturned') t.overturned += r.n
        out.set(key(r), t)
      }
      return [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, t]) => ({ k, ...t, overturnedShare: share(t.overturned, t.upheld + t.overturned) }))
    }
    return {
      teams: tally((r) => r.team_id).map(({ k, ...t }) => ({ teamId: k, ...t })),
      rules: tally((r) => r.rule as RuleId).map(({ k, ...t }) => ({ rule: k, ...t })),
    }
  }

  /**
   * Precision from the floor, per rule and per phrase, over calls started in [fromMs, toMs):
   * findings the engine raised, how many reviewers confirmed and dismissed (and why), how many
   * are pending, and findings added by hand. Scope: the teams the principal sees.
   */
  async ruleQuality(principal: Principal, query: { fromMs: number; toMs: number; teamId?: string }): Promise<RuleQuality[]> {
    const sql = this.store.sql
    const teams = principal.role === 'outbound_manager' ? (principal.teams ?? []) : null
    if (principal.role !== 'shift_lead' && principal.role !== 'admin' && principal.role !== 'outbound_manager') {
      throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `${principal.role} may not read rule quality`)
    }
    const scope = (column: string) => {
      const parts = [sql`${sql(column)} >= ${new Date(query.fromMs)} AND ${sql(column)} < ${new Date(query.toMs)}`]
      if (teams) parts.push(sql`team_id = ANY(${sql.array(teams)})`)
      if (query.teamId) parts.push(sql`team_id = ${query.teamId}`)
      return parts.reduce((a, b) => sql`${a} AND ${b}`)
    }
    // Counted findings live in reports.findings; dismissed ones only in finding_reviews.
    const [counted, reviewed] = await Promise.all([
      sql<Array<{ rule: string; phrase: string | null; n: number }>>`
        SELECT f->>'rule' AS rule, f->>'phrase' AS phrase, count(*)::int AS n
        FROM reports, jsonb_array_elements(findings) AS f
        WHERE ${scope('started_at')} AND position(':manual:' in f->>'id') = 0
        GROUP BY 1, 2`,
      sql<Array<{ rule: string; phrase: string | null; origin: string; status: string; reason: string | null; n: number }>>`
        SELECT rule, phrase, origin, status, reason, count(*)::int AS n FROM finding_reviews
        WHERE ${scope('started_at')} GROUP BY 1, 2, 3, 4, 5`,
    ])
    const rows = new Map<string, RuleQuality>()
    const rowOf = (rule: string, phrase: string | null) => {
      const key = `${rule}\u0000${phrase ?? ''}`
      let row = rows.get(key)
      if (!row) {
        row = { rule: rule as RuleId, phrase, findings: 0, confirmed: 0, dismissed: 0, pending: 0, dismissedShare: null, reasons: {}, addedByHand: 0 }
        rows.set(key, row)
      }
      return row
    }
    const both = (rule: string, phrase: string | null, apply: (row: RuleQuality) => void) => {
      apply(rowOf(rule, null))
      if (phrase) apply(rowOf(rule, phrase))
    }
    for (const c of counted) both(c.rule, c.phrase, (r) => (r.findings += c.n))
    for (const v of reviewed) {
      both(v.rule, v.phrase, (r) => {
        if (v.origin === 'manual') {
          if (v.status === 'confirmed') r.addedByHand += v.n
          return
        }
        if (v.status === 'confirmed') r.confirmed += v.n
        else {
          r.dismissed += v.n
          r.findings += v.n // not in reports.findings any more
          if (v.reason) r.reasons[v.reason] = (r.reasons[v.reason] ?? 0) + v.n
        }
      })
    }
    const order = (rule: string) => (RULE_IDS as readonly string[]).indexOf(rule)
    return [...rows.values()]
      .map((r) => ({ ...r, pending: r.findings - r.confirmed - r.dismissed, dismissedShare: share(r.dismissed, r.confirmed + r.dismissed) }))
      .sort((a, b) => order(a.rule) - order(b.rule) || (a.phrase ?? '').localeCompare(b.phrase ?? ''))
  }

  /**
   * Calls with a dismissed finding or one added by hand (or, `dismissedOnly` false, any reviewed
   * finding) among calls started since `sinceMs`, oldest first.
   */
  async reviewedCallIds(query: { sinceMs: number; dismissedOnly: boolean; limit?: number }): Promise<string[]> {
    const sql = this.store.sql
    const filter = query.dismissedOnly ? sql`AND (status = 'dismissed' OR origin = 'manual')` : sql``
    const rows = await sql<Array<{ call_id: string }>>`
      SELECT call_id FROM finding_reviews WHERE started_at >= ${new Date(query.sinceMs)} ${filter}
      GROUP BY call_id ORDER BY min(started_at), call_id LIMIT ${Math.min(query.limit ?? 10_000, 100_000)}`
    return rows.map((r) => r.call_id)
  }

  async #revise(callId: string, transition: (current: ReviewedReport) => ReviewedReport | null, expectedVersion?: number, atIso = new Date().toISOString()): Promise<ReviseResult> {
    // Set by the attempt that commits (a retried transaction runs inTransaction again).
    let events: NotificationEvent[] = []
    const result = await this.store.reviseReport(callId, (current) => transition(current as ReviewedReport), {
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      inTransaction: async (tx, change) => {
        await mirror(tx, change.before as ReviewedReport, change.after as ReviewedReport, change.version)
        events = await this.notifications.recordChange(tx, change.before, change.after, change.version, atIso)
      },
    })
    if (result.changed && events.length > 0 && this.#publish) await this.#publish(events).catch((err: Error) => this.#onPublishError(err))
    return result
  }
}

/** Writes the rows mirroring the review state of `after` (and the history entries it added). */
async function mirror(tx: postgres.TransactionSql, before: ReviewedReport, after: ReviewedReport, version: number): Promise<void> {
  const state = stateOf(after)
  const startedAt = new Date(after.startedAt)
  const byId = new Map(allFindings(state).map((f) => [f.id, f]))
  for (const [findingId, d] of Object.entries(state.decisions)) {
    const f = byId.get(findingId)
    if (!f) continue
    await tx`
      INSERT INTO finding_reviews (call_id, finding_id, origin, rule, phrase, status, reason, team_id, agent_id, started_at, reviewed_by, reviewed_at)
      VALUES (${after.callId}, ${findingId}, ${isManualFinding(findingId) ? 'manual' : 'engine'}, ${f.rule}, ${f.phrase ?? null}, ${d.status}, ${d.reason ?? null},
        ${after.teamId}, ${after.agentId}, ${startedAt}, ${d.by}, ${new Date(d.at)})
      ON CONFLICT (call_id, finding_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`
  }
  for (const a of state.appeals) {
    await tx`
      INSERT INTO appeals (appeal_id, call_id, finding_id, rule, team_id, agent_id, routed_to, status, reason, filed_at, due_at, decided_at, decided_by, reply)
      VALUES (${a.id}, ${after.callId}, ${a.findingId}, ${a.rule}, ${after.teamId}, ${a.agentId}, ${a.routedTo}, ${a.status}, ${a.reason}, ${new Date(a.filedAt)}, ${new Date(a.dueAt)},
        ${a.decidedAt ? new Date(a.decidedAt) : null}, ${a.decidedBy ?? null}, ${a.reply ?? null})
      ON CONFLICT (appeal_id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at, decided_by = excluded.decided_by, reply = excluded.reply`
  }
  const seen = before.review?.history.length ?? 0
  for (const e of state.history.slice(seen)) {
    await tx`
      INSERT INTO review_events (call_id, report_version, finding_id, rule, action, reason, note, actor, actor_role, at, score_before, score_after, team_id, agent_id)
      VALUES (${after.callId}, ${version}, ${e.findingId}, ${e.rule}, ${e.action}, ${e.reason ?? null}, ${e.note ?? null}, ${e.by}, ${e.role}, ${new Date(e.at)},
        ${e.scoreBefore}, ${e.scoreAfter}, ${after.teamId}, ${after.agentId})`
  }
}

export type { CallReport }
