/**
 * The calls this instance holds in memory, by id, with the `callqa_live_calls` gauge kept in step.
 * The one table the live modules share: the cold path adds to it, the flush and the call end take
 * calls out of it, the registry reads it.
 */
import type { Gauge } from 'prom-client'
import type { LiveCall } from './types.js'

export class LiveCalls {
  readonly #calls = new Map<string, LiveCall>()
  readonly #gauge: Gauge

  constructor(gauge: Gauge) {
    this.#gauge = gauge
  }

  get size(): number {
    return this.#calls.size
  }

  get(callId: string): LiveCall | undefined {
    return this.#calls.get(callId)
  }

  /** Whether this instance holds the call live: owned, and its end not yet under way. */
  isLive(callId: string): boolean {
    const call = this.#calls.get(callId)
    return call !== undefined && call.owned && !call.ending
  }

  add(call: LiveCall): void {
    this.#calls.set(call.callId, call)
    this.#gauge.set(this.#calls.size)
  }

  /** Retires the call from memory; a holder of the object sees `owned: false` and must not use it. */
  drop(callId: string): void {
    const call = this.#calls.get(callId)
    if (!call) return
    call.owned = false
    this.#calls.delete(callId)
    this.#gauge.set(this.#calls.size)
  }

  /** Drops copies no longer owned, or silent since before `olderThanMs`. */
  dropStale(olderThanMs: number): void {
    for (const [callId, call] of this.#calls) if (!call.owned || call.lastActivityMs < olderThanMs) this.drop(callId)
  }
}
