/**
 * Every Redis key and queue name callqa uses, in one place (bullmq's `queue-keys` habit). A prefix
 * lets tests and several centers share one Redis. Gateway and aggregator both import from here.
 *
 * Redis Cluster: every key carries a hash tag, so that each script or MULTI touches one slot. A
 * call's keys share `{<callId>}` (its scripts: create, claim, checkpoint, finalize); each shared
 * structure has a fixed tag: `{live}` (the live ZSET and live-info HASH, updated together),
 * `{alerts}` (catch-up stream, alert records, acks: an alert is recorded once, atomically) and
 * `{login}` (the login back-off counters one attempt updates together). On a single Redis the
 * tags are just characters of the key.
 */
export const DEFAULT_PREFIX = 'callqa'

/**
 * BullMQ's key prefix: hash-tagged, so every key of a queue is in one slot, as BullMQ requires on
 * a Redis Cluster (docs.bullmq.io/patterns/redis-cluster). Env `CALLQA_BULL_PREFIX` overrides it.
 */
export const DEFAULT_BULL_PREFIX = '{callqa}'

/** BullMQ queue names (under DEFAULT_BULL_PREFIX, or CALLQA_BULL_PREFIX). */
export const QUEUES = {
  /** One job per ended call, jobId = callId: the final CallReport to store and count. */
  score: 'score',
  /** Outbound webhook deliveries (call.scored, alert.raised). */
  webhooks: 'webhooks',
} as const

export function redisKeys(prefix: string = DEFAULT_PREFIX) {
  return {
    prefix,
    // ---- live calls (gateway) ----
    // One call's keys: hash tag {callId} (one slot per call).
    /** Engine snapshot of a live call (JSON), checkpointed after each event. */
    callState: (callId: string) => `${prefix}:call:{${callId}}:state`,
    /** Set once when the call's end has been handled (NX guard: one score job per call). */
    callEnded: (callId: string) => `${prefix}:call:{${callId}}:ended`,
    /** Events fed since the last snapshot (LIST of event JSON): snapshot + replay of this log = the live state. */
    callLog: (callId: string) => `${prefix}:call:{${callId}}:log`,
    /** Counter of ASR streams of one channel of a call: each stream numbers its sentences in its own seq block. */
    asrStreams: (callId: string, speaker: string) => `${prefix}:call:{${callId}}:asr:${speaker}`,
    /** Gateway instance that owns the call now (checkpoints are conditional on it; handover moves it). */
    callOwner: (callId: string) => `${prefix}:call:{${callId}}:owner`,
    // The live index: hash tag {live}.
    /** HASH callId -> JSON CallUpdateMessage (latest) of every live call, for `GET /v1/live/calls`. */
    liveCallInfo: `${prefix}:{live}:info`,
    /** ZSET callId -> last activity (ms epoch) of live calls, for the idle sweep. */
    liveCalls: `${prefix}:{live}:calls`,
    // Alerts: hash tag {alerts}.
    /** JSON AlertMessage by alertId (TTL), so an acknowledgement can find the alert's call and team; also the once-only guard of the stream. */
    alert: (alertId: string) => `${prefix}:{alerts}:alert:${alertId}`,
    /** JSON retraction record by alertId (TTL like the alert): the catch-up leaves the alert out; also the once-only guard of its stream entry. */
    alertRetracted: (alertId: string) => `${prefix}:{alerts}:retracted:${alertId}`,
    /** Stream of alerts for `GET /v1/alerts/recent?since=` catch-up. */
    alertStream: `${prefix}:{alerts}:stream`,
    /** HASH alertId -> JSON ack {by, at}. */
    alertAcks: `${prefix}:{alerts}:acks`,
    /** Pub/sub channel fanning supervisor messages out to every gateway instance (cluster: PUBLISH reaches every node's subscribers). */
    fanout: `${prefix}:fanout`,
    /** SET of the replay ids one user has started and not yet seen finish: the per-user limit of POST /v1/replays. */
    replaysOf: (username: string) => `${prefix}:replays:{${username}}`,
    /** Pub/sub channel of console notifications (NotificationEvent JSON, packages/review): workers and gateways publish, every gateway delivers. */
    notifications: `${prefix}:notifications`,
    /** Telephony webhook ids already handled (idempotency), with a TTL. */
    webhookSeen: (webhookId: string) => `${prefix}:webhook:${webhookId}`,
    // ---- console accounts (gateway auth) ----
    /** STRING JSON SessionRecord of a console session, by SHA-256 of its cookie token; TTL = session lifetime (sliding). */
    session: (tokenHash: string) => `${prefix}:session:${tokenHash}`,
    /** STRING counter of login attempts from an address (`ip`) or failures for a username (`user`) in the current window. */
    loginAttempts: (scope: 'ip' | 'user' | 'pair' | 'device', value: string) => `${prefix}:{login}:${scope}:${value}`,
  }
}

export type RedisKeys = ReturnType<typeof redisKeys>
