/**
 * Group commit for score jobs: the worker runs many jobs at once (BullMQ concurrency); each job's
 * report joins the next batch, and a batch is written in one statement (`ReportStore.saveReports`,
 * exactly once per callId). A batch leaves as soon as a slot is free, so a lone call waits for
 * nothing and a busy worker writes large batches: the batch size follows the load.
 *
 * Input: reports from `add()` (with the notifications to write with each). Output: each one's
 * `SaveResult`, or the error of its own write.
 */
import type { CallReport } from '@callqa/protocol'
import type { NotificationRow, SaveResult } from '@callqa/store'

export interface ScoreBatcherOptions {
  /** Most reports in one statement. @defaultValue 100 */
  maxBatch?: number
  /** Batches written at once (each holds a connection; batches queue on the same team-day rollup rows). @defaultValue 2 */
  maxInFlight?: number
}

export interface BatchWriter {
  saveReports(reports: readonly CallReport[], notifications?: ReadonlyArray<readonly NotificationRow[]>): Promise<SaveResult[]>
  saveReport(report: CallReport, notifications?: readonly NotificationRow[]): Promise<SaveResult>
}

interface Pending {
  report: CallReport
  notifications: readonly NotificationRow[]
  resolve: (result: SaveResult) => void
  reject: (err: unknown) => void
}

export class ScoreBatcher {
  readonly #writer: BatchWriter
  readonly #maxBatch: number
  readonly #maxInFlight: number
  #pending: Pending[] = []
  #inFlight = 0
  #scheduled = false

  constructor(writer: BatchWriter, options: ScoreBatcherOptions = {}) {
    this.#writer = writer
    this.#maxBatch = options.maxBatch ?? 100
    this.#maxInFlight = options.maxInFlight ?? 2
    if (!(this.#maxBatch >= 1) || !(this.#maxInFlight >= 1)) throw new RangeError('maxBatch and maxInFlight must be at least 1')
  }

  /** Resolves when the report's batch has committed (or it was found already counted). */
  add(report: CallReport, notifications: readonly NotificationRow[] = []): Promise<SaveResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ report, notifications, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#pending.length === 0) return
    this.#scheduled = true
    // One turn of the event loop: jobs that arrived together leave together.
    setImmediate(() => {
      this.#scheduled = false
      while (this.#inFlight < this.#maxInFlight && this.#pending.length > 0) {
        void this.#flush(this.#pending.splice(0, this.#maxBatch))
      }
    })
  }

  async #flush(batch: Pending[]): Promise<void> {
    this.#inFlight++
    try {
      let results: SaveResult[] | null = null
      try {
        results = await this.#writer.saveReports(batch.map((p) => p.report), batch.map((p) => p.notifications))
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err)
      }
      if (results) {
        batch.forEach((p, i) => p.resolve(results[i]!))
      } else if (batch.length > 1) {
        // One bad report must not fail the others: write them one by one, each job gets its own outcome.
        await Promise.all(batch.map((p) => this.#writer.saveReport(p.report, p.notifications).then(p.resolve, p.reject)))
      }
    } finally {
      this.#inFlight--
      this.#schedule()
    }
  }
}
