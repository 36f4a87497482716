/**
 * Idle sweep: closes calls idle longer than `idleTimeoutMs` (cluster-wide, from the `live` ZSET)
 * as `abandoned`. Any instance may sweep; claims, the job id and the ended marker keep it to one
 * score job and one `ended` update per call.
 */
import type { Logger } from 'pino'
import type { CheckpointStore } from './checkpoint-store.js'
import type { ClaimResult, EventSink, LiveCall } from './types.js'

/** What the sweep needs from the registry. */
export interface SweepTarget {
  /** Forgets this instance's copies that are stale (no longer owned, or silent for `olderThanMs`). */
  dropStale(olderThanMs: number): void
  claim(callId: string): Promise<ClaimResult>
  /** Ends the call as abandoned (or queues an end already in its log); the outcome goes to `sink`. */
  endIdle(call: LiveCall, sink: EventSink): void
}

/** Calls one sweep looks at, at most. */
const SWEEP_BATCH = 500

/**
 * Returns the number of calls closed by this sweep. `scoreLagMs`: how much older than a call's last
 * event its activity score may be (liveRefreshMs, registry.ts); the sweep waits that much longer, so
 * it never closes a call silent for less than `idleTimeoutMs`.
 */
export async function sweepIdle(target: SweepTarget, store: CheckpointStore, log: Logger, idleTimeoutMs: number, scoreLagMs: number, nowMs: number): Promise<number> {
  target.dropStale(nowMs - 2 * idleTimeoutMs)
  const idle = await store.idleCalls(nowMs - idleTimeoutMs - scoreLagMs, SWEEP_BATCH)
  let closed = 0
  for (const callId of idle) {
    const found = await target.claim(callId)
    if (found === 'ended' || found === 'unknown') {
      await store.forget(callId)
      continue
    }
    if (found.ending) continue
    await new Promise<void>((resolve) => {
      target.endIdle(found, {
        ack: () => {},
        error: (e) => {
          log.warn({ callId, code: e.code, err: e.message }, 'idle close refused')
          resolve()
        },
        ended: () => resolve(),
      })
    })
    closed++
  }
  return closed
}
