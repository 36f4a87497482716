/**
 * Rulebook replay from the console (`callqa replay`'s twin): `POST /v1/replays` {rulebook (YAML
 * text), sinceDays | since [, until]} checks the candidate with the engine's parser and queues the
 * same BullMQ flow the CLI queues (`startReplay` of @callqa/aggregator: day jobs under a merge job,
 * run by the workers); `GET /v1/replays/:replayId` answers its state, the chunks' progress summed
 * and, once done, the summary. 话务班长 and admin replay every team, 外呼管理员 their own teams
 * (and see only replays they started); everyone else 403. One user may have
 * `maxRunningPerUser` replays queued or running at once (429 CQ_ERR_TOO_MANY_REPLAYS beyond): a
 * replay of a year is hours of worker time, and the workers are shared with every other user.
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { replayQueue, replayStatus, startReplay } from '@callqa/aggregator'
import { parseRulebook, RulebookError } from '@callqa/engine'
import type { Principal } from '@callqa/protocol'
import { gatewayError, invalidParameter } from '../errors.js'
import { parseTimeBound } from './reports.js'
import { ErrorBody } from './review.js'

/** Largest candidate rulebook accepted (characters); the shipped one is about 40 Ki. */
export const MAX_REPLAY_RULEBOOK_CHARS = 256 * 1024
/** Longest range a replay may cover: a year. */
export const MAX_REPLAY_DAYS = 366
const DAY_MS = 86_400_000

const MAY_REPLAY = new Set<Principal['role']>(['shift_lead', 'outbound_manager', 'admin'])

export interface ReplayRoutesOptions {
  /** BullMQ prefix of the replay queue. @defaultValue the gateway core's config.bullPrefix */
  bullPrefix?: string
  /** Day-chunk size of a replay (tests make it smaller). @defaultValue one day */
  chunkMs?: number
  /** Replays one user may have queued or running at once. @defaultValue the core's config.maxReplaysPerUser */
  maxRunningPerUser?: number
}

const FINISHED_STATES = new Set(['completed', 'failed', 'unknown'])

function mayReplay(principal: Principal): void {
  if (!MAY_REPLAY.has(principal.role)) throw gatewayError('FORBIDDEN', `${principal.role} ${principal.username} may not replay rulebooks: ask a 话务班长 or 外呼管理员`)
}

const ReplayBody = Type.Object(
  {
    rulebook: Type.String({ minLength: 1, maxLength: MAX_REPLAY_RULEBOOK_CHARS }),
    sinceDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REPLAY_DAYS })),
    since: Type.Optional(Type.String({ maxLength: 40 })),
    until: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
)
const ReplayId = Type.String({ minLength: 1, maxLength: 64, pattern: '^r-[0-9a-f-]+$' })
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 429: ErrorBody }

