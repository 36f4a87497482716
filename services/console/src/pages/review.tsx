/**
 * 复核与申诉: open a call's review (confirm / dismiss with a reason, appeal as the agent) and the
 * appeal queue (managers decide, agents see outcomes; overdue ones marked). Labels in the
 * handbook's terms; the API is /v1/calls/:id/review, /v1/calls/:id/appeals, /v1/appeals.
 */
import { useEffect, useState } from 'preact/hooks'
import type { Principal, RuleId } from '../protocol.js'
import { api } from '../api.js'
import { ruleName } from '../i18n.js'
import { dateTime } from '../format.js'
import type { NotifySocket } from '../notify/notify-socket.js'

const REASONS: Array<[string, string]> = [
  ['asr_error', '误识别'],
  ['innocent_use', '无辜用法'],
  ['rule_not_applicable', '规则不适用'],
  ['other', '其他'],
]
const STATUS_ZH: Record<string, string> = { pending: '待复核', confirmed: '已确认', dismissed: '已驳回' }
const APPEAL_ZH: Record<string, string> = { pending: '待处理', upheld: '维持扣分', overturned: '申诉成立' }
const ACTION_ZH: Record<string, string> = { confirm: '确认', dismiss: '驳回', add: '补充问题', appeal: '提出申诉', appeal_upheld: '申诉驳回', appeal_overturned: '申诉成立' }
const REASON_ZH: Record<string, string> = { ...Object.fromEntries(REASONS), appeal_overturned: '申诉成立' }

interface ReviewView {
  callId: string
  teamId: string
  agentId: string
  version: number
  score: number
  findings: Array<{ finding: { id: string; rule: RuleId; seq?: number; phrase?: string; text?: string }; origin: string; status: string; points: number; decision: { reason?: string; note?: string } | null }>
  appeals: Array<{ id: string; findingId: string; status: string; reply?: string }>
  history: Array<{ at: string; by: string; action: string; scoreBefore: number; scoreAfter: number; reason?: string; note?: string }>
}

interface AppealRow {
  id: string
  callId: string
  teamId: string
  agentId: string
  rule: RuleId
  reason: string
  status: string
  overdue: boolean
  dueAt: string
  reply?: string
}

const reviews = (p: Principal) => p.role === 'shift_lead' || p.role === 'outbound_manager'
const decides = (p: Principal) => p.role === 'outbound_manager' || p.role === 'complaint_manager'

