/** The case library on PostgreSQL (`cases`, kept beyond the report retention). */
import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { canSeeTeam, type Principal, type RuleId } from '@callqa/protocol'
import { ReportNotFoundError, type ReportStore } from '@callqa/store'
import { makeCase, type CaseCategory, type CaseInput, type CaseKind, type CaseRecord, type CaseSnapshot } from '../cases.js'
import { ReviewError, ReviewErrorCodes } from '../errors.js'

export interface CaseQuery {
  category?: CaseCategory
  kind?: CaseKind
  rule?: RuleId
  teamId?: string
  /** Text in the note or the transcript. */
  text?: string
  limit?: number
}

/** Who browses the library: reviewers and managers (an outbound manager their teams' cases). */
function canBrowse(principal: Principal): boolean {
  return principal.role !== 'agent'
}

export class CaseStore {
  constructor(readonly store: ReportStore) {}

  async markCase(callId: string, principal: Principal, input: CaseInput, options: { atMs: number }): Promise<CaseRecord> {
    const report = await this.store.getReport(callId)
    if (!report) throw new ReportNotFoundError(`no report for call ${callId}`)
    const record = makeCase(report, input, { principal, at: new Date(options.atMs).toISOString(), id: randomUUID() })
    await this.store.sql`
      INSERT INTO cases (case_id, call_id, kind, category, note, team_id, agent_id, rules, from_seq, to_seq, key_seqs, created_by, created_at, call_started_at, snapshot)
      VALUES (${record.id}, ${record.callId}, ${record.kind}, ${record.category}, ${record.note}, ${record.teamId}, ${record.agentId}, ${this.store.sql.array(record.rules)}::text[],
        ${record.fromSeq ?? null}, ${record.toSeq ?? null}, ${this.store.sql.array(record.keySeqs)}::int[], ${record.createdBy}, ${new Date(record.createdAt)},
        ${new Date(report.startedAt)}, ${this.store.sql.json(record.snapshot as unknown as postgres.JSONValue)})`
    return record
  }

  async getCase(caseId: string, principal: Principal): Promise<CaseRecord | null> {
    const rows = await this.store.sql<CaseRow[]>`SELECT * FROM cases WHERE case_id = ${caseId}`
    const row = rows[0]
    if (!row) return null
    const record = recordOf(row)
    this.#check(principal, record.teamId)
    return record
  }

  async searchCases(principal: Principal, query: CaseQuery): Promise<CaseRecord[]> {
    if (!canBrowse(principal)) throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `${principal.role} may not browse the case library`)
    const sql = this.store.sql
    const where: postgres.PendingQuery<postgres.Row[]>[] = []
    if (query.category) where.push(sql`category = ${query.category}`)
    if (query.kind) where.push(sql`kind = ${query.kind}`)
    if (query.rule) where.push(sql`rules @> ${sql.array([query.rule])}`)
    if (query.teamId) where.push(sql`team_id = ${query.teamId}`)
    if (principal.role === 'outbound_manager') where.push(sql`team_id = ANY(${sql.array(principal.teams ?? [])})`)
    if (query.text) {
      const like = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      where.push(sql`(note LIKE ${like} OR snapshot->>'transcript' LIKE ${like})`)
    }
    const condition = where.length ? where.reduce((a, b) => sql`${a} AND ${b}`) : sql`true`
    const rows = await sql<CaseRow[]>`SELECT * FROM cases WHERE ${condition} ORDER BY created_at DESC, case_id LIMIT ${Math.min(query.limit ?? 100, 500)}`
    return rows.map(recordOf)
  }

  #check(principal: Principal, teamId: string): void {
    if (!canBrowse(principal) || (principal.role === 'outbound_manager' && !canSeeTeam(principal, teamId))) {
      throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `${principal.username} may not see cases of team ${teamId}`)
    }
  }
}

interface CaseRow {
  case_id: string
  call_id: string
  kind: CaseKind
  category: CaseCategory
  note: string
  team_id: string
  agent_id: string
  rules: string[]
  from_seq: number | null
  to_seq: number | null
  key_seqs: number[]
  created_by: string
  created_at: Date
  snapshot: CaseSnapshot
}

function recordOf(r: CaseRow): CaseRecord {
  return {
    id: r.case_id,
    callId: r.call_id,
    kind: r.kind,
    category: r.category,
    note: r.note,
    teamId: r.team_id,
    agentId: r.agent_id,
    rules: r.rules as RuleId[],
    ...(r.from_seq !== null ? { fromSeq: r.from_seq } : {}),
    ...(r.to_seq !== null ? { toSeq: r.to_seq } : {}),
    keySeqs: r.key_seqs,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    snapshot: r.snapshot,
  }
}
