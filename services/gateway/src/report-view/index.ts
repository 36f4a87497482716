/**
 * How a report looks to people: the printable HTML page of one call and the CSV of a search.
 * Rendering only; the routes in ../routes/reports.ts fetch the data and check access. Rule, severity,
 * disposition and speaker words come from the protocol's one catalogue (`@callqa/protocol` labels);
 * dates and times are the center's (`timeZone`), and the page says which zone.
 */
import {
  directionLabel,
  dispositionLabel,
  isAgentViolation,
  rateDirectionLabel,
  ruleLabel,
  severityLabel,
  speakerLabel,
  type CallReport,
  type Finding,
  type Lang,
} from '@callqa/protocol'
import { renderReviewHtml } from '@callqa/review'
import { toCsv, type ReportSummary } from '@callqa/store'

/** People the report is about, by name where the accounts or the roster know them. */
export interface ReportNames {
  agentName?: string
  teamName?: string
}

export interface ReportViewOptions {
  /** @defaultValue 'zh' */
  lang?: Lang
  names?: ReportNames
}

const PAGE = {
  zh: {
    title: '通话质检报告',
    callId: '通话编号',
    agent: '外呼员',
    team: '班组',
    startedAt: '开始时间',
    duration: '通话时长',
    direction: '呼叫方向',
    disposition: '结果',
    rulebook: '规则库',
    version: '版本',
    score: '得分',
    deductions: '扣分明细',
    points: '扣分',
    reason: '原因',
    noDeductions: '无扣分。',
    strengths: '加分项',
    metrics: '通话指标',
    agentCpm: '坐席语速',
    cpmUnit: '字/分钟',
    greeted: '使用问候语',
    closed: '使用结束语',
    interruptions: '打断客户',
    slowResponses: '应答不及时',
    times: '次',
    complaintRisk: '投诉风险',
    complaintRiskNote: '客户提及投诉渠道，转投诉管理员跟进；不计入外呼员违规。',
    none: '无',
    yes: '是',
    no: '否',
    has: '有',
    findings: '违规',
    at: '时间',
    rule: '问题',
    severity: '级别',
    detail: '内容',
    noFindings: '未发现违规。',
    transcript: '通话记录',
    emptyTranscript: '（无通话内容）',
    seconds: '秒',
    zone: '时区',
    strength: { politeness: '礼貌用语', greeting: '问候语', closing: '结束语', speaking_rate: '语速' } as Record<string, string>,
  },
  en: {
    title: 'Call quality report',
    callId: 'Call',
    agent: 'Agent',
    team: 'Team',
    startedAt: 'Started',
    duration: 'Duration',
    direction: 'Direction',
    disposition: 'Outcome',
    rulebook: 'Rulebook',
    version: 'version',
    score: 'Score',
    deductions: 'Deductions',
    points: 'Points',
    reason: 'Reason',
    noDeductions: 'No deductions.',
    strengths: 'Bonus',
    metrics: 'Call metrics',
    agentCpm: 'Agent speaking rate',
    cpmUnit: 'chars/min',
    greeted: 'Greeting used',
    closed: 'Closing used',
    interruptions: 'Interruptions',
    slowResponses: 'Slow responses',
    times: '',
    complaintRisk: 'Complaint risk',
    complaintRiskNote: 'The customer named a complaint channel: routed to the complaint manager; not counted as the agent’s violation.',
    none: 'none',
    yes: 'yes',
    no: 'no',
    has: 'yes',
    findings: 'Violations',
    at: 'At',
    rule: 'Rule',
    severity: 'Severity',
    detail: 'Detail',
    noFindings: 'No violations found.',
    transcript: 'Transcript',
    emptyTranscript: '(no speech)',
    seconds: 's',
    zone: 'time zone',
    strength: { politeness: 'Polite words', greeting: 'Greeting', closing: 'Closing', speaking_rate: 'Speaking rate' } as Record<string, string>,
  },
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** `2026-12-01 20:15:03` in `timeZone` (the center's clock), 24-hour. */
export function centerDateTime(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

/** The words a finding matched: every span of its text (one complaint-risk row lists all its trigger words), else its phrase. */
export function matchedWords(f: Pick<Finding, 'text' | 'span' | 'phrase'> & { spans?: Array<{ start: number; end: number }> }): string[] {
  const spans = f.spans ?? (f.span ? [{ start: f.span[0], end: f.span[1] }] : [])
  const words = f.text !== undefined ? spans.map((s) => f.text!.slice(s.start, s.end)).filter(Boolean) : []
  const unique = [...new Set(words)]
  return unique.length > 0 ? unique : f.phrase ? [f.phrase] : []
}

/** The line's text with every finding span on it wrapped in <mark>, everything escaped. */
export function highlight(text: string, spans: Array<{ start: number; end: number; title: string }>): string {
  const sorted = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start).sort((a, b) => a.start - b.start)
  let out = ''
  let at = 0
  for (const span of sorted) {
    if (span.start < at) continue // overlapping spans: the first one wins
    out += escapeHtml(text.slice(at, span.start))
    out += `<mark title="${escapeHtml(span.title)}">${escapeHtml(text.slice(span.start, span.end))}</mark>`
    at = span.end
  }
  return out + escapeHtml(text.slice(at))
}

function againstAgent(f: Finding): boolean {
  const flag = (f as Finding & { againstAgent?: boolean }).againstAgent
  return flag ?? isAgentViolation(f.rule)
}

/** `名字 (id)` when a name is known, else the id. */
function named(id: string, name: string | undefined): string {
  return name && name !== id ? `${escapeHtml(name)} <span class="id">(${escapeHtml(id)})</span>` : escapeHtml(id)
}

/** A self-contained, printable page of one report (no scripts, no external resources), in `lang`. */
export function renderReportHtml(report: CallReport, timeZone: string, options: ReportViewOptions = {}): string {
  const lang = options.lang ?? 'zh'
  const L = PAGE[lang]
  const names = options.names ?? {}
  const started = centerDateTime(report.startedAt, timeZone)
  const spansBySeq = new Map<number, Array<{ start: number; end: number; title: string }>>()
  for (const f of report.findings) {
    if (f.seq === undefined) continue
    const line = report.transcript.find((l) => l.seq === f.seq)
    // Spans index the finding's text; only highlight when it is the line's text.
    if (!line || (f.text !== undefined && f.text !== line.text)) continue
    const spans = (f as Finding & { spans?: Array<{ start: number; end: number }> }).spans ?? (f.span ? [{ start: f.span[0], end: f.span[1] }] : [])
    const list = spansBySeq.get(f.seq) ?? []
    for (const s of spans) list.push({ start: s.start, end: s.end, title: `${ruleLabel(f.rule, lang)}${f.phrase ? `「${f.phrase}」` : ''}` })
    spansBySeq.set(f.seq, list)
  }
  const m = report.metrics
  const yes = (b: boolean): string => (b ? L.yes : `<b class="bad">${L.no}</b>`)
  const times = (n: number): string => (L.times ? `${n} ${L.times}` : String(n))
  const rows = (cells: string[][]): string => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')
  const violations = report.findings.filter(againstAgent)
  const risks = report.findings.filter((f) => !againstAgent(f))
  const detail = (f: Finding): string =>
    escapeHtml(
      [
        matchedWords(f).map((w) => `「${w}」`).join(''),
        f.direction ? rateDirectionLabel(f.direction, lang) : '',
        f.cpm !== undefined ? `${f.cpm} ${L.cpmUnit}` : '',
        f.durationMs !== undefined ? `${(f.durationMs / 1000).toFixed(1)} ${L.seconds}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    )
  const findings = violations.length
    ? `<table><thead><tr><th>${L.at}</th><th>${L.rule}</th><th>${L.severity}</th><th>${L.detail}</th></tr></thead><tbody>${rows(
        violations.map((f) => [
          f.atMs !== undefined ? clock(f.atMs) : '',
          escapeHtml(ruleLabel(f.rule, lang)),
          `<span class="sev-${escapeHtml(f.severity)}">${escapeHtml(severityLabel(f.severity, lang))}</span>`,
          detail(f),
        ]),
      )}</tbody></table>`
    : `<p>${L.noFindings}</p>`
  const riskSection = risks.length
    ? `<h2>${L.complaintRisk}（${risks.length}）</h2><p class="note">${L.complaintRiskNote}</p><table><tbody>${rows(
        risks.map((f) => [f.atMs !== undefined ? clock(f.atMs) : '', `<span class="sev-${escapeHtml(f.severity)}">${escapeHtml(severityLabel(f.severity, lang))}</span>`, detail(f)]),
      )}</tbody></table>`
    : ''
  const deductions = report.deductions.length
    ? `<table><thead><tr><th>${L.points}</th><th>${L.reason}</th></tr></thead><tbody>${rows(report.deductions.map((d) => [`−${d.points}`, escapeHtml(d.reason)]))}</tbody></table>`
    : `<p>${L.noDeductions}</p>`
  const strengths = report.strengths.length
    ? `<ul>${report.strengths.map((s) => `<li>${escapeHtml(L.strength[s.kind] ?? s.kind)}：${escapeHtml(s.reason)}${s.points ? `（+${s.points}）` : ''}</li>`).join('')}</ul>`
    : ''
  const transcript = report.transcript
    .map(
      (l) =>
        `<tr class="${l.speaker}"><td class="t">${clock(l.startMs)}</td><td class="who">${escapeHtml(speakerLabel(l.speaker, lang))}</td><td>${highlight(l.text, spansBySeq.get(l.seq) ?? [])}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${L.title} ${escapeHtml(report.callId)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:52em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.5em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
.score{font-size:2.2em;font-weight:bold}.bad{color:#b00020}mark{background:#ffd54f;color:#000;font-weight:bold}
.sev-critical,.sev-major{color:#b00020;font-weight:bold}.t{white-space:nowrap;color:#666}.who{white-space:nowrap}.id,.zone,.note{color:#666}
tr.agent td.who{color:#0b5394}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:#666}dd{margin:0}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>${L.title}</h1>
<dl>
<dt>${L.callId}</dt><dd>${escapeHtml(report.callId)}</dd>
<dt>${L.agent}</dt><dd>${named(report.agentId, names.agentName)}</dd>
<dt>${L.team}</dt><dd>${named(report.teamId, names.teamName)}</dd>
<dt>${L.startedAt}</dt><dd>${escapeHtml(started)} <span class="zone">(${L.zone} ${escapeHtml(timeZone)})</span></dd>
<dt>${L.duration}</dt><dd>${clock(report.endMs)}</dd>
<dt>${L.direction}</dt><dd>${escapeHtml(directionLabel(report.direction, lang))}</dd>
<dt>${L.disposition}</dt><dd>${escapeHtml(dispositionLabel(report.disposition, lang))}</dd>
<dt>${L.rulebook}</dt><dd>${escapeHtml(report.rulebook.id)} ${L.version} ${escapeHtml(report.rulebook.version)}</dd>
</dl>
<p>${L.score} <span class="score">${escapeHtml(String(report.score))}</span> / 100</p>
<h2>${L.deductions}</h2>${deductions}
${strengths ? `<h2>${L.strengths}</h2>${strengths}` : ''}
<h2>${L.metrics}</h2>
<dl>
<dt>${L.agentCpm}</dt><dd>${m.agentCpm === null ? '—' : `${escapeHtml(String(m.agentCpm))} ${L.cpmUnit}`}</dd>
<dt>${L.greeted}</dt><dd>${yes(m.greeted)}</dd>
<dt>${L.closed}</dt><dd>${yes(m.closed)}</dd>
<dt>${L.interruptions}</dt><dd>${times(m.interruptions)}</dd>
<dt>${L.slowResponses}</dt><dd>${times(m.slowResponses)}</dd>
<dt>${L.complaintRisk}</dt><dd>${m.complaintRisk ? `<b class="bad">${L.has}</b>` : L.none}</dd>
</dl>
<h2>${L.findings}（${violations.length}）</h2>${findings}
${riskSection}
<h2>${L.transcript}</h2>
<table class="transcript"><tbody>${transcript || `<tr><td>${L.emptyTranscript}</td></tr>`}</tbody></table>
${renderReviewHtml(report, timeZone)}
</body></html>
`
}

const SEARCH_CSV_HEADERS: Record<Lang, readonly string[]> = {
  zh: ['通话编号', '开始时间', '外呼员编号', '外呼员', '班组编号', '班组', '呼叫方向', '结果', '得分', '违规类型', '使用问候语', '使用结束语', '投诉风险', '时长(秒)'],
  en: ['call_id', 'started_at', 'agent_id', 'agent_name', 'team_id', 'team_name', 'direction', 'disposition', 'score', 'violation_rules', 'greeted', 'closed', 'complaint_risk', 'duration_s'],
}

export interface SearchCsvOptions {
  /** @defaultValue 'zh' */
  lang?: Lang
  /** The center's time zone: `started_at` is written in it with its offset. @defaultValue UTC */
  timeZone?: string
  /** Names by agent id and team id (roster or accounts), ids when unknown. */
  agentName?: (agentId: string) => string | undefined
  teamName?: (teamId: string) => string | undefined
}

/** `YYYY-MM-DDTHH:mm:ss+08:00`: the center's wall clock with its offset (a spreadsheet shows the center's time, nothing is lost). */
export function centerIso(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  const local = centerDateTime(iso, timeZone)
  const asUtc = Date.parse(`${local.replace(' ', 'T')}Z`)
  const offsetMin = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${local.replace(' ', 'T')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

export function searchCsv(items: ReportSummary[], options: SearchCsvOptions = {}): string {
  const lang = options.lang ?? 'zh'
  const timeZone = options.timeZone ?? 'UTC'
  const yes = (b: boolean): string => (lang === 'zh' ? (b ? '是' : '否') : String(b))
  return toCsv(
    SEARCH_CSV_HEADERS[lang],
    items.map((s) => {
      const violations = s.rules.filter((r) => isAgentViolation(r))
      return [
        s.callId,
        centerIso(s.startedAt, timeZone),
        s.agentId,
        options.agentName?.(s.agentId) ?? '',
        s.teamId,
        options.teamName?.(s.teamId) ?? '',
        directionLabel(s.direction, lang),
        dispositionLabel(s.disposition, lang),
        s.score,
        // Complaint risk has its own column: it is not the agent's violation.
        violations.map((r) => ruleLabel(r, lang)).join(' '),
        yes(s.greeted),
        yes(s.closed),
        yes(s.complaintRisk),
        Math.round(s.durationMs / 1000),
      ]
    }),
  )
}
