/**
 * `callqa check [--json] [--rulebook FILE] FILE...`: checks JSONL transcript files (protocol v1 events)
 * against a rulebook, offline, with the same engine the live gateway runs.
 *
 * Output: with --json one CallReport per call per line (callId, agentId, teamId, score, findings, metrics,
 * rulebook first); otherwise a report for a person, offending words highlighted when stdout is a terminal.
 * Bad lines go to stderr with their line number and do not stop the rest.
 * Exit codes: 0 all lines checked; 1 some lines were rejected; 2 bad usage, unreadable file or rulebook.
 */
import type { CallReport, Finding, Severity } from '@callqa/protocol'
import { checkFiles, loadRulebookFor, parseCommandLine, UsageError } from './transcripts.js'

const USAGE = `usage: callqa check [--json] [--rulebook FILE] [--color|--no-color] FILE...

Checks JSONL transcript files (one protocol v1 event per line) against the rulebook
(default: packages/engine/rulebooks/default.yaml) and prints one report per call.

  --json            one JSON report per call per line
  --rulebook FILE   use this rulebook instead of the default
  --color           colour even when stdout is not a terminal (default: only on a terminal, never with NO_COLOR)
  --no-color        never colour

exit codes: 0 checked, 1 some lines were rejected (see stderr), 2 bad usage or unreadable input
`

interface Options {
  json: boolean
  rulebookPath: string | undefined
  color: boolean | undefined
  files: string[]
}


function parseArgs(argv: string[]): Options {
  const options: Options = { json: false, rulebookPath: undefined, color: undefined, files: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--json') options.json = true
    else if (arg === '--color') options.color = true
    else if (arg === '--no-color') options.color = false
    else if (arg === '--rulebook' || arg.startsWith('--rulebook=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (!value) throw new UsageError('--rulebook needs a file name')
      options.rulebookPath = value
    } else if (arg === '--') options.files.push(...argv.slice(i + 1)), (i = argv.length)
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
    else options.files.push(arg)
  }
  if (options.files.length === 0) throw new UsageError('no transcript file given')
  return options
}

/** Decodes JSONL, keeping each event's line number; bad lines become coded errors. */
/** The JSON line for one call: the issue's fields first, then the rest of the report. */
function jsonReport(report: CallReport): string {
  const { callId, agentId, teamId, score, findings, metrics, rulebook, ...rest } = report
  return JSON.stringify({ callId, agentId, teamId, score, findings, metrics, rulebook, ...rest })
}

interface Paint {
  bold(s: string): string
  dim(s: string): string
  severity(sev: Severity, s: string): string
  highlight(s: string): string
}

function paint(enabled: boolean): Paint {
  const wrap = (open: string, close: string) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s)
  const red = wrap('31', '39')
  const yellow = wrap('33', '39')
  const cyan = wrap('36', '39')
  return {
    bold: wrap('1', '22'),
    dim: wrap('2', '22'),
    severity: (sev, s) => (sev === 'critical' ? red(s) : sev === 'major' ? yellow(s) : sev === 'warning' ? cyan(s) : s),
    // Without colour the words still stand out: 【…】.
    highlight: enabled ? wrap('1;4;31', '22;24;39') : (s) => `【${s}】`,
  }
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

function describeFinding(f: Finding, p: Paint): string {
  const head = `${p.severity(f.severity, f.severity.padEnd(8))} ${f.rule.padEnd(19)} ${f.atMs !== undefined ? clock(f.atMs) : '     '}${f.seq !== undefined ? ` #${f.seq}` : ''}`
  const details: string[] = []
  if (f.phrase !== undefined) details.push(`「${f.phrase}」`)
  if (f.direction !== undefined) details.push(`${f.direction === 'fast' ? '过快' : '过慢'} ${f.cpm} 字/分钟`)
  if (f.rule === 'slow_response' && f.durationMs !== undefined) details.push(`客户等待 ${(f.durationMs / 1000).toFixed(1)} 秒`)
  if (f.rule === 'interruption' && f.durationMs !== undefined) details.push(`重叠 ${(f.durationMs / 1000).toFixed(1)} 秒`)
  let text = ''
  if (f.text !== undefined) {
    text = f.span ? f.text.slice(0, f.span[0]) + p.highlight(f.text.slice(f.span[0], f.span[1])) + f.text.slice(f.span[1]) : f.text
    text = `\n      ${p.dim('»')} ${text}`
  }
  return `  ${[head, ...details].join(' ')}${text}`
}

function humanReport(file: string, report: CallReport, p: Paint): string {
  const m = report.metrics
  const out: string[] = []
  out.push(p.bold(`${report.callId}`) + p.dim(`  ${file} · agent ${report.agentId} · team ${report.teamId} · ${report.direction} · ${report.disposition} · ${clock(report.endMs)}`))
  out.push(
    `  score ${p.bold(String(report.score))}/100   语速 ${m.agentCpm ?? '-'} 字/分钟   问候 ${m.greeted ? '✓' : '✗'}   结束语 ${m.closed ? '✓' : '✗'}   findings ${report.findings.length}`,
  )
  for (const f of report.findings) out.push(describeFinding(f, p))
  if (report.deductions.length > 0) out.push(`  deductions: ${report.deductions.map((d) => `-${d.points} ${d.reason}`).join('; ')}`)
  if (report.strengths.length > 0) out.push(`  strengths:  ${report.strengths.map((s) => `+${s.points} ${s.reason}`).join('; ')}`)
  return out.join('\n') + '\n'
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('check', USAGE, argv, parseArgs)
  if (typeof options === 'number') return options
  const rulebook = loadRulebookFor('check', options.rulebookPath)
  if (!rulebook) return 2
  const checked = checkFiles('check', rulebook, options.files)
  if (!checked) return 2
  const colour = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR)
  const p = paint(colour)
  let rejected = 0
  for (const { file, reports, rejected: bad } of checked) {
    rejected += bad
    for (const report of reports) process.stdout.write(options.json ? jsonReport(report) + '\n' : humanReport(file, report, p) + '\n')
  }
  return rejected > 0 ? 1 : 0
}
