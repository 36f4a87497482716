/**
 * Lua scripts of the live-call checkpoint. A call's durable state is `state` (`<version>\n<JSON
 * {started, snap}>`, an engine snapshot taken after `version` events) plus `log` (events fed since,
 * as JSON): snapshot + replay of the log = exactly what the owner holds in memory. Only the owner
 * (`owner` key) may write; taking a call over is one atomic CLAIM, so two instances never both
 * extend the same call and a stale instance learns it lost the call on its next write.
 *
 * Redis Cluster: every script touches the keys of one hash slot only, and names them all in KEYS.
 * The call scripts (CREATE, CLAIM, CHECKPOINT, FINALIZE) touch the keys of calls sharing one slot
 * (`{callId}`, see keys.ts); LIVE_INDEX touches the `{live}` structures, RECORD_ALERTS the
 * `{alerts}` ones. What spans slots (a call and the live index) is written in separate runs of
 * the same flush, each of them safe to repeat or to run for a call this instance lost (see each).
 */
import type { ChainableCommander, Cluster, Redis } from 'ioredis'

/**
 * CREATE: KEYS state owner ended log; ARGV me ttl stateValue.
 * Returns 'ended' (the call already ended), 'exists' (already started), or 'created'.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 'ended' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
redis.call('DEL', KEYS[4])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
return 'created'
`

/**
 * CLAIM: KEYS state owner log ended; ARGV me ttl.
 * Returns {'ended'} | {'unknown'} | {'ok', previousOwner, stateValue, logEntries}.
 */
