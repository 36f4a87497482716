/**
 * Console notifications (issue 12 item 6): an agent's new deductions and appeal outcomes, a
 * manager's appeals waiting. Not the supervisor socket: agents stay refused from live call data
 * there (403); this channel carries nothing but notifications addressed to the principal
 * (`addressedTo` in @callqa/review, the one scope rule, used for the list and the live push alike).
 *
 * - `GET /v1/notifications` (HTTP): `{items, unread, waiting}` — unread ones from PostgreSQL, newest
 *   first, `waiting` the manager's pending/overdue appeals (null for agents). Survives a reload.
 * - `GET /v1/notifications` (WebSocket, cookie session, Origin-checked like every socket): server
 *   messages `{"type":"hello"}`, `{"type":"notification","notification":{…,read,overdue}}`,
 *   `{"type":"notifications.resolved","ids"}` (an appeal was decided: no longer waiting),
 *   `{"type":"notifications.read","ids"}` (read on another page of the same user). Client messages:
 *   `{"type":"ping"}` only. The page lists first, then applies live messages by id.
 * - `POST /v1/notifications/read` `{"ids":[…]}` or `{"all":true}`: marks read for this user.
 * Roles without notifications (话务班长, admin) get 403 on all three.
 *
 * Live push: workers and gateways publish `NotificationEvent`s on the Redis channel
 * `keys.notifications`; every gateway instance subscribes (a connection of its own) and forwards
 * each to the sockets here it is addressed to.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { WebSocket } from 'ws'
import type { Principal } from '@callqa/protocol'
import { addressedTo, decodeNotificationEvent, encodeNotificationEvent, notificationOverdue, receivesNotifications, type NotificationEvent } from '@callqa/review'
import { NotificationStore } from '@callqa/review/pg'
import { connectRedis, type ReportStore } from '@callqa/store'
import { GatewayError, GatewayErrorCodes } from '../errors.js'
import { CLOSE_TRY_AGAIN_LATER } from '../fanout/hub.js'
import { reportStoreFor, storeReady } from '../routes/reports.js'

export interface NotificationRoutesOptions {
  store?: ReportStore
}

interface NotifyClient {
  ws: WebSocket
  principal: Principal
}

/** Client messages are pings; anything bigger is refused. */
const MAX_CLIENT_MESSAGE_BYTES = 256
/** A page that does not read its notifications for this long is behind: closed, it reloads the list. */
const MAX_BUFFER_BYTES = 1024 * 1024

async function requireRecipient(request: FastifyRequest): Promise<void> {
  const principal = request.principal
  if (principal && !receivesNotifications(principal)) {
    throw new GatewayError(GatewayErrorCodes.FORBIDDEN, 403, `role ${principal.role} has no notifications (agents, 外呼管理员 and 投诉管理员 do)`)
  }
}

/** Local delivery of one event to the sockets it concerns. */
export function deliverNotification(clients: Iterable<NotifyClient>, event: NotificationEvent, nowMs: number): number {
  let sent = 0
  let json: string | undefined
  for (const client of clients) {
    let wanted: boolean
    switch (event.type) {
      case 'notification':
        wanted = addressedTo(client.principal, event.notification)
        json ??= JSON.stringify({ type: 'notification', notification: { ...event.notification, read: false, overdue: notificationOverdue(event.notification, nowMs) } })
        break
      case 'resolved':
        wanted = addressedTo(client.principal, { audience: event.audience, teamId: event.teamId, agentId: '' })
        json ??= JSON.stringify({ type: 'notifications.resolved', ids: event.ids })
        break
      case 'read':
        wanted = client.principal.username === event.username
        json ??= JSON.stringify({ type: 'notifications.read', ids: event.ids })
        break
    }
    if (!wanted) continue
    if (client.ws.bufferedAmount + json.length > MAX_BUFFER_BYTES) {
      client.ws.close(CLOSE_TRY_AGAIN_LATER, 'send buffer full: reload the notifications')
      continue
    }
    client.ws.send(json)
    sent++
  }
  return sent
}

