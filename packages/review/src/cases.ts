/**
 * The case library (案例库): a call or a span of it marked as 正面案例 / 反面案例 / 疑难点 with a
 * category and a note, and its printable A4 case sheet for 周培训 / 月培训. Pure.
 */
import type { CallReport, Finding, Principal, RuleId, TranscriptLine } from '@callqa/protocol'
import { ReviewError, ReviewErrorCodes } from './errors.js'
import { canReview, RULE_ZH } from './review.js'

export const CASE_KINDS = ['positive', 'negative', 'hard'] as const
export type CaseKind = (typeof CASE_KINDS)[number]
export const CASE_KIND_ZH: Record<CaseKind, string> = { positive: '正面案例', negative: '反面案例', hard: '疑难点' }
/** The handbook's training topics; a case names one. */
export const CASE_CATEGORIES = ['服务忌语', '投诉处理', '营销', '业务知识', '服务规范', '其他'] as const
export type CaseCategory = (typeof CASE_CATEGORIES)[number]

export interface CaseInput {
  kind: CaseKind
  category: CaseCategory
  note: string
  /** The span of the call the case is about (utterance seqs, inclusive); the whole call when absent. */
  fromSeq?: number
  toSeq?: number
  /** Lines highlighted on the sheet. */
  keySeqs?: number[]
}

export interface CaseSnapshot {
  startedAt: string
  score: number
  transcript: TranscriptLine[]
  findings: Finding[]
}

export interface CaseRecord {
  id: string
  callId: string
  kind: CaseKind
  category: CaseCategory
  note: string
  teamId: string
  agentId: string
  rules: RuleId[]
  fromSeq?: number
  toSeq?: number
  keySeqs: number[]
  createdBy: string
  createdAt: string
  snapshot: CaseSnapshot
}

const MAX_CASE_NOTE_CHARS = 2000

function invalid(message: string): never {
  throw new ReviewError(ReviewErrorCodes.INVALID_REVIEW, message)
}

