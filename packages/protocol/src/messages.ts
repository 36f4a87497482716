import type { Disposition } from './events.js'
import type { CallMetrics, Finding, RuleId, Severity } from './report.js'

/** Sent to an ingest client for every accepted utterance (again for a resend). */
export interface AckMessage {
  type: 'ack'
  callId: string
  seq: number
}

/**
 * Sent instead of `ack` messages to an ingest client that connected with `?acks=batch`: every
 * utterance accepted in one checkpoint flush, in one frame (seqs per callId, in acceptance order).
 * One frame per flush instead of one per utterance: at 10,000 calls the per-frame writes were about
 * a fifth of the gateway's busy time.
 */
export interface AckBatchMessage {
  type: 'acks'
  acks: Record<string, number[]>
}

/** Pushed to supervisors as soon as a finding is decidable. */
export interface AlertMessage {
  type: 'alert'
  /** Stable across instances and resends: `${callId}:${finding.id}`. */
  alertId: string
  callId: string
  agentId: string
  teamId: string
  rule: RuleId
  severity: Severity
  seq?: number
  phrase?: string
  text?: string
  span?: [number, number]
  /** Every matched stretch of `text` (see Finding.spans). */
  spans?: { start: number; end: number }[]
  act?: Finding['act']
  /** False for a routing signal that is not the agent's violation (complaint_risk). */
  againstAgent?: boolean
  direction?: 'fast' | 'slow'
  cpm?: number
  atMs: number
  /** Wall clock when the gateway raised it, ISO 8601. */
  raisedAt: string
  /** Set once a supervisor acknowledges it. */
  acknowledgedBy?: string
  acknowledgedAt?: string
}

/** Live metrics of a call, as the engine knows them now. */
export interface LiveCallMetrics {
  /** Rolling speaking rate over the last 30 s of agent speech (null while too little speech). */
  rollingCpm: number | null
  greeted: boolean | null
  findings: number
  worstSeverity: Severity | null
  lastMs: number
}

/** Call lifecycle and live metrics, pushed to supervisors. */
export interface CallUpdateMessage {
  type: 'call'
  state: 'started' | 'live' | 'ended'
  callId: string
  agentId: string
  teamId: string
  startedAt: string
  metrics: LiveCallMetrics
  /**
   * True once the call raised a complaint_risk alert: complaint managers see such calls (`canSee`).
   * Absent on messages of gateways older than this field (read as false).
   */
  complaintRisk?: boolean
  /** On `ended`. */
  score?: number
  disposition?: Disposition
  finalMetrics?: CallMetrics
}

/** A live transcript line pushed to supervisors following a call. */
export interface TranscriptMessage {
  type: 'transcript'
  callId: string
  teamId: string
  seq: number
  speaker: 'agent' | 'customer'
  text: string
  startMs: number
  endMs: number
  final: boolean
  findings: Pick<Finding, 'id' | 'rule' | 'severity' | 'span' | 'phrase' | 'spans' | 'act'>[]
}

/** An alert acknowledged by a supervisor, pushed to the others. */
export interface AlertAckMessage {
  type: 'alert.ack'
  alertId: string
  callId: string
  teamId: string
  acknowledgedBy: string
  acknowledgedAt: string
}

/**
 * An alert raised earlier (on an ASR partial) that the utterance's final refuted: supervisors remove or
 * grey it, outbound webhook subscribers get it, KPIs and reports never counted it. Sent before or with
 * the final's transcript line.
 */
export interface AlertRetractedMessage {
  type: 'alert.retracted'
  alertId: string
  callId: string
  /** Machine-readable why (e.g. `final_cleared`: the final utterance's words clear the partial's match). */
  reason: string
}

export type SupervisorMessage = AlertMessage | CallUpdateMessage | TranscriptMessage | AlertAckMessage | AlertRetractedMessage

/** The retraction message for a finding id the engine withdrew (alert ids are `${callId}:${findingId}`). */
export function retractionOf(callId: string, retracted: { findingId: string; reason: string }): AlertRetractedMessage {
  return { type: 'alert.retracted', alertId: `${callId}:${retracted.findingId}`, callId, reason: retracted.reason }
}

/** Builds the alert for a finding; the single place an engine finding becomes a supervisor alert. */
export function alertFromFinding(
  call: { callId: string; agentId: string; teamId: string },
  finding: Finding,
  raisedAt: string,
): AlertMessage {
  const alert: AlertMessage = {
    type: 'alert',
    alertId: `${call.callId}:${finding.id}`,
    callId: call.callId,
    agentId: call.agentId,
    teamId: call.teamId,
    rule: finding.rule,
    severity: finding.severity,
    atMs: finding.atMs ?? 0,
    raisedAt,
  }
  if (finding.seq !== undefined) alert.seq = finding.seq
  if (finding.phrase !== undefined) alert.phrase = finding.phrase
  if (finding.text !== undefined) alert.text = finding.text
  if (finding.span !== undefined) alert.span = finding.span
  if (finding.spans !== undefined) alert.spans = finding.spans
  if (finding.act !== undefined) alert.act = finding.act
  if (finding.againstAgent !== undefined) alert.againstAgent = finding.againstAgent
  if (finding.direction !== undefined) alert.direction = finding.direction
  if (finding.cpm !== undefined) alert.cpm = finding.cpm
  return alert
}
