/**
 * The process-level policy of a gateway (and of `pnpm start`'s processes). Socket and request
 * handlers are total, so nothing a client sends should get here; when a bug still throws out of
 * a callback, one connection's mistake must not end every other call on the instance:
 * - an unhandled promise rejection is logged (with its stack) and the process goes on;
 * - an uncaught exception is logged with its stack and the process goes on, unless they come in
 *   a burst (more than `maxUncaughtPerMinute`): then state is likely broken and the process exits
 *   with code 70, for its supervisor (`pnpm start`, docker's restart policy) to start a fresh one.
 */
export interface ProcessGuardOptions {
  log: { error: (obj: object, msg: string) => void; fatal?: (obj: object, msg: string) => void }
  /** Who this process is, in every line. */
  name: string
  /** @defaultValue 10 */
  maxUncaughtPerMinute?: number
  /** @defaultValue process.exit */
  exit?: (code: number) => void
}

export const EXIT_TOO_MANY_UNCAUGHT = 70

export function guardProcess(options: ProcessGuardOptions): () => void {
  const max = options.maxUncaughtPerMinute ?? 10
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const recent: number[] = []
  const onRejection = (reason: unknown) => {
    options.log.error({ err: reason, process: options.name }, 'unhandled promise rejection (kept running)')
  }
  const onException = (err: Error, origin: string) => {
    const now = Date.now()
    recent.push(now)
    while (recent.length > 0 && recent[0]! < now - 60_000) recent.shift()
    const burst = recent.length > max
    ;(options.log.fatal ?? options.log.error)({ err, origin, process: options.name, inLastMinute: recent.length }, burst ? `uncaught exceptions: ${recent.length} in a minute, exiting for a restart` : 'uncaught exception (kept running)')
    if (burst) exit(EXIT_TOO_MANY_UNCAUGHT)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return () => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
  }
}
