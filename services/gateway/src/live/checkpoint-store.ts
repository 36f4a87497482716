/**
 * The durable side of a live call, in Redis: `state` (an engine snapshot taken after `version`
 * events) plus `log` (events fed since), an owner record, and the cluster-wide `live` ZSET and
 * live-info HASH. The Lua scripts are in scripts.ts; this module is the only one that knows the
 * layout of their arguments and of the stored values.
 */
import type { Redis } from 'ioredis'
import { maskPersonalData, type CallMonitor } from '@callqa/engine'
import type { AlertMessage, AlertRetractedMessage, CallEnded, CallStarted, Utterance } from '@callqa/protocol'
import type { RedisKeys } from '@callqa/store'
import { defineLiveCommands, keyTemplate, type LiveCommands, type LivePipeline } from './scripts.js'

export interface CheckpointStoreOptions {
  redis: Redis
  keys: RedisKeys
  instanceId: string
  callStateTtlSeconds: number
  endedTtlSeconds: number
  alertStreamMax: number
}

/** How long an alert stays findable for acknowledgement. */
const ALERT_TTL_SECONDS = 7 * 86_400

/** What one call adds to a checkpoint flush. */
export interface CheckpointWrite {
  callId: string
  /** A full snapshot replacing state and log (see `encodeState`), or '' to append `log` only. */
  state: string
  /** Events (JSON) to append; ignored with a snapshot (it already contains them). */
  log: string[]
  /** The call's latest `call` message for the live-info HASH, or '' when unchanged. */
  info: string
  alerts: readonly AlertMessage[]
  alertJson: readonly string[]
  /** Alerts withdrawn in this flush (`alert.retracted`), with what the catch-up needs to filter them by team. */
  retractions: readonly RetractionRecord[]
}

/** A retraction as kept for the catch-up (stream field `r`, and by alertId): the message and whose call it is. */
export interface RetractionRecord {
  message: AlertRetractedMessage
  teamId: string
  agentId: string
  complaintRisk: boolean
}

/** The stored record of a call: what restoring it needs. */
export interface StoredState {
  version: number
  started: CallStarted
  snap: ReturnType<CallMonitor['snapshot']>
  complaintRisk: boolean
}

export type ClaimReply = { kind: 'ended' } | { kind: 'unknown' } | { kind: 'ok'; previousOwner: string; state: string; log: string[] }

/** The value of a call's `state` key: `<version>\n<JSON {started, snap, complaintRisk}>`. */
export function encodeState(version: number, started: CallStarted, monitor: CallMonitor, complaintRisk: boolean): string {
  return `${version}\n${JSON.stringify({ started, snap: monitor.snapshot(), complaintRisk })}`
}

export function decodeState(value: string): StoredState {
  const newline = value.indexOf('\n')
  const record = JSON.parse(value.slice(newline + 1)) as Omit<StoredState, 'version'>
  return { version: Number(value.slice(0, newline)), started: record.started, snap: record.snap, complaintRisk: record.complaintRisk === true }
}

export class CheckpointStore {
  readonly #o: CheckpointStoreOptions
  readonly #redis: Redis & LiveCommands
  /** Key layouts (prefix, suffix) the batched checkpoint script builds keys from. */
  readonly #templates: string[]

  constructor(options: CheckpointStoreOptions) {
    this.#o = options
    this.#redis = defineLiveCommands(options.redis)
    const k = options.keys
    this.#templates = [...keyTemplate(k.callOwner), ...keyTemplate(k.callState), ...keyTemplate(k.callLog), ...keyTemplate(k.alert), ...keyTemplate(k.alertRetracted)]
  }

