/**
 * The supervisors' console: the Vite build of services/console served at `/`, and the rulebook
 * routes the console's rulebook page uses.
 *
 * - `GET /v1/rulebook` (any logged-in principal): the active rulebook's rules and phrases, read-only.
 * - `POST /v1/rulebook/try` {text} (any logged-in principal): checks a pasted transcript, JSONL
 *   (protocol v1 events) or a plain dialogue (`坐席：…` / `客户：…` one utterance a line), with the
 *   active rulebook and answers the engine's reports. Nothing is stored.
 * - `GET /v1/rulebook/source` (any logged-in principal): the active rulebook's YAML text, which the
 *   replay panel starts a candidate from.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fastifyStatic from '@fastify/static'
import { DEFAULT_RULEBOOK_PATH, loadDefaultRulebook, type Rulebook } from '@callqa/engine'
import { ErrorCodes } from '@callqa/protocol'
import { loadConfig, type GatewayConfig } from '../config.js'
import { GatewayError, GatewayErrorCodes } from '../errors.js'
import { TryPool } from './try-pool.js'

export const DEFAULT_CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist', import.meta.url))

/** Hard ceiling of the body parse; the limit people meet is CALLQA_TRY_MAX_CHARS (default 64 Ki characters). */
export const MAX_TRY_TEXT_CHARS = 256 * 1024

export interface ConsoleRoutesOptions {
  /** The active rulebook. @defaultValue the gateway core's (`app.callqa.rulebook`), else the engine's default */
  rulebook?: Rulebook
  /** The console build. @defaultValue services/console/dist */
  distDir?: string
  /** Try-box limits and rulebook file. @defaultValue the gateway core's config, else the defaults */
  config?: Pick<GatewayConfig, 'tryMaxChars' | 'tryMaxLines' | 'tryPerMinute' | 'tryWorkers' | 'tryMaxQueued' | 'tryTimeoutMs' | 'rulebookPath'>
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

export { dialogueEvents } from './try-check.js'

const tryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  // The real cap (tryMaxChars, 413 naming it) is checked in the handler; this bounds the parse.
  properties: { text: { type: 'string', minLength: 1, maxLength: MAX_TRY_TEXT_CHARS } },
} as const

/** Tries per principal per minute, on this instance (fixed one-minute windows). */
class TryRateLimit {
  readonly #windows = new Map<string, { startMs: number; count: number }>()
  constructor(readonly perMinute: number) {}
  /** 0 when `who` may try now (and it is counted), else the ms until the window ends. */
  take(who: string, nowMs: number): number {
    if (this.#windows.size > 10_000) for (const [k, w] of this.#windows) if (nowMs - w.startMs >= 60_000) this.#windows.delete(k)
    let w = this.#windows.get(who)
    if (!w || nowMs - w.startMs >= 60_000) this.#windows.set(who, (w = { startMs: nowMs, count: 0 }))
    if (w.count >= this.perMinute) return 60_000 - (nowMs - w.startMs)
    w.count++
    return 0
  }
}

function countLines(text: string, max: number): number {
  let lines = 1
  for (let i = text.indexOf('\n'); i !== -1 && lines <= max; i = text.indexOf('\n', i + 1)) lines++
  return lines
}

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
  const core = app.hasDecorator('callqa') ? (app as unknown as { callqa: { rulebook: Rulebook; config: GatewayConfig } }).callqa : undefined
  const rulebook = options.rulebook ?? core?.rulebook ?? loadDefaultRulebook()
  const described = describeRulebook(rulebook)

  app.get('/v1/rulebook', { preHandler: app.requirePrincipal }, async () => described)

  // Tries run in worker threads: a large paste never holds up ingest acks or alerts here.
  const limits: Pick<GatewayConfig, 'tryMaxChars' | 'tryMaxLines' | 'tryPerMinute' | 'tryWorkers' | 'tryMaxQueued' | 'tryTimeoutMs' | 'rulebookPath'> = options.config ?? core?.config ?? loadConfig({})
  const pool = new TryPool({ rulebookPath: limits.rulebookPath, workers: limits.tryWorkers, maxQueued: limits.tryMaxQueued, timeoutMs: limits.tryTimeoutMs })
  app.addHook('onClose', () => pool.close())
  const rate = new TryRateLimit(limits.tryPerMinute)

  // Read once: the text the gateway's rulebook was parsed from (the file changes only with a restart).
  let source: { name: string; yaml: string } | undefined
  app.get('/v1/rulebook/source', { preHandler: app.requirePrincipal }, async () => {
    const path = limits.rulebookPath || DEFAULT_RULEBOOK_PATH
    source ??= { name: path.split('/').at(-1)!, yaml: readFileSync(path, 'utf8') }
    return source
  })

  app.post('/v1/rulebook/try', { preHandler: app.requirePrincipal, schema: { body: tryBody }, bodyLimit: MAX_TRY_TEXT_CHARS * 4 + 1024 }, async (request, reply) => {
    const { text } = request.body as { text: string }
    if (text.length > limits.tryMaxChars) {
      throw new GatewayError(GatewayErrorCodes.TRANSCRIPT_TOO_LARGE, 413, `the pasted transcript has ${text.length} characters, over the limit of ${limits.tryMaxChars} (CALLQA_TRY_MAX_CHARS): check a shorter part`)
    }
    const lines = countLines(text, limits.tryMaxLines)
    if (lines > limits.tryMaxLines) {
      throw new GatewayError(GatewayErrorCodes.TRANSCRIPT_TOO_LARGE, 413, `the pasted transcript has more than ${limits.tryMaxLines} lines (CALLQA_TRY_MAX_LINES): check a shorter part`)
    }
    const waitMs = rate.take(request.principal!.username, Date.now())
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)))
      throw new GatewayError(ErrorCodes.RATE_LIMITED, 429, `more than ${limits.tryPerMinute} rulebook tries a minute (CALLQA_TRY_PER_MINUTE): try again in ${Math.ceil(waitMs / 1000)} s`)
    }
    const json = await pool.run(text)
    return reply.type('application/json; charset=utf-8').send(json)
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
