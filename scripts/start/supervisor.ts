/**
 * A small process supervisor (used by `pnpm start`, reusable by benchmarks): runs N gateway
 * processes sharing one port through node:cluster (Node 20 has no reusePort) and any other
 * processes (the score workers) with child_process.fork; restarts whichever dies, with a growing
 * back-off, and says so on stderr (which process, exit code or signal, restart count); stops them
 * all on `stop()` within a deadline, killing what does not exit in time.
 */
import cluster, { type Worker } from 'node:cluster'
import { fork, type ChildProcess } from 'node:child_process'

/** Exit code of a process that cannot run with its settings (sysexits EX_CONFIG): restarting would not help. */
export const EXIT_CONFIG = 78

export interface ProcessSpec {
  /** Shown in messages: `gateway`, `score workers`. */
  name: string
  /** The module to run (a .ts file: children inherit tsx from this process's execArgv). */
  entry: string
  /** How many copies. @defaultValue 1 */
  count?: number
  /** Run under node:cluster so the copies share their listening port. @defaultValue false */
  shareListeningPort?: boolean
  /** Extra environment (on top of this process's). */
  env?: Record<string, string>
}

export interface SupervisorOptions {
  /** First restart delay, doubled per restart in a row, at most maxBackoffMs. @defaultValue 500 */
  backoffMs?: number
  /** @defaultValue 30000 */
  maxBackoffMs?: number
  /** A child up this long has its restart count reset. @defaultValue 30000 */
  stableAfterMs?: number
  /** Where messages go. @defaultValue stderr */
  say?: (line: string) => void
}

interface Slot {
  spec: ProcessSpec
  index: number
  label: string
  child: { pid: number | undefined; kill: (signal: NodeJS.Signals) => void } | undefined
  startedAt: number
  restarts: number
  exited: Promise<void>
}

export interface Supervised {
  /** pids of the running processes, by label (`gateway 1`, `score workers`). */
  pids(): Map<string, number>
  /** Resolves when every child has started (its first start). */
  ready: Promise<void>
  /** SIGTERM to every child; SIGKILL to those still running after `deadlineMs`. Resolves when all are gone. */
  stop(deadlineMs?: number): Promise<void>
}

export function supervise(specs: ProcessSpec[], options: SupervisorOptions = {}): Supervised {
  const backoffMs = options.backoffMs ?? 500
  const maxBackoffMs = options.maxBackoffMs ?? 30_000
  const stableAfterMs = options.stableAfterMs ?? 30_000
  const say = options.say ?? ((line: string) => console.error(line))
  const slots: Slot[] = []
  let stopping = false
  const listening = new Set<Slot>()
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  const checkReady = () => {
    if (slots.every((s) => !s.spec.shareListeningPort || listening.has(s))) markReady()
  }

  function launch(slot: Slot): void {
    const env = { ...process.env, ...slot.spec.env, CALLQA_PROCESS: slot.label }
    let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => {}
    if (slot.spec.shareListeningPort) {
      cluster.setupPrimary({ exec: slot.spec.entry, args: [], silent: false })
      const worker: Worker = cluster.fork(env)
      slot.child = { pid: worker.process.pid, kill: (signal) => worker.process.kill(signal) }
      worker.on('exit', (code, signal) => onExit(code, signal as NodeJS.Signals | null))
      worker.on('error', () => {})
      worker.once('listening', () => {
        listening.add(slot)
        checkReady()
      })
    } else {
      const child: ChildProcess = fork(slot.spec.entry, [], { env, stdio: 'inherit' })
      slot.child = { pid: child.pid, kill: (signal) => child.kill(signal) }
      child.on('exit', (code, signal) => onExit(code, signal))
      child.on('error', (err) => say(`callqa: ${slot.label}: ${err.message}`))
    }
    slot.startedAt = Date.now()
    if (slot.restarts > 0) say(`callqa: ${slot.label} restarted (pid ${slot.child?.pid})`)
    slot.exited = new Promise((resolve) => {
      onExit = (code, signal) => {
        slot.child = undefined
        resolve()
        if (stopping) return
        if (code === EXIT_CONFIG) {
          say(`callqa: ${slot.label} exited with code ${code} (a configuration error, see above): not restarting it`)
          return
        }
        if (Date.now() - slot.startedAt >= stableAfterMs) slot.restarts = 0
        slot.restarts++
        const delayMs = Math.min(maxBackoffMs, backoffMs * 2 ** (slot.restarts - 1))
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
        say(`callqa: ${slot.label} ${how}; restarting it in ${(delayMs / 1000).toFixed(1)} s (restart ${slot.restarts})`)
        setTimeout(() => {
          if (!stopping) launch(slot)
        }, delayMs).unref()
      }
    })
  }

  for (const spec of specs) {
    const count = spec.count ?? 1
    for (let index = 0; index < count; index++) {
      const slot: Slot = { spec, index, label: count > 1 ? `${spec.name} ${index + 1}` : spec.name, child: undefined, startedAt: 0, restarts: 0, exited: Promise.resolve() }
      slots.push(slot)
      launch(slot)
    }
  }

  checkReady()
  return {
    ready,
    pids() {
      const out = new Map<string, number>()
      for (const slot of slots) if (slot.child?.pid !== undefined) out.set(slot.label, slot.child.pid)
      return out
    },
    async stop(deadlineMs = 8000) {
      stopping = true
      const running = slots.filter((s) => s.child)
      for (const slot of running) slot.child?.kill('SIGTERM')
      const timer = setTimeout(() => {
        for (const slot of running) {
          if (slot.child) {
            say(`callqa: ${slot.label} did not stop within ${deadlineMs / 1000} s: killing it`)
            slot.child.kill('SIGKILL')
          }
        }
      }, deadlineMs)
      await Promise.all(running.map((s) => s.exited))
      clearTimeout(timer)
    },
  }
}