export function ReviewPage({ principal, notify }: { principal: Principal; notify?: NotifySocket | null }) {
  const [callId, setCallId] = useState('')
  const [view, setView] = useState<ReviewView | null>(null)
  const [appeals, setAppeals] = useState<AppealRow[]>([])
  const [error, setError] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [reason, setReason] = useState('asr_error')
  const [caseKind, setCaseKind] = useState('negative')
  const [caseCategory, setCaseCategory] = useState('服务忌语')
  const [caseId, setCaseId] = useState<string | null>(null)

  const run = async (fn: () => Promise<unknown>) => {
    setError(null)
    try {
      await fn()
    } catch (err) {
      setError(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`)
    }
  }
  const load = (id = callId) => run(async () => setView(await api<ReviewView>(`/v1/calls/${encodeURIComponent(id.trim())}/review`)))
  const loadAppeals = () => run(async () => setAppeals((await api<{ items: AppealRow[] }>('/v1/appeals')).items))
  useEffect(() => {
    void loadAppeals()
    if (callId) void load()
  }, [])
  // A notification (an appeal filed or decided, a new deduction) may change what this page shows: read it again.
  const [seen, setSeen] = useState(notify?.received ?? 0)
  useEffect(() => {
    if (!notify) return
    return notify.subscribe(() => {
      if (notify.received === seen) return
      setSeen(notify.received)
      void loadAppeals()
      if (view) void load(view.callId)
    })
  }, [notify, seen, view?.callId])
  const after = async (p: Promise<unknown>) => {
    await p
    await Promise.all([view ? load(view.callId) : undefined, loadAppeals()])
  }

  return (
    <section class="page review" data-testid="review-page">
      <h1>复核与申诉</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          void load()
        }}
      >
        <label>
          通话编号 <input data-testid="review-call" value={callId} onInput={(e) => setCallId((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="review-open">打开</button>
        <label>
          原因/备注/答复 <input data-testid="review-text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {error && <p class="error" role="alert" data-testid="review-error">{error}</p>}
      {view && (
        <div data-testid="review-view">
          <p>
            得分 <b data-testid="review-score">{view.score}</b> · 班组 {view.teamId} · 坐席 {view.agentId} ·{' '}
            <a href={`/v1/calls/${encodeURIComponent(view.callId)}/report?format=html`} target="_blank" rel="noreferrer">打印报告</a>
          </p>
          {reviews(principal) && (
            <select data-testid="review-reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
              {REASONS.map(([v, zh]) => (
                <option value={v}>{zh}</option>
              ))}
            </select>
          )}
          <table>
            <thead>
              <tr><th>句</th><th>问题</th><th>内容</th><th>扣分</th><th>状态</th><th /></tr>
            </thead>
            <tbody>
              {view.findings.map((f) => {
                const appeal = view.appeals.find((a) => a.findingId === f.finding.id)
                return (
                  <tr data-testid="review-finding" data-finding={f.finding.id} data-status={f.status}>
                    <td>{f.finding.seq ?? ''}</td>
                    <td>{ruleName(f.finding.rule)}</td>
                    <td>{f.finding.phrase ? `「${f.finding.phrase}」` : (f.finding.text ?? '')}</td>
                    <td>{f.points || ''}</td>
                    <td>
                      {STATUS_ZH[f.status]}
                      {appeal && ` · 申诉: ${APPEAL_ZH[appeal.status]}`}
                    </td>
                    <td>
                      {reviews(principal) && (
                        <>
                          <button type="button" class="small" onClick={() => void run(() => after(api(`/v1/calls/${encodeURIComponent(view.callId)}/review`, { method: 'POST', json: { action: 'confirm', findingId: f.finding.id } })))}>确认</button>
                          <button type="button" class="small secondary" onClick={() => void run(() => after(api(`/v1/calls/${encodeURIComponent(view.callId)}/review`, { method: 'POST', json: { action: 'dismiss', findingId: f.finding.id, reason, ...(text ? { note: text } : {}) } })))}>驳回</button>
                        </>
                      )}
                      {principal.role === 'agent' && f.points > 0 && !appeal && (
                        <button type="button" class="small" data-testid="appeal-file" onClick={() => void run(() => after(api(`/v1/calls/${encodeURIComponent(view.callId)}/appeals`, { method: 'POST', json: { findingId: f.finding.id, reason: text || '申请复核' } })))}>申诉</button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {reviews(principal) && (
            <p>
              <select data-testid="case-kind" value={caseKind} onChange={(e) => setCaseKind((e.target as HTMLSelectElement).value)}>
                <option value="negative">反面案例</option>
                <option value="positive">正面案例</option>
                <option value="hard">疑难点</option>
              </select>
              <select data-testid="case-category" value={caseCategory} onChange={(e) => setCaseCategory((e.target as HTMLSelectElement).value)}>
                {['服务忌语', '投诉处理', '营销', '业务知识', '服务规范', '其他'].map((c) => <option value={c}>{c}</option>)}
              </select>
              <button type="button" class="small" data-testid="case-mark" onClick={() => void run(async () => {
                const c = await api<{ id: string }>(`/v1/calls/${encodeURIComponent(view.callId)}/cases`, { method: 'POST', json: { kind: caseKind, category: caseCategory, note: text || '培训案例', keySeqs: view.findings.map((f) => f.finding.seq).filter((s): s is number => s !== undefined) } })
                setCaseId(c.id)
              })}>收入案例库</button>
              {caseId && <a data-testid="case-sheet" href={`/v1/cases/${caseId}?format=html`} target="_blank" rel="noreferrer">案例单(A4)</a>}
            </p>
          )}
          <h2>复核记录</h2>
          <ul data-testid="review-history">
            {view.history.map((h) => (
              <li>{dateTime(h.at)} {h.by} {ACTION_ZH[h.action] ?? h.action} {h.reason && h.action !== 'appeal_overturned' ? REASON_ZH[h.reason] : ''} {h.note ?? ''} ({h.scoreBefore} → {h.scoreAfter})</li>
            ))}
          </ul>
        </div>
      )}
      <h2>申诉</h2>
      <table data-testid="appeals">
        <thead>
          <tr><th>通话</th><th>班组</th><th>问题</th><th>理由</th><th>状态</th><th>期限</th><th /></tr>
        </thead>
        <tbody>
          {appeals.map((a) => (
            <tr data-testid="appeal-row" data-status={a.status} class={a.overdue ? 'overdue' : ''}>
              <td><a href="#/review" onClick={() => { setCallId(a.callId); void load(a.callId) }}>{a.callId}</a></td>
              <td>{a.teamId}</td>
              <td>{ruleName(a.rule)}</td>
              <td>{a.reason}</td>
              <td>{APPEAL_ZH[a.status]}{a.reply ? `: ${a.reply}` : ''}</td>
              <td>{a.overdue ? <b class="bad" data-testid="appeal-overdue">已超期</b> : dateTime(a.dueAt)}</td>
              <td>
                {decides(principal) && a.status === 'pending' && (
                  <>
                    <button type="button" class="small" data-testid="appeal-overturn" onClick={() => void run(() => after(api('/v1/appeals/decision', { method: 'POST', json: { appealId: a.id, outcome: 'overturned', reply: text || '申诉成立' } })))}>撤销扣分</button>
                    <button type="button" class="small secondary" data-testid="appeal-uphold" onClick={() => void run(() => after(api('/v1/appeals/decision', { method: 'POST', json: { appealId: a.id, outcome: 'upheld', reply: text || '维持扣分' } })))}>维持</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
