/**
 * Pure builders of what the live path sends: supervisor messages (`call`, `transcript`) and fan-out
 * items. No state, no I/O: given the same call they return the same JSON.
 */
import type { CallMonitor, FeedResult } from '@callqa/engine'
import type { CallReport, CallStarted, CallUpdateMessage, Finding, TranscriptMessage } from '@callqa/protocol'
import type { FanoutItem } from '../fanout/wire.js'

/**
 * Whether a finding makes its call a complaint-risk call (complaint managers see those). The one
 * place the gateway decides it: the engine marks the routing signal on the finding (`againstAgent:
 * false`); findings of older engines (restored checkpoints) carry no flag and are read by rule.
 */
export function isComplaintRisk(finding: Pick<Finding, 'rule' | 'againstAgent'>): boolean {
  return finding.againstAgent === false || finding.rule === 'complaint_risk'
}

export function fanoutItem(kind: FanoutItem['kind'], started: CallStarted, complaintRisk: boolean, key: string, json: string): FanoutItem {
  return { kind, callId: started.callId, agentId: started.agentId, teamId: started.teamId, complaintRisk, key, json }
}

/** A `call` message of a call that started or is in progress, as JSON. */
export function callUpdateJson(state: 'started' | 'live', started: CallStarted, monitor: CallMonitor, complaintRisk: boolean): string {
  const message: CallUpdateMessage = {
    type: 'call',
    state,
    callId: started.callId,
    agentId: started.agentId,
    teamId: started.teamId,
    startedAt: started.at,
    metrics: monitor.live(),
    complaintRisk,
  }
  return JSON.stringify(message)
}

/** The `call` message of an ended call, with its score. */
export function callEndedMessage(started: CallStarted, monitor: CallMonitor, complaintRisk: boolean, report: CallReport): CallUpdateMessage {
  return {
    type: 'call',
    state: 'ended',
    callId: started.callId,
    agentId: started.agentId,
    teamId: started.teamId,
    startedAt: started.at,
    metrics: monitor.live(),
    complaintRisk: complaintRisk || report.metrics.complaintRisk,
    score: report.score,
    disposition: report.disposition,
    finalMetrics: report.metrics,
  }
}

type MonitorLine = NonNullable<FeedResult['line']>

export function transcriptMessage(started: CallStarted, line: MonitorLine): TranscriptMessage {
  return {
    type: 'transcript',
    callId: started.callId,
    teamId: started.teamId,
    seq: line.seq,
    speaker: line.speaker,
    text: line.text,
    startMs: line.startMs,
    endMs: line.endMs,
    final: line.final,
    findings: line.findings.map((f) => {
      const out: TranscriptMessage['findings'][number] = { id: f.id, rule: f.rule, severity: f.severity }
      if (f.span !== undefined) out.span = f.span
      if (f.phrase !== undefined) out.phrase = f.phrase
      return out
    }),
  }
}

export function transcriptMessages(started: CallStarted, monitor: CallMonitor): TranscriptMessage[] {
  return monitor.transcript().map((line) => transcriptMessage(started, line))
}
