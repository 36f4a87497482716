/**
 * Engine errors. The engine knows nothing of HTTP or sockets: callers map `code` to a transport status.
 * Protocol-level errors (bad events, events for an ended call) use `ProtocolError` from @callqa/protocol.
 */
import { codesOf, createError, type ErrorSpec } from '@callqa/protocol'

/** The engine's error catalogue: one line per code (docs/errors.md lists it; `pnpm docs:errors`). */
export const ENGINE_ERRORS = {
  RULEBOOK: createError('CQ_ERR_RULEBOOK', 400, 0, 'invalid rulebook %s: %s'),
  SNAPSHOT: createError('CQ_ERR_SNAPSHOT', 500, 0, 'a call checkpoint cannot be restored (%s): the call continues from its event log'),
  CALL_TOO_LONG: createError('CQ_ERR_CALL_TOO_LONG', 413, 0, 'call %s has reached %s utterances, the most one call may have; later utterances are not checked'),
} as const satisfies Record<string, ErrorSpec>

export const EngineErrorCodes = codesOf(ENGINE_ERRORS)

export type EngineErrorCode = (typeof EngineErrorCodes)[keyof typeof EngineErrorCodes]

/** One mistake in a rulebook, located in its source. */
export interface RulebookProblem {
  /** 1-based line of the offending node (0 when unknown). */
  line: number
  /** 1-based column of the offending node (0 when unknown). */
  column: number
  /** Path of the field, e.g. `rules.speaking_rate.targetCpm` or `rules.forbidden_phrase.phrases[3]`. */
  field: string
  /** What is wrong and what is expected. */
  message: string
}

/**
 * A rulebook that cannot be used. `problems` lists every mistake found (not only the first); `line`,
 * `column` and `field` are those of the first one; `message` has one `source:line:column: field: …` line each.
 */
export class RulebookError extends Error {
  readonly code = EngineErrorCodes.RULEBOOK
  readonly sourceName: string
  readonly line: number
  readonly column: number
  readonly field: string
  readonly problems: RulebookProblem[]

  constructor(sourceName: string, problems: RulebookProblem[]) {
    const lines = problems.map((p) => `${sourceName}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`)
    super(
      problems.length === 1
        ? `invalid rulebook ${lines[0]}`
        : `invalid rulebook ${sourceName} (${problems.length} problems):\n  ${lines.join('\n  ')}`,
    )
    this.name = 'RulebookError'
    this.sourceName = sourceName
    this.problems = problems
    const first = problems[0]
    this.line = first?.line ?? 0
    this.column = first?.column ?? 0
    this.field = first?.field ?? ''
  }
}

/** A snapshot that `CallMonitor.restore` cannot continue from. */
export class SnapshotError extends Error {
  readonly code = EngineErrorCodes.SNAPSHOT
  constructor(message: string) {
    super(message)
    this.name = 'SnapshotError'
  }
}

/** A call went past `MAX_UTTERANCES_PER_CALL` utterances; the monitor refuses more instead of growing. */
export class CallTooLongError extends Error {
  readonly code = EngineErrorCodes.CALL_TOO_LONG
  readonly callId: string
  readonly seq: number
  constructor(callId: string, seq: number, max: number) {
    super(`call ${callId} has reached ${max} utterances, the most one call may have; utterance seq ${seq} is not checked`)
    this.name = 'CallTooLongError'
    this.callId = callId
    this.seq = seq
  }
}
