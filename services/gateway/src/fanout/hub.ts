/**
 * Local delivery to this instance's supervisor sockets. Every message reaches a socket through
 * here, whether raised on this instance or received from another one over Redis, so the filters
 * (access rules, `?teams=`, follows) and the once-per-alertId guarantee live in one place.
 */
import type { WebSocket } from 'ws'
import { canSee, watchesLiveCalls, type Principal } from '@callqa/protocol'
import type { FanoutItem } from './wire.js'
import { corkForWindow, uncorkNow } from '../cork.js'
import type { GatewayMetrics } from '../metrics.js'

/** Close code for a supervisor whose send buffer is full (RFC 6455 "Try Again Later"). */
export const CLOSE_TRY_AGAIN_LATER = 1013

export interface SupervisorClient {
  readonly ws: WebSocket
  readonly principal: Principal
  /** `?teams=` filter; null = every team the principal may see. */
  readonly teams: ReadonlySet<string> | null
  /** Calls whose live transcript this socket follows. */
  readonly follows: Set<string>
  /**
   * Calls whose history is being fetched: their live lines wait here so the history goes first
   * (see `holdTranscript` / `releaseTranscript`). Created on first use.
   */
  held?: Map<string, { seq: number; json: string }[]>
  closed: boolean
}

/** ws options of a Buffer that holds JSON text: a text frame, as a string would be. */
const TEXT_FRAME = { binary: false } as const

/** Live lines one socket may hold for one call while its history is fetched (a few ms; bounded anyway). */
const MAX_HELD_LINES = 1000

export interface HubOptions {
  /** Bytes a socket may have unsent before it is closed with 1013. */
  maxBufferBytes: number
  /** Alert ids remembered for the once-per-alert guarantee (a duplicate comes within seconds of the original). @defaultValue 50000 */
  seenAlertsMax?: number
  /** After a 1013 close, how long the peer gets to read the close frame before the socket is destroyed. @defaultValue 5000 */
  closeGraceMs?: number
  /** How long a supervisor socket's messages are gathered into one write (0: one write per event-loop turn). @defaultValue 0 */
  pushWindowMs?: number
  metrics: GatewayMetrics
}

export class SupervisorHub {
  readonly clients = new Set<SupervisorClient>()
  readonly #followers = new Map<string, Set<SupervisorClient>>()
  /** alertId -> true, insertion ordered so the oldest is dropped first. */
  readonly #seenAlerts = new Map<string, true>()
  readonly #options: Required<HubOptions>

  constructor(options: HubOptions) {
    this.#options = { seenAlertsMax: 50_000, closeGraceMs: 5000, pushWindowMs: 0, ...options }
  }

  add(client: SupervisorClient): void {
    this.clients.add(client)
    this.#options.metrics.supervisorSockets.set(this.clients.size)
  }

  remove(client: SupervisorClient): void {
    client.closed = true
    this.clients.delete(client)
    for (const callId of client.follows) this.unfollow(client, callId)
    this.#options.metrics.supervisorSockets.set(this.clients.size)
  }

  hasFollowers(callId: string): boolean {
    return this.#followers.has(callId)
  }

