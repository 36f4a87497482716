/**
 * The cold path: a call arriving on this instance. `start` creates a new call in Redis (owned here)
 * and holds it; `claim` takes over a call this instance does not hold (a reconnect through a load
 * balancer, a restart, the idle sweep): CLAIM it in Redis, restore it from its checkpoint (restore.ts),
 * tell the previous owner to drop its copy. Both wait for Redis; the hot path (feed.ts) never does.
 */
import type { Logger } from 'pino'
import { CallMonitor, type Rulebook } from '@callqa/engine'
import { ErrorCodes, ProtocolError, type CallStarted } from '@callqa/protocol'
import type { GatewayConfig } from '../config.js'
import type { FanoutBus } from '../fanout/bus.js'
import type { GatewayMetrics } from '../metrics.js'
import { encodeState, stateVersion, type CheckpointStore } from './checkpoint-store.js'
import type { LiveCalls } from './live-calls.js'
import { callUpdateJson, fanoutItem } from './messages.js'
import { restoreCall } from './restore.js'
import type { ClaimResult, EventSink, HandleOutcome } from './types.js'

export interface ArrivalOptions {
  calls: LiveCalls
  store: CheckpointStore
  bus: FanoutBus
  rulebook: Rulebook
  config: Pick<GatewayConfig, 'instanceId' | 'maxLiveCalls'>
  metrics: GatewayMetrics
  log: Logger
  now: () => number
}

export class Arrivals {
  readonly #o: ArrivalOptions
  /** Claims under way, so that events of one call arriving together claim it once. */
  readonly #claims = new Map<string, Promise<ClaimResult>>()

  constructor(options: ArrivalOptions) {
    this.#o = options
  }

  /** A `call.started`: the call is created in Redis, held here and announced to supervisors. */
  async start(started: CallStarted, sink: EventSink): Promise<HandleOutcome> {
    const { calls, config } = this.#o
    if (calls.get(started.callId)?.owned) return 'already-started'
    if (calls.size >= config.maxLiveCalls) {
      sink.error(new ProtocolError(ErrorCodes.TOO_MANY_CALLS, `this instance holds ${calls.size} live calls, the limit (CALLQA_MAX_LIVE_CALLS); call ${started.callId} was not started`, { callId: started.callId }))
      return 'refused'
    }
    const monitor = new CallMonitor(this.#o.rulebook, started)
    const now = this.#o.now()
    const update = callUpdateJson('started', started, monitor, false)
    const outcome = await this.#o.store.create(started, encodeState(0, started, monitor, false), update, now)
    if (outcome === 'ended') {
      sink.error(new ProtocolError(ErrorCodes.CALL_ENDED, `call ${started.callId} has already ended; a call id cannot be started again`, { callId: started.callId }))
      return 'refused'
    }
    if (outcome === 'exists') return 'already-started'
    calls.add({
      callId: started.callId,
      started,
      monitor,
      version: 0,
      snapVersion: 0,
      owned: true,
      textChars: 0,
      lastActivityMs: now,
      lastRefreshMs: now,
      complaintRisk: false,
      lastLiveUpdateMs: now,
      ending: false,
    })
    this.#o.metrics.events.inc({ type: 'call.started' })
    this.#o.log.info({ callId: started.callId, agentId: started.agentId, teamId: started.teamId }, 'call started')
    this.#o.bus.publish([fanoutItem('call', started, false, '', update)])
    return 'started'
  }

  /** Makes this instance the call's owner and holds it: the call, or why there is none. */
  claim(callId: string): Promise<ClaimResult> {
    let pending = this.#claims.get(callId)
    if (!pending) {
      pending = this.#claim(callId).finally(() => this.#claims.delete(callId))
      this.#claims.set(callId, pending)
    }
    return pending
  }

  async #claim(callId: string): Promise<ClaimResult> {
    const { calls, config } = this.#o
    const reply = await this.#o.store.claim(callId)
    if (reply.kind !== 'ok') {
      calls.drop(callId)
      return reply.kind
    }
    if (reply.previousOwner && reply.previousOwner !== config.instanceId) {
      this.#o.log.info({ callId, previousOwner: reply.previousOwner }, 'call taken over from another instance')
      this.#o.bus.publish([{ kind: 'handover', callId, agentId: '-', teamId: '-', complaintRisk: false, key: config.instanceId, json: '' }])
    }
    // Still in memory here and nothing written meanwhile (the call went away and came back): keep it.
    const existing = calls.get(callId)
    if (existing && existing.version === stateVersion(reply.state) + reply.log.length && !existing.ending) {
      existing.owned = true
      existing.lastRefreshMs = 0
      return existing
    }
    const restored = restoreCall(this.#o.rulebook, reply.state, reply.log)
    // lastRefreshMs 0: its first flush here refreshes the TTLs and the activity score.
    const call = { callId, ...restored, owned: true, lastActivityMs: this.#o.now(), lastRefreshMs: 0, lastLiveUpdateMs: 0, ending: false }
    calls.add(call)
    return call
  }
}
