/**
 * Supervisors: the alert socket, catch-up and acknowledgement.
 *
 * `GET /v1/alerts` (WebSocket; `request.principal` required, set before the upgrade). Query
 * `?teams=a,b` narrows to those teams (within what the principal may see, `canSee`). Server
 * messages: `alert`, `call` (started / live / ended), `transcript` (only for followed calls),
 * `alert.ack`, and replies `{"type":"hello",…}`, `{"type":"following",…}`, `{"type":"pong"}`,
 * `{"type":"error",…}`. Client messages (JSON text):
 * - `{"type":"follow","callId":"…"}` start receiving that call's live transcript: first the lines
 *   said so far (`transcript` messages in seq order, from this instance's engine monitor or the
 *   owner's Redis checkpoint), then the live ones; each seq once across the two;
 * - `{"type":"unfollow","callId":"…"}` stop;
 * - `{"type":"ping"}` answered with `{"type":"pong"}`.
 * A socket that cannot keep up (more than CALLQA_SUPERVISOR_MAX_BUFFER_BYTES unsent) is closed
 * with 1013; it reconnects and fetches what it missed from `GET /v1/alerts/recent?since=`.
 *
 * `GET /v1/alerts/recent?since=&limit=&teams=` alerts after `since` (a stream cursor from a
 * previous answer, exclusive; or a time as ms epoch / ISO 8601, minus CALLQA_RECENT_SKEW_MS), oldest
 * first, with acknowledgement fields; `cursor` continues from the last one. Deduplicate by alertId.
 * An alert withdrawn since (the live socket's `alert.retracted`) is left out of `alerts`, and every
 * retraction in the range whose alert is not in `alerts` is listed in `retracted` (the same messages as
 * on the socket), so a client that showed the alert before it disconnected removes it too.
 *
 * `POST /v1/alerts/:alertId/ack` records who acknowledged the alert and when (first one wins) in
 * the `alertAcks` hash and pushes `alert.ack` to every supervisor who may see the alert.
 *
 * `GET /v1/live/calls?teams=` the latest `call` message of every live call (all instances).
 *
 * All of these (socket, catch-up, live calls) answer 403 CQ_ERR_FORBIDDEN to a principal who does
 * not watch live calls (`watchesLiveCalls`: agents), the socket before the upgrade.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { canSee, Id, watchesLiveCalls, type AlertAckMessage, type AlertMessage, type AlertRetractedMessage, type CallUpdateMessage } from '@callqa/protocol'
import { GatewayError, GatewayErrorCodes } from '../errors.js'
import type { SupervisorClient } from '../fanout/hub.js'
import type { RetractionRecord } from '../live/checkpoint-store.js'

const TeamsQuery = Type.Optional(Type.String({ maxLength: 4096, description: 'comma-separated team ids' }))
const SocketQuery = Type.Object({ teams: TeamsQuery, token: Type.Optional(Type.String()) })
const RecentQuery = Type.Object({
  since: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  teams: TeamsQuery,
  token: Type.Optional(Type.String()),
})
const AlertSchema = Type.Object(
  {
    type: Type.Literal('alert'),
    alertId: Type.String(),
    callId: Type.String(),
    agentId: Type.String(),
    teamId: Type.String(),
    rule: Type.String(),
    severity: Type.String(),
    seq: Type.Optional(Type.Integer()),
    phrase: Type.Optional(Type.String()),
    text: Type.Optional(Type.String()),
    span: Type.Optional(Type.Array(Type.Integer())),
    direction: Type.Optional(Type.String()),
    cpm: Type.Optional(Type.Number()),
    atMs: Type.Number(),
    raisedAt: Type.String(),
    acknowledgedBy: Type.Optional(Type.String()),
    acknowledgedAt: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
)
const RetractedSchema = Type.Object({ type: Type.Literal('alert.retracted'), alertId: Type.String(), callId: Type.String(), reason: Type.String() })
const RecentReply = Type.Object({ alerts: Type.Array(AlertSchema), retracted: Type.Array(RetractedSchema), cursor: Type.Union([Type.String(), Type.Null()]) })
const AckParams = Type.Object({ alertId: Type.String({ minLength: 1, maxLength: 512 }) })
const AckReply = Type.Object({ alertId: Type.String(), callId: Type.String(), acknowledgedBy: Type.String(), acknowledgedAt: Type.String(), first: Type.Boolean() })
const LiveQuery = Type.Object({ teams: TeamsQuery, token: Type.Optional(Type.String()) })
const LiveReply = Type.Object({ calls: Type.Array(Type.Object({ type: Type.Literal('call'), callId: Type.String(), agentId: Type.String(), teamId: Type.String() }, { additionalProperties: true })) })

const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('follow'), callId: Id }),
  Type.Object({ type: Type.Literal('unfollow'), callId: Id }),
  Type.Object({ type: Type.Literal('ping') }),
])
type ClientMessage = Static<typeof ClientMessage>

/** Calls one supervisor socket may follow at once (each adds transcript traffic). */
const MAX_FOLLOWS = 50
/** History lines sent when a call is followed (the console keeps 500 per call). */
const MAX_HISTORY_LINES = 500
/** Least wait before reading another instance's checkpoint for a newly followed call. */
const HISTORY_SETTLE_MS = 50
/** Client messages are tiny; anything bigger is refused. */
const MAX_CLIENT_MESSAGE_BYTES = 1024