export const replayRoutes: FastifyPluginAsyncTypebox<ReplayRoutesOptions> = async function replayRoutes(app, options) {
  const core = (app as FastifyInstance).callqa
  const prefix = options.bullPrefix ?? core.config.bullPrefix
  const timeZone = core.config.timeZone
  // A producer on the core's command connection: no connection of its own to open or quit.
  const queue = replayQueue(core.redis, prefix)
  app.addHook('onClose', () => queue.close())
  const maxRunning = options.maxRunningPerUser ?? core.config.maxReplaysPerUser

  /**
   * Holds one of the user's replay places (a placeholder in their set) or throws 429. The place is
   * taken before the count is read, so parallel requests cannot all pass; finished replays give
   * theirs back here.
   */
  async function reservePlace(username: string): Promise<{ key: string; placeholder: string }> {
    const key = core.keys.replaysOf(username)
    const held = await core.redis.smembers(key)
    const states = await Promise.all(held.map((id) => (id.startsWith('pending:') ? 'active' : queue.getJobState(id))))
    const finished = held.filter((_, i) => FINISHED_STATES.has(states[i]!))
    if (finished.length > 0) await core.redis.srem(key, ...finished)
    const placeholder = `pending:${randomUUID()}`
    // A week's expiry: a set whose user never starts another replay does not stay for ever.
    const replies = await core.redis.multi().sadd(key, placeholder).expire(key, 7 * 86_400).scard(key).exec()
    const count = Number(replies?.[2]?.[1] ?? Number.POSITIVE_INFINITY)
    if (count > maxRunning) {
      await core.redis.srem(key, placeholder)
      throw gatewayError('TOO_MANY_REPLAYS', `${username} has ${maxRunning} replays queued or running, the most one user may (CALLQA_MAX_REPLAYS_PER_USER): wait for one to finish`)
    }
    return { key, placeholder }
  }

  app.post(
    '/v1/replays',
    {
      preHandler: app.requirePrincipal,
      bodyLimit: MAX_REPLAY_RULEBOOK_CHARS * 4 + 1024,
      schema: { body: ReplayBody, response: { 202: Type.Unknown(), ...errors } },
    },
    async (request, reply) => {
      const principal = request.principal as Principal
      mayReplay(principal)
      const { rulebook, sinceDays, since, until } = request.body
      if ((sinceDays === undefined) === (since === undefined)) throw invalidParameter('sinceDays', 'give either sinceDays or since (a day YYYY-MM-DD or an ISO date-time), not both nor neither')
      const nowMs = Date.now()
      const fromMs = sinceDays !== undefined ? nowMs - sinceDays * DAY_MS : parseTimeBound('since', since!, timeZone)
      const toMs = until !== undefined ? parseTimeBound('until', until, timeZone) : nowMs + 1
      if (!(toMs > fromMs)) throw invalidParameter('until', 'must be after since')
      if (toMs - fromMs > (MAX_REPLAY_DAYS + 1) * DAY_MS) throw invalidParameter('since', `a replay covers at most ${MAX_REPLAY_DAYS} days`)
      const teamIds = principal.role === 'outbound_manager' ? [...(principal.teams ?? [])] : undefined
      if (teamIds && teamIds.length === 0) throw gatewayError('FORBIDDEN', `${principal.username} manages no team, so has no calls to replay`)
      // A bad candidate is told so even when the user's places are all taken.
      try {
        parseRulebook(rulebook, 'candidate.yaml')
      } catch (err) {
        if (err instanceof RulebookError) throw gatewayError('INVALID_RULEBOOK', err.message, { cause: err })
        throw err
      }
      const place = await reservePlace(principal.username)
      let started
      try {
        started = await startReplay(core.redis, prefix, { rulebookYaml: rulebook, rulebookName: 'candidate.yaml', fromMs, toMs, startedBy: principal.username, ...(teamIds ? { teamIds } : {}) }, options.chunkMs ? { chunkMs: options.chunkMs } : {})
      } catch (err) {
        await core.redis.srem(place.key, place.placeholder)
        throw err
      }
      await core.redis.multi().srem(place.key, place.placeholder).sadd(place.key, started.replayId).exec()
      return reply.status(202).send({ replayId: started.replayId, chunks: started.chunkIds.length, fromMs, toMs, ...(teamIds ? { teamIds } : {}) })
    },
  )

  app.get(
    '/v1/replays/:replayId',
    { preHandler: app.requirePrincipal, schema: { params: Type.Object({ replayId: ReplayId }), response: { 200: Type.Unknown(), ...errors } } },
    async (request) => {
      const principal = request.principal as Principal
      mayReplay(principal)
      const status = await replayStatus(queue, request.params.replayId)
      // A team manager's replays are theirs: another's (which may cover other teams) is not known to them.
      if (!status || (principal.role === 'outbound_manager' && status.startedBy !== principal.username)) throw gatewayError('UNKNOWN_REPLAY', `replay ${request.params.replayId} is not known to you (or finished more than a day ago): start it again`)
      return status
    },
  )
}
