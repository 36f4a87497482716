/** Replays a candidate rulebook over the calls stored since an instant, page by page. */
import type { Rulebook } from '@callqa/engine'
import type { ReportStore } from '@callqa/store'
import { ReplayTally, replayCall, type ReplaySummary } from '../replay.js'
import type { ReviewedReport } from '../review.js'

export interface ReplayProgress {
  done: number
}

export async function replayStoredCalls(
  store: ReportStore,
  candidate: Rulebook,
  query: { fromMs: number; toMs: number; teamIds?: readonly string[] },
  onProgress: (progress: ReplayProgress) => void | Promise<void> = () => undefined,
): Promise<ReplaySummary> {
  const tally = new ReplayTally()
  let cursor: string | undefined
  let done = 0
  for (;;) {
    const page = await store.searchReports({ fromMs: query.fromMs, toMs: query.toMs, limit: 200, ...(query.teamIds ? { teamIds: query.teamIds } : {}), ...(cursor ? { cursor } : {}) })
    for (const summary of page.items) {
      const stored = (await store.getReport(summary.callId)) as ReviewedReport | null
      if (!stored) continue
      tally.add(stored, replayCall(candidate, stored))
      done++
      // Yield now and then: a replay shares the process with other jobs.
      if (done % 50 === 0) await new Promise((r) => setImmediate(r))
    }
    await onProgress({ done })
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return tally.summary()
}