function parseTeams(teams: string | undefined): Set<string> | null {
  if (!teams) return null
  const list = teams
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
  return list.length > 0 ? new Set(list) : null
}

/** `since` → an XRANGE start: a cursor `ms-n` is exclusive; a time goes back by the skew allowance. */
export function rangeStart(since: string | undefined, skewMs: number): string {
  if (since === undefined || since === '') return '-'
  if (/^\d{1,20}-\d{1,20}$/.test(since)) return `(${since}`
  const ms = /^\d{1,16}$/.test(since) ? Number(since) : Date.parse(since)
  if (!Number.isFinite(ms)) {
    throw new GatewayError(GatewayErrorCodes.INVALID_SINCE, 400, `since must be a cursor (as returned in cursor), a ms epoch or an ISO 8601 time, got ${JSON.stringify(since)}`)
  }
  return `${Math.max(0, ms - skewMs)}-0`
}

/**
 * onRequest guard after `requirePrincipal`: live alerts, tiles and transcripts are for those who
 * watch live calls (`watchesLiveCalls`); an agent (外呼员) reads only their own after-call reports.
 * Runs before the WebSocket upgrade, so a refused socket gets a plain 403.
 */
async function requireLiveWatcher(request: FastifyRequest): Promise<void> {
  const principal = request.principal
  if (principal && !watchesLiveCalls(principal)) {
    throw new GatewayError(GatewayErrorCodes.FORBIDDEN, 403, `role ${principal.role} does not watch live calls: their after-call reports are under GET /v1/calls`)
  }
}

