/**
 * What every transcript command of the CLI shares: usage errors, loading the rulebook, reading the
 * JSONL files and checking them with the engine, rejected lines and warnings going to stderr.
 */
import { readFileSync } from 'node:fs'
import { checkTranscript, loadDefaultRulebook, loadRulebookFile, RulebookError, type Rulebook } from '@callqa/engine'
import { decodeJsonl, type CallReport } from '@callqa/protocol'

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
}

/**
 * Reads every file first (`-` is standard input), so an unreadable one stops the command before any
 * output (null, said on stderr); then checks each file's calls.
 */
export function checkFiles(command: string, rulebook: Rulebook, files: string[]): CheckedFile[] | null {
  const texts: string[] = []
  for (const file of files) {
    try {
      texts.push(readFileSync(file === '-' ? 0 : file, 'utf8'))
    } catch (err) {
      process.stderr.write(`callqa ${command}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`)
      return null
    }
  }
  return files.map((file, i) => {
    const decoded = decodeJsonl(texts[i]!)
    const result = checkTranscript(rulebook, decoded.events, { lines: decoded.lines })
    const errors = [...decoded.errors, ...result.errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    for (const e of errors) process.stderr.write(`${file}: ${e.code}: ${e.message}\n`)
    for (const w of result.warnings) process.stderr.write(`${file}: warning: ${w}\n`)
    return { file, reports: result.reports, rejected: errors.length }
  })
}