/** A case of a report by a reviewer (话务班长 any team, 外呼管理员 own teams). */
export function makeCase(report: CallReport, input: CaseInput, actor: { principal: Principal; at: string; id: string }): CaseRecord {
  if (!canReview(actor.principal, report)) throw new ReviewError(ReviewErrorCodes.FORBIDDEN, `${actor.principal.username} may not mark cases of team ${report.teamId}`)
  if (!(CASE_KINDS as readonly string[]).includes(input.kind)) invalid(`kind must be one of ${CASE_KINDS.join(', ')}, got ${JSON.stringify(input.kind)}`)
  if (!(CASE_CATEGORIES as readonly string[]).includes(input.category)) invalid(`category must be one of ${CASE_CATEGORIES.join(', ')}, got ${JSON.stringify(input.category)}`)
  const note = input.note?.trim() ?? ''
  if (note === '' || [...note].length > MAX_CASE_NOTE_CHARS) invalid(`note must be 1 to ${MAX_CASE_NOTE_CHARS} characters`)
  const seqs = new Set(report.transcript.map((l) => l.seq))
  for (const [name, seq] of [['fromSeq', input.fromSeq], ['toSeq', input.toSeq]] as const) {
    if (seq !== undefined && !seqs.has(seq)) invalid(`${name}: call ${report.callId} has no utterance ${seq}`)
  }
  if (input.fromSeq !== undefined && input.toSeq !== undefined && input.fromSeq > input.toSeq) invalid('fromSeq must not be after toSeq')
  const keySeqs = [...new Set(input.keySeqs ?? [])].sort((a, b) => a - b)
  for (const seq of keySeqs) if (!seqs.has(seq)) invalid(`keySeqs: call ${report.callId} has no utterance ${seq}`)
  const inSpan = (seq: number | undefined) => seq === undefined || ((input.fromSeq === undefined || seq >= input.fromSeq) && (input.toSeq === undefined || seq <= input.toSeq))
  const transcript = report.transcript.filter((l) => inSpan(l.seq))
  const findings = report.findings.filter((f) => inSpan(f.seq))
  return {
    id: actor.id,
    callId: report.callId,
    kind: input.kind,
    category: input.category,
    note,
    teamId: report.teamId,
    agentId: report.agentId,
    rules: [...new Set(findings.map((f) => f.rule))].sort(),
    ...(input.fromSeq !== undefined ? { fromSeq: input.fromSeq } : {}),
    ...(input.toSeq !== undefined ? { toSeq: input.toSeq } : {}),
    keySeqs,
    createdBy: actor.principal.username,
    createdAt: actor.at,
    snapshot: { startedAt: report.startedAt, score: report.score, transcript, findings },
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function highlightLine(line: TranscriptLine, findings: readonly Finding[]): string {
  const spans = findings
    .filter((f) => f.seq === line.seq && f.span && (f.text === undefined || f.text === line.text))
    .map((f) => f.span!)
    .sort((a, b) => a[0] - b[0])
  let out = ''
  let at = 0
  for (const [start, end] of spans) {
    if (start < at || end > line.text.length) continue
    out += escapeHtml(line.text.slice(at, start)) + `<mark>${escapeHtml(line.text.slice(start, end))}</mark>`
    at = end
  }
  return out + escapeHtml(line.text.slice(at))
}

const SPEAKER_ZH: Record<string, string> = { agent: '坐席', customer: '客户' }

/** A self-contained A4 page (no scripts, no external resources) for a training session. */
export function renderCaseSheetHtml(c: CaseRecord, timeZone: string): string {
  const when = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(iso))
  const clock = (ms: number) => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`
  const keys = new Set(c.keySeqs)
  const lines = c.snapshot.transcript
    .map((l) => `<tr class="${keys.has(l.seq) ? 'key' : ''}"><td class="t">${clock(l.startMs)}</td><td class="s">${SPEAKER_ZH[l.speaker] ?? l.speaker}</td><td>${highlightLine(l, c.snapshot.findings)}</td></tr>`)
    .join('')
  const findings = c.snapshot.findings.length
    ? `<table class="findings"><thead><tr><th>句</th><th>问题</th><th>内容</th></tr></thead><tbody>${c.snapshot.findings
        .map((f) => `<tr><td>${f.seq ?? ''}</td><td>${escapeHtml(RULE_ZH[f.rule])}</td><td>${escapeHtml(f.phrase ? `「${f.phrase}」` : (f.text ?? ''))}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>（无）</p>'
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>案例 ${escapeHtml(c.callId)} ${escapeHtml(CASE_KIND_ZH[c.kind])}</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 11pt; color: #111; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
.kind { display: inline-block; padding: 0 3mm; border: 1px solid #333; border-radius: 2mm; margin-right: 2mm; }
.kind-negative { background: #fde2e2; } .kind-positive { background: #e2f5e6; } .kind-hard { background: #fff3cd; }
dl { display: grid; grid-template-columns: 22mm 1fr 22mm 1fr; gap: 1mm 3mm; margin: 0; } dt { color: #555; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: 1mm 2mm; vertical-align: top; text-align: left; }
tr { page-break-inside: avoid; } td.t { width: 13mm; color: #555; } td.s { width: 10mm; }
tr.key td { background: #fff3a8; font-weight: bold; } mark { background: #f8b4b4; }
.note { white-space: pre-wrap; border-left: 3px solid #333; padding-left: 3mm; }
</style></head><body>
<h1><span class="kind kind-${c.kind}">${CASE_KIND_ZH[c.kind]}</span>${escapeHtml(c.category)}</h1>
<dl><dt>通话</dt><dd>${escapeHtml(c.callId)}</dd><dt>时间</dt><dd>${escapeHtml(when(c.snapshot.startedAt))}</dd>
<dt>班组</dt><dd>${escapeHtml(c.teamId)}</dd><dt>得分</dt><dd>${c.snapshot.score}</dd>
<dt>整理人</dt><dd>${escapeHtml(c.createdBy)}</dd><dt>整理时间</dt><dd>${escapeHtml(when(c.createdAt))}</dd></dl>
<h2>点评</h2><p class="note">${escapeHtml(c.note)}</p>
<h2>发现问题</h2>${findings}
<h2>通话记录${c.fromSeq !== undefined || c.toSeq !== undefined ? `(第${c.fromSeq ?? ''}–${c.toSeq ?? ''}句)` : ''}</h2>
<table class="transcript"><tbody>${lines}</tbody></table>
</body></html>`
}
