/**
 * How a workers' process stops on SIGINT/SIGTERM: close the workers (stop taking jobs, let the
 * ones in flight finish, quit the connections), but exit after SHUTDOWN_DEADLINE_MS whatever is
 * still waiting: a close blocks for as long as Redis or PostgreSQL does not answer, and the
 * unfinished jobs are run again by another worker (they are idempotent). The same signal again
 * exits at once; another one does not (Ctrl-C reaches every process of `pnpm start` as SIGINT and
 * its supervisor then sends SIGTERM: that is one stop, not an impatient user).
 */

/** `docker stop` waits 10 s before SIGKILL and `pnpm start` 8 s: finish before either. */
export const SHUTDOWN_DEADLINE_MS = 7000

export interface ShutdownOptions {
  /** Told why the process exits with 1 (the close failed or ran past the deadline). */
  onError: (message: string, err?: unknown) => void
  /** @defaultValue SHUTDOWN_DEADLINE_MS */
  deadlineMs?: number
}

export function closeOnSignals(workers: { close(): Promise<void> }, options: ShutdownOptions): void {
  const deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS
  let stoppingOn: NodeJS.Signals | undefined
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stoppingOn === signal) {
        options.onError(`second ${signal}: exiting now`)
        process.exit(1)
      }
      if (stoppingOn) return
      stoppingOn = signal
      setTimeout(() => {
        options.onError(`shutdown did not finish within ${deadlineMs} ms (Redis or PostgreSQL not answering?): exiting`)
        process.exit(1)
      }, deadlineMs).unref()
      workers.close().then(
        () => process.exit(0),
        (err: unknown) => {
          options.onError('shutdown failed', err)
          process.exit(1)
        },
      )
    })
  }
}
