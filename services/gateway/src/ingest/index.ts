/**
 * Ingest sockets: `GET /v1/ingest` (protocol v1 frames) and `GET /v1/ingest/asr/:format`
 * (a streaming ASR server's result messages for one channel of one call). The bearer token is
 * checked in `onRequest`, i.e. before the WebSocket upgrade: a bad token gets a plain 401.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { decodeFrame, Id, type FrameLimits } from '@callqa/protocol'
import { requestToken, sameToken } from '../auth/index.js'
import { ASR_ADAPTERS, ASR_FORMATS, type AsrFormat } from '../asr/index.js'
import { MAX_STREAMS_PER_CHANNEL } from '../asr/common.js'
import { decodeAsrFrame } from '../asr/frame.js'
import { GatewayError, GatewayErrorCodes } from '../errors.js'
import { IngestConnection } from './connection.js'

const IngestQuery = Type.Object({
  token: Type.Optional(Type.String()),
  /** `batch`: acknowledgements come as one `acks` message per flush (AckBatchMessage); default one `ack` per utterance. */
  acks: Type.Optional(Type.Union([Type.Literal('each'), Type.Literal('batch')])),
})

const AsrParams = Type.Object({ format: Type.Union(ASR_FORMATS.map((f) => Type.Literal(f))) })
const AsrQuery = Type.Object({
  callId: Id,
  speaker: Type.Union([Type.Literal('agent'), Type.Literal('customer')]),
  /** Where this audio stream starts in the call, ms. */
  offsetMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  token: Type.Optional(Type.String()),
})

/** The ASR stream number found before the upgrade, per request. */
const asrStreamOf = new WeakMap<FastifyRequest, number>()

export async function ingestRoutes(app: FastifyInstance): Promise<void> {
  const { config, registry, metrics } = app.callqa
  const limits: FrameLimits = { maxFrameBytes: config.maxFrameBytes, maxEventsPerFrame: config.maxEventsPerFrame }

  async function checkIngestToken(request: FastifyRequest): Promise<void> {
    const token = requestToken(request)
    if (token === undefined || !config.ingestTokens.some((t) => sameToken(token, t))) {
      throw new GatewayError(GatewayErrorCodes.UNAUTHORIZED, 401, 'ingest needs Authorization: Bearer <token> (or ?token=) with one of CALLQA_INGEST_TOKENS')
    }
  }

  const common = {
    eventsPerSecond: config.ingestEventsPerSecond,
    burstEvents: config.ingestBurstEvents,
    maxCallsPerConnection: config.maxCallsPerConnection,
    registry,
    metrics,
  }

  app.get<{ Querystring: Static<typeof IngestQuery> }>('/v1/ingest', { websocket: true, onRequest: checkIngestToken, schema: { querystring: IngestQuery } }, (socket, request) => {
    new IngestConnection({
      ...common,
      batchAcks: request.query.acks === 'batch',
      ackBatchIntervalMs: config.ackBatchIntervalMs,
      socket,
      log: request.log,
      decode: (data, isBinary) => decodeFrame(data, isBinary, limits),
    })
  })

  app.get<{ Params: Static<typeof AsrParams>; Querystring: Static<typeof AsrQuery> }>(
    '/v1/ingest/asr/:format',
    {
      websocket: true,
      onRequest: checkIngestToken,
      schema: { params: AsrParams, querystring: AsrQuery },
      // Before the upgrade: which stream of this channel this connection is (a reconnect is the next one).
      preHandler: async (request) => {
        const key = app.callqa.keys.asrStreams(request.query.callId, request.query.speaker)
        const [[, count]] = (await app.callqa.redis.multi().incr(key).expire(key, config.callStateTtlSeconds).exec()) as [[null, number]]
        if (count > MAX_STREAMS_PER_CHANNEL) {
          throw new GatewayError(GatewayErrorCodes.TOO_MANY_STREAMS, 409, `the ${request.query.speaker} channel of call ${request.query.callId} has opened ${MAX_STREAMS_PER_CHANNEL} ASR streams, the most one call may: start a new call`)
        }
        asrStreamOf.set(request, count - 1)
      },
    },
    (socket, request) => {
      const format = request.params.format as AsrFormat
      const { callId, speaker } = request.query
      const adapter = ASR_ADAPTERS[format]({ callId, speaker, offsetMs: request.query.offsetMs ?? 0, stream: asrStreamOf.get(request) ?? 0 })
      const openedAt = performance.now()
      const nowMs = () => Math.round(performance.now() - openedAt)
      const log = request.log.child({ callId, speaker, asr: format })
      new IngestConnection({
        ...common,
        socket,
        log,
        decode: (data, isBinary) => decodeAsrFrame(format, adapter, callId, data, isBinary, limits, nowMs()),
        onClose: () => ({ events: adapter.end(nowMs()), errors: [] }),
      })
    },
  )
}
