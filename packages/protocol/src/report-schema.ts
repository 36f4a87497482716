import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { Id, MAX_UTTERANCE_CHARS } from './events.js'
import { FORBIDDEN_ACTS, RULE_IDS, SEVERITIES, type CallReport } from './report.js'
import { describeValue as describe, firstSchemaProblem, type SchemaError } from './schema-errors.js'
import { PROTOCOL_ERRORS } from './errors.js'

/**
 * Runtime check of a `CallReport` arriving as a job payload (the queue is an edge: Redis holds
 * plain text anyone with access could have written). The type is protocol's `CallReport`; the
 * assignability checks at the bottom keep this schema and that interface in step. Unknown extra
 * fields are tolerated (a newer engine may add some) and kept.
 */
const MAX_FINDINGS = 5000
const MAX_TRANSCRIPT_LINES = 20_000
const Ms = Type.Number({ minimum: 0, maximum: 86_400_000 })
const Count = Type.Integer({ minimum: 0 })
const Text = Type.String({ maxLength: MAX_UTTERANCE_CHARS })
const RuleId = Type.Enum(RULE_IDS)
const Severity = Type.Enum(SEVERITIES)
const Disposition = Type.Union([Type.Literal('success'), Type.Literal('failed'), Type.Literal('no_answer'), Type.Literal('abandoned')])
const IsoDateTime = Type.String({ format: 'date-time', maxLength: 40 })

const Finding = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 300 }),
  rule: RuleId,
  severity: Severity,
  seq: Type.Optional(Count),
  phrase: Type.Optional(Type.String({ maxLength: 200 })),
  text: Type.Optional(Text),
  span: Type.Optional(Type.Tuple([Count, Count])),
  spans: Type.Optional(Type.Array(Type.Object({ start: Count, end: Count }), { maxItems: 100 })),
  act: Type.Optional(Type.Enum(FORBIDDEN_ACTS)),
  againstAgent: Type.Optional(Type.Boolean()),
  reportOnly: Type.Optional(Type.Boolean()),
  atMs: Type.Optional(Ms),
  direction: Type.Optional(Type.Union([Type.Literal('fast'), Type.Literal('slow')])),
  cpm: Type.Optional(Type.Number({ minimum: 0 })),
  durationMs: Type.Optional(Ms),
})

export const CallReportSchema = Type.Object({
  callId: Id,
  agentId: Id,
  teamId: Id,
  direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
  startedAt: IsoDateTime,
  endedAt: Type.Optional(IsoDateTime),
  endMs: Ms,
  disposition: Disposition,
  score: Type.Number({ minimum: 0, maximum: 100 }),
  deductions: Type.Array(
    Type.Object({
      rule: RuleId,
      findingId: Type.Optional(Type.String({ maxLength: 300 })),
      points: Type.Number(),
      reason: Type.String({ maxLength: 1000 }),
    }),
    { maxItems: MAX_FINDINGS },
  ),
  strengths: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('politeness'), Type.Literal('greeting'), Type.Literal('closing'), Type.Literal('speaking_rate')]),
      points: Type.Number(),
      reason: Type.String({ maxLength: 1000 }),
    }),
    { maxItems: 100 },
  ),
  findings: Type.Array(Finding, { maxItems: MAX_FINDINGS }),
  metrics: Type.Object({
    agentCpm: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    agentSpeechMs: Ms,
    agentChars: Count,
    customerSpeechMs: Ms,
    utterances: Count,
    greeted: Type.Boolean(),
    closed: Type.Boolean(),
    closedBy: Type.Optional(Type.Union([Type.Literal('agent_farewell'), Type.Literal('customer_hung_up'), Type.Literal('customer_farewell')])),
    interruptions: Count,
    slowResponses: Count,
    complaintRisk: Type.Boolean(),
    politeness: Type.Object({ 您好: Count, 请: Count, 谢谢: Count, 对不起: Count, address: Count }),
  }),
  transcript: Type.Array(
    Type.Object({
      seq: Count,
      speaker: Type.Union([Type.Literal('agent'), Type.Literal('customer')]),
      text: Text,
      startMs: Ms,
      endMs: Ms,
    }),
    { maxItems: MAX_TRANSCRIPT_LINES },
  ),
  rulebook: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), version: Type.String({ minLength: 1, maxLength: 100 }) }),
})

// Compile-time: the schema's type and protocol's CallReport are the same shape.
type SchemaReport = Static<typeof CallReportSchema>
const _toProtocol = (r: SchemaReport): CallReport => r
const _fromProtocol = (r: CallReport): SchemaReport => r
void _toProtocol
void _fromProtocol

const validator = Compile(CallReportSchema)

/** A score job payload that is not a valid `{ report: CallReport }`: retrying cannot fix it. */
export class ReportPayloadError extends Error {
  readonly code = PROTOCOL_ERRORS.INVALID_REPORT.code
  readonly field: string | undefined
  constructor(message: string, field?: string) {
    super(message)
    this.name = 'ReportPayloadError'
    this.field = field
  }
}

/**
 * Validates a score job's data `{ report: CallReport }` and returns the report.
 * @throws ReportPayloadError naming the field, the value and what was expected.
 */
export function parseScoreJobData(data: unknown): CallReport {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ReportPayloadError(`score job data must be an object {report: CallReport}, got ${describe(data)}`)
  }
  const report = (data as { report?: unknown }).report
  if (report === undefined) throw new ReportPayloadError('score job data.report is required (a CallReport)', 'report')
  return parseCallReport(report)
}

/** Validates one CallReport. @throws ReportPayloadError */
export function parseCallReport(value: unknown): CallReport {
  if (validator.Check(value)) {
    const report = value as CallReport
    if (Number.isNaN(Date.parse(report.startedAt))) {
      throw new ReportPayloadError(`report.startedAt must be an ISO 8601 date-time, got ${describe(report.startedAt)}`, 'startedAt')
    }
    return report
  }
  const problem = firstSchemaProblem(validator.Errors(value) as Iterable<SchemaError>, value, 'report')
  return fail(problem.message, problem.field)
}

function fail(message: string, field?: string): never {
  throw new ReportPayloadError(message, field)
}
