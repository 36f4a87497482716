/**
 * Notifications on PostgreSQL (migration 004): written in the transaction of the change they
 * announce (ON CONFLICT DO NOTHING on the deterministic id: a retry announces nothing twice),
 * listed unread per console user, marked read per user. After the commit the caller publishes what
 * was written (`publish`), so every gateway pushes it to the sockets it is addressed to.
 */
import type postgres from 'postgres'
import type { CallReport, Principal } from '@callqa/protocol'
import type { NotificationRow } from '@callqa/store'
import {
  notificationOverdue,
  notificationsOf,
  receivesNotifications,
  type Notification,
  type NotificationAudience,
  type NotificationEvent,
} from '../notifications.js'

/** Publishes events on the notification channel (the gateway's and workers' Redis). */
export type NotificationPublisher = (events: NotificationEvent[]) => Promise<void>

export interface ListedNotification extends Notification {
  read: boolean
  overdue: boolean
}

export interface NotificationList {
  /** Unread and still current (a decided appeal no longer waits), newest first. */
  items: ListedNotification[]
  /** How many unread there are in all (items holds at most `limit`). */
  unread: number
  /** Managers: appeals routed to them still pending, and how many of those are overdue. */
  waiting: { pending: number; overdue: number } | null
}

type Sql = postgres.Sql | postgres.TransactionSql

const MAX_LIST = 200
/** Unread counts stop here (a badge shows 999+). */
const MAX_COUNT = 999

export class NotificationStore {
  constructor(readonly sql: postgres.Sql) {}

  /**
   * Writes the notifications of one change inside `tx` and resolves the appeal_filed ones it ends;
   * returns the events to publish after the commit (only what this call wrote).
   */
  async recordChange(tx: Sql, before: CallReport | null, after: CallReport, version: number, atIso: string): Promise<NotificationEvent[]> {
    const change = notificationsOf(before, after, version, atIso)
    const events: NotificationEvent[] = []
    for (const n of change.notifications) {
      const rows = await tx`
        INSERT INTO notifications (notification_id, kind, audience, agent_id, team_id, call_id, appeal_id, created_at, body)
        VALUES (${n.id}, ${n.kind}, ${n.audience}, ${n.agentId}, ${n.teamId}, ${n.callId}, ${n.appeal?.id ?? null}, ${new Date(n.createdAt)},
          ${tx.json(n as unknown as postgres.JSONValue)})
        ON CONFLICT (notification_id) DO NOTHING RETURNING notification_id`
      if (rows.length > 0) events.push({ type: 'notification', notification: n })
    }
    if (change.resolved.length > 0) {
      const rows = await tx<Array<{ notification_id: string; audience: NotificationAudience }>>`
        UPDATE notifications SET resolved_at = ${new Date(atIso)}
        WHERE notification_id = ANY(${tx.array(change.resolved)}) AND resolved_at IS NULL
        RETURNING notification_id, audience`
      const byAudience = new Map<NotificationAudience, string[]>()
      for (const r of rows) byAudience.set(r.audience, [...(byAudience.get(r.audience) ?? []), r.notification_id])
      for (const [audience, ids] of byAudience) events.push({ type: 'resolved', ids, audience, teamId: after.teamId })
    }
    return events
  }

  /** A report the score worker stored: its deductions, announced once (its own statement). */
  reportStored(report: CallReport, atIso: string): Promise<NotificationEvent[]> {
    if (report.deductions.length === 0) return Promise.resolve([])
    return this.recordChange(this.sql, null, report, 1, atIso)
  }

  /**
   * The notifications of a report about to be scored, as rows the store writes in the report's own
   * batch statement (`ReportStore.saveReports`: only if the report is stored, so once), and the
   * events to publish for the ids it wrote. null when the change also resolves earlier
   * notifications (a report arriving with decided appeals): that needs `reportStored`.
   */
  static scoreNotifications(report: CallReport, atIso: string): { rows: NotificationRow[]; events: (written: readonly string[]) => NotificationEvent[] } | null {
    const change = notificationsOf(null, report, 1, atIso)
    if (change.resolved.length > 0) return null
    const rows = change.notifications.map((n): NotificationRow => ({
      notification_id: n.id,
      kind: n.kind,
      audience: n.audience,
      agent_id: n.agentId,
      team_id: n.teamId,
      call_id: n.callId,
      appeal_id: n.appeal?.id ?? null,
      created_at: n.createdAt,
      body: n,
    }))
    return {
      rows,
      events: (written) => change.notifications.filter((n) => written.includes(n.id)).map((notification) => ({ type: 'notification', notification })),
    }
  }

