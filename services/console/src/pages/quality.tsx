/**
 * 质检准确率与案例库: per rule and phrase the findings, confirmed, dismissed, pending, share
 * dismissed, reasons and added by hand (GET /v1/quality/rules); the case library (GET /v1/cases)
 * with its printable A4 case sheets.
 */
import { useEffect, useState } from 'preact/hooks'
import type { Principal, RuleId } from '../protocol.js'
import { api, query } from '../api.js'
import { ruleName } from '../i18n.js'
import { dateTime, isoDay } from '../format.js'

interface RuleQuality {
  rule: RuleId
  phrase: string | null
  findings: number
  confirmed: number
  dismissed: number
  pending: number
  dismissedShare: number | null
  reasons: Record<string, number>
  addedByHand: number
}
interface CaseRecord {
  id: string
  callId: string
  kind: 'positive' | 'negative' | 'hard'
  category: string
  note: string
  teamId: string
  rules: RuleId[]
  createdBy: string
  createdAt: string
}
const REASON_ZH: Record<string, string> = { asr_error: '误识别', innocent_use: '无辜用法', rule_not_applicable: '规则不适用', other: '其他', appeal_overturned: '申诉成立' }
const KIND_ZH = { positive: '正面案例', negative: '反面案例', hard: '疑难点' }
const CATEGORIES = ['服务忌语', '投诉处理', '营销', '业务知识', '服务规范', '其他']

export function QualityPage({ principal }: { principal: Principal }) {
  const [from, setFrom] = useState(isoDay(-30))
  const [rules, setRules] = useState<RuleQuality[]>([])
  const [cases, setCases] = useState<CaseRecord[]>([])
  const [category, setCategory] = useState('')
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const managers = principal.role === 'shift_lead' || principal.role === 'outbound_manager' || principal.role === 'admin'
  const load = async () => {
    setError(null)
    try {
      if (managers) setRules((await api<{ rules: RuleQuality[] }>(`/v1/quality/rules${query({ from })}`)).rules)
      setCases((await api<{ items: CaseRecord[] }>(`/v1/cases${query({ category, text })}`)).items)
    } catch (err) {
      setError(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`)
    }
  }
  useEffect(() => void load(), [])
  return (
    <section class="page quality" data-testid="quality-page">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void load() }}>
        <label>自 <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>案例类别 <select value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}><option value="">全部</option>{CATEGORIES.map((c) => <option value={c}>{c}</option>)}</select></label>
        <label>搜索 <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">查询</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {managers && (
        <>
          <h2>规则准确率(复核结果)</h2>
          <table data-testid="quality-rules">
            <thead><tr><th>规则</th><th>短语</th><th>发现</th><th>确认</th><th>驳回</th><th>待复核</th><th>驳回率</th><th>驳回原因</th><th>人工补充</th></tr></thead>
            <tbody>
              {rules.map((r) => (
                <tr class={r.phrase ? 'phrase' : 'rule'}>
                  <td>{r.phrase ? '' : ruleName(r.rule)}</td><td>{r.phrase ?? '全部'}</td><td>{r.findings}</td><td>{r.confirmed}</td><td>{r.dismissed}</td><td>{r.pending}</td>
                  <td>{r.dismissedShare === null ? '—' : `${Math.round(r.dismissedShare * 100)}%`}</td>
                  <td>{Object.entries(r.reasons).map(([k, n]) => `${REASON_ZH[k] ?? k} ${n}`).join(' · ')}</td><td>{r.addedByHand}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>案例库</h2>
      <table data-testid="cases">
        <thead><tr><th>类型</th><th>类别</th><th>点评</th><th>班组</th><th>规则</th><th>整理</th><th /></tr></thead>
        <tbody>
          {cases.map((c) => (
            <tr data-testid="case-row">
              <td>{KIND_ZH[c.kind]}</td><td>{c.category}</td><td>{c.note}</td><td>{c.teamId}</td><td>{c.rules.map(ruleName).join('、')}</td>
              <td>{c.createdBy} {dateTime(c.createdAt)}</td>
              <td><a href={`/v1/cases/${c.id}?format=html`} target="_blank" rel="noreferrer">案例单(A4)</a></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
