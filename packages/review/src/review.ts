/**
 * Review (质检复核) and appeals (申诉) of a stored report, as pure transitions: each takes the
 * current report and returns the next one (or null when nothing changes), its score, deductions
 * and metrics recomputed from the rulebook. The review state (decisions, added findings, appeals,
 * history) travels inside the report body as `review`, so one row lock makes a transition atomic
 * with its KPI delta (packages/store reviseReport).
 */
import type { Rulebook } from '@callqa/engine'
import { canSee, type CallReport, type Deduction, type Finding, type Principal, type Role, type RuleId, RULE_IDS, ruleLabel } from '@callqa/protocol'
import { ReviewError, ReviewErrorCodes } from './errors.js'
import { addWorkingDays, type WorkingCalendar } from './working-days.js'

/** Why a reviewer dismissed a finding (the handbook's list; `other` needs a note). */
export const DISMISS_REASONS = ['asr_error', 'innocent_use', 'rule_not_applicable', 'other'] as const
export type DismissReason = (typeof DISMISS_REASONS)[number]
/** A finding dismissed because its appeal was overturned (not offered to reviewers). */
export const APPEAL_OVERTURNED = 'appeal_overturned'
export type DecisionReason = DismissReason | typeof APPEAL_OVERTURNED

export const DISMISS_REASON_ZH: Record<DecisionReason, string> = {
  asr_error: '误识别',
  innocent_use: '无辜用法',
  rule_not_applicable: '规则不适用',
  other: '其他',
  appeal_overturned: '申诉成立',
}

/** Rule names shown to people: the one catalogue in @callqa/protocol (labels.ts). */
export const RULE_ZH: Record<RuleId, string> = Object.fromEntries(RULE_IDS.map((rule) => [rule, ruleLabel(rule)])) as Record<RuleId, string>

export type FindingStatus = 'pending' | 'confirmed' | 'dismissed'
export type FindingOrigin = 'engine' | 'manual'

export interface FindingDecision {
  status: 'confirmed' | 'dismissed'
  reason?: DecisionReason
  note?: string
  by: string
  at: string
}

export type ReviewAction =
  | { type: 'confirm'; findingId: string; note?: string }
  | { type: 'dismiss'; findingId: string; reason: DismissReason; note?: string }
  | { type: 'add'; rule: RuleId; seq: number; note: string; phrase?: string }

export type HistoryAction = 'confirm' | 'dismiss' | 'add' | 'appeal' | 'appeal_upheld' | 'appeal_overturned'

/** One change of a report's review: who, when, what, why, and the score it moved. */
export interface ReviewEvent {
  at: string
  by: string
  role: Role
  action: HistoryAction
  findingId: string
  rule: RuleId
  reason?: DecisionReason
  note?: string
  scoreBefore: number
  scoreAfter: number
}

export type AppealStatus = 'pending' | 'upheld' | 'overturned'
export type AppealRoute = 'outbound_manager' | 'complaint_manager'

export interface Appeal {
  /** `${callId}/${findingId}`: one appeal per deduction. */
  id: string
  findingId: string
  rule: RuleId
  agentId: string
  reason: string
  filedAt: string
  /** Decision due by (filedAt + the decision limit in working days); past it a pending appeal is overdue. */
  dueAt: string
  routedTo: AppealRoute
  status: AppealStatus
  decidedAt?: string
  decidedBy?: string
  reply?: string
}

export interface ReviewState {
  /** The engine's findings as first scored (kept so a dismissal can be undone). */
  engineFindings: Finding[]
  /** The engine's deductions as first scored (their reasons are reused when a finding counts again). */
  engineDeductions: Deduction[]
  decisions: Record<string, FindingDecision>
  /** Findings the engine missed, added by reviewers. */
  added: Finding[]
  appeals: Appeal[]
  history: ReviewEvent[]
}

export type ReviewedReport = CallReport & { review?: ReviewState }

export interface Actor {
  principal: Principal
  /** ISO 8601 instant of the action (the caller's clock: this module has none). */
  at: string
}

