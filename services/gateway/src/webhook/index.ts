/**
 * `POST /v1/webhooks/telephony`: call.started / call.ended from the telephony platform, signed per
 * Standard Webhooks (HMAC-SHA256 over `id.timestamp.body`, `whsec_` secret, 5-minute tolerance,
 * verified by the `standardwebhooks` package over the exact bytes received).
 *
 * 401 CQ_ERR_WEBHOOK_SIGNATURE: bad, missing or stale signature. 400 CQ_ERR_INVALID_BODY: not a
 * lifecycle event (the message names the field). 200 `{ok, duplicate}`: handled, or a `webhook-id`
 * already handled (nothing done twice). A call.ended answers once the score job is queued.
 */
import type { FastifyInstance } from 'fastify'
import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import { Type } from 'typebox'
import { decodeEvent, ErrorCodes, ProtocolError, type CallEvent } from '@callqa/protocol'
import type { EventSink } from '../live/registry.js'
import { GatewayError, GatewayErrorCodes } from '../errors.js'

const Headers = Type.Object({
  'webhook-id': Type.Optional(Type.String({ maxLength: 256 })),
  'webhook-timestamp': Type.Optional(Type.String({ maxLength: 32 })),
  'webhook-signature': Type.Optional(Type.String({ maxLength: 4096 })),
})

const Reply = Type.Object({
  ok: Type.Boolean(),
  duplicate: Type.Boolean(),
  type: Type.String(),
  callId: Type.String(),
})

/** Standard Webhooks recommends payloads under 20 kB; lifecycle events are far smaller. */
const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024

export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const { config, registry, redis, keys } = app.callqa
  const verifier = config.webhookSecret ? new Webhook(config.webhookSecret) : null

  // The signature covers the exact bytes sent: keep the body as a string (this plugin only).
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_req, body, done) => done(null, body))

  app.post(
    '/v1/webhooks/telephony',
    { schema: { headers: Headers, response: { 200: Reply } }, bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
    async (request) => {
      if (!verifier) {
        throw new GatewayError(GatewayErrorCodes.WEBHOOK_DISABLED, 503, 'the telephony webhook is disabled: set CALLQA_WEBHOOK_SECRET (whsec_…) on the gateway')
      }
      const raw = typeof request.body === 'string' ? request.body : ''
      const headers = {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      }
      let payload: unknown
      try {
        payload = verifier.verify(raw, headers)
      } catch (err) {
        // verify() parses the body only after the signature matched: a SyntaxError is a signed body
        // that is not JSON, the sender's bug, not a forgery.
        if (err instanceof SyntaxError) {
          throw new GatewayError(ErrorCodes.NOT_JSON, 400, `the webhook is correctly signed but its body is not JSON (${err.message}): send one lifecycle event as a JSON object`)
        }
        if (err instanceof WebhookVerificationError) {
          throw new GatewayError(GatewayErrorCodes.WEBHOOK_SIGNATURE, 401, `webhook rejected: ${(err as Error).message} (sign id.timestamp.body with CALLQA_WEBHOOK_SECRET; timestamps within 5 minutes)`)
        }
        throw err
      }
      let event: CallEvent
      try {
        event = decodeEvent(payload)
      } catch (err) {
        const e = err as ProtocolError
        throw new GatewayError(e.code === ErrorCodes.NESTING_TOO_DEEP ? e.code : GatewayErrorCodes.INVALID_BODY, 400, `${e.message}${e.field ? ` (field ${e.field})` : ''}`)
      }
      if (event.type === 'utterance') {
        throw new GatewayError(GatewayErrorCodes.INVALID_BODY, 400, 'type must be call.started or call.ended, got "utterance" (field type): transcripts go over the ingest socket')
      }
      const seenKey = keys.webhookSeen(headers['webhook-id'])
      const first = await redis.set(seenKey, '1', 'EX', config.webhookDedupSeconds, 'NX')
      if (first === null) return { ok: true, duplicate: true, type: event.type, callId: event.callId }
      const log = request.log.child({ callId: event.callId })
      try {
        const problem = await handleLifecycle(event)
        if (problem) {
          await redis.del(seenKey)
          if (problem.code === ErrorCodes.CALL_ENDED && event.type === 'call.started') {
            throw new GatewayError(GatewayErrorCodes.INVALID_BODY, 409, problem.message)
          }
          if (problem.code === ErrorCodes.UNKNOWN_CALL) throw new GatewayError(GatewayErrorCodes.UNKNOWN_CALL, 404, problem.message)
          throw new GatewayError(GatewayErrorCodes.UNAVAILABLE, 503, problem.message)
        }
      } catch (err) {
        if (!(err instanceof GatewayError)) {
          await redis.del(seenKey).catch(() => {})
          log.error({ err: (err as Error).message }, 'webhook event failed')
        }
        throw err
      }
      log.info({ type: event.type, webhookId: headers['webhook-id'] }, 'telephony webhook handled')
      return { ok: true, duplicate: false, type: event.type, callId: event.callId }
    },
  )

  /** Runs the event through the registry; resolves with the coded problem, if any. */
  function handleLifecycle(event: CallEvent): Promise<{ code: string; message: string } | undefined> {
    return new Promise((resolve, reject) => {
      let problem: { code: string; message: string } | undefined
      const sink: EventSink = {
        ack: () => {},
        error: (e) => {
          problem = { code: e.code, message: e.message }
          resolve(problem)
        },
        ended: (_callId, outcome) => resolve(outcome === 'queued' ? undefined : { code: GatewayErrorCodes.UNAVAILABLE, message: 'the call end could not be queued: retry' }),
      }
      const pending = registry.handle(event, sink, process.hrtime.bigint(), 'webhook')
      Promise.resolve(pending).then(() => {
        // call.started finishes here; call.ended resolves through `ended` after its flush.
        if (event.type === 'call.started' || problem) resolve(problem)
      }, reject)
    })
  }
}
