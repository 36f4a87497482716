/**
 * Offline checking: the same CallMonitor run over a whole transcript (events of one or more calls, in
 * file order). Events are grouped by callId; each call needs its call.started before its other events.
 * A call whose call.ended never comes is ended as `abandoned` at its last offset (what the live gateway
 * does to a silent call) and named in `warnings`.
 */
import { ErrorCodes, ProtocolError, type CallEvent, type CallReport } from '@callqa/protocol'
import { CallTooLongError } from './errors.js'
import { CallMonitor } from './monitor/call-monitor.js'
import type { Rulebook } from './rulebook/types.js'

export interface CheckTranscriptOptions {
  /** 1-based source line of each event (same order as `events`), so errors can name it. */
  lines?: readonly number[]
}

export interface CheckTranscriptResult {
  /** One report per call, in the order the calls started. */
  reports: CallReport[]
  /** Events that could not be checked (unknown call, repeated call.started, utterance after call.ended). */
  errors: ProtocolError[]
  /** Things worth telling the user that are not errors (a call without call.ended). */
  warnings: string[]
}

export function checkTranscript(rulebook: Rulebook, events: readonly CallEvent[], options: CheckTranscriptOptions = {}): CheckTranscriptResult {
  const monitors = new Map<string, CallMonitor>()
  const errors: ProtocolError[] = []
  const warnings: string[] = []
  const fail = (i: number, error: ProtocolError) => {
    const line = options.lines?.[i]
    if (line !== undefined) {
      error.line = line
      error.message = `line ${line}: ${error.message}`
    }
    errors.push(error)
  }
  events.forEach((event, i) => {
    const seq = event.type === 'utterance' ? event.seq : undefined
    if (event.type === 'call.started') {
      if (monitors.has(event.callId)) {
        fail(i, new ProtocolError(ErrorCodes.INVALID_EVENT, `call.started for call ${event.callId} repeated; the first one is kept`, { field: 'callId', callId: event.callId }))
        return
      }
      monitors.set(event.callId, new CallMonitor(rulebook, event))
      return
    }
    const monitor = monitors.get(event.callId)
    if (!monitor) {
      fail(i, new ProtocolError(ErrorCodes.UNKNOWN_CALL, `${event.type} for call ${event.callId}, which has no call.started before it`, { field: 'callId', callId: event.callId, ...(seq !== undefined ? { seq } : {}) }))
      return
    }
    try {
      monitor.feed(event)
    } catch (err) {
      if (err instanceof ProtocolError) fail(i, err)
      else if (err instanceof CallTooLongError) fail(i, new ProtocolError(ErrorCodes.INVALID_EVENT, `${err.code}: ${err.message}`, { field: 'seq', callId: err.callId, seq: err.seq }))
      else throw err
    }
  })
  const reports: CallReport[] = []
  for (const monitor of monitors.values()) {
    if (!monitor.ended) {
      warnings.push(`call ${monitor.callId} has no call.ended; checked as abandoned at ${monitor.lastMs} ms`)
      monitor.feed({ type: 'call.ended', callId: monitor.callId, endMs: monitor.lastMs, disposition: 'abandoned' })
    }
    reports.push(monitor.report())
  }
  return { reports, errors, warnings }
}
