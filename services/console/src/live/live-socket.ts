/**
 * The supervisor socket (`GET /v1/alerts`, authenticated by the session cookie) with reconnect and
 * catch-up. On every (re)connect it buffers live messages, fetches `/v1/alerts/recent?since=` from a
 * little before the newest alert it has seen, applies that, then the buffer: the store drops
 * duplicates by alertId, so the overlap costs nothing and nothing falls in the gap.
 */
import type { AlertMessage, CallUpdateMessage, SupervisorMessage } from '../protocol.js'
import type { AlertRetracted, LiveStore } from './live-store.js'

export type LinkState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'catching-up' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'unauthorized' }

export interface LiveSocketOptions {
  store: LiveStore
  onState: (state: LinkState) => void
  /** How far behind live alerts arrive (now − raisedAt), ms. */
  onLag?: (lagMs: number) => void
  /** Catch-up starts this long before the newest alert seen (clock skew between instances). @defaultValue 5000 */
  overlapMs?: number
  /** @defaultValue 500 */
  minBackoffMs?: number
  /** @defaultValue 15000 */
  maxBackoffMs?: number
  /** Page through catch-up this many alerts at a time. @defaultValue 1000 */
  catchUpLimit?: number
  /** On the first connect, show the alerts of this last stretch of time. @defaultValue 1800000 (30 min) */
  initialLookbackMs?: number
}

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}/v1/alerts`
}

export class LiveSocket {
  readonly #options: Required<LiveSocketOptions>
  #socket: WebSocket | undefined
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false
  /** Messages that arrive while catching up. */
  #buffer: SupervisorMessage[] | null = null
  #following: string | null = null
  /** Times the socket opened (tests and the banner read it). */
  connects = 0
  /** Alerts that came by catch-up rather than live. */
  caughtUp = 0

  constructor(options: LiveSocketOptions) {
    this.#options = { onLag: () => {}, overlapMs: 5000, initialLookbackMs: 1_800_000, minBackoffMs: 500, maxBackoffMs: 15_000, catchUpLimit: 1000, ...options }
  }

  start(): void {
    this.#closed = false
    this.#connect()
  }

  stop(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#socket?.close(1000, 'page closed')
    this.#socket = undefined
  }

  /** Drops the connection as a network failure would (tests; the "reconnect" button). */
  drop(): void {
    this.#socket?.close(4000, 'dropped by the page')
  }

  /** Follows one call's live transcript (re-sent after every reconnect). */
  follow(callId: string | null): void {
    if (this.#following && this.#following !== callId) this.#send({ type: 'unfollow', callId: this.#following })
    this.#following = callId
    if (callId) this.#send({ type: 'follow', callId })
  }

  #send(message: unknown): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message))
  }

  /** Skips the backoff wait. */
  reconnectNow(): void {
    if (this.#socket || this.#closed) return
    clearTimeout(this.#timer)
    this.#connect()
  }

  #connect(): void {
    this.#options.onState({ kind: 'connecting', attempt: this.#attempt })
    const socket = new WebSocket(socketUrl())
    this.#socket = socket
    this.#buffer = []
    socket.onopen = () => {
      this.connects++
      if (this.#following) this.#send({ type: 'follow', callId: this.#following })
      void this.#catchUp(socket)
    }
    socket.onmessage = (event) => {
      let message: SupervisorMessage
      try {
        message = JSON.parse(String(event.data)) as SupervisorMessage
      } catch {
        return
      }
      if (this.#buffer) {
        this.#buffer.push(message)
        return
      }
      this.#options.store.apply(message)
      if (message.type === 'alert') this.#options.onLag(Date.now() - (Date.parse(message.raisedAt) || Date.now()))
    }
    socket.onclose = (event) => {
      if (this.#socket !== socket) return
      this.#socket = undefined
      if (this.#closed) return
      this.#scheduleReconnect(event.code === 1013 ? 'behind: the server dropped a slow connection' : `closed (${event.code})`)
    }
    socket.onerror = () => {
      // onclose follows with the code.
    }
  }

  async #catchUp(socket: WebSocket): Promise<void> {
    const store = this.#options.store
    this.#options.onState({ kind: 'catching-up' })
    try {
      const get = async <T>(path: string): Promise<T | null> => {
        const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        if (res.status === 401) {
          this.#closed = true
          socket.close(1000, 'logged out')
          this.#options.onState({ kind: 'unauthorized' })
          return null
        }
        if (!res.ok) throw new Error(`${path.split('?')[0]} answered ${res.status}`)
        return (await res.json()) as T
      }
      // The live calls as they are now (tiles), then the alerts since a little before the newest seen.
      const live = await get<{ calls: CallUpdateMessage[] }>('/v1/live/calls')
      if (!live) return
      store.replaceLiveCalls(live.calls)
      let since = String(
        store.lastAlertAtMs > 0 ? store.lastAlertAtMs - this.#options.overlapMs : Date.now() - this.#options.initialLookbackMs,
      )
      for (let page = 0; page < 100; page++) {
        const body = await get<{ alerts: AlertMessage[]; retracted?: AlertRetracted[]; cursor: string | null }>(
          `/v1/alerts/recent?since=${encodeURIComponent(since)}&limit=${this.#options.catchUpLimit}`,
        )
        if (!body) return
        for (const alert of body.alerts) {
          if (!store.hasAlert(alert.alertId)) this.caughtUp++
          store.apply({ ...alert, type: 'alert' })
        }
        // Withdrawn while this console was away: the catch-up leaves them out and names them.
        for (const r of body.retracted ?? []) store.apply(r)
        if (body.alerts.length < this.#options.catchUpLimit || !body.cursor) break
        since = body.cursor
      }
    } catch (err) {
      if (this.#socket === socket) socket.close(4001, `catch-up failed: ${(err as Error).message}`)
      return
    }
    if (this.#socket !== socket) return
    const buffered = this.#buffer ?? []
    this.#buffer = null
    store.applyMany(buffered)
    this.#attempt = 0
    this.#options.onState({ kind: 'live' })
  }

  #scheduleReconnect(reason: string): void {
    this.#attempt++
    const base = Math.min(this.#options.maxBackoffMs, this.#options.minBackoffMs * 2 ** (this.#attempt - 1))
    const inMs = Math.round(base / 2 + (Math.random() * base) / 2)
    this.#options.onState({ kind: 'reconnecting', attempt: this.#attempt, inMs, reason })
    this.#timer = setTimeout(() => this.#connect(), inMs)
  }
}
