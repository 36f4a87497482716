/**
 * `callqa check [--json] [--rulebook FILE] FILE...`: checks JSONL transcript files (protocol v1 events)
 * against a rulebook, offline, with the same engine the live gateway runs.
 *
 * Output: with --json one CallReport per call per line (callId, agentId, teamId, score, findings, metrics,
 * rulebook first); otherwise a report for a person, offending words highlighted when stdout is a terminal.
 * Bad lines go to stderr with their line number and do not stop the rest.
 * A report built from a file with rejected lines says so (`incomplete`), and gap findings across a
 * rejected line are not made up. One language at a time: Chinese, or English with --lang en.
 * Exit codes: 0 all lines checked; 1 some lines were rejected; 2 bad usage, a rulebook or some file
 * that could not be read or was empty (the other files are still checked).
 */
import { dispositionLabel, directionLabel, rateDirectionLabel, ruleLabel, severityLabel, type CallReport, type Finding, type Lang, type Severity } from '@callqa/protocol'
import { checkFiles, loadRulebookFor, parseCommandLine, takeLang, UsageError } from './transcripts.js'

const USAGE = `usage: callqa check [--json] [--lang zh|en] [--rulebook FILE] [--color|--no-color] FILE...

Checks JSONL transcript files (one protocol v1 event per line) against the rulebook
(default: packages/engine/rulebooks/default.yaml) and prints one report per call.

  --json            one JSON report per call per line
  --lang zh|en      language of the report (default zh)
  --rulebook FILE   use this rulebook instead of the default
  --color           colour even when stdout is not a terminal (default: only on a terminal, never with NO_COLOR)
  --no-color        never colour

exit codes: 0 checked, 1 some lines were rejected (see stderr and the report), 2 bad usage, a
rulebook or a file that could not be read or was empty (the other files are still checked)
`

interface Options {
  lang: Lang
  json: boolean
  rulebookPath: string | undefined
  color: boolean | undefined
  files: string[]
}