export const MAX_NOTE_CHARS = 500

function invalid(message: string): never {
  throw new ReviewError(ReviewErrorCodes.INVALID_REVIEW, message)
}

function checkNote(note: string | undefined, required: boolean, what: string): string | undefined {
  if (note === undefined || note.trim() === '') {
    if (required) invalid(`${what} needs a note`)
    return undefined
  }
  if ([...note].length > MAX_NOTE_CHARS) invalid(`note is ${[...note].length} characters, more than ${MAX_NOTE_CHARS}`)
  return note.trim()
}

/** 话务班长 review any team, 外呼管理员 their own teams. */
export function canReview(principal: Principal, report: Pick<CallReport, 'agentId' | 'teamId'>): boolean {
  if (principal.role === 'shift_lead') return true
  if (principal.role === 'outbound_manager') return principal.teams?.includes(report.teamId) ?? false
  return false
}

export function stateOf(report: ReviewedReport): ReviewState {
  return report.review ?? { engineFindings: report.findings, engineDeductions: report.deductions, decisions: {}, added: [], appeals: [], history: [] }
}

export function isManualFinding(findingId: string): boolean {
  return findingId.includes(':manual:')
}

export function findingStatus(state: ReviewState, findingId: string): FindingStatus {
  return state.decisions[findingId]?.status ?? 'pending'
}

