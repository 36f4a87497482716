/** 质检规则: the active rulebook, read-only, and a box to try a transcript against it. */
import { useEffect, useState } from 'preact/hooks'
import type { CallReport, RuleId, Severity } from '../protocol.js'
import { api } from '../api.js'
import { lang, ruleName, severityName, speakerName, t } from '../i18n.js'
import { Highlighted } from '../components/highlight.js'
import { duration } from '../format.js'
import { ReplayPanel } from './replay.js'

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

/** Rule parameters in people's words with their units (keys of the rulebook YAML as the fallback). */
const PARAMS: Record<string, { zh: string; en: string; unit?: 'ms' | 'cpm' | 'ratio' | 'utterances' | 'points' }> = {
  speaker: { zh: '说话方', en: 'Speaker' },
  words: { zh: '词语', en: 'Words' },
  withinLastAgentUtterances: { zh: '检查最后几句坐席话语', en: 'Last agent utterances checked', unit: 'utterances' },
  withinAgentUtterances: { zh: '检查开头几句坐席话语', en: 'First agent utterances checked', unit: 'utterances' },
  tolerance: { zh: '允许偏差', en: 'Tolerance', unit: 'ratio' },
  targetCpm: { zh: '标准语速', en: 'Target rate', unit: 'cpm' },
  rollingWindowMs: { zh: '实时语速统计窗口', en: 'Rolling window', unit: 'ms' },
  questionMarkers: { zh: '问句标志', en: 'Question markers' },
  minRemainingMs: { zh: '最短重叠', en: 'Shortest overlap', unit: 'ms' },
  minAgentSpeechMs: { zh: '判定语速的最少坐席说话时长', en: 'Least agent speech to judge the rate', unit: 'ms' },
  maxGapMs: { zh: '最长应答等待', en: 'Longest wait for an answer', unit: 'ms' },
  greetings: { zh: '问候语', en: 'Greetings' },
  farewells: { zh: '结束语', en: 'Closings' },
  bonusPerKind: { zh: '每类礼貌用语加分', en: 'Bonus per kind of polite word', unit: 'points' },
  backchannel: { zh: '不算打断的应答词', en: 'Backchannel words (not interruptions)' },
}

function paramName(key: string): string {
  const p = PARAMS[key]
  return p ? (lang() === 'zh' ? p.zh : p.en) : key
}

function paramValue(key: string, value: unknown): string | null {
  if (key === 'speaker' && typeof value === 'string') return speakerName(value)
  const unit = PARAMS[key]?.unit
  if (typeof value !== 'number' || !unit) return null
  const zh = lang() === 'zh'
  switch (unit) {
    case 'ms':
      return `${value / 1000} ${zh ? '秒' : 's'}`
    case 'cpm':
      return `${value} ${zh ? '字/分钟' : 'chars/min'}`
    case 'ratio':
      return `±${Math.round(value * 100)}%`
    case 'utterances':
      return `${value} ${zh ? '句' : 'utterances'}`
    case 'points':
      return `${value} ${zh ? '分' : 'points'}`
  }
}

function Param({ value }: { value: unknown }) {
  if (Array.isArray(value)) return <>{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('、')}</>
  if (value && typeof value === 'object') return <>{JSON.stringify(value)}</>
  return <>{String(value)}</>
}

/** Who may start a replay (the gateway refuses the others with 403). */
const MAY_REPLAY = new Set(['shift_lead', 'outbound_manager', 'admin'])

export function RulebookPage({ role }: { role: string }) {
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
        {book && (
          <p class="muted small-text" data-testid="rulebook-legend">
            {t('rulebook.legend', { base: book.score.base, bonus: book.score.maxBonus })}
          </p>
        )}
        {book?.rules.map((rule) => (
          <article class="rule" data-testid="rule" data-rule={rule.rule}>
            <header>
              <b>{ruleName(rule.rule as RuleId) ?? rule.rule}</b> <span class="mono muted">{rule.rule}</span>
              {rule.severity && <span class={`chip sev sev-${rule.severity}`}>{severityName(rule.severity)}</span>}
              {rule.weight !== undefined && <span class="chip" title={t('rulebook.weightHint')}>{t('rulebook.weight', { n: rule.weight })}</span>}
              {rule.maxPoints !== undefined && <span class="chip" title={t('rulebook.maxHint')}>{t('rulebook.max', { n: rule.maxPoints })}</span>}
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
                    <dt title={k}>{paramName(k)}</dt>
                    <dd>{paramValue(k, v) ?? <Param value={v} />}</dd>
                  </>
                ))}
            </dl>
          </article>
        ))}
      </section>
      <div class="side">
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
                  {book && (
                    <p class="muted" data-testid="try-arith">
                      {t('rulebook.base', { n: book.score.base })}
                      {report.deductions.map((d) => ` − ${d.points}（${d.reason}）`).join('')}
                      {report.strengths.map((s) => ` + ${s.points}（${s.reason}）`).join('')} = {report.score}
                    </p>
                  )}
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
        {MAY_REPLAY.has(role) && <ReplayPanel />}
      </div>
    </div>
  )
}