export const notificationRoutes: FastifyPluginAsyncTypebox<NotificationRoutesOptions> = async function notificationRoutes(app, options) {
  const reports = reportStoreFor(app, options)
  const notifications = new NotificationStore(reports.sql)
  const core = (app as FastifyInstance & { callqa?: FastifyInstance['callqa'] }).callqa
  const clients = new Set<NotifyClient>()
  const guard = [app.requirePrincipal, requireRecipient]

  if (core) {
    const subscriber = connectRedis({ url: core.config.redisUrl, clusterNodes: core.config.redisClusterNodes }, { maxRetriesPerRequest: null, connectionName: `callqa-notify-${core.config.instanceId}` })
    subscriber.on('error', (err: Error) => app.log.warn({ err: err.message, connection: 'notifications' }, 'redis connection error'))
    const channel = core.keys.notifications
    subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return
      const event = decodeNotificationEvent(text)
      if (!event) {
        app.log.warn({ channel }, 'ignored a message on the notification channel that is not a callqa notification')
        return
      }
      try {
        deliverNotification(clients, event, Date.now())
      } catch (err) {
        app.log.error({ err }, 'notification delivery failed')
      }
    })
    await subscriber.subscribe(channel)
    app.addHook('onClose', async () => {
      for (const c of clients) c.ws.close(1001, 'gateway shutting down')
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => undefined)
      subscriber.disconnect()
    })
  }

  const publish = async (event: NotificationEvent) => {
    if (core) await core.redis.publish(core.keys.notifications, encodeNotificationEvent(event))
  }

  app.route({
    method: 'GET',
    url: '/v1/notifications',
    onRequest: guard,
    schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }) },
    handler: async (request: FastifyRequest<{ Querystring: { limit?: number } }>) => {
      await storeReady(app, reports)
      return notifications.list(request.principal!, { nowMs: Date.now(), ...(request.query.limit ? { limit: request.query.limit } : {}) })
    },
    wsHandler: (socket: WebSocket, request: FastifyRequest) => {
      const client: NotifyClient = { ws: socket, principal: request.principal! }
      clients.add(client)
      const log = request.log.child({ notifications: client.principal.username })
      socket.send(JSON.stringify({ type: 'hello', principal: { username: client.principal.username, role: client.principal.role }, protocol: 1 }))
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary || data.byteLength > MAX_CLIENT_MESSAGE_BYTES) {
          socket.send(JSON.stringify({ type: 'error', code: 'CQ_ERR_FRAME_TOO_LARGE', message: `client messages are {"type":"ping"} (JSON text up to ${MAX_CLIENT_MESSAGE_BYTES} bytes)` }))
          return
        }
        let type: unknown
        try {
          type = (JSON.parse(data.toString()) as { type?: unknown })?.type
        } catch {
          type = undefined
        }
        if (type === 'ping') socket.send(JSON.stringify({ type: 'pong' }))
        else socket.send(JSON.stringify({ type: 'error', code: 'CQ_ERR_UNKNOWN_EVENT_TYPE', message: 'the notification socket takes {"type":"ping"} only: mark read with POST /v1/notifications/read' }))
      })
      socket.on('close', () => clients.delete(client))
      socket.on('error', (err: Error) => log.warn({ err: err.message }, 'notification socket error'))
    },
  })

  app.post(
    '/v1/notifications/read',
    {
      onRequest: guard,
      schema: {
        body: Type.Object(
          { ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 600 }), { maxItems: 500 })), all: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      await storeReady(app, reports)
      const { ids, all } = request.body
      if (!all && (!ids || ids.length === 0)) {
        throw new GatewayError(GatewayErrorCodes.VALIDATION, 400, 'the request does not match the route\'s schema: send {"ids":[…]} or {"all":true}')
      }
      const principal = request.principal!
      const read = await notifications.markRead(principal, all ? 'all' : ids!, Date.now())
      if (read.length > 0) {
        await publish({ type: 'read', username: principal.username, ids: read }).catch((err: Error) => request.log.warn({ err: err.message }, 'read marks not pushed to the other pages'))
      }
      return { read }
    },
  )
}
