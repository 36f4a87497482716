/** The review part of the printable report page: each finding's status and the history (who/when/what/why). */
import { DISMISS_REASON_ZH, RULE_ZH, stateOf, allFindings, findingStatus, type ReviewedReport, type HistoryAction, type AppealStatus } from './review.js'
import { ROLE_NAMES_ZH } from '@callqa/protocol'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export const HISTORY_ACTION_ZH: Record<HistoryAction, string> = {
  confirm: '确认',
  dismiss: '驳回',
  add: '补充问题',
  appeal: '提出申诉',
  appeal_upheld: '申诉驳回(维持扣分)',
  appeal_overturned: '申诉成立(撤销扣分)',
}
export const STATUS_ZH = { pending: '待复核', confirmed: '已确认', dismissed: '已驳回' } as const
export const APPEAL_STATUS_ZH: Record<AppealStatus, string> = { pending: '待处理', upheld: '维持', overturned: '已撤销' }

/** Empty when the report was never reviewed. */
export function renderReviewHtml(report: ReviewedReport, timeZone: string): string {
  if (!report.review) return ''
  const state = stateOf(report)
  const time = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(Date.parse(iso))
  const statusRows = allFindings(state)
    .map((f) => {
      const d = state.decisions[f.id]
      const status = findingStatus(state, f.id)
      return `<tr class="review-${status}"><td>${escapeHtml(RULE_ZH[f.rule])}${f.phrase ? `「${escapeHtml(f.phrase)}」` : ''}${f.seq !== undefined ? ` 第${f.seq}句` : ''}${f.id.includes(':manual:') ? ' (人工补充)' : ''}</td><td>${STATUS_ZH[status]}</td><td>${d?.reason ? escapeHtml(DISMISS_REASON_ZH[d.reason]) : ''}${d?.note ? ` ${escapeHtml(d.note)}` : ''}</td></tr>`
    })
    .join('')
  const historyRows = state.history
    .map(
      (e) =>
        `<tr><td>${escapeHtml(time(e.at))}</td><td>${escapeHtml(e.by)} (${escapeHtml(ROLE_NAMES_ZH[e.role])})</td><td>${HISTORY_ACTION_ZH[e.action]} ${escapeHtml(RULE_ZH[e.rule])}</td><td>${e.reason ? escapeHtml(DISMISS_REASON_ZH[e.reason]) : ''}${e.note ? ` ${escapeHtml(e.note)}` : ''}</td><td>${e.scoreBefore} → ${e.scoreAfter}</td></tr>`,
    )
    .join('')
  const appeals = state.appeals.length
    ? `<h3>申诉</h3><table><thead><tr><th>问题</th><th>理由</th><th>状态</th><th>答复</th></tr></thead><tbody>${state.appeals
        .map((a) => `<tr><td>${escapeHtml(RULE_ZH[a.rule])}</td><td>${escapeHtml(a.reason)}</td><td>${APPEAL_STATUS_ZH[a.status]}</td><td>${escapeHtml(a.reply ?? '')}</td></tr>`)
        .join('')}</tbody></table>`
    : ''
  return `<section class="review"><h2>复核</h2><table><thead><tr><th>问题</th><th>状态</th><th>原因/备注</th></tr></thead><tbody>${statusRows}</tbody></table>${appeals}<h3>复核记录</h3><table><thead><tr><th>时间</th><th>人员</th><th>操作</th><th>原因/备注</th><th>得分</th></tr></thead><tbody>${historyRows}</tbody></table></section>`
}
