/**
 * Lua scripts of the live-call checkpoint. A call's durable state is `state` (`<version>\n<JSON
 * {started, snap}>`, an engine snapshot taken after `version` events) plus `log` (events fed since,
 * as JSON): snapshot + replay of the log = exactly what the owner holds in memory. Only the owner
 * (`owner` key) may write; taking a call over is one atomic CLAIM, so two instances never both
 * extend the same call and a stale instance learns it lost the call on its next write.
 */
import type { Redis, ChainableCommander } from 'ioredis'

/**
 * CREATE: KEYS state owner live ended log info; ARGV me nowMs ttl stateValue infoJson callId.
 * Returns 'ended' (the call already ended), 'exists' (already started), or 'created'.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 'ended' end
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])
redis.call('DEL', KEYS[5])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[6])
redis.call('HSET', KEYS[6], ARGV[6], ARGV[5])
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
 * CHECKPOINT_BATCH: every call of one flush in one script run (one command instead of one per call:
 * the per-command cost in ioredis and Redis dominated at 10,000 calls).
 * KEYS live alerts info. ARGV me nowMs ttl streamMax alertTtl, then the key templates (prefix and
 * suffix around the callId / alertId, from keys.ts) of owner state log alert alertRetracted, then per call:
 * callId stateValue('' = append only) infoJson('' = unchanged) nLog log... nAlerts (alertId alertJson)...
 * nRetractions (alertId retractionJson)... — a retraction is kept by alertId (TTL) and added to the alert
 * stream (field `r`), so the catch-up omits the alert and a client that saw it learns of the retraction.
 * Returns one 1 / 0 per call (0: this instance no longer owns the call; nothing written for it).
 */
const CHECKPOINT_BATCH = `
local me, now, ttl, streamMax, alertTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ownerPre, ownerSuf, statePre, stateSuf, logPre, logSuf, alertPre, alertSuf = ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13]
local retractedPre, retractedSuf = ARGV[14], ARGV[15]
local out = {}
local i = 16
while i <= #ARGV do
  local callId = ARGV[i]
  local stateValue = ARGV[i + 1]
  local info = ARGV[i + 2]
  local nLog = tonumber(ARGV[i + 3])
  local logAt = i + 4
  local nAlerts = tonumber(ARGV[logAt + nLog])
  local alertAt = logAt + nLog + 1
  local nRetracted = tonumber(ARGV[alertAt + 2 * nAlerts])
  local retractedAt = alertAt + 2 * nAlerts + 1
  i = retractedAt + 2 * nRetracted
  local owner = ownerPre .. callId .. ownerSuf
  if redis.call('GET', owner) ~= me then
    out[#out + 1] = 0
  else
    local state = statePre .. callId .. stateSuf
    local log = logPre .. callId .. logSuf
    if stateValue ~= '' then
      redis.call('SET', state, stateValue, 'EX', ttl)
      redis.call('DEL', log)
    else
      redis.call('EXPIRE', state, ttl)
    end
    if nLog > 0 then
      redis.call('RPUSH', log, unpack(ARGV, logAt, logAt + nLog - 1))
      redis.call('EXPIRE', log, ttl)
    end
    redis.call('EXPIRE', owner, ttl)
    redis.call('ZADD', KEYS[1], now, callId)
    if info ~= '' then redis.call('HSET', KEYS[3], callId, info) end
    for a = alertAt, alertAt + 2 * nAlerts - 1, 2 do
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', streamMax, '*', 'a', ARGV[a + 1])
      redis.call('SET', alertPre .. ARGV[a] .. alertSuf, ARGV[a + 1], 'EX', alertTtl)
    end
    for r = retractedAt, retractedAt + 2 * nRetracted - 1, 2 do
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', streamMax, '*', 'r', ARGV[r + 1])
      redis.call('SET', retractedPre .. ARGV[r] .. retractedSuf, ARGV[r + 1], 'EX', alertTtl)
    end
    out[#out + 1] = 1
  end
end
return out
`

/**
 * FINALIZE: KEYS ended state log owner live info; ARGV callId endedTtl.
 * Returns 1 for the first end of the call, 0 for a repeat.
 */
const FINALIZE = `
local first = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
if first then return 1 else return 0 end
`

type Arg = string | number

/** The scripts as ioredis custom commands (EVALSHA with a fallback to EVAL, pipeline-friendly). */
export interface LiveCommands {
  cqCreate(...args: Arg[]): Promise<string>
  cqClaim(...args: Arg[]): Promise<[string, string?, string?, string[]?]>
  cqFinalize(...args: Arg[]): Promise<number>
  cqCheckpointBatch(...args: Arg[]): Promise<number[]>
}

export function defineLiveCommands(redis: Redis): Redis & LiveCommands {
  if (!(redis as unknown as Partial<LiveCommands>).cqCreate) {
    redis.defineCommand('cqCreate', { numberOfKeys: 6, lua: CREATE })
    redis.defineCommand('cqClaim', { numberOfKeys: 4, lua: CLAIM })
    redis.defineCommand('cqFinalize', { numberOfKeys: 6, lua: FINALIZE })
    redis.defineCommand('cqCheckpointBatch', { numberOfKeys: 3, lua: CHECKPOINT_BATCH })
  }
  return redis as Redis & LiveCommands
}

export type LivePipeline = ChainableCommander & { cqCheckpointBatch(...args: Arg[]): LivePipeline }

/** A key of keys.ts as the prefix and suffix around its id, so Lua builds it without a second copy of the layout. */
export function keyTemplate(build: (id: string) => string): [string, string] {
  const marker = '\u0000id\u0000'
  const key = build(marker)
  const at = key.indexOf(marker)
  return [key.slice(0, at), key.slice(at + marker.length)]
}
