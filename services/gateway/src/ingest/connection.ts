/**
 * One ingest socket (protocol v1 or an ASR adapter in front of it). Frames are handled in arrival
 * order; events of calls this instance holds are handled synchronously, and only a call that needs
 * Redis first (new, or moved here) makes the connection wait, with the socket paused meanwhile.
 */
import type { WebSocket, RawData } from 'ws'
import type { FastifyBaseLogger as Logger } from 'fastify'
import { ErrorCodes, ProtocolError, type CallEvent, type DecodedFrame } from '@callqa/protocol'
import type { CallRegistry, EventSink } from '../live/registry.js'
import type { GatewayMetrics } from '../metrics.js'
import { TokenBucket } from './rate-limit.js'
import { corkUntilImmediate } from '../cork.js'

/** Close code for a policy breach (RFC 6455): the rate limit. */
export const CLOSE_POLICY_VIOLATION = 1008

export interface IngestConnectionOptions {
  socket: WebSocket
  registry: CallRegistry
  metrics: GatewayMetrics
  log: Logger
  /** Turns one frame into events and coded errors; never throws. */
  decode: (data: Buffer, isBinary: boolean) => DecodedFrame
  /** Called when the socket closes (flush an ASR adapter's last sentence, etc.). */
  onClose?: () => DecodedFrame | undefined
  eventsPerSecond: number
  burstEvents: number
  maxCallsPerConnection: number
  /** Send one `acks` frame per flush (AckBatchMessage) instead of one `ack` per utterance. */
  batchAcks?: boolean
  /** Batch mode: at most one `acks` frame per this many ms (CALLQA_ACK_BATCH_INTERVAL_MS); 0 = one per event-loop turn. */
  ackBatchIntervalMs?: number
}

type Frame = { data: Buffer; isBinary: boolean; receivedAtNs: bigint }

export class IngestConnection implements EventSink {
  readonly #o: IngestConnectionOptions
  readonly #bucket: TokenBucket
  readonly #calls = new Set<string>()
  readonly #backlog: Frame[] = []
  #busy = false
  #open = true
  /** Acks gathered for the next `acks` frame (batch mode): callId -> seqs. */
  #ackBatch: Map<string, number[]> | undefined
  /** performance.now() of the last `acks` frame sent. */
  #ackSentAt = -Infinity

