/**
 * How a report looks to people: the printable HTML page of one call and the CSV of a search.
 * Rendering only; the routes in ../routes/reports.ts fetch the data and check access.
 */
import type { CallReport, RuleId } from '@callqa/protocol'
import { toCsv, type ReportSummary } from '@callqa/store'

const DISPOSITION_ZH: Record<string, string> = { success: '成功', failed: '未成功', no_answer: '未接通', abandoned: '中断' }
const RULE_ZH: Record<RuleId, string> = {
  forbidden_phrase: '服务禁语',
  missing_greeting: '未使用问候语',
  missing_closing: '未使用结束语',
  speaking_rate: '语速不当',
  interruption: '打断客户',
  slow_response: '响应迟缓',
  complaint_risk: '投诉风险',
  internal_disclosure: '泄露内部信息',
  overpromise: '过度承诺',
}
const SEVERITY_ZH: Record<string, string> = { critical: '严重', major: '重要', warning: '警告', info: '提示' }
const STRENGTH_ZH: Record<string, string> = { politeness: '礼貌用语', greeting: '问候语', closing: '结束语', speaking_rate: '语速' }

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
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

/** A self-contained, printable zh-CN page of one report (no scripts, no external resources). */
export function renderReportHtml(report: CallReport, timeZone: string): string {
  const started = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'medium' }).format(Date.parse(report.startedAt))
  const spansBySeq = new Map<number, Array<{ start: number; end: number; title: string }>>()
  for (const f of report.findings) {
    if (f.seq === undefined || !f.span) continue
    const line = report.transcript.find((l) => l.seq === f.seq)
    // Spans index the finding's text; only highlight when it is the line's text.
    if (!line || (f.text !== undefined && f.text !== line.text)) continue
    const list = spansBySeq.get(f.seq) ?? []
    list.push({ start: f.span[0], end: f.span[1], title: `${RULE_ZH[f.rule]}${f.phrase ? `「${f.phrase}」` : ''}` })
    spansBySeq.set(f.seq, list)
  }
  const m = report.metrics
  const yes = (b: boolean): string => (b ? '是' : '<b class="bad">否</b>')
  const rows = (cells: string[][]): string => cells.map((c) => `<tr>${c.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('')
  const findings = report.findings.length
    ? `<table><thead><tr><th>时间</th><th>问题</th><th>级别</th><th>内容</th></tr></thead><tbody>${rows(
        report.findings.map((f) => [
          f.atMs !== undefined ? clock(f.atMs) : '',
          escapeHtml(RULE_ZH[f.rule] ?? f.rule),
          `<span class="sev-${escapeHtml(f.severity)}">${escapeHtml(SEVERITY_ZH[f.severity] ?? f.severity)}</span>`,
          escapeHtml(
            [f.phrase ? `「${f.phrase}」` : '', f.direction ? (f.direction === 'fast' ? '过快' : '过慢') : '', f.cpm !== undefined ? `${f.cpm} 字/分钟` : '', f.durationMs !== undefined ? `${(f.durationMs / 1000).toFixed(1)} 秒` : '']
              .filter(Boolean)
              .join(' '),
          ),
        ]),
      )}</tbody></table>`
    : '<p>未发现问题。</p>'
  const deductions = report.deductions.length
    ? `<table><thead><tr><th>扣分</th><th>原因</th></tr></thead><tbody>${rows(report.deductions.map((d) => [`−${d.points}`, escapeHtml(d.reason)]))}</tbody></table>`
    : '<p>无扣分。</p>'
  const strengths = report.strengths.length
    ? `<ul>${report.strengths.map((s) => `<li>${escapeHtml(STRENGTH_ZH[s.kind] ?? s.kind)}：${escapeHtml(s.reason)}${s.points ? `（+${s.points}）` : ''}</li>`).join('')}</ul>`
    : ''
  const transcript = report.transcript
    .map(
      (l) =>
        `<tr class="${l.speaker}"><td class="t">${clock(l.startMs)}</td><td class="who">${l.speaker === 'agent' ? '坐席' : '客户'}</td><td>${highlight(l.text, spansBySeq.get(l.seq) ?? [])}</td></tr>`,
    )
    .join('')
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>通话质检报告 ${escapeHtml(report.callId)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:52em;color:#222;line-height:1.5}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.5em}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
.score{font-size:2.2em;font-weight:bold}.bad{color:#b00020}mark{background:#ffd54f;color:#000;font-weight:bold}
.sev-critical,.sev-major{color:#b00020;font-weight:bold}.t{white-space:nowrap;color:#666}.who{white-space:nowrap}
tr.agent td.who{color:#0b5394}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{color:#666}dd{margin:0}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>通话质检报告</h1>
<dl>
<dt>通话编号</dt><dd>${escapeHtml(report.callId)}</dd>
<dt>外呼员</dt><dd>${escapeHtml(report.agentId)}</dd>
<dt>班组</dt><dd>${escapeHtml(report.teamId)}</dd>
<dt>开始时间</dt><dd>${escapeHtml(started)}</dd>
<dt>通话时长</dt><dd>${clock(report.endMs)}</dd>
<dt>呼叫方向</dt><dd>${report.direction === 'outbound' ? '外呼' : '呼入'}</dd>
<dt>结果</dt><dd>${escapeHtml(DISPOSITION_ZH[report.disposition] ?? report.disposition)}</dd>
<dt>规则库</dt><dd>${escapeHtml(report.rulebook.id)} 版本 ${escapeHtml(report.rulebook.version)}</dd>
</dl>
<p>得分 <span class="score">${escapeHtml(String(report.score))}</span> / 100</p>
<h2>扣分明细</h2>${deductions}
${strengths ? `<h2>加分项</h2>${strengths}` : ''}
<h2>通话指标</h2>
<dl>
<dt>坐席语速</dt><dd>${m.agentCpm === null ? '—' : `${escapeHtml(String(m.agentCpm))} 字/分钟`}</dd>
<dt>使用问候语</dt><dd>${yes(m.greeted)}</dd>
<dt>使用结束语</dt><dd>${yes(m.closed)}</dd>
<dt>打断客户</dt><dd>${m.interruptions} 次</dd>
<dt>响应迟缓</dt><dd>${m.slowResponses} 次</dd>
<dt>投诉风险</dt><dd>${m.complaintRisk ? '<b class="bad">有</b>' : '无'}</dd>
</dl>
<h2>发现问题（${report.findings.length}）</h2>${findings}
<h2>通话记录</h2>
<table class="transcript"><tbody>${transcript || '<tr><td>（无通话内容）</td></tr>'}</tbody></table>
</body></html>
`
}

const SEARCH_CSV_COLUMNS = [
  'call_id',
  'started_at',
  'agent_id',
  'team_id',
  'direction',
  'disposition',
  'score',
  'findings',
  'rules',
  'greeted',
  'closed',
  'complaint_risk',
  'duration_s',
] as const

export function searchCsv(items: ReportSummary[]): string {
  return toCsv(
    SEARCH_CSV_COLUMNS,
    items.map((s) => [
      s.callId,
      s.startedAt,
      s.agentId,
      s.teamId,
      s.direction,
      s.disposition,
      s.score,
      s.findings,
      s.rules.join(' '),
      s.greeted,
      s.closed,
      s.complaintRisk,
      Math.round(s.durationMs / 1000),
    ]),
  )
}