  /** Creates a call owned by this instance. */
  create(started: CallStarted, state: string, info: string, nowMs: number): Promise<'created' | 'exists' | 'ended'> {
    const keys = this.#o.keys
    const callId = started.callId
    return this.#redis.cqCreate(
      keys.callState(callId),
      keys.callOwner(callId),
      keys.liveCalls,
      keys.callEnded(callId),
      keys.callLog(callId),
      keys.liveCallInfo,
      this.#o.instanceId,
      nowMs,
      this.#o.callStateTtlSeconds,
      state,
      info,
      callId,
    ) as Promise<'created' | 'exists' | 'ended'>
  }

  /** Makes this instance the call's owner and returns what it needs to continue the call. */
  async claim(callId: string): Promise<ClaimReply> {
    const keys = this.#o.keys
    const res = await this.#redis.cqClaim(keys.callState(callId), keys.callOwner(callId), keys.callLog(callId), keys.callEnded(callId), this.#o.instanceId, this.#o.callStateTtlSeconds)
    if (res[0] === 'ended') return { kind: 'ended' }
    if (res[0] !== 'ok') return { kind: 'unknown' }
    return { kind: 'ok', previousOwner: res[1] ?? '', state: res[2]!, log: res[3] ?? [] }
  }

  /** Reads a call's checkpoint without claiming it (null: not live). */
  async read(callId: string): Promise<{ state: string; log: string[] } | null> {
    const keys = this.#o.keys
    const replies = await this.#redis.multi().get(keys.callState(callId)).lrange(keys.callLog(callId), 0, -1).exec()
    const state = replies?.[0]?.[1] as string | null | undefined
    if (!state) return null
    return { state, log: (replies?.[1]?.[1] as string[] | undefined) ?? [] }
  }

  pipeline(): LivePipeline {
    return this.#redis.pipeline() as LivePipeline
  }

  /**
   * Adds the checkpoint of every call of one flush to `pipeline` as one script run. Its reply is one
   * 1 / 0 per write, in order (0: this instance no longer owns that call; nothing written for it).
   */
  writeBatch(pipeline: LivePipeline, writes: readonly CheckpointWrite[], nowMs: number): void {
    if (writes.length === 0) return
    const o = this.#o
    const keys = o.keys
    const args: (string | number)[] = [keys.liveCalls, keys.alertStream, keys.liveCallInfo, o.instanceId, nowMs, o.callStateTtlSeconds, o.alertStreamMax, ALERT_TTL_SECONDS, ...this.#templates]
    for (const w of writes) {
      args.push(w.callId, w.state, w.info)
      if (w.state !== '') {
        args.push(0)
      } else {
        args.push(w.log.length)
        for (const entry of w.log) args.push(entry)
      }
      args.push(w.alerts.length)
      for (let i = 0; i < w.alerts.length; i++) args.push(w.alerts[i]!.alertId, w.alertJson[i]!)
      args.push(w.retractions.length)
      for (const r of w.retractions) args.push(r.message.alertId, JSON.stringify(r))
    }
    pipeline.cqCheckpointBatch(...args)
  }

  /** Marks the call ended and deletes its live state. Returns true for the first end of the call. */
  async finalize(callId: string): Promise<boolean> {
    const keys = this.#o.keys
    const first = await this.#redis.cqFinalize(keys.callEnded(callId), keys.callState(callId), keys.callLog(callId), keys.callOwner(callId), keys.liveCalls, keys.liveCallInfo, callId, this.#o.endedTtlSeconds)
    return first === 1
  }

  /** Calls with no activity since `beforeMs`, cluster-wide (at most `limit`). */
  idleCalls(beforeMs: number, limit: number): Promise<string[]> {
    return this.#redis.zrangebyscore(this.#o.keys.liveCalls, 0, beforeMs, 'LIMIT', 0, limit)
  }

  /** Removes a call that is no longer live from the live index. */
  async forget(callId: string): Promise<void> {
    await this.#redis.zrem(this.#o.keys.liveCalls, callId)
    await this.#redis.hdel(this.#o.keys.liveCallInfo, callId)
  }
}

/**
 * An event as its call's log keeps it: personal numbers in `text` and `words[]` masked, so Redis
 * and its append-only file never hold them in clear. Word texts are masked together (an ASR often
 * gives each digit group its own word); masking keeps lengths, so each word gets its own slice
 * back. Replaying the masked event gives the same call: the engine masks the text anyway and
 * counts a masked digit as a spoken one.
 */
export function logEntry(event: Utterance | CallEnded): string {
  if (event.type !== 'utterance') return JSON.stringify(event)
  const masked: Utterance = { ...event, text: maskPersonalData(event.text) }
  if (event.words && event.words.length > 0) {
    const joined = event.words.map((w) => w.text).join('')
    const maskedJoined = maskPersonalData(joined)
    if (maskedJoined !== joined) {
      let at = 0
      masked.words = event.words.map((w) => {
        const text = maskedJoined.slice(at, at + w.text.length)
        at += w.text.length
        return { ...w, text }
      })
    }
  }
  return JSON.stringify(masked)
}

/** The version of a stored state, without parsing the snapshot. */
export function stateVersion(value: string): number {
  return Number(value.slice(0, value.indexOf('\n')))
}