function compareFindings(a: Finding, b: Finding): number {
  return (a.atMs ?? 0) - (b.atMs ?? 0) || (a.seq ?? -1) - (b.seq ?? -1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Every finding of the review (engine and added), dismissed ones included. */
export function allFindings(state: ReviewState): Finding[] {
  return [...state.engineFindings, ...state.added].sort(compareFindings)
}

/** The findings that count: engine and added ones not dismissed. */
export function countedFindings(state: ReviewState): Finding[] {
  return allFindings(state).filter((f) => findingStatus(state, f.id) !== 'dismissed')
}

function reasonOf(f: Finding, previous: readonly Deduction[]): string {
  const known = previous.find((d) => d.findingId === f.id)
  if (known) return known.reason
  const where = f.seq !== undefined ? ` (第${f.seq}句)` : ''
  return `${RULE_ZH[f.rule]}${f.phrase ? `「${f.phrase}」` : ''}${where} · 人工补充`
}

/**
 * The report scored with these findings: the engine's scoring (per finding the rule's weight,
 * capped by its maxPoints per call; strengths kept; score clamped 0..100) and the metrics that
 * follow from findings (complaint risk, interruptions, slow responses, greeted, closed).
 * @callqa/engine has no "score these findings" function, so this is it, on the rulebook's weights.
 */
export function scoreWithFindings(rulebook: Rulebook, report: CallReport, findings: readonly Finding[], previousDeductions: readonly Deduction[] = report.deductions): CallReport {
  const sorted = [...findings].sort(compareFindings)
  const deductions: Deduction[] = []
  const lostByRule = new Map<RuleId, number>()
  for (const f of sorted) {
    const rule = rulebook.rules[f.rule]
    if (!rule || rule.weight <= 0) continue
    const lost = lostByRule.get(f.rule) ?? 0
    const points = rule.maxPoints !== undefined ? Math.min(rule.weight, Math.max(0, rule.maxPoints - lost)) : rule.weight
    if (points <= 0) continue
    lostByRule.set(f.rule, lost + points)
    deductions.push({ rule: f.rule, findingId: f.id, points, reason: reasonOf(f, previousDeductions) })
  }
  const lost = deductions.reduce((n, d) => n + d.points, 0)
  const won = report.strengths.reduce((n, x) => n + x.points, 0)
  const score = Math.max(0, Math.min(100, Math.round(rulebook.score.base - lost + won)))
  const has = (rule: RuleId) => sorted.some((f) => f.rule === rule)
  const had = (rule: RuleId) => report.findings.some((f) => f.rule === rule)
  // A counted "no greeting" means ungreeted; one dismissed means the agent did greet (misheard); else as measured.
  const flag = (rule: RuleId, measured: boolean) => (has(rule) ? false : had(rule) ? true : measured)
  return {
    ...report,
    findings: sorted,
    deductions,
    score,
    metrics: {
      ...report.metrics,
      complaintRisk: has('complaint_risk'),
      interruptions: sorted.filter((f) => f.rule === 'interruption').length,
      slowResponses: sorted.filter((f) => f.rule === 'slow_response').length,
      greeted: flag('missing_greeting', report.metrics.greeted),
      closed: flag('missing_closing', report.metrics.closed),
    },
  }
}

/** The next report with this review state: findings, deductions, score and metrics recomputed. */
function withState(rulebook: Rulebook, report: ReviewedReport, state: ReviewState, originalDeductions: readonly Deduction[]): ReviewedReport {
  return { ...scoreWithFindings(rulebook, report, countedFindings(state), originalDeductions), review: state }
}

/** Deductions as the engine wrote them plus those of earlier reviews (reasons are kept stable). */
function knownDeductions(report: ReviewedReport): Deduction[] {
  return [...stateOf(report).engineDeductions, ...report.deductions]
}

/**
 * Applies one review action. null when it changes nothing (the same decision again: a repeated
 * request is a no-op, so it cannot move KPIs twice).
 */
export function applyReview(rulebook: Rulebook, report: ReviewedReport, action: ReviewAction, actor: Actor): ReviewedReport | null {
  if (!canReview(actor.principal, report)) {
    throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `${actor.principal.username} (${actor.principal.role}) may not review calls of team ${report.teamId}`)
  }
  const state = stateOf(report)
  const before = report.score
  const event = (e: Omit<ReviewEvent, 'at' | 'by' | 'role' | 'scoreBefore' | 'scoreAfter'>): ReviewEvent => ({
    at: actor.at,
    by: actor.principal.username,
    role: actor.principal.role,
    ...e,
    scoreBefore: before,
    scoreAfter: before,
  })
  let next: ReviewState
  let added: ReviewEvent
  if (action.type === 'add') {
    if (!(RULE_IDS as readonly string[]).includes(action.rule)) invalid(`rule must be one of ${RULE_IDS.join(', ')}, got ${JSON.stringify(action.rule)}`)
    const line = report.transcript.find((l) => l.seq === action.seq)
    if (!line) invalid(`call ${report.callId} has no utterance ${action.seq}`)
    const note = checkNote(action.note, true, 'an added finding')!
    const id = `${report.callId}:manual:${action.rule}:${action.seq}`
    if (allFindings(state).some((f) => f.id === id)) {
      if (findingStatus(state, id) !== 'dismissed') return null
      invalid(`finding ${id} was added and then dismissed; confirm it instead of adding it again`)
    }
    const finding: Finding = { id, rule: action.rule, severity: rulebook.rules[action.rule]?.severity ?? 'major', seq: line.seq, text: line.text, atMs: line.startMs }
    if (action.phrase !== undefined) {
      const phrase = action.phrase.trim()
      if (phrase === '' || [...phrase].length > 100) invalid('phrase must be 1 to 100 characters')
      finding.phrase = phrase
      const at = line.text.indexOf(phrase)
      if (at >= 0) finding.span = [at, at + phrase.length]
    }
    next = { ...state, added: [...state.added, finding], decisions: { ...state.decisions, [id]: { status: 'confirmed', note, by: actor.principal.username, at: actor.at } } }
    added = event({ action: 'add', findingId: id, rule: action.rule, note })
  } else {
    const finding = allFindings(state).find((f) => f.id === action.findingId)
    if (!finding) invalid(`call ${report.callId} has no finding ${JSON.stringify(action.findingId)}`)
    const current = state.decisions[finding.id]
    if (action.type === 'confirm') {
      const note = checkNote(action.note, false, 'a confirmation')
      if (current?.status === 'confirmed') return null
      const decision: FindingDecision = { status: 'confirmed', by: actor.principal.username, at: actor.at, ...(note ? { note } : {}) }
      next = { ...state, decisions: { ...state.decisions, [finding.id]: decision } }
      added = event({ action: 'confirm', findingId: finding.id, rule: finding.rule, ...(note ? { note } : {}) })
    } else {
      if (!(DISMISS_REASONS as readonly string[]).includes(action.reason)) invalid(`reason must be one of ${DISMISS_REASONS.join(', ')}, got ${JSON.stringify(action.reason)}`)
      const note = checkNote(action.note, action.reason === 'other', 'a dismissal with reason "other"')
      if (current?.status === 'dismissed' && current.reason === action.reason && current.note === note) return null
      const decision: FindingDecision = { status: 'dismissed', reason: action.reason, by: actor.principal.username, at: actor.at, ...(note ? { note } : {}) }
      next = { ...state, decisions: { ...state.decisions, [finding.id]: decision } }
      added = event({ action: 'dismiss', findingId: finding.id, rule: finding.rule, reason: action.reason, ...(note ? { note } : {}) })
    }
  }
  return finish(rulebook, report, next, added)
}

function finish(rulebook: Rulebook, report: ReviewedReport, state: ReviewState, event: ReviewEvent): ReviewedReport {
  const scored = withState(rulebook, report, state, knownDeductions(report))
  const done = { ...event, scoreAfter: scored.score }
  return { ...scored, review: { ...state, history: [...state.history, done] } }
}

export interface AppealSettings {
  /** Working days after the call an agent may appeal. @defaultValue 3 */
  windowWorkingDays: number
  /** Working days the manager has to decide before the appeal shows as overdue. @defaultValue 2 */
  decisionWorkingDays: number
  calendar: WorkingCalendar
}

export const DEFAULT_APPEAL_SETTINGS: AppealSettings = {
  windowWorkingDays: 3,
  decisionWorkingDays: 2,
  calendar: { timeZone: 'Asia/Shanghai' },
}

export const MAX_APPEAL_REASON_CHARS = 500

/** Instant the appeal window of a call closes. */
export function appealDeadlineMs(report: CallReport, settings: AppealSettings): number {
  const endedMs = report.endedAt ? Date.parse(report.endedAt) : Date.parse(report.startedAt) + report.endMs
  return addWorkingDays(endedMs, settings.windowWorkingDays, settings.calendar)
}

export function appealRouteOf(report: CallReport): AppealRoute {
  return report.metrics.complaintRisk ? 'complaint_manager' : 'outbound_manager'
}

/** Whether a principal decides this appeal: the team's 外呼管理员, or 投诉管理员 for complaint-risk calls. */
export function canDecideAppeal(principal: Principal, report: CallReport, appeal: Appeal): boolean {
  if (appeal.routedTo === 'complaint_manager') return principal.role === 'complaint_manager'
  return principal.role === 'outbound_manager' && (principal.teams?.includes(report.teamId) ?? false)
}

export function isOverdue(appeal: Appeal, nowMs: number): boolean {
  return appeal.status === 'pending' && nowMs > Date.parse(appeal.dueAt)
}

/** An agent appeals one of their own deductions, within the window. */
export function fileAppeal(report: ReviewedReport, input: { findingId: string; reason: string }, actor: Actor, settings: AppealSettings = DEFAULT_APPEAL_SETTINGS): ReviewedReport {
  const p = actor.principal
  if (p.role !== 'agent' || p.agentId !== report.agentId || !canSee(p, report)) {
    throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `only agent ${report.agentId} may appeal the deductions of call ${report.callId}`)
  }
  const state = stateOf(report)
  const deduction = report.deductions.find((d) => d.findingId === input.findingId)
  if (!deduction) invalid(`call ${report.callId} has no deduction for finding ${JSON.stringify(input.findingId)}`)
  const reason = input.reason?.trim() ?? ''
  if (reason === '' || [...reason].length > MAX_APPEAL_REASON_CHARS) invalid(`reason must be 1 to ${MAX_APPEAL_REASON_CHARS} characters`)
  const nowMs = Date.parse(actor.at)
  const deadlineMs = appealDeadlineMs(report, settings)
  if (nowMs > deadlineMs) {
    throw new ReviewError(ReviewErrorCodes.APPEAL_WINDOW_CLOSED, `the appeal window of call ${report.callId} closed at ${new Date(deadlineMs).toISOString()} (${settings.windowWorkingDays} working days)`)
  }
  const id = `${report.callId}/${input.findingId}`
  if (state.appeals.some((a) => a.id === id)) throw new ReviewError(ReviewErrorCodes.APPEAL_STATE, `finding ${input.findingId} is already appealed`)
  const appeal: Appeal = {
    id,
    findingId: input.findingId,
    rule: deduction.rule,
    agentId: report.agentId,
    reason,
    filedAt: actor.at,
    dueAt: new Date(addWorkingDays(nowMs, settings.decisionWorkingDays, settings.calendar)).toISOString(),
    routedTo: appealRouteOf(report),
    status: 'pending',
  }
  const event: ReviewEvent = { at: actor.at, by: p.username, role: p.role, action: 'appeal', findingId: input.findingId, rule: deduction.rule, note: reason, scoreBefore: report.score, scoreAfter: report.score }
  const next = { ...state, appeals: [...state.appeals, appeal], history: [...state.history, event] }
  return { ...report, review: next }
}