function parseArgs(all: string[]): Options {
  const { lang, argv } = takeLang(all)
  const options: Options = { lang, json: false, rulebookPath: undefined, color: undefined, files: [] }
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
function jsonReport(report: CallReport, rejectedLines: number[]): string {
  const { callId, agentId, teamId, score, findings, metrics, rulebook, ...rest } = report
  // `incomplete`: built from a file with rejected lines of this call (line numbers), not the whole call.
  const incomplete = rejectedLines.length ? { incomplete: { rejectedLines: rejectedLines.length, lines: rejectedLines } } : {}
  return JSON.stringify({ callId, agentId, teamId, score, ...incomplete, findings, metrics, rulebook, ...rest })
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

const WORDS = {
  zh: { agent: '外呼员', team: '班组', score: '得分', cpm: '语速', cpmUnit: '字/分钟', greeting: '问候语', closing: '结束语', findings: '违规', risk: '投诉风险', deductions: '扣分', strengths: '加分', waited: '客户等待', overlap: '重叠', s: '秒', incomplete: (n: number, lines: number[]) => `不完整：${n} 行被拒绝（第 ${lines.join('、')} 行），结果只针对其余内容` },
  en: { agent: 'agent', team: 'team', score: 'score', cpm: 'rate', cpmUnit: 'chars/min', greeting: 'greeting', closing: 'closing', findings: 'violations', risk: 'complaint risk', deductions: 'deductions', strengths: 'bonus', waited: 'customer waited', overlap: 'overlap', s: 's', incomplete: (n: number, lines: number[]) => `incomplete: ${n} lines rejected (line ${lines.join(', ')}); the result covers the rest only` },
}

/** The finding's spans as offsets into its text (every stretch it matched, in order). */
function spansOf(f: Finding): { start: number; end: number }[] {
  const spans = f.spans ?? (f.span ? [{ start: f.span[0], end: f.span[1] }] : [])
  return [...spans].sort((x, y) => x.start - y.start)
}

/** The utterance with EVERY span of the finding marked (a two-clause phrase, a word said twice). */
function markSpans(f: Finding, highlight: (s: string) => string): string {
  const text = f.text!
  let out = ''
  let at = 0
  for (const { start, end } of spansOf(f)) {
    if (start < at || end > text.length) continue
    out += text.slice(at, start) + highlight(text.slice(start, end))
    at = end
  }
  return out + text.slice(at)
}

/** What was said, as the deduction names it: the spans' words joined by …, or the phrase. */
function saidOf(f: Finding): string {
  if (f.text === undefined) return f.phrase ?? ''
  const said = spansOf(f).map((x) => f.text!.slice(x.start, x.end)).filter(Boolean)
  return said.length > 0 ? said.join('…') : (f.phrase ?? '')
}

/**
 * A deduction in English: the rule and, as in the engine's Chinese reason, what was said and where
 * (the rate, the overlap or the wait for the timing rules).
 */
function englishReason(d: CallReport['deductions'][number], report: CallReport): string {
  const f = report.findings.find((x) => x.id === d.findingId)
  const label = ruleLabel(d.rule, 'en')
  if (!f) return label
  const where = f.seq !== undefined ? ` (utterance ${f.seq})` : ''
  switch (f.rule) {
    case 'speaking_rate':
      return `${label}: ${rateDirectionLabel(f.direction ?? 'fast', 'en')} ${f.cpm} chars/min`
    case 'interruption':
      return `${label}, overlap ${((f.durationMs ?? 0) / 1000).toFixed(1)} s${where}`
    case 'slow_response':
      return `${label}, customer waited ${((f.durationMs ?? 0) / 1000).toFixed(1)} s${where}`
    case 'missing_greeting':
    case 'missing_closing':
      return `${label}${where}`
    default:
      return `${label} 「${saidOf(f)}」${where}`
  }
}

function describeFinding(f: Finding, p: Paint, lang: Lang): string {
  const W = WORDS[lang]
  const head = `${p.severity(f.severity, severityLabel(f.severity, lang).padEnd(lang === 'zh' ? 2 : 8))} ${ruleLabel(f.rule, lang)} ${f.atMs !== undefined ? clock(f.atMs) : '     '}${f.seq !== undefined ? ` #${f.seq}` : ''}`
  const details: string[] = []
  if (f.phrase !== undefined) details.push(`「${f.phrase}」`)
  if (f.direction !== undefined) details.push(`${rateDirectionLabel(f.direction, lang)} ${f.cpm} ${W.cpmUnit}`)
  if (f.rule === 'slow_response' && f.durationMs !== undefined) details.push(`${W.waited} ${(f.durationMs / 1000).toFixed(1)} ${W.s}`)
  if (f.rule === 'interruption' && f.durationMs !== undefined) details.push(`${W.overlap} ${(f.durationMs / 1000).toFixed(1)} ${W.s}`)
  let text = ''
  if (f.text !== undefined) {
    text = markSpans(f, p.highlight)
    text = `\n      ${p.dim('»')} ${text}`
  }
  return `  ${[head, ...details].join(' ')}${text}`
}

function humanReport(file: string, report: CallReport, p: Paint, lang: Lang, rejectedLines: number[]): string {
  const W = WORDS[lang]
  const m = report.metrics
  const out: string[] = []
  out.push(p.bold(`${report.callId}`) + p.dim(`  ${file} · ${W.agent} ${report.agentId} · ${W.team} ${report.teamId} · ${directionLabel(report.direction, lang)} · ${dispositionLabel(report.disposition, lang)} · ${clock(report.endMs)}`))
  if (rejectedLines.length > 0) out.push(`  ${p.severity('major', W.incomplete(rejectedLines.length, rejectedLines))}`)
  const risks = report.findings.filter((f) => f.rule === 'complaint_risk').length
  out.push(
    `  ${W.score} ${p.bold(String(report.score))}/100   ${W.cpm} ${m.agentCpm ?? '-'} ${W.cpmUnit}   ${W.greeting} ${m.greeted ? '✓' : '✗'}   ${W.closing} ${m.closed ? '✓' : '✗'}   ${W.findings} ${report.findings.length - risks}${risks ? `   ${W.risk} ${risks}` : ''}`,
  )
  for (const f of report.findings) out.push(describeFinding(f, p, lang))
  // Deduction reasons are the engine's words (Chinese, the handbook's); in English the same facts in English words.
  if (report.deductions.length > 0) out.push(`  ${W.deductions}: ${report.deductions.map((d) => `-${d.points} ${lang === 'zh' ? d.reason : englishReason(d, report)}`).join('; ')}`)
  if (report.strengths.length > 0) out.push(`  ${W.strengths}:  ${report.strengths.map((s) => `+${s.points} ${s.reason}`).join('; ')}`)
  return out.join('\n') + '\n'
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('check', USAGE, argv, parseArgs)
  if (typeof options === 'number') return options
  const rulebook = loadRulebookFor('check', options.rulebookPath)
  if (!rulebook) return 2
  const checked = checkFiles('check', rulebook, options.files)
  const colour = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR)
  const p = paint(colour)
  let rejected = 0
  for (const { file, reports, rejected: bad, rejectedByCall } of checked) {
    rejected += bad
    for (const report of reports) {
      const lines = rejectedByCall.get(report.callId) ?? []
      process.stdout.write(options.json ? jsonReport(report, lines) + '\n' : humanReport(file, report, p, options.lang, lines) + '\n')
    }
  }
  const failed = checked.filter((c) => c.failed)
  if (failed.length > 0) process.stderr.write(`callqa check: ${failed.length} of ${checked.length} files could not be checked\n`)
  return failed.length > 0 ? 2 : rejected > 0 ? 1 : 0
}