const CLAIM = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {'ended'} end
local st = redis.call('GET', KEYS[1])
if not st then return {'unknown'} end
local prev = redis.call('GET', KEYS[2]) or ''
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
return {'ok', prev, st, redis.call('LRANGE', KEYS[3], 0, -1)}
`

/**
 * CHECKPOINT: the calls of one flush that share a slot (on a single Redis: every call of the
 * flush) in one script run, so the per-command cost of ioredis and Redis is paid once per group
 * (it dominated at 10,000 calls when paid per call).
 * KEYS owner state log of each call, in order. ARGV me ttl, then per call:
 * stateValue ('' = append only) refresh ('1' = reset the three TTLs) nLog log...
 * The TTLs are reset only when asked (at most every `liveRefreshMs`, flush.ts), not on every
 * event: a snapshot's SET carries its own TTL, and a log the RPUSH creates gets one at once, so
 * no key is ever left without a TTL. Returns one 1 / 0 per call (0: this instance no longer owns
 * the call; nothing written for it).
 */
const CHECKPOINT = `
local me, ttl = ARGV[1], ARGV[2]
local out = {}
local i = 3
for k = 1, #KEYS, 3 do
  local owner, state, log = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local stateValue = ARGV[i]
  local refresh = ARGV[i + 1] == '1'
  local nLog = tonumber(ARGV[i + 2])
  local logAt = i + 3
  i = logAt + nLog
  if redis.call('GET', owner) ~= me then
    out[#out + 1] = 0
  else
    if stateValue ~= '' then
      redis.call('SET', state, stateValue, 'EX', ttl)
      redis.call('DEL', log)
    elseif refresh then
      redis.call('EXPIRE', state, ttl)
    end
    if nLog > 0 then
      local length = redis.call('RPUSH', log, unpack(ARGV, logAt, logAt + nLog - 1))
      if refresh or length == nLog then redis.call('EXPIRE', log, ttl) end
    end
    if refresh then redis.call('EXPIRE', owner, ttl) end
    out[#out + 1] = 1
  end
end
return out
`

/**
 * LIVE_INDEX: KEYS live info; ARGV mode nowMs, then per call: callId infoJson ('' = unchanged).
 * mode 'add' (a call just created): ZADD, HSET. 'repair' (a repeated call.started: the first
 * one's index write may have been lost): ZADD NX, HSETNX. 'touch' (a checkpoint): only calls still
 * in the index, so a flush of an instance that lost the call, landing after its end removed it,
 * cannot bring it back (a flush lists a call for 'touch' only when its info changed or its
 * activity is due for a refresh, see flush.ts). 'remove' (the end): ZREM, HDEL.
 */
const LIVE_INDEX = `
local mode, now = ARGV[1], ARGV[2]
for i = 3, #ARGV, 2 do
  local callId, info = ARGV[i], ARGV[i + 1]
  if mode == 'remove' then
    redis.call('ZREM', KEYS[1], callId)
    redis.call('HDEL', KEYS[2], callId)
  elseif mode == 'repair' then
    redis.call('ZADD', KEYS[1], 'NX', now, callId)
    if info ~= '' then redis.call('HSETNX', KEYS[2], callId, info) end
  elseif mode == 'add' or redis.call('ZSCORE', KEYS[1], callId) then
    redis.call('ZADD', KEYS[1], now, callId)
    if info ~= '' then redis.call('HSET', KEYS[2], callId, info) end
  end
end
return 1
`

/**
 * Records added to the catch-up stream once each: KEYS stream, then each record's key; ARGV
 * streamMax ttl, then each record's JSON. A record goes into the stream (under `field`) the first
 * time its key is set, so a call moved mid-call never lists it twice. Returns the number added.
 * - RECORD_ALERTS (field `a`): alert ids are callId:findingId, the same on whichever instance
 *   raises them.
 * - RECORD_RETRACTIONS (field `r`): the message and whose call it is, kept by alertId so the
 *   catch-up leaves the alert out, and in the stream so a client catching up from a cursor after
 *   the alert learns of it.
 */
const recordOnce = (field: 'a' | 'r') => `
local added = 0
for k = 2, #KEYS do
  local json = ARGV[k + 1]
  if redis.call('SET', KEYS[k], json, 'NX', 'EX', ARGV[2]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${field}', json)
    added = added + 1
  end
end
return added
`
const RECORD_ALERTS = recordOnce('a')
const RECORD_RETRACTIONS = recordOnce('r')

/**
 * FINALIZE: KEYS ended state log owner; ARGV endedTtl.
 * Returns 1 for the first end of the call, 0 for a repeat.
 */
const FINALIZE = `
local first = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
if first then return 1 else return 0 end
`

type Arg = string | number

/** The scripts as ioredis custom commands (EVALSHA with a fallback to EVAL). Variadic ones take numkeys first. */
export interface LiveCommands {
  cqCreate(...args: Arg[]): Promise<string>
  cqClaim(...args: Arg[]): Promise<[string, string?, string?, string[]?]>
  cqFinalize(...args: Arg[]): Promise<number>
  cqCheckpoint(numKeys: number, ...args: Arg[]): Promise<number[]>
  cqLiveIndex(...args: Arg[]): Promise<number>
  cqRecordAlerts(numKeys: number, ...args: Arg[]): Promise<number>
  cqRecordRetractions(numKeys: number, ...args: Arg[]): Promise<number>
}

export function defineLiveCommands<C extends Redis | Cluster>(redis: C): C & LiveCommands {
  if (!(redis as unknown as Partial<LiveCommands>).cqCreate) {
    redis.defineCommand('cqCreate', { numberOfKeys: 4, lua: CREATE })
    redis.defineCommand('cqClaim', { numberOfKeys: 4, lua: CLAIM })
    redis.defineCommand('cqFinalize', { numberOfKeys: 4, lua: FINALIZE })
    redis.defineCommand('cqCheckpoint', { lua: CHECKPOINT })
    redis.defineCommand('cqLiveIndex', { numberOfKeys: 2, lua: LIVE_INDEX })
    redis.defineCommand('cqRecordAlerts', { lua: RECORD_ALERTS })
    redis.defineCommand('cqRecordRetractions', { lua: RECORD_RETRACTIONS })
  }
  return redis as C & LiveCommands
}

/** A pipeline with the checkpoint script (one run per slot group of a flush). */
export type LivePipeline = ChainableCommander & { cqCheckpoint(numKeys: number, ...args: Arg[]): LivePipeline }
