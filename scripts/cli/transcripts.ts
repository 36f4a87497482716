/**
 * What every transcript command of the CLI shares: usage errors, loading the rulebook, reading the
 * JSONL files and checking them with the engine, rejected lines and warnings going to stderr.
 */
import { readFileSync } from 'node:fs'
import { checkTranscript, loadDefaultRulebook, loadRulebookFile, RulebookError, type Rulebook } from '@callqa/engine'
import { decodeJsonl, isLang, type CallReport, type Lang } from '@callqa/protocol'

/** Bad usage: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

/**
 * The command's options from argv, or its exit code: 0 after printing the usage for --help, 2 after
 * printing a usage error and the usage.
 */
export function parseCommandLine<O>(command: string, usage: string, argv: string[], parse: (argv: string[]) => O): O | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage)
    return 0
  }
  try {
    return parse(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`callqa ${command}: ${err.message}\n\n${usage}`)
    return 2
  }
}

/** The rulebook to check with, or null after saying on stderr why it cannot be read. */
export function loadRulebookFor(command: string, path: string | undefined): Rulebook | null {
  try {
    return path ? loadRulebookFile(path) : loadDefaultRulebook()
  } catch (err) {
    const message = err instanceof RulebookError ? err.message : `cannot read rulebook ${path}: ${(err as Error).message}`
    process.stderr.write(`callqa ${command}: ${message}\n`)
    return null
  }
}

export interface CheckedFile {
  file: string
  reports: CallReport[]
  /** Lines rejected (bad JSON, invalid events, events of unknown calls). */
  rejected: number
  /** Rejected line numbers by call (lines whose call cannot be told count for every call of the file). */
  rejectedByCall: Map<string, number[]>
  /** Why the file could not be checked at all (unreadable, empty): said on stderr, counted as failed. */
  failed?: string
}

/** An operating-system error in words, not an errno code. */
export function describeFileError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory, not a file'
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files'
    default:
      return err.message.replace(/^[A-Z]+: /, '')
  }
}

/** The language of a command's output: `--lang zh|en` (default zh), removed from argv. */
export function takeLang(argv: string[]): { lang: Lang; argv: string[] } {
  const rest: string[] = []
  let lang: Lang = 'zh'
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      rest.push(...argv.slice(i))
      break
    }
    if (arg === '--lang' || arg.startsWith('--lang=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (!isLang(value)) throw new UsageError(`--lang must be zh or en, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`)
      lang = value
    } else rest.push(arg)
  }
  return { lang, argv: rest }
}

/**
 * Findings that measure a gap between two utterances (a slow response, an interruption) are not
 * judged across a rejected line: the missing utterance may have filled the gap. They are dropped with
 * their deductions, and the score is recomputed the engine's way (base − deductions + bonus, 0..100).
 */
function withoutGuesses(report: CallReport, rejectedLines: number[], lineOf: Map<number, number>, previousLineOf: Map<number, number>, base: number): CallReport {
  if (rejectedLines.length === 0) return report
  const dropped = new Set<string>()
  for (const f of report.findings) {
    if ((f.rule !== 'slow_response' && f.rule !== 'interruption') || f.seq === undefined) continue
    const line = lineOf.get(f.seq)
    const before = previousLineOf.get(f.seq) ?? 0
    if (line !== undefined && rejectedLines.some((l) => l > before && l < line)) dropped.add(f.id)
  }
  if (dropped.size === 0) return report
  const deductions = report.deductions.filter((d) => !d.findingId || !dropped.has(d.findingId))
  const lost = deductions.reduce((n, d) => n + d.points, 0)
  const won = report.strengths.reduce((n, x) => n + x.points, 0)
  const findings = report.findings.filter((f) => !dropped.has(f.id))
  return {
    ...report,
    findings,
    deductions,
    score: Math.max(0, Math.min(100, Math.round(base - lost + won))),
    metrics: {
      ...report.metrics,
      slowResponses: findings.filter((f) => f.rule === 'slow_response').length,
      interruptions: findings.filter((f) => f.rule === 'interruption').length,
    },
  }
}

const CALL_ID_IN_LINE = /"callId"\s*:\s*"([^"]{1,128})"/

/**
 * Reads every file (`-` is standard input) and checks each file's calls. A file that cannot be read,
 * or holds no event, is reported on stderr and marked `failed`; the other files are still checked.
 */
export function checkFiles(command: string, rulebook: Rulebook, files: string[]): CheckedFile[] {
  return files.map((file) => {
    let text: string
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8')
    } catch (err) {
      const failed = `cannot read ${file}: ${describeFileError(err as NodeJS.ErrnoException)}`
      process.stderr.write(`callqa ${command}: ${failed}\n`)
      return { file, reports: [], rejected: 0, rejectedByCall: new Map(), failed }
    }
    if (text.trim() === '') {
      const failed = `${file} is empty: no events to check`
      process.stderr.write(`callqa ${command}: ${failed}\n`)
      return { file, reports: [], rejected: 0, rejectedByCall: new Map(), failed }
    }
    const rows = text.split(/\r?\n/)
    const decoded = decodeJsonl(text)
    const result = checkTranscript(rulebook, decoded.events, { lines: decoded.lines })
    const errors = [...decoded.errors, ...result.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    for (const e of errors) process.stderr.write(`${file}: ${e.code}: ${e.message}\n`)
    for (const w of result.warnings) process.stderr.write(`${file}: warning: ${w}\n`)
    if (decoded.events.length === 0 && errors.length > 0) {
      const failed = `${file} holds no valid event (${errors.length} lines rejected)`
      process.stderr.write(`callqa ${command}: ${failed}\n`)
      return { file, reports: [], rejected: errors.length, rejectedByCall: new Map(), failed }
    }
    // Rejected lines by call: the line's own callId when it can be read, else every call of the file.
    const rejectedByCall = new Map<string, number[]>()
    const unattributed: number[] = []
    for (const e of errors) {
      if (e.line === undefined) continue
      const callId = (e as { callId?: string }).callId ?? CALL_ID_IN_LINE.exec(rows[e.line - 1] ?? '')?.[1]
      if (callId) rejectedByCall.set(callId, [...(rejectedByCall.get(callId) ?? []), e.line])
      else unattributed.push(e.line)
    }
    // Where each utterance sits in the file, and the line of the utterance before it in its call.
    const lineOf = new Map<string, Map<number, number>>()
    const previousLineOf = new Map<string, Map<number, number>>()
    const lastLine = new Map<string, number>()
    decoded.events.forEach((event, i) => {
      if (event.type !== 'utterance') return
      const line = decoded.lines[i]!
      if (!lineOf.has(event.callId)) lineOf.set(event.callId, new Map()), previousLineOf.set(event.callId, new Map())
      lineOf.get(event.callId)!.set(event.seq, line)
      previousLineOf.get(event.callId)!.set(event.seq, lastLine.get(event.callId) ?? 0)
      lastLine.set(event.callId, line)
    })
    for (const report of result.reports) {
      if (unattributed.length) rejectedByCall.set(report.callId, [...(rejectedByCall.get(report.callId) ?? []), ...unattributed].sort((a, b) => a - b))
    }
    const reports = result.reports.map((report) =>
      withoutGuesses(report, rejectedByCall.get(report.callId) ?? [], lineOf.get(report.callId) ?? new Map(), previousLineOf.get(report.callId) ?? new Map(), rulebook.score.base),
    )
    return { file, reports, rejected: errors.length, rejectedByCall }
  })
}
