/**
 * Rebuilding a call from its checkpoint: restore the snapshot, replay the log. The one copy of it,
 * used when a call moves here (claim) and when a supervisor reads a call held elsewhere.
 */
import { CallMonitor, type Rulebook } from '@callqa/engine'
import type { CallEnded, CallStarted, Utterance } from '@callqa/protocol'
import { decodeState } from './checkpoint-store.js'
import { isComplaintRisk } from './messages.js'

export interface RestoredCall {
  started: CallStarted
  monitor: CallMonitor
  /** Events applied: snapshot version + log length. */
  version: number
  snapVersion: number
  complaintRisk: boolean
  /** Characters of text the call holds (the lower bound of what it was sent). */
  textChars: number
}

export function restoreCall(rulebook: Rulebook, state: string, log: readonly string[]): RestoredCall {
  const stored = decodeState(state)
  const monitor = CallMonitor.restore(rulebook, stored.snap)
  let complaintRisk = stored.complaintRisk
  for (const entry of log) {
    const r = monitor.feed(JSON.parse(entry) as Utterance | CallEnded)
    if (r.findings.some(isComplaintRisk)) complaintRisk = true
  }
  let textChars = 0
  for (const line of monitor.transcript()) textChars += line.text.length
  return { started: stored.started, monitor, version: stored.version + log.length, snapVersion: stored.version, complaintRisk, textChars }
}
