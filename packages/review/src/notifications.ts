/**
 * Console notifications of the QA loop (issue 12, item 6), pure: which notifications a change of a
 * report announces, and who each one is for.
 * - `deduction`: a report of the agent's was stored, or revised, with deductions it did not have;
 * - `appeal_filed`: an appeal waits for the team's 外呼管理员 (complaint-risk calls: every 投诉管理员);
 * - `appeal_decided`: the agent's appeal was upheld or overturned, with the reply.
 * Ids are deterministic (call, version, appeal), so a retried job or transaction announces once.
 * The live channel (Redis pub/sub, every gateway) carries `NotificationEvent`s as JSON.
 */
import type { CallReport, Deduction, Principal, RuleId } from '@callqa/protocol'
import { stateOf, type Appeal, type AppealStatus, type ReviewedReport } from './review.js'

export const NOTIFICATION_KINDS = ['deduction', 'appeal_filed', 'appeal_decided'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export type NotificationAudience = 'agent' | 'outbound_manager' | 'complaint_manager'

export interface NotificationAppeal {
  id: string
  findingId: string
  rule: RuleId
  reason: string
  dueAt: string
  status: AppealStatus
  reply?: string
  decidedBy?: string
}

export interface Notification {
  id: string
  kind: NotificationKind
  audience: NotificationAudience
  agentId: string
  teamId: string
  callId: string
  createdAt: string
  /** The call's score after the change. */
  score: number
  /** `deduction`: the deductions that are new with this change. */
  deductions?: Array<Pick<Deduction, 'rule' | 'findingId' | 'points' | 'reason'>>
  /** `appeal_filed` / `appeal_decided`. */
  appeal?: NotificationAppeal
}

/** What a gateway publishes on the notification channel and forwards to the sockets it concerns. */
export type NotificationEvent =
  | { type: 'notification'; notification: Notification }
  /** These appeal_filed notifications stopped waiting (the appeal was decided). */
  | { type: 'resolved'; ids: string[]; audience: NotificationAudience; teamId: string }
  /** A user read these on one page: their other pages drop them too. */
  | { type: 'read'; username: string; ids: string[] }

/** Whether the role has a notification channel at all (shift leads and admins get none). */
export function receivesNotifications(principal: Principal): boolean {
  return principal.role === 'agent' || principal.role === 'outbound_manager' || principal.role === 'complaint_manager'
}

/** Whether a notification (or anything with its audience) is for this principal: the one scope rule. */
export function addressedTo(principal: Principal, n: Pick<Notification, 'audience' | 'agentId' | 'teamId'>): boolean {
  switch (n.audience) {
    case 'agent':
      return principal.role === 'agent' && principal.agentId !== undefined && principal.agentId === n.agentId
    case 'outbound_manager':
      return principal.role === 'outbound_manager' && (principal.teams?.includes(n.teamId) ?? false)
    case 'complaint_manager':
      return principal.role === 'complaint_manager'
  }
}

function appealOf(a: Appeal): NotificationAppeal {
  return {
    id: a.id,
    findingId: a.findingId,
    rule: a.rule,
    reason: a.reason,
    dueAt: a.dueAt,
    status: a.status,
    ...(a.reply !== undefined ? { reply: a.reply } : {}),
    ...(a.decidedBy !== undefined ? { decidedBy: a.decidedBy } : {}),
  }
}

export const filedNotificationId = (appealId: string): string => `appeal-filed:${appealId}`

export interface NotificationChange {
  notifications: Notification[]
  /** appeal_filed notifications no longer waiting. */
  resolved: string[]
}

/**
 * The notifications of one change: `before` null for a report first stored, `version` the
 * report's version after it (1 when first stored), `atIso` when it happened.
 */
export function notificationsOf(before: CallReport | null, after: CallReport, version: number, atIso: string): NotificationChange {
  const base = { agentId: after.agentId, teamId: after.teamId, callId: after.callId, createdAt: atIso, score: after.score }
  const notifications: Notification[] = []
  const resolved: string[] = []
  const had = new Set((before?.deductions ?? []).map((d) => d.findingId))
  const fresh = after.deductions.filter((d) => !had.has(d.findingId))
  if (fresh.length > 0) {
    notifications.push({
      ...base,
      id: `deduction:${after.callId}:${version}`,
      kind: 'deduction',
      audience: 'agent',
      deductions: fresh.map(({ rule, findingId, points, reason }) => ({ rule, findingId, points, reason })),
    })
  }
  const earlier = new Map((before ? stateOf(before as ReviewedReport).appeals : []).map((a) => [a.id, a]))
  for (const a of (after as ReviewedReport).review?.appeals ?? []) {
    const was = earlier.get(a.id)
    if (!was) notifications.push({ ...base, id: filedNotificationId(a.id), kind: 'appeal_filed', audience: a.routedTo, createdAt: a.filedAt, appeal: appealOf(a) })
    if (a.status !== 'pending' && (!was || was.status === 'pending')) {
      notifications.push({ ...base, id: `appeal-decided:${a.id}`, kind: 'appeal_decided', audience: 'agent', createdAt: a.decidedAt ?? atIso, appeal: appealOf(a) })
      resolved.push(filedNotificationId(a.id))
    }
  }
  return { notifications, resolved }
}

/** Whether an appeal_filed notification is past its decision limit (shown overdue). */
export function notificationOverdue(n: Pick<Notification, 'kind' | 'appeal'>, nowMs: number): boolean {
  return n.kind === 'appeal_filed' && n.appeal?.status === 'pending' && nowMs > Date.parse(n.appeal.dueAt)
}

export function encodeNotificationEvent(event: NotificationEvent): string {
  return JSON.stringify({ v: 1, ...event })
}

/** Null for a message that is not one of ours (another program on the channel). */
export function decodeNotificationEvent(text: string): NotificationEvent | null {
  try {
    const parsed = JSON.parse(text) as { v?: number } & NotificationEvent
    if (parsed.v !== 1) return null
    const { v: _v, ...event } = parsed
    if (event.type === 'notification' && typeof event.notification?.id === 'string') return event
    if ((event.type === 'resolved' || event.type === 'read') && Array.isArray(event.ids)) return event
    return null
  } catch {
    return null
  }
}

/** The part of a Redis client a publisher needs (ioredis fits). */
export interface PublishingClient {
  publish(channel: string, message: string): Promise<unknown>
}

/** Publishes notification events on `channel`, one message each (they are few: one change's). */
export function channelPublisher(client: PublishingClient, channel: string): (events: NotificationEvent[]) => Promise<void> {
  return async (events) => {
    await Promise.all(events.map((e) => client.publish(channel, encodeNotificationEvent(e))))
  }
}
