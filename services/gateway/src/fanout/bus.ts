/**
 * Redis pub/sub between gateway instances. Messages raised here go to local sockets at once and to
 * the other instances in one PUBLISH per flush; messages from the other instances are delivered
 * locally. An instance ignores its own batches (it delivered them already).
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
    if (callIds.length === 0) return
    this.#pending.push({ kind: 'follows', callId: '-', agentId: '-', teamId: '-', complaintRisk: false, key: this.#o.instanceId, json: JSON.stringify(callIds) })
    this.#schedule()
  }

  close(): void {
    clearInterval(this.#announceTimer)
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
    if (items.length === 0) return
    await this.#o.redis.publish(this.#o.channel, encodeBatch(this.#o.instanceId, items)).catch((err: Error) => {
      this.#o.log.error({ err: err.message, items: items.length }, 'fan-out publish failed; other instances miss these messages (alerts remain in the catch-up stream)')
    })
  }

  /** Delivers locally now and publishes to the other instances, batched on the next tick. */
  publish(items: FanoutItem[]): void {
    if (items.length === 0) return
    this.#o.hub.deliver(items)
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
