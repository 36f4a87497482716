/**
 * The durable side of a live call, in Redis: `state` (an engine snapshot taken after `version`
 * events) plus `log` (events fed since), an owner record, and the cluster-wide `live` ZSET and
 * live-info HASH. The Lua scripts are in scripts.ts; this module is the only one that knows the
 * layout of their arguments and of the stored values. On a Redis Cluster a call's keys share a
 * slot and the live index and alerts have slots of their own (keys.ts), so one flush is a few
 * script runs (one per slot group of calls, one for the index, one for the alerts) sent together.
 */
import type { Logger } from 'pino'
import { maskPersonalData, type CallMonitor } from '@callqa/engine'
import type { AlertMessage, AlertRetractedMessage, CallEnded, CallStarted, Utterance } from '@callqa/protocol'
import { byNode, groupBySlot, isCluster, type RedisConnection, type RedisKeys } from '@callqa/store'
import { defineLiveCommands, type LiveCommands, type LivePipeline } from './scripts.js'

export interface CheckpointStoreOptions {
  redis: RedisConnection
  keys: RedisKeys
  instanceId: string
  callStateTtlSeconds: number
  endedTtlSeconds: number
  alertStreamMax: number
  log: Logger
}

/** How long an alert stays findable for acknowledgement (and guards the stream against a second copy). */
const ALERT_TTL_SECONDS = 7 * 86_400

/**
 * Calls (or alerts, or live-index entries) in one script run, at most. A flush after a stall of the
 * event loop can hold tens of thousands of calls: every argument of a command is spread onto the JS
 * stack (a run of 18,000 calls threw "Maximum call stack size exceeded", failing the whole flush),
 * and one script keeps every other Redis client waiting for as long as it runs. The runs of one
 * flush still leave together, in one socket write.
 */
export const MAX_CALLS_PER_RUN = 500

/** `items` in pieces of at most `size`, in order. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** What one call adds to a checkpoint flush. */
export interface CheckpointWrite {
  callId: string
  /** A full snapshot replacing state and log (see `encodeState`), or '' to append `log` only. */
  state: string
  /** Events (JSON) to append; ignored with a snapshot (it already contains them). */
  log: string[]
  /** The call's latest `call` message for the live-info HASH, or '' when unchanged. */
  info: string
  /**
   * Reset the call's key TTLs and its activity score in the live index (at most every
   * `liveRefreshMs`, flush.ts); false: write the checkpoint only.
   */
  refresh: boolean
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

/** Per write of a flush: written, refused (this instance no longer owns the call), or the error that stopped it. */
export type WriteOutcome = 'written' | 'not-owner' | Error

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
  readonly #redis: RedisConnection & LiveCommands
  /** The command socket while the cold path's cork holds it (see `#corkTurn`). */
  #turnCork: { uncork(): void } | undefined

  constructor(options: CheckpointStoreOptions) {
    this.#o = options
    this.#redis = defineLiveCommands(options.redis)
  }

