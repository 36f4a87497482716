import type { CallReport, Disposition, RuleId } from '@callqa/protocol'
import { isAgentViolation, RULE_IDS } from '@callqa/protocol'

/**
 * A KPI rollup is a flat map of additive integer counters. Every field only ever grows by
 * `HINCRBY`, so the same rollup lives in a Redis hash (workers) or in memory (`callqa kpi`), two
 * rollups merge by adding fields, and a month is the sum of its days.
 *
 * Fields (absent = 0):
 * - `calls`, `success`; `disposition:<d>` per disposition
 * - `outbound`, `outboundSuccess`: the calls the staffing band is about (outbound seats)
 * - `scoreTenths`: sum of round(score × 10); `score:<0..100>`: calls per rounded score (histogram)
 * - `findings`: the agent's violations (complaint_risk is not one: a routing signal, counted in
 *   `rule:complaint_risk` and `complaintRisk` apart); `rule:<ruleId>`; `phrase:<phrase>` (forbidden_phrase findings by canonical phrase)
 * - `greeted`, `closed`: calls with a compliant greeting / closing
 * - `cpmTenths`, `cpmCalls`: sum of round(agentCpm × 10) over calls with a measured rate
 * - `rateOutside`, `rateFast`, `rateSlow`: calls with a speaking_rate finding (any, fast, slow)
 * - `interruptions`, `slowResponses`: sums over calls
 * - `complaintRisk`: calls with complaint risk
 * - `durationMs`: sum of call lengths
 * - `seatDays`: distinct (agent, day) pairs; not added by `addReport` but by whoever knows which
 *   agents a day already counted (`KpiBook` in memory, the store's Lua script in Redis)
 */
export type KpiRollup = Record<string, number>

export const SEAT_DAYS = 'seatDays'

export function emptyRollup(): KpiRollup {
  return {}
}

/** The counter increments one report adds to a rollup: `[field, amount]`, amounts > 0. */
export function reportIncrements(report: CallReport): Array<[string, number]> {
  const out: Array<[string, number]> = [['calls', 1]]
  const success = report.disposition === 'success'
  if (success) out.push(['success', 1])
  out.push([`disposition:${report.disposition}`, 1])
  if (report.direction === 'outbound') {
    out.push(['outbound', 1])
    if (success) out.push(['outboundSuccess', 1])
  }
  const scoreTenths = Math.round(report.score * 10)
  if (scoreTenths > 0) out.push(['scoreTenths', scoreTenths])
  out.push([`score:${scoreBucket(report.score)}`, 1])

  const violations = report.findings.filter(countsAgainstAgent).length
  if (violations > 0) out.push(['findings', violations])
  const byRule = new Map<string, number>()
  const byPhrase = new Map<string, number>()
  let fast = false
  let slow = false
  for (const finding of report.findings) {
    byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1)
    if (finding.rule === 'forbidden_phrase' && finding.phrase) {
      byPhrase.set(finding.phrase, (byPhrase.get(finding.phrase) ?? 0) + 1)
    }
    if (finding.rule === 'speaking_rate') {
      if (finding.direction === 'slow') slow = true
      else fast = true
    }
  }
  for (const [rule, n] of byRule) out.push([`rule:${rule}`, n])
  for (const [phrase, n] of byPhrase) out.push([`phrase:${phrase}`, n])
  if (fast || slow) out.push(['rateOutside', 1])
  if (fast) out.push(['rateFast', 1])
  if (slow) out.push(['rateSlow', 1])

  const m = report.metrics
  if (m.greeted) out.push(['greeted', 1])
  if (m.closed) out.push(['closed', 1])
  if (m.agentCpm !== null && Number.isFinite(m.agentCpm)) {
    const cpmTenths = Math.round(m.agentCpm * 10)
    if (cpmTenths > 0) out.push(['cpmTenths', cpmTenths])
    out.push(['cpmCalls', 1])
  }
  if (m.interruptions > 0) out.push(['interruptions', m.interruptions])
  if (m.slowResponses > 0) out.push(['slowResponses', m.slowResponses])
  if (m.complaintRisk) out.push(['complaintRisk', 1])
  if (report.endMs > 0) out.push(['durationMs', Math.round(report.endMs)])
  return out
}

/** Whether a finding is the agent's violation: its own flag where the engine set one, else by rule. */
export function countsAgainstAgent(finding: { rule: string; againstAgent?: boolean }): boolean {
  return finding.againstAgent ?? isAgentViolation(finding.rule)
}

/** The histogram bucket of a score: rounded to an integer, clamped to 0..100. */
export function scoreBucket(score: number): number {
  return Math.min(100, Math.max(0, Math.round(score)))
}

/** Adds one report's counters to `rollup` (in place) and returns it. */
export function addReport(rollup: KpiRollup, report: CallReport): KpiRollup {
  for (const [field, n] of reportIncrements(report)) rollup[field] = (rollup[field] ?? 0) + n
  return rollup
}

/** Field-wise sum of rollups (a new object). */
export function mergeRollups(...rollups: KpiRollup[]): KpiRollup {
  const out: KpiRollup = {}
  for (const rollup of rollups) {
    for (const field in rollup) out[field] = (out[field] ?? 0) + (rollup[field] ?? 0)
  }
  return out
}

/**
 * Reads a Redis `HGETALL` answer (strings) as a rollup. Unparseable values are a corrupted store,
 * not something to paper over.
 */
export function rollupFromHash(hash: Record<string, string>): KpiRollup {
  const out: KpiRollup = {}
  for (const field in hash) {
    const n = Number(hash[field])
    if (!Number.isFinite(n)) throw new Error(`KPI rollup field ${field} holds ${JSON.stringify(hash[field])}, not a number`)
    out[field] = n
  }
  return out
}

export const DISPOSITIONS: readonly Disposition[] = ['success', 'failed', 'no_answer', 'abandoned']

/** Exact median of the histogram (integer scores). null when there are no calls. */
export function histogramMedian(rollup: KpiRollup): number | null {
  const n = histogramCount(rollup)
  if (n === 0) return null
  const lowRank = Math.floor((n + 1) / 2)
  const highRank = Math.floor(n / 2) + 1
  let low: number | null = null
  let seen = 0
  for (let bucket = 0; bucket <= 100; bucket++) {
    seen += rollup[`score:${bucket}`] ?? 0
    if (low === null && seen >= lowRank) low = bucket
    if (seen >= highRank) return n % 2 === 1 ? low! : (low! + bucket) / 2
  }
  return low
}

function histogramCount(rollup: KpiRollup): number {
  let n = 0
  for (let bucket = 0; bucket <= 100; bucket++) n += rollup[`score:${bucket}`] ?? 0
  return n
}

export function ruleCounts(rollup: KpiRollup): Record<RuleId, number> {
  const out = {} as Record<RuleId, number>
  for (const rule of RULE_IDS) out[rule] = rollup[`rule:${rule}`] ?? 0
  return out
}

/** Forbidden phrases said, most frequent first. */
export function phraseCounts(rollup: KpiRollup): Array<{ phrase: string; count: number }> {
  const out: Array<{ phrase: string; count: number }> = []
  for (const field in rollup) {
    if (field.startsWith('phrase:')) out.push({ phrase: field.slice(7), count: rollup[field]! })
  }
  return out.sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0))
}