export async function supervisorRoutes(app: FastifyInstance): Promise<void> {
  const { config, redis, keys, hub, metrics, registry } = app.callqa
  void metrics
  const liveWatcher = [app.requirePrincipal, requireLiveWatcher]

  /**
   * A newly followed call: its transcript so far, then the live lines (held meanwhile). When another
   * instance owns the call, the follow announcement must reach it first (from then on it publishes
   * lines) and the lines it checkpointed before that must be in Redis: wait a few flush windows.
   */
  function sendHistory(client: SupervisorClient, callId: string, log: FastifyBaseLogger): void {
    hub.holdTranscript(client, callId)
    const waitMs = registry.isLive(callId) ? 0 : Math.max(HISTORY_SETTLE_MS, 4 * config.flushIntervalMs)
    const read = waitMs === 0 ? registry.transcriptOf(callId) : new Promise((r) => setTimeout(r, waitMs)).then(() => registry.transcriptOf(callId))
    read
      .then((history) => {
        const visible =
          history !== null &&
          (!client.teams || client.teams.has(history.teamId)) &&
          canSee(client.principal, { agentId: history.agentId, teamId: history.teamId, complaintRisk: history.complaintRisk })
        const lines = visible ? history.messages.slice(-MAX_HISTORY_LINES).map((m) => ({ seq: m.seq, json: JSON.stringify(m) })) : []
        hub.releaseTranscript(client, callId, lines)
      })
      .catch((err: Error) => {
        log.warn({ callId, err: err.message }, 'transcript history not read; the follower gets live lines only')
        hub.releaseTranscript(client, callId, [])
      })
  }

  app.get<{ Querystring: Static<typeof SocketQuery> }>(
    '/v1/alerts',
    { websocket: true, onRequest: liveWatcher, schema: { querystring: SocketQuery } },
    (socket, request) => {
      const principal = request.principal!
      const client: SupervisorClient = { ws: socket, principal, teams: parseTeams(request.query.teams), follows: new Set(), closed: false }
      hub.add(client)
      const log = request.log.child({ supervisor: principal.username })
      const reply = (message: Record<string, unknown>) => hub.sendTo(client, JSON.stringify(message))
      reply({ type: 'hello', principal: { username: principal.username, role: principal.role }, teams: client.teams ? [...client.teams] : null, protocol: 1 })
      socket.on('message', (data, isBinary) => {
        // Total: a bug met on one message is logged and answered; it never leaves this socket.
        try {
          onMessage(data as Buffer | Buffer[], isBinary)
        } catch (err) {
          log.error({ err }, 'supervisor socket: unexpected error')
          try {
            reply({ type: 'error', code: GatewayErrorCodes.INTERNAL, message: 'the message could not be handled (a gateway bug, logged)' })
          } catch {
            // best effort
          }
        }
      })
      function onMessage(data: Buffer | Buffer[], isBinary: boolean): void {
        const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength
        if (isBinary || size > MAX_CLIENT_MESSAGE_BYTES) {
          reply({ type: 'error', code: isBinary ? 'CQ_ERR_BINARY_FRAME' : 'CQ_ERR_FRAME_TOO_LARGE', message: `client messages are JSON text up to ${MAX_CLIENT_MESSAGE_BYTES} bytes` })
          return
        }
        let message: ClientMessage
        try {
          message = JSON.parse(Buffer.isBuffer(data) ? data.toString() : Buffer.concat(data).toString()) as ClientMessage
        } catch {
          reply({ type: 'error', code: 'CQ_ERR_NOT_JSON', message: 'client messages are JSON: {"type":"follow","callId":"…"}, {"type":"unfollow","callId":"…"} or {"type":"ping"}' })
          return
        }
        if (message?.type === 'ping') {
          reply({ type: 'pong' })
        } else if ((message?.type === 'follow' || message?.type === 'unfollow') && typeof message.callId === 'string' && /^[A-Za-z0-9._:@-]{1,128}$/.test(message.callId)) {
          if (message.type === 'follow') {
            if (!watchesLiveCalls(principal)) {
              reply({ type: 'error', code: GatewayErrorCodes.FORBIDDEN, message: `role ${principal.role} does not watch live transcripts`, callId: message.callId })
              return
            }
            if (client.follows.size >= MAX_FOLLOWS && !client.follows.has(message.callId)) {
              reply({ type: 'error', code: 'CQ_ERR_TOO_MANY_CALLS', message: `a socket follows at most ${MAX_FOLLOWS} calls: unfollow one first`, callId: message.callId })
              return
            }
            const fresh = !client.follows.has(message.callId)
            hub.follow(client, message.callId)
            if (fresh) sendHistory(client, message.callId, log)
          } else {
            hub.unfollow(client, message.callId)
          }
          reply({ type: 'following', callIds: [...client.follows] })
        } else {
          reply({ type: 'error', code: 'CQ_ERR_UNKNOWN_EVENT_TYPE', message: 'type must be follow, unfollow or ping (follow/unfollow need a callId)' })
        }
      }
      socket.on('close', () => hub.remove(client))
      socket.on('error', (err) => log.warn({ err: err.message }, 'supervisor socket error'))
    },
  )

  app.get<{ Querystring: Static<typeof RecentQuery> }>(
    '/v1/alerts/recent',
    { onRequest: liveWatcher, schema: { querystring: RecentQuery, response: { 200: RecentReply } } },
    async (request) => {
      const principal = request.principal!
      const teams = parseTeams(request.query.teams)
      const limit = request.query.limit ?? 200
      let start = rangeStart(request.query.since, config.recentSkewMs)
      let alerts: AlertMessage[] = []
      const retracted = new Map<string, AlertRetractedMessage>()
      let cursor: string | null = null
      // Entries the principal may not see are skipped; keep reading (bounded) until `limit` are found.
      for (let round = 0; round < 20 && alerts.length < limit; round++) {
        const entries = (await redis.xrange(keys.alertStream, start, '+', 'COUNT', limit * 2)) as [string, string[]][]
        if (entries.length === 0) break
        for (const [id, fields] of entries) {
          cursor = id
          const json = fields[1]
          if (!json) continue
          if (fields[0] === 'r') {
            const r = JSON.parse(json) as RetractionRecord
            if (teams && !teams.has(r.teamId)) continue
            if (!canSee(principal, { agentId: r.agentId, teamId: r.teamId, complaintRisk: r.complaintRisk })) continue
            retracted.set(r.message.alertId, r.message)
            continue
          }
          const alert = JSON.parse(json) as AlertMessage
          if (teams && !teams.has(alert.teamId)) continue
          if (!canSee(principal, { agentId: alert.agentId, teamId: alert.teamId, complaintRisk: alert.rule === 'complaint_risk' })) continue
          alerts.push(alert)
          if (alerts.length >= limit) break
        }
        start = `(${cursor}`
        if (entries.length < limit * 2) break
      }
      // Withdrawn after this page was written (or within it): left out, and said so.
      if (alerts.length > 0) {
        const later = await redis.mget(...alerts.map((a) => keys.alertRetracted(a.alertId)))
        later.forEach((json) => {
          if (json) {
            const r = JSON.parse(json) as RetractionRecord
            retracted.set(r.message.alertId, r.message)
          }
        })
        alerts = alerts.filter((a) => !retracted.has(a.alertId))
      }
      if (alerts.length > 0) {
        const acks = await redis.hmget(keys.alertAcks, ...alerts.map((a) => a.alertId))
        alerts.forEach((alert, i) => {
          const ack = acks[i]
          if (ack) {
            const { by, at } = JSON.parse(ack) as { by: string; at: string }
            alert.acknowledgedBy = by
            alert.acknowledgedAt = at
          }
        })
      }
      return { alerts, retracted: [...retracted.values()], cursor }
    },
  )

  app.post<{ Params: Static<typeof AckParams> }>(
    '/v1/alerts/:alertId/ack',
    { onRequest: app.requirePrincipal, schema: { params: AckParams, response: { 200: AckReply } } },
    async (request) => {
      const principal = request.principal!
      const { alertId } = request.params
      const json = await redis.get(keys.alert(alertId))
      if (!json) throw new GatewayError(GatewayErrorCodes.UNKNOWN_ALERT, 404, `alert ${alertId} is not known (or older than 7 days)`)
      const alert = JSON.parse(json) as AlertMessage
      const scope = { agentId: alert.agentId, teamId: alert.teamId, complaintRisk: alert.rule === 'complaint_risk' }
      if (!canSee(principal, scope)) throw new GatewayError(GatewayErrorCodes.FORBIDDEN, 403, `${principal.username} may not see alerts of team ${alert.teamId}`)
      const record = { by: principal.username, at: new Date().toISOString() }
      const first = (await redis.hsetnx(keys.alertAcks, alertId, JSON.stringify(record))) === 1
      const stored = first ? record : (JSON.parse((await redis.hget(keys.alertAcks, alertId)) ?? JSON.stringify(record)) as typeof record)
      if (first) {
        const message: AlertAckMessage = { type: 'alert.ack', alertId, callId: alert.callId, teamId: alert.teamId, acknowledgedBy: stored.by, acknowledgedAt: stored.at }
        app.callqa.bus.publish([{ kind: 'alert.ack', callId: alert.callId, agentId: alert.agentId, teamId: alert.teamId, complaintRisk: scope.complaintRisk, key: alertId, json: JSON.stringify(message) }])
        request.log.info({ callId: alert.callId, alertId }, 'alert acknowledged')
      }
      return { alertId, callId: alert.callId, acknowledgedBy: stored.by, acknowledgedAt: stored.at, first }
    },
  )

  app.get<{ Querystring: Static<typeof LiveQuery> }>(
    '/v1/live/calls',
    { onRequest: liveWatcher, schema: { querystring: LiveQuery, response: { 200: LiveReply } } },
    async (request) => {
      const principal = request.principal!
      const teams = parseTeams(request.query.teams)
      const all = await redis.hvals(keys.liveCallInfo)
      const calls: CallUpdateMessage[] = []
      for (const json of all) {
        const call = JSON.parse(json) as CallUpdateMessage
        if (teams && !teams.has(call.teamId)) continue
        if (!canSee(principal, { agentId: call.agentId, teamId: call.teamId, complaintRisk: call.complaintRisk === true })) continue
        calls.push(call)
      }
      calls.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      return { calls }
    },
  )
}
