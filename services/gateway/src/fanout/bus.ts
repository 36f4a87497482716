/**
 * Redis pub/sub between gateway instances. Messages raised here go to local sockets at once and to
 * the other instances in one PUBLISH per flush (alerts: per turn); messages from the other instances
 * are delivered locally. An instance ignores its own batches (it delivered them already).
 *
 * Every instance says it is there every few seconds (an empty batch). One that has heard no other
 * instance for `peerTimeoutMs` publishes nothing but that: on a single gateway the fan-out was a
 * PUBLISH per flush that only came back to its own subscriber. A new instance announces itself as
 * it subscribes, before it listens, so the others publish again before its first supervisor
 * connects; it publishes from the start itself.
 */
import type { RedisConnection } from '@callqa/store'
import type { Logger } from 'pino'
import type { SupervisorHub } from './hub.js'
import { decodeBatch, encodeBatch, type FanoutItem } from './wire.js'

export interface FanoutBusOptions {
  /** Connection for PUBLISH (the app's command connection). On a cluster a PUBLISH reaches the subscribers of every node. */
  redis: RedisConnection
  /** A dedicated connection; it enters subscriber mode (on a cluster: on one node, which hears every PUBLISH). Quit by the caller. */
  subscriber: RedisConnection
  channel: string
  instanceId: string
  hub: SupervisorHub
  log: Logger
  /** Another instance took over a call this one may hold in memory. */
  onHandover: (callId: string, newOwner: string) => void
  /** How long without a batch from another instance before this one stops publishing (it is alone). */
  peerTimeoutMs: number
}

/** How often an instance repeats which calls its sockets follow. */
const FOLLOW_ANNOUNCE_MS = 10_000

export class FanoutBus {
  readonly #o: FanoutBusOptions
  #pending: FanoutItem[] = []
  #scheduled = false
  /** callId -> until when (ms epoch) another instance has a socket following it. */
  readonly #remoteFollows = new Map<string, number>()
  #announceTimer: NodeJS.Timeout | undefined
  #heartbeatTimer: NodeJS.Timeout | undefined
  /** When a batch from another instance last arrived (start: as if one had, so a new instance publishes until it knows). */
  #peerSeenAtMs = Date.now()

  constructor(options: FanoutBusOptions) {
    this.#o = options
    options.hub.onFollow = (callId) => this.#announce([callId])
  }

  /**
   * Whether anyone, here or on another instance, follows the call's live transcript. Transcripts are
   * only built and published for those: at 10,000 calls almost none are followed.
   */
  wantsTranscript(callId: string): boolean {
    if (this.#o.hub.hasFollowers(callId)) return true
    const until = this.#remoteFollows.get(callId)
    if (until === undefined) return false
    if (until > Date.now()) return true
    this.#remoteFollows.delete(callId)
    return false
  }

  #announce(callIds: string[]): void {
    if (callIds.length === 0 || !this.hasPeers()) return
    this.#pending.push({ kind: 'follows', callId: '-', agentId: '-', teamId: '-', complaintRisk: false, key: this.#o.instanceId, json: JSON.stringify(callIds) })
    this.#schedule()
  }