  /**
   * Corks the command socket until the end of this event-loop turn (`setImmediate`), so the creates
   * and claims of every ingest frame read in one turn leave in one write. Uncorked, each command
   * was a write syscall of its own: at 3,000 call starts a second (the bench's ramp) the starts'
   * `writeUtf8String` took more of a profile than any function but the engine's phrase matcher.
   */
  #corkTurn(): void {
    if (this.#turnCork) return
    const stream = commandStream(this.#o.redis)
    if (!stream) return
    stream.cork()
    this.#turnCork = stream
    setImmediate(() => this.releaseTurn())
  }

  /** Writes out now what the cold path's cork holds: a checkpoint flush never waits for the end of the turn. */
  releaseTurn(): void {
    const stream = this.#turnCork
    if (!stream) return
    this.#turnCork = undefined
    stream.uncork()
  }

  /** Creates a call owned by this instance and lists it in the live index. */
  async create(started: CallStarted, state: string, info: string, nowMs: number): Promise<'created' | 'exists' | 'ended'> {
    const keys = this.#o.keys
    const callId = started.callId
    // The index is in another slot: a second run, sent with the first rather than after its reply
    // (the ingest connection waits for a start: one round trip, not two). 'repair' (ZADD NX,
    // HSETNX) lists a new call as 'add' would and leaves a repeated call.started's entry as it is;
    // for a call that had already ended the entry is taken out again.
    this.#corkTurn()
    const [outcome] = await Promise.all([
      this.#redis.cqCreate(keys.callState(callId), keys.callOwner(callId), keys.callEnded(callId), keys.callLog(callId), this.#o.instanceId, this.#o.callStateTtlSeconds, state) as Promise<
        'created' | 'exists' | 'ended'
      >,
      this.#redis.cqLiveIndex(keys.liveCalls, keys.liveCallInfo, 'repair', nowMs, callId, info),
    ])
    if (outcome === 'ended') await this.forget(callId)
    return outcome
  }

  /** Makes this instance the call's owner and returns what it needs to continue the call. */
  async claim(callId: string): Promise<ClaimReply> {
    const keys = this.#o.keys
    this.#corkTurn()
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

  /**
   * Writes the checkpoint of every call of one flush: one script run per slot group of calls (the
   * whole flush on a single Redis), plus one run for the live index and one for the alerts, all
   * sent at once. Resolves with one outcome per write, in order. The index and alert runs are not
   * conditional on ownership (they are in other slots): both are written so that a run for a call
   * this instance lost changes nothing that matters (see LIVE_INDEX, RECORD_ALERTS); their failure
   * is logged and does not fail the checkpoint.
   */
  async writeBatch(writes: readonly CheckpointWrite[], nowMs: number): Promise<WriteOutcome[]> {
    if (writes.length === 0) return []
    const o = this.#o
    const keys = o.keys
    const groups = groupBySlot(this.#redis, writes.map((w, i) => ({ w, i })), ({ w }) => keys.callOwner(w.callId)).flatMap((group) => chunks(group, MAX_CALLS_PER_RUN))
    // On a Cluster one pipeline per node, one script run per slot group (and run of calls) in it.
    const parts = byNode(this.#redis, groups, (group) => keys.callOwner(group[0]!.w.callId))
    const checkpointArgs = (group: readonly { w: CheckpointWrite }[]): (string | number)[] => {
      const callKeys: string[] = []
      const args: (string | number)[] = [o.instanceId, o.callStateTtlSeconds]
      for (const { w } of group) {
        callKeys.push(keys.callOwner(w.callId), keys.callState(w.callId), keys.callLog(w.callId))
        args.push(w.state, w.refresh ? '1' : '0')
        if (w.state !== '') {
          args.push(0)
        } else {
          args.push(w.log.length)
          for (const entry of w.log) args.push(entry)
        }
      }
      return [callKeys.length, ...callKeys, ...args]
    }
    const runs = parts.map(async (part): Promise<[Error | null, unknown][]> => {
      // A single Redis (one slot group, in runs of MAX_CALLS_PER_RUN calls): plain commands. An
      // ioredis pipeline costs more to build than the command itself (it copies every defined
      // script onto itself), and commands on one connection are sent and answered in order anyway.
      if (part.length === 1 || !isCluster(this.#redis)) {
        const replies = await Promise.allSettled(
          part.map((group) => {
            const [numKeys, ...rest] = checkpointArgs(group)
            return this.#redis.cqCheckpoint(numKeys as number, ...rest)
          }),
        )
        return replies.map((r): [Error | null, unknown] => (r.status === 'fulfilled' ? [null, r.value] : [r.reason as Error, null]))
      }
      const pipeline = this.#redis.pipeline() as LivePipeline
      for (const group of part) {
        const [numKeys, ...rest] = checkpointArgs(group)
        pipeline.cqCheckpoint(numKeys as number, ...rest)
      }
      const replies = await pipeline.exec()
      if (!replies) throw new Error('no reply from Redis')
      return replies
    })
    const indexEntries: string[] = []
    const alerts: { key: string; json: string }[] = []
    const retracted: { key: string; json: string }[] = []
    for (const w of writes) {
      if (w.refresh || w.info !== '') indexEntries.push(w.callId, w.info)
      for (let a = 0; a < w.alerts.length; a++) alerts.push({ key: keys.alert(w.alerts[a]!.alertId), json: w.alertJson[a]! })
      for (const r of w.retractions) retracted.push({ key: keys.alertRetracted(r.message.alertId), json: JSON.stringify(r) })
    }
    const side: Promise<unknown>[] = []
    for (const entries of chunks(indexEntries, 2 * MAX_CALLS_PER_RUN)) side.push(this.#redis.cqLiveIndex(keys.liveCalls, keys.liveCallInfo, 'touch', nowMs, ...entries))
    const recordRuns = (records: { key: string; json: string }[], run: LiveCommands['cqRecordAlerts']) => {
      for (const part of chunks(records, MAX_CALLS_PER_RUN)) {
        side.push(run(part.length + 1, keys.alertStream, ...part.map((r) => r.key), o.alertStreamMax, ALERT_TTL_SECONDS, ...part.map((r) => r.json)))
      }
    }
    recordRuns(alerts, (...args) => this.#redis.cqRecordAlerts(...args))
    // After the alerts of the same flush (one connection, in order): an alert raised and refuted in one flush is recorded, then withdrawn.
    recordRuns(retracted, (...args) => this.#redis.cqRecordRetractions(...args))
    const [written, sideResults] = await Promise.all([Promise.allSettled(runs), Promise.allSettled(side)])
    for (const r of sideResults) {
      if (r.status === 'rejected') o.log.warn({ err: (r.reason as Error).message }, 'live index or alert stream not updated in this flush (the checkpoints were)')
    }
    const outcomes: WriteOutcome[] = new Array(writes.length)
    parts.forEach((part, p) => {
      const r = written[p]!
      part.forEach((group, g) => {
        const [err, reply] = r.status === 'rejected' ? [r.reason as Error, null] : r.value[g]!
        group.forEach(({ i }, k) => {
          outcomes[i] = err ? err : (reply as number[])[k] === 1 ? 'written' : 'not-owner'
        })
      })
    })
    return outcomes
  }

  /** Marks the call ended and deletes its live state. Returns true for the first end of the call. */
  /**
   * Marks calls ended (their checkpoint keys deleted, the ended marker set) and takes them out of
   * the live index. Resolves with, per call, whether this was its first end. The finalize runs
   * leave in one socket write (one per node on a Cluster: each call's keys share a slot), then one
   * live-index run per MAX_CALLS_PER_RUN calls (another slot: if it is lost, the idle sweep
   * forgets the calls, whose claim says 'ended').
   */
  async finalizeMany(callIds: readonly string[]): Promise<boolean[]> {
    if (callIds.length === 0) return []
    const keys = this.#o.keys
    const stream = commandStream(this.#o.redis)
    stream?.cork()
    let runs: Promise<number>[]
    try {
      runs = callIds.map((callId) => this.#redis.cqFinalize(keys.callEnded(callId), keys.callState(callId), keys.callLog(callId), keys.callOwner(callId), this.#o.endedTtlSeconds))
    } finally {
      stream?.uncork()
    }
    const firsts = await Promise.all(runs)
    await Promise.all(
      chunks(callIds, MAX_CALLS_PER_RUN).map((part) =>
        this.#redis.cqLiveIndex(keys.liveCalls, keys.liveCallInfo, 'remove', 0, ...part.flatMap((callId) => [callId, ''])),
      ),
    ).catch((err: Error) => this.#o.log.warn({ calls: callIds.length, err: err.message }, 'ended calls not removed from the live index; the idle sweep will'))
    return firsts.map((first) => first === 1)
  }

  /** Calls whose last activity score is before `beforeMs`, cluster-wide (at most `limit`); the score lags activity by up to `liveRefreshMs`. */
  idleCalls(beforeMs: number, limit: number): Promise<string[]> {
    return this.#redis.zrangebyscore(this.#o.keys.liveCalls, 0, beforeMs, 'LIMIT', 0, limit)
  }

  /** Removes a call that is no longer live from the live index. */
  async forget(callId: string): Promise<void> {
    await this.#redis.cqLiveIndex(this.#o.keys.liveCalls, this.#o.keys.liveCallInfo, 'remove', 0, callId, '')
  }
}

/**
 * An event as its call's log keeps it: personal numbers in `text` and `words[]` masked, so Redis
 * and its append-only file never hold them in clear. Word texts are masked together (an ASR often
 * gives each digit group its own word); masking keeps lengths, so each word gets its own slice
 * back. Replaying the masked event gives the same call: the engine masks the text anyway and
 * counts a masked digit as a spoken one. `maskedText`: the text as the engine masked it, when the
 * caller has it.
 */
export function logEntry(event: Utterance | CallEnded, maskedText?: string): string {
  if (event.type !== 'utterance') return JSON.stringify(event)
  // The engine has masked the text already (FeedResult.line): masking again cost ~4 µs an utterance.
  const text = maskedText ?? maskPersonalData(event.text)
  // Most utterances hold no personal number (and no words): the event as it came, without a copy.
  if (text === event.text && !(event.words && event.words.length > 0)) return JSON.stringify(event)
  const masked: Utterance = { ...event, text }
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

/**
 * The socket of a single-Redis connection, to cork while a flush issues its commands (none on a
 * Cluster: its commands go to several nodes' connections).
 */
export function commandStream(redis: RedisConnection): { cork(): void; uncork(): void } | undefined {
  if (isCluster(redis) || redis.status !== 'ready') return undefined
  return redis.stream
}

/** The version of a stored state, without parsing the snapshot. */
export function stateVersion(value: string): number {
  return Number(value.slice(0, value.indexOf('\n')))
}
