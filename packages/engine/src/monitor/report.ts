/** The after-call report: score with its deductions and strengths, findings, metrics, masked transcript. */
import type { CallMetrics, CallReport, Deduction, Finding, RuleId, Strength } from '@callqa/protocol'
import { countsAgainstAgent } from '@callqa/protocol'
import { POLITENESS_KINDS, type Rulebook } from '../rulebook/types.js'
import { ruleModule } from '../rules/index.js'
import { POLITENESS_LABELS } from '../rules/politeness.js'
import { speakerSpeech, type CallSnapshot } from './state.js'

/** The words a finding matched, as said (every span, in order). */
function saidOf(f: Finding): string {
  if (f.text === undefined) return f.phrase ?? ''
  const spans = f.spans ?? (f.span ? [{ start: f.span[0], end: f.span[1] }] : [])
  const said = spans.map((s) => f.text!.slice(s.start, s.end)).filter(Boolean)
  return said.length > 0 ? said.join('…') : (f.phrase ?? '')
}

function reasonOf(f: Finding): string {
  const label = ruleModule(f.rule).label.zh
  const where = f.seq !== undefined ? ` (第${f.seq}句)` : ''
  switch (f.rule) {
    case 'speaking_rate':
      return `${label}: ${f.direction === 'fast' ? '过快' : '过慢'} ${f.cpm} 字/分钟`
    case 'interruption':
      return `${label}, 重叠 ${((f.durationMs ?? 0) / 1000).toFixed(1)} 秒${where}`
    case 'slow_response':
      return `${label}, 客户等待 ${((f.durationMs ?? 0) / 1000).toFixed(1)} 秒${where}`
    case 'missing_greeting':
    case 'missing_closing':
      return `${label}${where}`
    default:
      return `${label}「${saidOf(f)}」${where}`
  }
}

/** Orders findings by time in the call, then utterance, then id (deterministic whatever the arrival order). */
export function compareFindings(a: Finding, b: Finding): number {
  return (a.atMs ?? 0) - (b.atMs ?? 0) || (a.seq ?? -1) - (b.seq ?? -1) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function buildReport(rulebook: Rulebook, s: CallSnapshot): CallReport {
  const findings = [...s.findings].sort(compareFindings)
  const deductions: Deduction[] = []
  const lostByRule = new Map<RuleId, number>()
  for (const f of findings) {
    const rule = rulebook.rules[f.rule]
    // A routing signal (complaint_risk) is not the agent's violation: never deducted, whatever its weight.
    if (!rule || rule.weight <= 0 || !countsAgainstAgent(f)) continue
    const lost = lostByRule.get(f.rule) ?? 0
    const points = rule.maxPoints !== undefined ? Math.min(rule.weight, Math.max(0, rule.maxPoints - lost)) : rule.weight
    if (points <= 0) continue
    lostByRule.set(f.rule, lost + points)
    deductions.push({ rule: f.rule, findingId: f.id, points, reason: reasonOf(f) })
  }
  const strengths: Strength[] = []
  const politeness = rulebook.rules.politeness
  if (politeness && politeness.bonusPerKind > 0) {
    let bonus = 0
    for (const kind of POLITENESS_KINDS) {
      const count = s.politeness[kind]
      if (count <= 0) continue
      const points = Math.min(politeness.bonusPerKind, rulebook.score.maxBonus - bonus)
      if (points <= 0) break
      bonus += points
      strengths.push({ kind: 'politeness', points, reason: `礼貌用语「${POLITENESS_LABELS[kind]}」× ${count}` })
    }
  }
  const lost = deductions.reduce((n, d) => n + d.points, 0)
  const won = strengths.reduce((n, x) => n + x.points, 0)
  const score = Math.max(0, Math.min(100, Math.round(rulebook.score.base - lost + won)))

  const agent = speakerSpeech(s.finals, 'agent')
  const customer = speakerSpeech(s.finals, 'customer')
  const minSpeechMs = rulebook.rules.speaking_rate?.minAgentSpeechMs ?? 20_000
  const metrics: CallMetrics = {
    agentCpm: agent.speechMs >= minSpeechMs && agent.speechMs > 0 ? Math.round((agent.chars * 60_000) / agent.speechMs) : null,
    agentSpeechMs: agent.speechMs,
    agentChars: agent.chars,
    customerSpeechMs: customer.speechMs,
    utterances: s.finals.length,
    greeted: s.greeted === true,
    closed: s.closed === true,
    ...(s.closedBy ? { closedBy: s.closedBy } : {}),
    interruptions: findings.filter((f) => f.rule === 'interruption').length,
    slowResponses: findings.filter((f) => f.rule === 'slow_response').length,
    complaintRisk: findings.some((f) => f.rule === 'complaint_risk'),
    politeness: { ...s.politeness },
  }
  const transcript = [...s.finals]
    .sort((a, b) => a.seq - b.seq)
    .map((u) => ({ seq: u.seq, speaker: u.speaker, text: u.text, startMs: u.startMs, endMs: u.endMs }))
  const report: CallReport = {
    callId: s.call.callId,
    agentId: s.call.agentId,
    teamId: s.call.teamId,
    direction: s.call.direction,
    startedAt: s.call.startedAt,
    endMs: s.ended?.endMs ?? s.lastMs,
    disposition: s.ended?.disposition ?? 'abandoned',
    score,
    deductions,
    strengths,
    findings,
    metrics,
    transcript,
    rulebook: { id: rulebook.id, version: rulebook.version },
  }
  if (s.ended?.at !== undefined) report.endedAt = s.ended.at
  return report
}
