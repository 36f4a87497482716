/** The shapes the live-call modules share: where an event's outcome goes, and one live call in memory. */
import type { CallMonitor } from '@callqa/engine'
import type { CallStarted } from '@callqa/protocol'

/** Where the outcome of an event goes: an ingest socket, an ASR socket or a webhook request. */
export interface EventSink {
  ack(callId: string, seq: number): void
  error(error: { code: string; message: string; callId?: string; seq?: number }): void
  /** The call's end was handled: `queued` (score job added by this event) or `failed`. */
  ended?(callId: string, outcome: 'queued' | 'failed'): void
}

/** What ended a call (a metrics label). */
export type EndSource = 'socket' | 'webhook' | 'idle'

/**
 * What `CallRegistry.handle()` did with one event. The acknowledgement (or a coded error, when the
 * checkpoint cannot be written) still arrives through the sink after the flush.
 * - `started`: a new call, created in Redis and held here;
 * - `already-started`: a repeated call.started (nothing changed);
 * - `accepted`: fed to the engine, queued for the next checkpoint flush;
 * - `duplicate`: already applied (a resend); acknowledged again after the flush;
 * - `refused`: a coded error went to the sink; nothing was applied.
 */
export type HandleOutcome = 'started' | 'already-started' | 'accepted' | 'duplicate' | 'refused'

/** One live call this instance holds in memory. */
export interface LiveCall {
  readonly callId: string
  readonly started: CallStarted
  monitor: CallMonitor
  /** Events applied since the call started (snapshot version + log length in Redis). */
  version: number
  /** `version` of the last snapshot written. */
  snapVersion: number
  /** False once another instance took the call over; then this copy must not be used. */
  owned: boolean
  /** Characters of utterance text accepted so far (partials included), against `maxCallTextChars`. */
  textChars: number
  lastActivityMs: number
  /** When its key TTLs and live-index score were last refreshed (0: at its next flush). */
  lastRefreshMs: number
  complaintRisk: boolean
  lastLiveUpdateMs: number
  ending: boolean
}

/** How a claim of a call ended: the call (now owned here), or why there is none. */
export type ClaimResult = LiveCall | 'ended' | 'unknown'