/** The routed manager upholds (the deduction stays, confirmed) or overturns (dismissed, score back) with a reply. */
export function decideAppeal(
  rulebook: Rulebook,
  report: ReviewedReport,
  input: { appealId: string; outcome: 'upheld' | 'overturned'; reply: string },
  actor: Actor,
): ReviewedReport | null {
  const state = stateOf(report)
  const appeal = state.appeals.find((a) => a.id === input.appealId)
  if (!appeal) throw new ReviewError(ReviewErrorCodes.UNKNOWN_APPEAL, `no appeal ${JSON.stringify(input.appealId)}`)
  if (!canDecideAppeal(actor.principal, report, appeal)) {
    throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `appeal ${appeal.id} is for the ${appeal.routedTo === 'complaint_manager' ? '投诉管理员' : `外呼管理员 of team ${report.teamId}`}`)
  }
  if (input.outcome !== 'upheld' && input.outcome !== 'overturned') invalid(`outcome must be upheld or overturned, got ${JSON.stringify(input.outcome)}`)
  const reply = checkNote(input.reply, true, 'an appeal decision')!
  if (appeal.status !== 'pending') {
    if (appeal.status === input.outcome && appeal.reply === reply) return null
    throw new ReviewError(ReviewErrorCodes.APPEAL_STATE, `appeal ${appeal.id} was already ${appeal.status}`)
  }
  const decided: Appeal = { ...appeal, status: input.outcome, decidedAt: actor.at, decidedBy: actor.principal.username, reply }
  const decision: FindingDecision =
    input.outcome === 'overturned'
      ? { status: 'dismissed', reason: APPEAL_OVERTURNED, note: reply, by: actor.principal.username, at: actor.at }
      : { status: 'confirmed', note: reply, by: actor.principal.username, at: actor.at }
  const next: ReviewState = {
    ...state,
    appeals: state.appeals.map((a) => (a.id === appeal.id ? decided : a)),
    decisions: { ...state.decisions, [appeal.findingId]: decision },
  }
  const event: ReviewEvent = {
    at: actor.at,
    by: actor.principal.username,
    role: actor.principal.role,
    action: input.outcome === 'overturned' ? 'appeal_overturned' : 'appeal_upheld',
    findingId: appeal.findingId,
    rule: appeal.rule,
    ...(input.outcome === 'overturned' ? { reason: APPEAL_OVERTURNED } : {}),
    note: reply,
    scoreBefore: report.score,
    scoreAfter: report.score,
  }
  return finish(rulebook, report, next, event)
}