  #addressed(principal: Principal): postgres.PendingQuery<postgres.Row[]> {
    const sql = this.sql
    switch (principal.role) {
      case 'agent':
        return sql`n.audience = 'agent' AND n.agent_id = ${principal.agentId ?? ''}`
      case 'outbound_manager':
        return sql`n.audience = 'outbound_manager' AND n.team_id = ANY(${sql.array(principal.teams ?? [])})`
      case 'complaint_manager':
        return sql`n.audience = 'complaint_manager'`
      default:
        return sql`false`
    }
  }

  /** The principal's unread notifications (and, for managers, their appeal queue's size). */
  async list(principal: Principal, query: { nowMs: number; limit?: number }): Promise<NotificationList> {
    if (!receivesNotifications(principal)) return { items: [], unread: 0, waiting: null }
    const sql = this.sql
    const limit = Math.min(query.limit ?? 50, MAX_LIST)
    const unreadWhere = sql`${this.#addressed(principal)} AND n.resolved_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.notification_id AND r.username = ${principal.username})`
    const [rows, counted, waiting] = await Promise.all([
      sql<Array<{ body: Notification }>>`SELECT n.body FROM notifications n WHERE ${unreadWhere} ORDER BY n.created_at DESC, n.notification_id DESC LIMIT ${limit}`,
      sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM (SELECT 1 FROM notifications n WHERE ${unreadWhere} LIMIT ${MAX_COUNT}) x`,
      principal.role === 'agent' ? Promise.resolve(null) : this.#waiting(principal, query.nowMs),
    ])
    return {
      items: rows.map((r) => ({ ...r.body, read: false, overdue: notificationOverdue(r.body, query.nowMs) })),
      unread: counted[0]?.n ?? 0,
      waiting,
    }
  }

  async #waiting(principal: Principal, nowMs: number): Promise<{ pending: number; overdue: number }> {
    const sql = this.sql
    const scope =
      principal.role === 'outbound_manager'
        ? sql`routed_to = 'outbound_manager' AND team_id = ANY(${sql.array(principal.teams ?? [])})`
        : sql`routed_to = 'complaint_manager'`
    const [row] = await sql<Array<{ pending: number; overdue: number }>>`
      SELECT count(*)::int AS pending, count(*) FILTER (WHERE due_at < ${new Date(nowMs)})::int AS overdue
      FROM appeals WHERE status = 'pending' AND ${scope}`
    return { pending: row?.pending ?? 0, overdue: row?.overdue ?? 0 }
  }

  /** Marks notifications read for this user (only ones addressed to them); `ids` 'all' every unread one. Returns the ids newly read. */
  async markRead(principal: Principal, ids: readonly string[] | 'all', nowMs: number): Promise<string[]> {
    if (!receivesNotifications(principal)) return []
    const sql = this.sql
    const which = ids === 'all' ? sql`true` : sql`n.notification_id = ANY(${sql.array([...ids])})`
    const rows = await sql<Array<{ notification_id: string }>>`
      INSERT INTO notification_reads (notification_id, username, read_at)
      SELECT n.notification_id, ${principal.username}, ${new Date(nowMs)} FROM notifications n
      WHERE ${which} AND ${this.#addressed(principal)}
      ON CONFLICT DO NOTHING RETURNING notification_id`
    return rows.map((r) => r.notification_id)
  }

  /** Deletes notifications created before `beforeMs` (the workers' maintenance, with the report retention). */
  async prune(beforeMs: number): Promise<number> {
    const result = await this.sql`DELETE FROM notifications WHERE created_at < ${new Date(beforeMs)}`
    return result.count
  }
}