  close(): void {
    clearInterval(this.#announceTimer)
    clearInterval(this.#heartbeatTimer)
  }

  /** Whether another instance has been heard within `peerTimeoutMs`: if not, nobody would receive a PUBLISH. */
  hasPeers(): boolean {
    return Date.now() - this.#peerSeenAtMs <= this.#o.peerTimeoutMs
  }

  #heartbeat(): void {
    this.#o.redis.publish(this.#o.channel, encodeBatch(this.#o.instanceId, [])).catch((err: Error) => {
      this.#o.log.warn({ err: err.message }, 'fan-out heartbeat not published')
    })
  }

  async start(): Promise<void> {
    // Buffers, not strings: every instance hears its own batches back, and those are recognised by
    // their first line and dropped before anything is decoded (UTF-8 of a whole flush's messages).
    const channel = Buffer.from(this.#o.channel)
    const ownHead = Buffer.from(`v1\t${this.#o.instanceId}`)
    this.#o.subscriber.on('messageBuffer', (from: Buffer, data: Buffer) => {
      if (!from.equals(channel)) return
      if (isOwnBatch(data, ownHead)) return
      const batch = decodeBatch(data.toString())
      if (!batch) {
        this.#o.log.warn({ channel: this.#o.channel }, 'ignored a message on the fan-out channel that is not a callqa batch')
        return
      }
      if (batch.origin === this.#o.instanceId) return
      const wasAlone = !this.hasPeers()
      this.#peerSeenAtMs = Date.now()
      // A peer is back: it needs to know which calls are followed here now, not at the next round.
      if (wasAlone) this.#announce(this.#o.hub.followedCalls())
      for (const item of batch.items) {
        if (item.kind === 'handover' && item.key !== this.#o.instanceId) this.#o.onHandover(item.callId, item.key)
        if (item.kind === 'follows') {
          const until = Date.now() + FOLLOW_ANNOUNCE_MS * 3
          try {
            for (const callId of JSON.parse(item.json) as string[]) this.#remoteFollows.set(callId, until)
          } catch {
            this.#o.log.warn('ignored a malformed follows announcement')
          }
        }
      }
      this.#o.hub.deliver(batch.items)
    })
    await this.#o.subscriber.subscribe(this.#o.channel)
    this.#peerSeenAtMs = Date.now()
    this.#heartbeat()
    this.#heartbeatTimer = setInterval(() => this.#heartbeat(), Math.max(10, Math.min(2_000, Math.floor(this.#o.peerTimeoutMs / 10))))
    this.#heartbeatTimer.unref()
    // Follows are re-announced periodically; an announcement lapses after three periods.
    this.#announceTimer = setInterval(() => {
      this.#announce(this.#o.hub.followedCalls())
      const now = Date.now()
      for (const [callId, until] of this.#remoteFollows) if (until <= now) this.#remoteFollows.delete(callId)
    }, FOLLOW_ANNOUNCE_MS)
    this.#announceTimer.unref()
  }

  /** Delivers to this instance's supervisors now. */
  deliverLocal(items: FanoutItem[]): void {
    if (items.length > 0) this.#o.hub.deliver(items)
  }

  /** Publishes to the other instances, sent with the checkpoint flush's commands; never rejects (a failure is logged). */
  async publishRemote(items: FanoutItem[]): Promise<void> {
    if (items.length === 0 || !this.hasPeers()) return
    await this.#o.redis.publish(this.#o.channel, encodeBatch(this.#o.instanceId, items)).catch((err: Error) => {
      this.#o.log.error({ err: err.message, items: items.length }, 'fan-out publish failed; other instances miss these messages (alerts remain in the catch-up stream)')
    })
  }

  /** Delivers locally now and publishes to the other instances in one PUBLISH at the end of this turn (setImmediate). */
  publish(items: FanoutItem[]): void {
    if (items.length === 0) return
    this.#o.hub.deliver(items)
    if (!this.hasPeers()) return
    for (const item of items) this.#pending.push(item)
    this.#schedule()
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      const batch = this.#pending
      this.#pending = []
      this.#o.redis.publish(this.#o.channel, encodeBatch(this.#o.instanceId, batch)).catch((err: Error) => {
        this.#o.log.error({ err: err.message, items: batch.length }, 'fan-out publish failed; other instances miss these messages (alerts remain in the catch-up stream)')
      })
    })
  }
}

/** Whether a batch starts with this instance's head line (`v1\t<instanceId>`, then a newline or nothing). */
function isOwnBatch(data: Buffer, ownHead: Buffer): boolean {
  if (data.length < ownHead.length || data.compare(ownHead, 0, ownHead.length, 0, ownHead.length) !== 0) return false
  return data.length === ownHead.length || data[ownHead.length] === 0x0a
}
