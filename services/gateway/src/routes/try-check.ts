/**
 * The rulebook try-box's check: a pasted transcript (JSONL of protocol v1 events, or a plain
 * dialogue `坐席：…` / `客户：…` one utterance a line) through the engine. Runs in a worker thread
 * (try-worker.ts), never on the gateway's event loop.
 */
import { checkTranscript, type Rulebook } from '@callqa/engine'
import { decodeJsonl, type CallEvent } from '@callqa/protocol'
import { gatewayError } from '../errors.js'

const SPEAKER_PREFIX = /^\s*(坐席|客服|外呼员|话务员|agent|a|客户|用户|customer|c)\s*[:：]\s*/i
/** Largest answer of one try (JSON characters): about 64 Ki characters of dialogue with a finding on every line. */
export const MAX_TRY_ANSWER_CHARS = 2 * 1024 * 1024

/** Utterances of one pasted dialogue. */
export const MAX_TRY_UTTERANCES = 2000

/**
 * A plain dialogue as protocol events: one utterance a line, timed as if spoken at 120 characters
 * a minute with a 0.5 s pause between turns (speaking-rate and response-time findings are only as
 * real as that assumption).
 */
export function dialogueEvents(text: string, at: string): CallEvent[] {
  const callId = 'try-1'
  const events: CallEvent[] = [{ type: 'call.started', callId, agentId: 'try-agent', teamId: 'try-team', direction: 'outbound', at }]
  let atMs = 0
  let seq = 0
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return
    const m = SPEAKER_PREFIX.exec(raw)
    if (!m) {
      throw gatewayError('INVALID_TRANSCRIPT', `line ${i + 1}: start each line with 坐席： or 客户： (or agent: / customer:), got "${raw.slice(0, 30)}"`)
    }
    const who = m[1]!.toLowerCase()
    const speaker = ['客户', '用户', 'customer', 'c'].includes(who) ? 'customer' : 'agent'
    const said = raw.slice(m[0].length).trim()
    if (said === '') return
    if (seq >= MAX_TRY_UTTERANCES) throw gatewayError('INVALID_TRANSCRIPT', `more than ${MAX_TRY_UTTERANCES} utterances: check a shorter transcript`)
    const durationMs = Math.max(500, [...said].length * 500)
    events.push({ type: 'utterance', callId, seq: seq++, speaker, text: said.slice(0, 4000), startMs: atMs, endMs: atMs + durationMs, final: true })
    atMs += durationMs + 500
  })
  if (seq === 0) throw gatewayError('INVALID_TRANSCRIPT', 'the transcript has no utterance')
  events.push({ type: 'call.ended', callId, endMs: atMs, disposition: 'success' })
  return events
}

/** The answer of `POST /v1/rulebook/try`. */
export function checkPastedTranscript(rulebook: Rulebook, text: string, nowIso: string) {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? ''
  let events: CallEvent[]
  let decodeErrors: Array<{ code: string; message: string; line?: number }> = []
  if (firstLine.trim().startsWith('{')) {
    const decoded = decodeJsonl(text)
    events = decoded.events
    decodeErrors = decoded.errors.map((e) => ({ code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) }))
  } else {
    events = dialogueEvents(text, nowIso)
  }
  const result = checkTranscript(rulebook, events)
  return {
    rulebook: { id: rulebook.id, version: rulebook.version },
    reports: result.reports,
    errors: [...decodeErrors, ...result.errors.map((e) => ({ code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) }))],
    warnings: result.warnings,
  }
}
