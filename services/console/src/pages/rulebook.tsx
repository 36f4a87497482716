/** 质检规则: the active rulebook, read-only, and a box to try a transcript against it. */
import { useEffect, useState } from 'preact/hooks'
import type { CallReport, RuleId, Severity } from '../protocol.js'
import { api } from '../api.js'
import { ruleName, severityName, t } from '../i18n.js'
import { Highlighted } from '../components/highlight.js'
import { duration } from '../format.js'

interface RuleView {
  rule: string
  severity?: Severity
  weight?: number
  maxPoints?: number
  phrases?: Array<{ phrase: string; [k: string]: unknown }>
  [param: string]: unknown
}

interface RulebookView {
  id: string
  version: string
  name: string
  score: { base: number; maxBonus: number }
  rules: RuleView[]
}

interface TryResult {
  reports: CallReport[]
  errors: Array<{ code: string; message: string; line?: number }>
  warnings: string[]
}

const EXAMPLE = `坐席：您好，我是中国移动客服代表小王，请问是李先生吗？
客户：是我，什么事？
坐席：我们推出了新的5G套餐，每月流量比您现在多20G，话费还便宜十块。
客户：我上个月的话费怎么多扣了三十块？
坐席：这个我不知道，你问我，我问谁。
客户：你这什么态度，我要投诉你！
坐席：好的，感谢您的耐心，祝您生活愉快，再见。`

const HIDDEN = new Set(['rule', 'severity', 'weight', 'maxPoints', 'phrases'])

function Param({ value }: { value: unknown }) {
  if (Array.isArray(value)) return <>{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、')}</>
  if (value && typeof value === 'object') return <>{JSON.stringify(value)}</>
  return <>{String(value)}</>
}

export function RulebookPage() {
  const [book, setBook] = useState<RulebookView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [text, setText] = useState(EXAMPLE)
  const [result, setResult] = useState<TryResult | null>(null)
  const [running, setRunning] = useState(false)
  useEffect(() => {
    api<RulebookView>('/v1/rulebook').then(setBook, (err: Error) => setError(t('error.generic', { m: err.message })))
  }, [])
  const run = async () => {
    setRunning(true)
    setError(null)
    try {
      setResult(await api<TryResult>('/v1/rulebook/try', { method: 'POST', json: { text } }))
    } catch (err) {
      setResult(null)
      setError(t('error.generic', { m: (err as Error).message }))
    } finally {
      setRunning(false)
    }
  }
  return (
    <div class="page rulebook">
      <section class="rules" data-testid="rulebook">
        <h2>
          {t('rulebook.title')}
          {book && (
            <span class="muted small-text">
              {' '}
              {book.name} · {book.id} · {t('rulebook.version')} {book.version}
            </span>
          )}
        </h2>
        {book?.rules.map((rule) => (
          <article class="rule" data-testid="rule" data-rule={rule.rule}>
            <header>
              <b>{ruleName(rule.rule as RuleId) ?? rule.rule}</b> <span class="mono muted">{rule.rule}</span>
              {rule.severity && <span class={`chip sev sev-${rule.severity}`}>{severityName(rule.severity)}</span>}
              {rule.weight !== undefined && <span class="chip">−{rule.weight}</span>}
              {rule.maxPoints !== undefined && <span class="chip">≤ {rule.maxPoints}</span>}
            </header>
            {rule.phrases && (
              <div class="phrases" data-testid="rule-phrases">
                {rule.phrases.map((p) => (
                  <span class="phrase-chip">{p.phrase}</span>
                ))}
              </div>
            )}
            <dl>
              {Object.entries(rule)
                .filter(([k]) => !HIDDEN.has(k))
                .map(([k, v]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>
                      <Param value={v} />
                    </dd>
                  </>
                ))}
            </dl>
          </article>
        ))}
      </section>
      <section class="try">
        <h2>{t('rulebook.try')}</h2>
        <p class="muted">{t('rulebook.tryHint')}</p>
        <textarea value={text} rows={12} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-testid="try-text" />
        <button type="button" onClick={() => void run()} disabled={running} data-testid="try-run">
          {t('rulebook.run')}
        </button>
        {error && <p class="error">{error}</p>}
        {result && (
          <div class="try-result" data-testid="try-result">
            {result.errors.map((e) => (
              <p class="error">
                {e.code}: {e.message}
              </p>
            ))}
            {result.reports.map((report) => (
              <div class="try-report">
                <h3>
                  {report.callId} · {t('live.score')} <span data-testid="try-score">{report.score}</span>
                </h3>
                {report.findings.length === 0 && <p class="muted">{t('rulebook.none')}</p>}
                <ul class="findings">
                  {report.findings.map((f) => (
                    <li data-testid="try-finding" data-rule={f.rule}>
                      <span class={`chip sev sev-${f.severity}`}>{severityName(f.severity)}</span> <b>{ruleName(f.rule)}</b>
                      {f.phrase && <span class="phrase">「{f.phrase}」</span>}
                      {f.atMs !== undefined && <span class="muted"> {duration(f.atMs)}</span>}
                      {f.text && (
                        <div class="said">
                          <Highlighted text={f.text} marks={[{ span: f.span, severity: f.severity }]} />
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        )}
      </section>
    </div>
  )
}
