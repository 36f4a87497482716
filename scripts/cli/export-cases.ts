/**
 * `callqa export-cases [--dismissed] --since 30d|YYYY-MM-DD [--out DIR]`: writes the reviewed calls
 * of the store (DATABASE_URL) as regression cases: per call `NNN-<callId>.jsonl` (the masked
 * transcript as protocol v1 events, replayable by `callqa check`) and `NNN-<callId>.labels.json`
 * (the reviewers' labels in the eval format, read by `pnpm eval` from a directory).
 *
 * Exit codes: 0 written (also when there was nothing to write); 2 bad usage or the store does not answer.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadDefaultRulebook } from '@callqa/engine'
import { caseBaseName, exportCase, type ReviewedReport } from '@callqa/review'
import { ReviewStore } from '@callqa/review/pg'
import { DEFAULT_DATABASE_URL, ReportStore } from '@callqa/store'
import { DEFAULT_TIME_ZONE, dayStartMs, isDay } from '@callqa/kpi'
import { parseCommandLine, UsageError } from './transcripts.js'

const USAGE = `usage: callqa export-cases [--dismissed] --since 30d|YYYY-MM-DD [--out DIR]

Writes reviewed calls as JSONL transcripts with labels (eval format: NNN-<callId>.jsonl and
NNN-<callId>.labels.json), so each correction becomes a regression case for callqa check and pnpm eval.

  --dismissed      only calls with a dismissed finding or one added by hand (default: every reviewed call)
  --since S        calls started since S: Nd or Nh ago, or a day YYYY-MM-DD (center's time zone)
  --out DIR        directory to write (created; default ./cases)

settings: DATABASE_URL, CALLQA_TIMEZONE
exit codes: 0 written, 2 bad usage or the store does not answer
`

interface Options {
  dismissedOnly: boolean
  since: string
  out: string
}

/** `30d`, `12h` before now, or the start of a local day. */
export function parseSince(value: string, nowMs: number, timeZone: string): number {
  const ago = /^(\d{1,4})([dh])$/.exec(value)
  if (ago) return nowMs - Number(ago[1]) * (ago[2] === 'd' ? 86_400_000 : 3_600_000)
  if (isDay(value)) return dayStartMs(value, timeZone)
  throw new UsageError(`--since must be Nd, Nh or YYYY-MM-DD, got ${JSON.stringify(value)}`)
}

function parse(argv: string[]): Options {
  const options: Partial<Options> & { dismissedOnly: boolean; out: string } = { dismissedOnly: false, out: 'cases' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--dismissed') options.dismissedOnly = true
    else if (arg === '--since' || arg === '--out') {
      const value = argv[++i]
      if (!value) throw new UsageError(`${arg} needs a value`)
      if (arg === '--since') options.since = value
      else options.out = value
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`)
  }
  if (!options.since) throw new UsageError('--since is required')
  return options as Options
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('export-cases', USAGE, argv, parse)
  if (typeof options === 'number') return options
  const timeZone = process.env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE
  let sinceMs: number
  try {
    sinceMs = parseSince(options.since, Date.now(), timeZone)
  } catch (err) {
    process.stderr.write(`callqa export-cases: ${(err as Error).message}\n`)
    return 2
  }
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
  const store = new ReportStore({ databaseUrl, maxConnections: 2, timeZone })
  const reviews = new ReviewStore({ store, rulebook: loadDefaultRulebook() })
  try {
    let callIds: string[]
    try {
      callIds = await reviews.reviewedCallIds({ sinceMs, dismissedOnly: options.dismissedOnly })
    } catch (err) {
      process.stderr.write(`callqa export-cases: the store does not answer at DATABASE_URL: ${(err as Error).message}\n`)
      return 2
    }
    mkdirSync(options.out, { recursive: true })
    let n = 0
    for (const callId of callIds) {
      const report = (await store.getReport(callId)) as ReviewedReport | null
      if (!report) continue // older than the retention
      const { events, labels } = exportCase(report)
      const base = join(options.out, caseBaseName(++n, callId))
      writeFileSync(`${base}.jsonl`, events.map((e) => JSON.stringify(e)).join('\n') + '\n')
      writeFileSync(`${base}.labels.json`, JSON.stringify(labels, null, 2) + '\n')
    }
    process.stdout.write(`callqa export-cases: ${n} case${n === 1 ? '' : 's'} written to ${options.out}\n`)
    return 0
  } finally {
    await store.close()
  }
}
