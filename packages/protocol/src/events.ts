import Type, { type Static } from 'typebox'

/**
 * Protocol v1: the events a telephony platform or ASR farm sends about a call. The same objects
 * travel as WebSocket text frames, webhook bodies and lines of a JSONL transcript file.
 * `startMs`/`endMs` are milliseconds from the call's start.
 */

/** Call, agent and team ids: printable, no spaces, at most 128 characters. */
export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' })
/** Milliseconds from the start of the call; up to 24 h. */
export const OffsetMs = Type.Integer({ minimum: 0, maximum: 86_400_000 })

export const MAX_UTTERANCE_CHARS = 4000
export const MAX_WORDS_PER_UTTERANCE = 1000

export const Speaker = Type.Union([Type.Literal('agent'), Type.Literal('customer')])
export type Speaker = Static<typeof Speaker>

export const Disposition = Type.Union([
  Type.Literal('success'),
  Type.Literal('failed'),
  Type.Literal('no_answer'),
  Type.Literal('abandoned'),
])
export type Disposition = Static<typeof Disposition>

export const CallStarted = Type.Object(
  {
    type: Type.Literal('call.started'),
    callId: Id,
    agentId: Id,
    teamId: Id,
    direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
    /** Wall-clock start of the call, ISO 8601. */
    at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
)
export type CallStarted = Static<typeof CallStarted>

export const Word = Type.Object(
  { text: Type.String({ maxLength: 64 }), startMs: OffsetMs, endMs: OffsetMs },
  { additionalProperties: false },
)
export type Word = Static<typeof Word>

export const Utterance = Type.Object(
  {
    type: Type.Literal('utterance'),
    callId: Id,
    /** Numbers a call's utterances; a partial and the final that replaces it share a seq. */
    seq: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    speaker: Speaker,
    text: Type.String({ maxLength: MAX_UTTERANCE_CHARS }),
    startMs: OffsetMs,
    endMs: OffsetMs,
    /** false marks an ASR partial that a later utterance with the same seq replaces. */
    final: Type.Optional(Type.Boolean()),
    words: Type.Optional(Type.Array(Word, { maxItems: MAX_WORDS_PER_UTTERANCE })),
  },
  { additionalProperties: false },
)
export type Utterance = Static<typeof Utterance>

export const CallEnded = Type.Object(
  {
    type: Type.Literal('call.ended'),
    callId: Id,
    endMs: OffsetMs,
    disposition: Disposition,
    /** Wall-clock end, ISO 8601 (optional; webhooks usually carry it). */
    at: Type.Optional(Type.String({ format: 'date-time' })),
    /** Who hung up, when the telephony knows (optional): a customer who hangs up leaves the agent no closing to say. */
    hungUpBy: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('customer')])),
  },
  { additionalProperties: false },
)
export type CallEnded = Static<typeof CallEnded>

export type CallEvent = CallStarted | Utterance | CallEnded
export type CallEventType = CallEvent['type']
export const EVENT_TYPES: readonly CallEventType[] = ['call.started', 'utterance', 'call.ended']

/** Events the telephony webhook accepts (lifecycle only; transcripts come over the socket). */
export const LifecycleEvent = Type.Union([CallStarted, CallEnded])
export type LifecycleEvent = CallStarted | CallEnded
