/**
 * `callqa kpi [--json|--csv] [--rulebook FILE] [--by day|month] [--timezone TZ] FILE...`: the KPIs
 * the workers keep, computed offline over JSONL transcript files: the engine's `checkTranscript`
 * scores each call and `@callqa/kpi` counts it (the same code and the same math as the workers), per
 * agent and per team, with the handbook's staffing band (第三章: 70-100 calls, 60-80 successful per
 * seat per day) and its advice.
 *
 * Exit codes: 0 all lines counted; 1 some lines were rejected (stderr names file and line);
 * 2 bad usage, unreadable file or rulebook.
 */
import { checkTimeZone, DEFAULT_TIME_ZONE, KpiBook, kpiCsv, type Granularity, type KpiReport, type KpiSummary } from '@callqa/kpi'
import { RULE_IDS } from '@callqa/protocol'
import { checkFiles, loadRulebookFor, parseCommandLine, UsageError } from './transcripts.js'

const USAGE = `usage: callqa kpi [--json|--csv] [--rulebook FILE] [--by day|month] [--timezone TZ] FILE...

Scores the calls in JSONL transcript files (protocol v1 events) with the rulebook and prints KPIs
per agent and per team: calls, successful calls, average and median score, findings by rule and
forbidden phrase, greeting and closing rates, speaking rate, interruptions, complaint risk, and the
daily averages per seat against the handbook's staffing band (70-100 calls, 60-80 successful).

  --json            one JSON document {timeZone, agents: [...], teams: [...]}
  --csv             CSV (UTF-8 with BOM): one row per agent/team and period, then a total row
  --rulebook FILE   use this rulebook instead of the default
  --by day|month    periods (default: day); the total always covers every file
  --timezone TZ     the center's time zone for days (default: CALLQA_TIMEZONE or Asia/Shanghai)

exit codes: 0 counted, 1 some lines were rejected (see stderr), 2 bad usage or unreadable input
`

interface Options {
  format: 'text' | 'json' | 'csv'
  rulebookPath: string | undefined
  granularity: Granularity
  timeZone: string
  files: string[]
}


function valueOf(argv: string[], i: number, name: string): [string, number] {
  const arg = argv[i]!
  if (arg.includes('=')) return [arg.slice(arg.indexOf('=') + 1), i]
  const value = argv[i + 1]
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`)
  return [value, i + 1]
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    format: 'text',
    rulebookPath: undefined,
    granularity: 'day',
    timeZone: process.env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE,
    files: [],
  }
  const formats = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const name = arg.split('=')[0]!
    if (arg === '--json') formats.add('json')
    else if (arg === '--csv') formats.add('csv')
    else if (name === '--rulebook') [options.rulebookPath, i] = valueOf(argv, i, '--rulebook')
    else if (name === '--by') {
      let by: string
      ;[by, i] = valueOf(argv, i, '--by')
      if (by !== 'day' && by !== 'month') throw new UsageError(`--by must be day or month, got ${by}`)
      options.granularity = by
    } else if (name === '--timezone') [options.timeZone, i] = valueOf(argv, i, '--timezone')
    else if (arg === '--') options.files.push(...argv.slice(i + 1)), (i = argv.length)
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`)
    else options.files.push(arg)
  }
  if (formats.size > 1) throw new UsageError('--json and --csv cannot be used together')
  if (formats.size === 1) options.format = [...formats][0] as 'json' | 'csv'
  try {
    checkTimeZone(options.timeZone)
  } catch (err) {
    throw new UsageError(`--timezone: ${(err as Error).message}`)
  }
  if (options.files.length === 0) throw new UsageError('no transcript file given')
  return options
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const num = (x: number | null, digits = 1): string => (x === null ? '—' : x.toFixed(digits))

function describe(label: string, s: KpiSummary): string[] {
  const lines = [
    `${label}`,
    `  calls ${s.calls}  successful ${s.successfulCalls} (${pct(s.successRate)})  score avg ${num(s.averageScore)} median ${num(s.medianScore, 1)}` +
      `  greeting ${pct(s.greetingRate)}  closing ${pct(s.closingRate)}`,
    `  agent speaking rate ${num(s.averageAgentCpm)} chars/min, outside the band in ${s.speakingRateOutsideCalls} calls (${pct(s.speakingRateOutsideRate)})` +
      `  interruptions/call ${num(s.interruptionsPerCall, 2)}  complaint-risk calls ${s.complaintRiskCalls}`,
  ]
  const rules = RULE_IDS.filter((r) => s.findingsByRule[r] > 0).map((r) => `${r} ${s.findingsByRule[r]}`)
  lines.push(`  findings ${s.findings}${rules.length ? `: ${rules.join(', ')}` : ''}`)
  if (s.findingsByPhrase.length) lines.push(`  forbidden phrases: ${s.findingsByPhrase.map((p) => `${p.phrase}×${p.count}`).join(', ')}`)
  if (s.staffing) {
    lines.push(`  staffing (${s.staffing.seatDays} seat-days): ${s.staffing.advice.zh}`)
    lines.push(`                          ${s.staffing.advice.en}`)
  }
  return lines
}

function textReport(book: KpiBook, teams: KpiReport[], agents: KpiReport[], calls: number): string {
  const days = new Set<string>()
  for (const t of teams) for (const p of t.periods) days.add(p.period)
  const sorted = [...days].sort()
  const out = [
    `callqa kpi: ${calls} calls, ${agents.length} agents, ${teams.length} teams (${book.timeZone}${sorted.length ? `, ${sorted[0]}..${sorted.at(-1)}` : ''})`,
    '',
    '== teams (staffing per active seat: distinct agents per day) ==',
  ]
  for (const t of teams) out.push(...describe(`team ${t.id}`, t.total), '')
  out.push('== agents (staffing per day worked) ==')
  for (const a of agents) out.push(...describe(`agent ${a.id} (team ${book.teamOf(a.id) ?? '?'})`, a.total), '')
  return `${out.join('\n')}\n`
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('kpi', USAGE, argv, parseArgs)
  if (typeof options === 'number') return options
  const rulebook = loadRulebookFor('kpi', options.rulebookPath)
  if (!rulebook) return 2
  const checked = checkFiles('kpi', rulebook, options.files)
  if (!checked) return 2
  const book = new KpiBook(options.timeZone)
  let rejected = 0
  let calls = 0
  for (const file of checked) {
    rejected += file.rejected
    for (const report of file.reports) book.add(report)
    calls += file.reports.length
  }
  const teams = book.ids('team').map((id) => book.report('team', id, options.granularity))
  const agents = book.ids('agent').map((id) => book.report('agent', id, options.granularity))
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ timeZone: book.timeZone, calls, rulebook: { id: rulebook.id, version: rulebook.version }, teams, agents })}\n`)
  } else if (options.format === 'csv') {
    process.stdout.write(kpiCsv([...teams, ...agents]))
  } else {
    process.stdout.write(textReport(book, teams, agents, calls))
  }
  return rejected > 0 ? 1 : 0
}
