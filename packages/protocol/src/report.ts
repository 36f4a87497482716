import type { Disposition, Speaker } from './events.js'

/** Rule ids of the default rulebook; a rulebook may only use these kinds of rule. */
export const RULE_IDS = [
  'forbidden_phrase',
  'missing_greeting',
  'missing_closing',
  'speaking_rate',
  'interruption',
  'slow_response',
  'complaint_risk',
  'internal_disclosure',
  'overpromise',
  'pointing_out_mistake',
  'scolding',
  'sarcasm',
] as const
export type RuleId = (typeof RULE_IDS)[number]

/** The speech acts of the handbook's 服务忌语 (chapter 8 (五)): what each forbidden phrase does to the customer. */
export const FORBIDDEN_ACTS = [
  'refusal',
  'professed_ignorance',
  'sending_elsewhere',
  'rushing',
  'comprehension_taunt',
  'repetition_reproach',
  'defiance',
  'brush_off',
] as const
export type ForbiddenAct = (typeof FORBIDDEN_ACTS)[number]

/**
 * Whether a finding counts against the agent (scores, KPIs, agent rankings). complaint_risk is the
 * customer's threat, a routing signal; findings of older engines carry no flag and are judged by rule.
 */
export function countsAgainstAgent(finding: Pick<Finding, 'rule' | 'againstAgent'>): boolean {
  return finding.againstAgent ?? finding.rule !== 'complaint_risk'
}

export const SEVERITIES = ['critical', 'major', 'warning', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Worst first: lower index is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

/**
 * One broken norm in one call. `id` is deterministic (callId, rule, seq, occurrence), so the same
 * occurrence seen twice (partial then final, or a resend) has the same id and is reported once.
 */
export interface Finding {
  id: string
  rule: RuleId
  severity: Severity
  /** The utterance the finding is about. */
  seq?: number
  /** Canonical phrase (forbidden_phrase, complaint_risk, internal_disclosure, overpromise). */
  phrase?: string
  /** The utterance text (personal data masked). */
  text?: string
  /** The words actually said that matched: `text.slice(span[0], span[1])` (the first of `spans`). */
  span?: [number, number]
  /**
   * Every stretch of the (masked) text this one finding matched, in text order: a phrase said in two
   * clauses, or a word said twice, is one finding (one deduction) with several spans.
   */
  spans?: { start: number; end: number }[]
  /** forbidden_phrase: the speech act the handbook forbids (see FORBIDDEN_ACTS). */
  act?: ForbiddenAct
  /**
   * False when the finding is not the agent's violation but a routing signal (complaint_risk: the
   * customer threatens to complain). Absent on findings of engines older than this field: read it
   * with `countsAgainstAgent`.
   */
  againstAgent?: boolean
  /** True for a finding decided for the after-call report only (the whole-call speaking rate): never a live alert. */
  reportOnly?: boolean
  /** Offset in the call, ms. */
  atMs?: number
  /** speaking_rate: fast or slow. */
  direction?: 'fast' | 'slow'
  /** speaking_rate: spoken characters per minute. */
  cpm?: number
  /** slow_response: how long the customer waited, ms. interruption: overlap, ms. */
  durationMs?: number
}

export interface Deduction {
  rule: RuleId
  findingId?: string
  points: number
  reason: string
}

export interface Strength {
  kind: 'politeness' | 'greeting' | 'closing' | 'speaking_rate'
  points: number
  reason: string
}

export interface PolitenessCounts {
  您好: number
  请: number
  谢谢: number
  对不起: number
  /** Forms of address: 先生, 女士, 小姐 … */
  address: number
}

/** Why a call needs no closing from the agent, or that the agent said it (see CallMetrics.closedBy). */
export type ClosedBy = 'agent_farewell' | 'customer_hung_up' | 'customer_farewell'

export interface CallMetrics {
  /** Agent spoken characters per minute over the whole call (null below the minimum speech). */
  agentCpm: number | null
  agentSpeechMs: number
  agentChars: number
  customerSpeechMs: number
  utterances: number
  greeted: boolean
  closed: boolean
  /**
   * How the call was closed: the agent's farewell, or (no missing_closing either) the customer hung up or
   * said goodbye right after the agent offered further help. Absent when nobody closed it.
   */
  closedBy?: ClosedBy
  interruptions: number
  slowResponses: number
  complaintRisk: boolean
  politeness: PolitenessCounts
}

export interface TranscriptLine {
  seq: number
  speaker: Speaker
  /** Personal data masked. */
  text: string
  startMs: number
  endMs: number
}

export interface RulebookRef {
  id: string
  version: string
}

/** The after-call report: what the offline checker prints and the workers store. */
export interface CallReport {
  callId: string
  agentId: string
  teamId: string
  direction: 'outbound' | 'inbound'
  /** Wall-clock start, ISO 8601. */
  startedAt: string
  /** Wall-clock end, ISO 8601, when known. */
  endedAt?: string
  endMs: number
  disposition: Disposition
  score: number
  deductions: Deduction[]
  strengths: Strength[]
  findings: Finding[]
  metrics: CallMetrics
  transcript: TranscriptLine[]
  rulebook: RulebookRef
}
