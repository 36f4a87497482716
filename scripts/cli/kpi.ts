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
import { isAgentViolation, ruleLabel, RULE_IDS, type Lang } from '@callqa/protocol'
import { checkFiles, loadRulebookFor, parseCommandLine, takeLang, UsageError } from './transcripts.js'

const USAGE = `usage: callqa kpi [--json|--csv] [--lang zh|en] [--rulebook FILE] [--by day|month] [--timezone TZ] FILE...

Scores the calls in JSONL transcript files (protocol v1 events) with the rulebook and prints KPIs
per agent and per team: calls, successful calls, average and median score, findings by rule and
forbidden phrase, greeting and closing rates, speaking rate, interruptions, complaint risk, and the
daily averages per seat against the handbook's staffing band (70-100 calls, 60-80 successful).

  --json            one JSON document {timeZone, agents: [...], teams: [...]}
  --csv             CSV (UTF-8 with BOM): one row per agent/team and period, then a total row
  --lang zh|en      language of the text and the CSV header (default zh)
  --rulebook FILE   use this rulebook instead of the default
  --by day|month    periods (default: day); the total always covers every file
  --timezone TZ     the center's time zone for days (default: CALLQA_TIMEZONE or Asia/Shanghai)

exit codes: 0 counted, 1 some lines were rejected (see stderr), 2 bad usage, a rulebook or a file that
could not be read or was empty (the other files are still counted)
`

interface Options {
  lang: Lang
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

function parseArgs(all: string[]): Options {
  const { lang, argv } = takeLang(all)
  const options: Options = {
    lang,
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

const WORDS = {
  zh: {
    calls: '通话', successful: '成功', avg: '平均分', median: '中位分', greeting: '问候语', closing: '结束语', rate: '外呼员平均语速', cpm: '字/分钟',
    outside: (n: number, r: string) => `语速不当 ${n} 通 (${r})`, interruptions: '每通打断客户', risk: '投诉风险通话', violations: '违规', phrases: '服务忌语',
    staffing: (n: number) => `人员编制 (${n} 台席·日)`, head: (c: number, a: number, t: number) => `callqa kpi: ${c} 通通话, ${a} 名外呼员, ${t} 个班组`,
    teams: '== 班组 (每台席: 每天的在岗外呼员) ==', agents: '== 外呼员 (按工作日) ==', team: '班组', agent: '外呼员',
  },
  en: {
    calls: 'calls', successful: 'successful', avg: 'score avg', median: 'median', greeting: 'greeting', closing: 'closing', rate: 'agent speaking rate', cpm: 'chars/min',
    outside: (n: number, r: string) => `outside the band in ${n} calls (${r})`, interruptions: 'interruptions/call', risk: 'complaint-risk calls', violations: 'violations', phrases: 'forbidden phrases',
    staffing: (n: number) => `staffing (${n} seat-days)`, head: (c: number, a: number, t: number) => `callqa kpi: ${c} calls, ${a} agents, ${t} teams`,
    teams: '== teams (staffing per active seat: distinct agents per day) ==', agents: '== agents (staffing per day worked) ==', team: 'team', agent: 'agent',
  },
}

function describe(label: string, s: KpiSummary, lang: Lang): string[] {
  const W = WORDS[lang]
  const lines = [
    `${label}`,
    `  ${W.calls} ${s.calls}  ${W.successful} ${s.successfulCalls} (${pct(s.successRate)})  ${W.avg} ${num(s.averageScore)} ${W.median} ${num(s.medianScore, 1)}` +
      `  ${W.greeting} ${pct(s.greetingRate)}  ${W.closing} ${pct(s.closingRate)}`,
    `  ${W.rate} ${num(s.averageAgentCpm)} ${W.cpm}, ${W.outside(s.speakingRateOutsideCalls, pct(s.speakingRateOutsideRate))}` +
      `  ${W.interruptions} ${num(s.interruptionsPerCall, 2)}  ${W.risk} ${s.complaintRiskCalls}`,
  ]
  // The agent's violations; complaint risk is the routing signal counted on the line above.
  const rules = RULE_IDS.filter((r) => s.findingsByRule[r] > 0 && isAgentViolation(r)).map((r) => `${ruleLabel(r, lang)} ${s.findingsByRule[r]}`)
  lines.push(`  ${W.violations} ${s.findings}${rules.length ? `: ${rules.join(', ')}` : ''}`)
  if (s.findingsByPhrase.length) lines.push(`  ${W.phrases}: ${s.findingsByPhrase.map((p) => `${p.phrase}×${p.count}`).join(', ')}`)
  if (s.staffing) lines.push(`  ${W.staffing(s.staffing.seatDays)}: ${lang === 'zh' ? s.staffing.advice.zh : s.staffing.advice.en}`)
  return lines
}

function textReport(book: KpiBook, teams: KpiReport[], agents: KpiReport[], calls: number, lang: Lang): string {
  const W = WORDS[lang]
  const days = new Set<string>()
  for (const t of teams) for (const p of t.periods) days.add(p.period)
  const sorted = [...days].sort()
  const out = [
    `${W.head(calls, agents.length, teams.length)} (${book.timeZone}${sorted.length ? `, ${sorted[0]}..${sorted.at(-1)}` : ''})`,
    '',
    W.teams,
  ]
  for (const t of teams) out.push(...describe(`${W.team} ${t.id}`, t.total, lang), '')
  out.push(W.agents)
  for (const a of agents) out.push(...describe(`${W.agent} ${a.id} (${W.team} ${book.teamOf(a.id) ?? '?'})`, a.total, lang), '')
  return `${out.join('\n')}\n`
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('kpi', USAGE, argv, parseArgs)
  if (typeof options === 'number') return options
  const rulebook = loadRulebookFor('kpi', options.rulebookPath)
  if (!rulebook) return 2
  const checked = checkFiles('kpi', rulebook, options.files)
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
    process.stdout.write(`${JSON.stringify({ timeZone: book.timeZone, calls, ...(rejected > 0 ? { incomplete: { rejectedLines: rejected } } : {}), rulebook: { id: rulebook.id, version: rulebook.version }, teams, agents })}\n`)
  } else if (options.format === 'csv') {
    process.stdout.write(kpiCsv([...teams, ...agents], { lang: options.lang }))
  } else {
    // The report says it is built from incomplete input, not only stderr.
    if (rejected > 0) process.stdout.write(options.lang === 'zh' ? `不完整：${rejected} 行被拒绝，统计只针对其余内容\n` : `incomplete: ${rejected} lines rejected; the figures cover the rest only\n`)
    process.stdout.write(textReport(book, teams, agents, calls, options.lang))
  }
  const failed = checked.filter((c) => c.failed)
  if (failed.length > 0) process.stderr.write(`callqa kpi: ${failed.length} of ${checked.length} files could not be counted\n`)
  return failed.length > 0 ? 2 : rejected > 0 ? 1 : 0
}
