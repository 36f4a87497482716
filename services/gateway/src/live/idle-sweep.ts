/**
 * Idle sweep: closes calls idle longer than `idleTimeoutMs` (cluster-wide, from the `live` ZSET)
 * as `abandoned`. Any instance may sweep; claims, the job id and the ended marker keep it to one
 * score job and one `ended` update per call.
 */
import type { Logger } from 'pino'
import type { Arrivals } from './arrival.js'
import type { CheckpointStore } from './checkpoint-store.js'
import type { HotPath } from './feed.js'
import type { LiveCalls } from './live-calls.js'

export interface SweepOptions {
  calls: LiveCalls
  arrivals: Arrivals
  hotPath: HotPath
  store: CheckpointStore
  log: Logger
  idleTimeoutMs: number
  /**
   * How much older than a call's last event its activity score may be (liveRefreshMs, flush.ts):
   * the sweep waits that much longer, so it never closes a call silent for less than `idleTimeoutMs`.
   */
  scoreLagMs: number
}

/** Calls one sweep looks at, at most. */
const SWEEP_BATCH = 500

/** Returns the number of calls closed by this sweep. */
export async function sweepIdle(o: SweepOptions, nowMs: number): Promise<number> {
  const { store, log } = o
  // Copies silent for twice the timeout are stale here (another instance swept or took them).
  o.calls.dropStale(nowMs - 2 * o.idleTimeoutMs)
  const idle = await store.idleCalls(nowMs - o.idleTimeoutMs - o.scoreLagMs, SWEEP_BATCH)
  let closed = 0
  for (const callId of idle) {
    const found = await o.arrivals.claim(callId)
    if (found === 'ended' || found === 'unknown') {
      await store.forget(callId)
      continue
    }
    if (found.ending) continue
    await new Promise<void>((resolve) => {
      o.hotPath.endIdle(found, {
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
