/**
 * The supervisors' console: the Vite build of services/console served at `/`, and the rulebook
 * routes the console's rulebook page uses.
 *
 * - `GET /v1/rulebook` (any logged-in principal): the active rulebook's rules and phrases, read-only.
 * - `POST /v1/rulebook/try` {text} (any logged-in principal): checks a pasted transcript, JSONL
 *   (protocol v1 events) or a plain dialogue (`坐席：…` / `客户：…` one utterance a line), with the
 *   active rulebook and answers the engine's reports. Nothing is stored.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fastifyStatic from '@fastify/static'
import { checkTranscript, loadDefaultRulebook, type Rulebook } from '@callqa/engine'
import { decodeJsonl, type CallEvent } from '@callqa/protocol'

export const DEFAULT_CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist', import.meta.url))

/** Pasted transcripts: 256 KiB, about two hours of dialogue. */
export const MAX_TRY_TEXT_CHARS = 256 * 1024
const MAX_TRY_UTTERANCES = 2000

export interface ConsoleRoutesOptions {
  /** The active rulebook. @defaultValue the gateway core's (`app.callqa.rulebook`), else the engine's default */
  rulebook?: Rulebook
  /** The console build. @defaultValue services/console/dist */
  distDir?: string
}

/** The rulebook as JSON: every rule's parameters and its phrases as written (compiled matchers left out). */
export function describeRulebook(rulebook: Rulebook) {
  const rules = Object.entries(rulebook.rules).map(([rule, params]) => {
    const plain = JSON.parse(JSON.stringify(params, (key, value) => (key === 'matcher' ? undefined : value))) as Record<string, unknown>
    if (Array.isArray(plain.phrases)) {
      plain.phrases = plain.phrases.map((entry) =>
        typeof entry === 'string' ? { phrase: entry } : (entry as Record<string, unknown>),
      )
    }
    return { rule, ...plain }
  })
  return { id: rulebook.id, version: rulebook.version, name: rulebook.name, score: rulebook.score, rules }
}

const SPEAKER_PREFIX = /^\s*(坐席|客服|外呼员|话务员|agent|a|客户|用户|customer|c)\s*[:：]\s*/i

export class TryTranscriptError extends Error {
  readonly code = 'CQ_ERR_INVALID_TRANSCRIPT'
  readonly statusCode = 400
}

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
      throw new TryTranscriptError(`line ${i + 1}: start each line with 坐席： or 客户： (or agent: / customer:), got "${raw.slice(0, 30)}"`)
    }
    const who = m[1]!.toLowerCase()
    const speaker = ['客户', '用户', 'customer', 'c'].includes(who) ? 'customer' : 'agent'
    const said = raw.slice(m[0].length).trim()
    if (said === '') return
    if (seq >= MAX_TRY_UTTERANCES) throw new TryTranscriptError(`more than ${MAX_TRY_UTTERANCES} utterances: check a shorter transcript`)
    const durationMs = Math.max(500, [...said].length * 500)
    events.push({ type: 'utterance', callId, seq: seq++, speaker, text: said.slice(0, 4000), startMs: atMs, endMs: atMs + durationMs, final: true })
    atMs += durationMs + 500
  })
  if (seq === 0) throw new TryTranscriptError('the transcript has no utterance')
  events.push({ type: 'call.ended', callId, endMs: atMs, disposition: 'success' })
  return events
}

const tryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: MAX_TRY_TEXT_CHARS } },
} as const

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
}

function setStaticHeaders(reply: FastifyReply, path: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value)
  // Vite names assets by content hash: cache them for good, and never the page that names them.
  reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
}

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions = {}): Promise<void> {
  const core = app.hasDecorator('callqa') ? (app as unknown as { callqa: { rulebook: Rulebook } }).callqa : undefined
  const rulebook = options.rulebook ?? core?.rulebook ?? loadDefaultRulebook()
  const described = describeRulebook(rulebook)

  app.get('/v1/rulebook', { preHandler: app.requirePrincipal }, async () => described)

  app.post('/v1/rulebook/try', { preHandler: app.requirePrincipal, schema: { body: tryBody }, bodyLimit: MAX_TRY_TEXT_CHARS * 4 + 1024 }, async (request) => {
    const { text } = request.body as { text: string }
    const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? ''
    let events: CallEvent[]
    let decodeErrors: Array<{ code: string; message: string; line?: number }> = []
    if (firstLine.trim().startsWith('{')) {
      const decoded = decodeJsonl(text)
      events = decoded.events
      decodeErrors = decoded.errors.map((e) => ({ code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) }))
    } else {
      events = dialogueEvents(text, new Date().toISOString())
    }
    const result = checkTranscript(rulebook, events)
    return {
      rulebook: { id: rulebook.id, version: rulebook.version },
      reports: result.reports,
      errors: [...decodeErrors, ...result.errors.map((e) => ({ code: e.code, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) }))],
      warnings: result.warnings,
    }
  })

  const distDir = options.distDir ?? DEFAULT_CONSOLE_DIST
  if (existsSync(`${distDir}/index.html`)) {
    await app.register(fastifyStatic, { root: distDir, prefix: '/', wildcard: true, index: 'index.html', setHeaders: setStaticHeaders })
  } else {
    app.log.warn({ distDir }, 'console not built: run `pnpm build:console`')
    app.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>callqa</title><p>The console is not built: run <code>pnpm build:console</code> and restart.</p>'),
    )
  }
}
