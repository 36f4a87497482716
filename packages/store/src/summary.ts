import type { CallReport, RuleId, RulebookRef } from '@callqa/protocol'

/** What search results list about a call (stored beside the report: no decompression to filter). */
export interface ReportSummary {
  callId: string
  agentId: string
  teamId: string
  direction: 'outbound' | 'inbound'
  startedAt: string
  endedAt?: string
  durationMs: number
  disposition: CallReport['disposition']
  score: number
  findings: number
  /** Distinct rules with findings. */
  rules: RuleId[]
  greeted: boolean
  closed: boolean
  complaintRisk: boolean
  rulebook: RulebookRef
  /** 1 when scored; each revision (review, appeal) adds one. */
  version?: number
}

export function summarizeReport(report: CallReport): ReportSummary {
  const summary: ReportSummary = {
    callId: report.callId,
    agentId: report.agentId,
    teamId: report.teamId,
    direction: report.direction,
    startedAt: report.startedAt,
    durationMs: report.endMs,
    disposition: report.disposition,
    score: report.score,
    findings: report.findings.length,
    rules: [...new Set(report.findings.map((f) => f.rule))].sort(),
    greeted: report.metrics.greeted,
    closed: report.metrics.closed,
    complaintRisk: report.metrics.complaintRisk,
    rulebook: report.rulebook,
  }
  if (report.endedAt !== undefined) summary.endedAt = report.endedAt
  return summary
}

export class CursorError extends Error {
  readonly code = 'CQ_ERR_BAD_CURSOR'
  constructor(cursor: string) {
    super(`cursor ${JSON.stringify(cursor.slice(0, 40))} is not a cursor this API returned: pass nextCursor unchanged`)
  }
}

export function encodeCursor(ms: number, callId: string): string {
  return Buffer.from(`${ms}\n${callId}`, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): { ms: number; callId: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const nl = text.indexOf('\n')
  const ms = Number(text.slice(0, nl))
  const callId = text.slice(nl + 1)
  if (nl <= 0 || !Number.isSafeInteger(ms) || callId.length === 0 || callId.length > 128) throw new CursorError(cursor)
  return { ms, callId }
}

export const DEFAULT_RETENTION_DAYS = 180
export const DEFAULT_KPI_RETENTION_DAYS = 400
/** Longest range one KPI read may cover. */
export const MAX_KPI_RANGE_DAYS = 1100

/** Where the store of record is when DATABASE_URL is not set (the local server, database `callqa`). */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/callqa'
