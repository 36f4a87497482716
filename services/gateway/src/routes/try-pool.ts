/**
 * Worker threads for the rulebook try-box, so a large paste never delays ingest acks or alerts on
 * the gateway's event loop. A fixed number of workers; tries beyond them wait in a bounded queue
 * (past it: 503 CQ_ERR_UNAVAILABLE with Retry-After); a try running past its timeout has its
 * worker terminated (and replaced) and is answered 503.
 */
import { Worker } from 'node:worker_threads'
import { GatewayError, GatewayErrorCodes } from '../errors.js'

export interface TryPoolOptions {
  /** Rulebook YAML for the workers; '' for the engine's default. */
  rulebookPath: string
  workers: number
  maxQueued: number
  timeoutMs: number
}

interface Task {
  id: number
  text: string
  resolve: (json: string) => void
  reject: (err: Error) => void
}

interface Slot {
  ready: boolean
  worker: Worker
  task: Task | undefined
  timer: NodeJS.Timeout | undefined
}

/** Compiled (dist/, production) or TypeScript through tsx (development, tests). */
const COMPILED = !import.meta.url.endsWith('.ts')
const WORKER_URL = new URL(COMPILED ? './try-worker.js' : './try-worker.ts', import.meta.url)

function spawnWorker(rulebookPath: string): Worker {
  if (COMPILED) return new Worker(WORKER_URL, { workerData: { rulebookPath } })
  // Under tsx a worker thread registers tsx's loader itself (Node 20 does not carry `--import`
  // loaders into workers) before importing the .ts worker.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`
  return new Worker(boot, { eval: true, workerData: { rulebookPath } })
}

export class TryPool {
  readonly #o: TryPoolOptions
  readonly #slots: Slot[] = []
  readonly #queue: Task[] = []
  #nextId = 0
  #closed = false
  /** Workers that died before they were ready, in a row (a broken rulebook file): past 3, none are started again. */
  #startFailures = 0

  constructor(options: TryPoolOptions) {
    this.#o = options
    for (let i = 0; i < options.workers; i++) this.#slots.push(this.#newSlot())
  }

  #newSlot(): Slot {
    const slot: Slot = { ready: false, worker: spawnWorker(this.#o.rulebookPath), task: undefined, timer: undefined }
    slot.worker.on('message', (m: { ready?: boolean; id?: number; json?: string; error?: { code: string; statusCode: number; message: string } }) => {
      if (m.ready) {
        slot.ready = true
        this.#startFailures = 0
        this.#pump()
        return
      }
      if (m.id === undefined || slot.task?.id !== m.id) return
      const task = slot.task
      this.#finish(slot)
      if (m.json !== undefined) task.resolve(m.json)
      else task.reject(new GatewayError(m.error!.code as GatewayError['code'], m.error!.statusCode, m.error!.message))
    })
    slot.worker.on('error', (err) => this.#replace(slot, new GatewayError(GatewayErrorCodes.INTERNAL, 500, `the try worker failed: ${err.message}`)))
    slot.worker.on('exit', () => {
      if (!this.#closed && this.#slots.includes(slot)) this.#replace(slot, new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, 'the try worker stopped: retry'))
    })
    slot.worker.unref()
    return slot
  }

  #finish(slot: Slot): void {
    clearTimeout(slot.timer)
    slot.task = undefined
    slot.timer = undefined
    this.#pump()
  }

  #replace(slot: Slot, error: Error): void {
    const task = slot.task
    clearTimeout(slot.timer)
    const i = this.#slots.indexOf(slot)
    if (i >= 0) this.#slots.splice(i, 1)
    void slot.worker.terminate()
    task?.reject(error)
    if (!slot.ready) this.#startFailures++
    if (!this.#closed && this.#startFailures <= 3) {
      this.#slots.push(this.#newSlot())
      this.#pump()
    }
  }

  #pump(): void {
    for (const slot of this.#slots) {
      // Only a loaded worker takes a try, so the timeout measures the check, not the engine's load.
      if (!slot.ready || slot.task || this.#queue.length === 0) continue
      const task = this.#queue.shift()!
      slot.task = task
      slot.timer = setTimeout(() => this.#replace(slot, new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, `the check took longer than ${this.#o.timeoutMs} ms and was stopped: check a shorter transcript`)), this.#o.timeoutMs)
      slot.worker.postMessage({ id: task.id, text: task.text, nowIso: new Date().toISOString() })
    }
  }

  /** The serialized answer of one try. @throws GatewayError 503 when the pool is full or the try timed out; the worker's coded error otherwise */
  run(text: string): Promise<string> {
    if (this.#closed) return Promise.reject(new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, 'the gateway is shutting down'))
    if (this.#slots.length === 0) return Promise.reject(new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, 'the rulebook checker could not start (see the gateway log): retry later'))
    // One try per worker plus maxQueued waiting, whether or not the workers have finished loading.
    const inFlight = this.#slots.filter((s) => s.task).length + this.#queue.length
    if (inFlight >= this.#slots.length + this.#o.maxQueued) {
      return Promise.reject(new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, `the rulebook checker is busy (${this.#queue.length} tries waiting): retry in a few seconds`))
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, text, resolve, reject })
      this.#pump()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const task of this.#queue.splice(0)) task.reject(new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, 'the gateway is shutting down'))
    await Promise.all(this.#slots.map((s) => (clearTimeout(s.timer), s.worker.terminate())))
  }
}
