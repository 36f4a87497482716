/**
 * The hot path: one utterance or end of a call this instance holds, synchronously. Feed the engine
 * monitor; put the checkpoint entry and the alerts into the current batch (flush-batch.ts); hand
 * the supervisor messages to this instance's sockets at once, and alerts to the other instances at
 * the end of the turn (the rest goes with the flush). The ack (or the coded error) goes to the sink
 * after the batch's flush (flush.ts) has the checkpoint in Redis.
 */
import type { Logger } from 'pino'
import { CallTooLongError, type FeedResult } from '@callqa/engine'
import { ErrorCodes, ProtocolError, type CallEnded, type Utterance } from '@callqa/protocol'
import type { GatewayConfig } from '../config.js'
import { GatewayErrorCodes } from '../errors.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { FanoutItem } from '../fanout/wire.js'
import type { Alerts } from './alerts.js'
import { logEntry } from './checkpoint-store.js'
import type { FlushScheduler } from './flush-batch.js'
import { callUpdateJson, fanoutItem, transcriptMessage } from './messages.js'
import type { EndSource, EventSink, HandleOutcome, LiveCall } from './types.js'

export interface HotPathOptions {
  flusher: FlushScheduler
  alerts: Alerts
  bus: FanoutBus
  config: Pick<GatewayConfig, 'maxCallTextChars' | 'liveUpdateIntervalMs'>
  log: Logger
  now: () => number
}

/** The answer to an event of a call that has ended (or is ending): a second end is harmless, an utterance is refused. */
export function refuseEnded(event: Utterance | CallEnded, sink: EventSink): HandleOutcome {
  if (event.type === 'call.ended') {
    // A second end (socket and webhook, or a retry) is expected and harmless: nothing to do.
    sink.ended?.(event.callId, 'queued')
    return 'duplicate'
  }
  sink.error(new ProtocolError(ErrorCodes.CALL_ENDED, `call ${event.callId} has ended; utterance seq ${event.seq} is not checked`, { callId: event.callId, seq: event.seq }))
  return 'refused'
}

export class HotPath {
  readonly #o: HotPathOptions

  constructor(options: HotPathOptions) {
    this.#o = options
  }

  feed(call: LiveCall, event: Utterance | CallEnded, sink: EventSink, receivedAtNs: bigint, source: EndSource): HandleOutcome {
    if (call.ending) return refuseEnded(event, sink)
    const { config, flusher } = this.#o
    const maxChars = config.maxCallTextChars
    if (event.type === 'utterance' && call.textChars + event.text.length > maxChars) {
      // The bound on what one call costs in memory, in Redis and per checkpoint, whatever it sends.
      sink.error({
        code: GatewayErrorCodes.CALL_TOO_LONG,
        message: `call ${call.callId} has sent ${call.textChars} characters of text; utterance seq ${event.seq} (${event.text.length} characters) would pass the limit of ${maxChars} (CALLQA_MAX_CALL_TEXT_CHARS) and is not checked: end the call`,
        callId: call.callId,
        seq: event.seq,
      })
      return 'refused'
    }
    let r: FeedResult
    try {
      r = call.monitor.feed(event)
    } catch (err) {
      return this.#engineError(call, event, sink, err as Error)
    }
    const now = this.#o.now()
    call.lastActivityMs = now
    const batch = flusher.current
    if (r.duplicate) {
      if (event.type === 'utterance') {
        batch.acks.push({ sink, callId: call.callId, seq: event.seq })
      } else {
        // The end is in the restored log but was never queued (the instance stopped in between): queue it now.
        call.ending = true
        batch.ends.push({ call, report: call.monitor.report(), source, sink })
      }
      flusher.schedule()
      return 'duplicate'
    }
    // Counted into the metrics once per flush (flush.ts): a labelled prom-client inc per event cost
    // more than the rest of this bookkeeping.
    if (event.type === 'utterance') {
      batch.utterances++
      call.textChars += event.text.length
    } else {
      batch.callEnds++
    }
    call.version++
    const pending = batch.checkpointOf(call)
    pending.log.push(logEntry(event, r.line?.text))
    if (r.findings.length > 0 || r.retracted.length > 0) {
      // Alerts and retractions go to every instance's supervisors now (here at once, elsewhere with
      // this turn's one PUBLISH), not with the checkpoint flush: the flush window only delays acks.
      const urgent: FanoutItem[] = []
      this.#o.alerts.raise(call, r.findings, now, receivedAtNs, pending, urgent)
      this.#o.alerts.retract(call, r.retracted, receivedAtNs, pending, urgent)
      this.#o.bus.publish(urgent)
    }
    const fanoutFrom = batch.fanout.length
    if (r.line && this.#o.bus.wantsTranscript(call.callId)) {
      batch.fanout.push(fanoutItem('transcript', call.started, call.complaintRisk, '', JSON.stringify(transcriptMessage(call.started, r.line))))
    }
    if (!r.ended && (r.findings.length > 0 || now - call.lastLiveUpdateMs >= config.liveUpdateIntervalMs)) {
      call.lastLiveUpdateMs = now
      pending.info = callUpdateJson('live', call.started, call.monitor, call.complaintRisk)
      batch.fanout.push(fanoutItem('call', call.started, call.complaintRisk, '', pending.info))
    }
    if (batch.fanout.length > fanoutFrom) this.#o.bus.deliverLocal(batch.fanout.slice(fanoutFrom))
    if (event.type === 'utterance') batch.acks.push({ sink, callId: call.callId, seq: event.seq })
    if (r.ended) {
      call.ending = true
      batch.ends.push({ call, report: call.monitor.report(), source, sink })
    }
    flusher.schedule()
    return 'accepted'
  }

  /** The idle sweep closes a silent call: as `abandoned` at its last offset, or with the end already in its log. */
  endIdle(call: LiveCall, sink: EventSink): void {
    if (call.monitor.ended) {
      call.ending = true
      this.#o.flusher.current.ends.push({ call, report: call.monitor.report(), source: 'idle', sink })
      this.#o.flusher.schedule()
    } else {
      this.feed(call, { type: 'call.ended', callId: call.callId, endMs: call.monitor.lastMs, disposition: 'abandoned' }, sink, process.hrtime.bigint(), 'idle')
    }
  }

  #engineError(call: LiveCall, event: Utterance | CallEnded, sink: EventSink, err: Error): HandleOutcome {
    if (err instanceof ProtocolError) {
      sink.error(err)
    } else if (err instanceof CallTooLongError) {
      sink.error({ code: GatewayErrorCodes.CALL_TOO_LONG, message: err.message, callId: call.callId, seq: err.seq })
    } else {
      this.#o.log.error({ callId: call.callId, err: err.message }, 'engine failed on an event')
      sink.error({
        code: ErrorCodes.INVALID_EVENT,
        message: `the engine could not check this ${event.type}: ${err.message}`,
        callId: call.callId,
        ...(event.type === 'utterance' ? { seq: event.seq } : {}),
      })
    }
    return 'refused'
  }
}
