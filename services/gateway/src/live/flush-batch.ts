/**
 * Flush batching: what the events of one short window leave to do (checkpoints, acks, remote
 * fan-out, call ends), gathered so that one Redis round trip serves every call of the window.
 */
import type { AlertMessage, AlertRetractedMessage, CallReport } from '@callqa/protocol'
import type { FanoutItem } from '../fanout/wire.js'
import type { EndSource, EventSink, LiveCall } from './types.js'

/** One call's share of a flush. */
export interface PendingCheckpoint {
  call: LiveCall
  /** Events (JSON) fed since the last flush. */
  log: string[]
  alerts: AlertMessage[]
  alertJson: string[]
  /** Alerts the engine withdrew in this window (their webhooks go out after the raised ones). */
  retractions: AlertRetractedMessage[]
  /** The call's latest `call` message ('' = unchanged). */
  info: string
}

export interface PendingEnd {
  call: LiveCall
  report: CallReport
  source: EndSource
  sink: EventSink
}

export interface PendingAck {
  sink: EventSink
  callId: string
  seq: number
}

export class Batch {
  readonly checkpoints = new Map<string, PendingCheckpoint>()
  readonly acks: PendingAck[] = []
  /** Supervisor messages already delivered locally, for the other instances. */
  readonly fanout: FanoutItem[] = []
  readonly ends: PendingEnd[] = []
  /** Events accepted into this batch, for the metrics (counted once per flush). */
  utterances = 0
  callEnds = 0

  /** The call's share of this batch, created on first use. */
  checkpointOf(call: LiveCall): PendingCheckpoint {
    let pending = this.checkpoints.get(call.callId)
    if (!pending) {
      pending = { call, log: [], alerts: [], alertJson: [], retractions: [], info: '' }
      this.checkpoints.set(call.callId, pending)
    }
    return pending
  }
}

/**
 * Collects events into the current batch and runs `flush` on it once per window. A short window
 * gathers many calls' checkpoints into one round trip (fewer syscalls and Lua calls per utterance);
 * alerts do not wait for it, only acknowledgements do.
 */
export class FlushScheduler {
  #batch = new Batch()
  #scheduled = false
  readonly #inflight = new Set<Promise<void>>()
  readonly #windowMs: number
  readonly #flush: (batch: Batch) => Promise<void>
  readonly #onError: (err: Error) => void

  constructor(options: { windowMs: number; flush: (batch: Batch) => Promise<void>; onError: (err: Error) => void }) {
    this.#windowMs = options.windowMs
    this.#flush = options.flush
    this.#onError = options.onError
  }

  /** The batch events are added to now; call `schedule()` after adding. */
  get current(): Batch {
    return this.#batch
  }

  schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setTimeout(() => {
      this.#scheduled = false
      const batch = this.#batch
      this.#batch = new Batch()
      const p = this.#flush(batch).catch(this.#onError)
      this.#inflight.add(p)
      void p.finally(() => this.#inflight.delete(p))
    }, this.#windowMs)
  }

  /** Resolves when every batch so far has been flushed. */
  async settled(): Promise<void> {
    while (this.#scheduled || this.#inflight.size > 0) {
      if (this.#scheduled) await new Promise((r) => setTimeout(r, this.#windowMs + 1))
      await Promise.all([...this.#inflight])
    }
  }
}