  /** Calls followed by at least one socket here. */
  followedCalls(): string[] {
    return [...this.#followers.keys()]
  }

  /** Called with each call newly followed here (the bus tells the other instances). */
  onFollow: ((callId: string) => void) | undefined

  follow(client: SupervisorClient, callId: string): void {
    if (!this.#followers.has(callId)) this.onFollow?.(callId)
    client.follows.add(callId)
    let set = this.#followers.get(callId)
    if (!set) this.#followers.set(callId, (set = new Set()))
    set.add(client)
  }

  /** From now on live lines of the call wait for `releaseTranscript` on this socket. */
  holdTranscript(client: SupervisorClient, callId: string): void {
    client.held ??= new Map()
    if (!client.held.has(callId)) client.held.set(callId, [])
  }

  /**
   * Sends the call's history (transcript messages in seq order, already serialized with their seq),
   * then the live lines held meanwhile. A history line whose seq came live meanwhile is left out:
   * the live one is newer, and the client gets each seq once from this hand-over.
   */
  releaseTranscript(client: SupervisorClient, callId: string, history: readonly { seq: number; json: string }[]): void {
    const held = client.held?.get(callId)
    if (!held) return
    client.held!.delete(callId)
    if (!client.follows.has(callId)) return
    const live = new Set(held.map((h) => h.seq))
    for (const line of history) if (!live.has(line.seq)) this.#send(client, line.json)
    for (const line of held) this.#send(client, line.json)
  }

  unfollow(client: SupervisorClient, callId: string): void {
    client.held?.delete(callId)
    client.follows.delete(callId)
    const set = this.#followers.get(callId)
    if (!set) return
    set.delete(client)
    if (set.size === 0) this.#followers.delete(callId)
  }

  /** Whether this alert id was delivered here before (and remembers it if not). */
  #firstSighting(alertId: string): boolean {
    if (this.#seenAlerts.has(alertId)) return false
    this.#seenAlerts.set(alertId, true)
    if (this.#seenAlerts.size > this.#options.seenAlertsMax) {
      const oldest = this.#seenAlerts.keys().next().value
      if (oldest !== undefined) this.#seenAlerts.delete(oldest)
    }
    return true
  }

  deliver(items: readonly FanoutItem[]): void {
    const now = process.hrtime.bigint()
    for (const item of items) {
      switch (item.kind) {
        case 'alert':
          if (!this.#firstSighting(item.key)) continue
          if (item.receivedAtNs !== undefined) {
            this.#options.metrics.ingestToAlert.observe(Number(now - item.receivedAtNs) / 1e9)
          }
          this.#broadcast(item, false)
          break
        case 'alert.ack':
        case 'alert.retracted':
          this.#broadcast(item, false)
          break
        case 'call':
          this.#broadcast(item, true)
          if (item.json.includes('"state":"ended"')) {
            const followers = this.#followers.get(item.callId)
            if (followers) for (const client of [...followers]) this.unfollow(client, item.callId)
          }
          break
        case 'transcript': {
          const followers = this.#followers.get(item.callId)
          if (!followers) break
          for (const client of followers) {
            if (!this.#visible(client, item)) continue
            const held = client.held?.get(item.callId)
            if (!held) this.#send(client, item.json)
            else if (held.length < MAX_HELD_LINES) held.push({ seq: transcriptSeq(item.json), json: item.json })
            else {
              // History is taking far too long: give up holding, live lines flow again.
              client.held!.delete(item.callId)
              for (const line of held) this.#send(client, line.json)
              this.#send(client, item.json)
            }
          }
          break
        }
        case 'handover':
        case 'follows':
          break
      }
    }
  }

  /** Sends one message to one socket (used for replies to its own requests). */
  sendTo(client: SupervisorClient, json: string): void {
    this.#send(client, json)
  }

  /**
   * Sends one message to every socket that may see it. Its UTF-8 is encoded once, on the first such
   * socket, and the same bytes go to all of them (ws frames a Buffer without copying it): a string
   * would be measured and encoded again for each socket.
   */
  #broadcast(item: FanoutItem, liveCallsOnly: boolean): void {
    let data: Buffer | undefined
    for (const client of this.clients) {
      if (liveCallsOnly && !watchesLiveCalls(client.principal)) continue
      if (!this.#visible(client, item)) continue
      data ??= Buffer.from(item.json)
      this.#send(client, data)
    }
  }

  #visible(client: SupervisorClient, item: FanoutItem): boolean {
    if (client.teams && !client.teams.has(item.teamId)) return false
    return canSee(client.principal, { agentId: item.agentId, teamId: item.teamId, complaintRisk: item.complaintRisk })
  }

  /** `message`: JSON text, as a string or already encoded as UTF-8 (always sent as a text frame). */
  #send(client: SupervisorClient, message: string | Buffer): void {
    if (client.closed) return
    // A slow supervisor must never slow ingestion or grow memory without bound: past the limit it
    // is closed and catches up with GET /v1/alerts/recent?since=.
    if (client.ws.bufferedAmount + message.length > this.#options.maxBufferBytes) {
      // Only what the peer has not read counts, not what this turn's cork holds back.
      uncorkNow(client.ws)
      if (client.ws.bufferedAmount + message.length > this.#options.maxBufferBytes) {
        this.overflow(client)
        return
      }
    }
    corkForWindow(client.ws, this.#options.pushWindowMs)
    if (typeof message === 'string') client.ws.send(message)
    else client.ws.send(message, TEXT_FRAME)
  }

  overflow(client: SupervisorClient): void {
    if (client.closed) return
    this.#options.metrics.supervisorOverflows.inc()
    this.remove(client)
    client.ws.close(CLOSE_TRY_AGAIN_LATER, 'send buffer full: catch up with GET /v1/alerts/recent?since=')
    const timer = setTimeout(() => client.ws.terminate(), this.#options.closeGraceMs)
    timer.unref()
    client.ws.once('close', () => clearTimeout(timer))
  }
}

/** The seq of a serialized transcript message (its JSON is ours: `"seq":<n>` appears once). */
function transcriptSeq(json: string): number {
  const m = /"seq":(\d+)/.exec(json)
  return m ? Number(m[1]) : -1
}