  constructor(options: IngestConnectionOptions) {
    this.#o = options
    this.#bucket = new TokenBucket(options.eventsPerSecond, options.burstEvents, performance.now())
    const { socket } = options
    // Every handler is total: whatever a frame does, the error stays with this connection (logged
    // with its context, answered with a coded error) and never reaches the process.
    socket.on('message', (data: RawData, isBinary: boolean) => {
      try {
        this.#onMessage(toBuffer(data), isBinary)
      } catch (err) {
        this.#unexpected(err, 'frame')
      }
    })
    socket.on('close', () => {
      try {
        const last = this.#o.onClose?.()
        if (last && last.events.length > 0 && !this.#busy) void Promise.resolve(this.#handleDecoded(last, process.hrtime.bigint())).catch((err: unknown) => this.#unexpected(err, 'close'))
      } catch (err) {
        this.#unexpected(err, 'close')
      }
      this.#open = false
      options.metrics.ingestConnections.dec()
    })
    socket.on('error', (err) => options.log.warn({ err: err.message }, 'ingest socket error'))
    options.metrics.ingestConnections.inc()
  }

  ack(callId: string, seq: number): void {
    if (!this.#open) return
    if (this.#o.batchAcks) {
      // A flush acknowledges synchronously: everything until the end of this event-loop turn (every
      // flush whose Redis reply was read in it) is one frame.
      if (!this.#ackBatch) {
        this.#ackBatch = new Map()
        // At most one frame per interval: the first acks after a quiet spell leave at the end of
        // this turn, later ones wait for the interval since the last frame, gathering every flush
        // in between (each utterance is in exactly one batch, so acknowledged exactly once).
        const wait = this.#ackSentAt + (this.#o.ackBatchIntervalMs ?? 0) - performance.now()
        if (wait > 0) setTimeout(() => this.#sendAckBatch(), wait)
        else setImmediate(() => this.#sendAckBatch())
      }
      const seqs = this.#ackBatch.get(callId)
      if (seqs) seqs.push(seq)
      else this.#ackBatch.set(callId, [seq])
      return
    }
    corkUntilImmediate(this.#o.socket)
    this.#o.socket.send(`{"type":"ack","callId":${JSON.stringify(callId)},"seq":${seq}}`)
  }

  #sendAckBatch(): void {
    const batch = this.#ackBatch
    this.#ackBatch = undefined
    if (!batch || !this.#open) return
    this.#ackSentAt = performance.now()
    let json = '{"type":"acks","acks":{'
    let first = true
    for (const [callId, seqs] of batch) {
      json += `${first ? '' : ','}${JSON.stringify(callId)}:[${seqs.join(',')}]`
      first = false
    }
    this.#o.socket.send(`${json}}}`)
  }

  error(error: { code: string; message: string; callId?: string; seq?: number }): void {
    this.#o.metrics.frameErrors.inc({ code: error.code })
    if (!this.#open) return
    // Errors of one flush (a refused checkpoint answers each of its utterances) leave in one write.
    corkUntilImmediate(this.#o.socket)
    const message: Record<string, unknown> = { type: 'error', code: error.code, message: error.message }
    if (error.callId !== undefined) message.callId = error.callId
    if (error.seq !== undefined) message.seq = error.seq
    this.#o.socket.send(JSON.stringify(message))
  }

  /** A bug met while handling this connection: logged with context, answered CQ_ERR_INTERNAL; the connection and its other calls go on. */
  #unexpected(err: unknown, during: string): void {
    try {
      this.#o.log.error({ err, during, calls: this.#calls.size, backlog: this.#backlog.length }, 'ingest connection: unexpected error')
      this.error({ code: 'CQ_ERR_INTERNAL', message: 'the frame could not be handled (a gateway bug, logged): resend what was not acknowledged' })
    } catch {
      // Logging and sending are best effort here; nothing may escape.
    }
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const frame: Frame = { data, isBinary, receivedAtNs: process.hrtime.bigint() }
    if (this.#busy) {
      this.#backlog.push(frame)
      return
    }
    this.#run(frame)
  }

  #run(frame: Frame): void {
    let decoded: DecodedFrame
    try {
      decoded = this.#o.decode(frame.data, frame.isBinary)
    } catch (err) {
      // The decoders never throw; if one does, the frame is still answered with a code.
      this.#unexpected(err, 'decode')
      return
    }
    const cost = Math.max(1, decoded.events.length + decoded.errors.length)
    if (!this.#bucket.take(cost, performance.now())) {
      this.error(new ProtocolError(ErrorCodes.RATE_LIMITED, `more than ${this.#o.eventsPerSecond} events per second (burst ${this.#o.burstEvents}) on one connection: closing; spread calls over more connections or slow down`))
      this.#open = false
      this.#o.socket.close(CLOSE_POLICY_VIOLATION, 'rate limit exceeded')
      return
    }
    let pending: void | Promise<void>
    try {
      pending = this.#handleDecoded(decoded, frame.receivedAtNs)
    } catch (err) {
      this.#unexpected(err, 'event')
      return
    }
    if (pending) {
      this.#busy = true
      this.#o.socket.pause()
      pending
        .catch((err: unknown) => {
          const text = err instanceof Error ? err.message : String(err)
          this.#o.log.error({ err: text }, 'ingest event failed')
          this.error({ code: 'CQ_ERR_UNAVAILABLE', message: `the event could not be handled (${text}): resend after reconnecting` })
        })
        .finally(() => {
          this.#busy = false
          try {
            if (this.#open) this.#o.socket.resume()
            this.#drain()
          } catch (err) {
            this.#unexpected(err, 'drain')
          }
        })
    }
  }

  /** Runs queued frames until one has to wait for Redis again. */
  #drain(): void {
    while (!this.#busy && this.#backlog.length > 0) {
      if (!this.#open) {
        this.#backlog.length = 0
        return
      }
      this.#run(this.#backlog.shift()!)
    }
  }

  #handleDecoded(decoded: DecodedFrame, receivedAtNs: bigint): void | Promise<void> {
    for (const err of decoded.errors) {
      this.error(err instanceof ProtocolError ? err.toMessage() : { code: 'CQ_ERR_INTERNAL', message: 'the frame could not be decoded (a gateway bug, logged)' })
    }
    return this.#handleFrom(decoded.events, 0, receivedAtNs)
  }

  #handleFrom(events: CallEvent[], from: number, receivedAtNs: bigint): void | Promise<void> {
    for (let i = from; i < events.length; i++) {
      const event = events[i]!
      if (!this.#calls.has(event.callId)) {
        if (this.#calls.size >= this.#o.maxCallsPerConnection) {
          for (const callId of this.#calls) if (!this.#o.registry.isLive(callId)) this.#calls.delete(callId)
        }
        if (this.#calls.size >= this.#o.maxCallsPerConnection) {
          this.error(
            new ProtocolError(ErrorCodes.TOO_MANY_CALLS, `this connection already carries ${this.#calls.size} live calls (CALLQA_MAX_CALLS_PER_CONNECTION): open another connection for call ${event.callId}`, {
              callId: event.callId,
              ...(event.type === 'utterance' ? { seq: event.seq } : {}),
            }).toMessage(),
          )
          continue
        }
        this.#calls.add(event.callId)
      }
      const outcome = this.#o.registry.handle(event, this, receivedAtNs)
      // Only an event that needs Redis first returns a promise: later events of the frame wait for it.
      if (typeof outcome !== 'string') return outcome.then(() => this.#handleFrom(events, i + 1, receivedAtNs))
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
