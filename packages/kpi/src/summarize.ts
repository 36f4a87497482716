import { isAgentViolation, type Disposition, type RuleId } from '@callqa/protocol'
import { DISPOSITIONS, SEAT_DAYS, histogramMedian, phraseCounts, ruleCounts, type KpiRollup } from './rollup.js'
import { assessStaffing, HANDBOOK_STAFFING_BAND, type StaffingAssessment, type StaffingBand } from './staffing.js'

/** What a supervisor reads: the rollup's counters turned into rates, averages and the median. */
export interface KpiSummary {
  calls: number
  successfulCalls: number
  /** successfulCalls / calls; null without calls (same for every rate and average below). */
  successRate: number | null
  dispositions: Record<Disposition, number>
  outboundCalls: number
  outboundSuccessfulCalls: number
  averageScore: number | null
  /** Exact median over the calls' integer scores. */
  medianScore: number | null
  /** The agent's violations (complaint-risk findings are not among them: see complaintRiskFindings). */
  findings: number
  /** complaint_risk findings: a routing signal for 投诉管理员, not the agent's violation. */
  complaintRiskFindings: number
  findingsByRule: Record<RuleId, number>
  /** forbidden_phrase findings by canonical phrase, most frequent first. */
  findingsByPhrase: Array<{ phrase: string; count: number }>
  greetingRate: number | null
  closingRate: number | null
  /** Mean of the calls' agent speaking rates (spoken characters per minute). */
  averageAgentCpm: number | null
  /** Calls with an agent speaking-rate finding (too fast or too slow). */
  speakingRateOutsideCalls: number
  speakingRateOutsideRate: number | null
  speakingRateFastCalls: number
  speakingRateSlowCalls: number
  interruptions: number
  interruptionsPerCall: number | null
  slowResponses: number
  complaintRiskCalls: number
  averageCallMs: number | null
  /** Distinct (agent, day) pairs: the active seats behind the staffing averages. */
  seatDays: number
  /** Daily averages per seat against the handbook's band (null without a seat-day). */
  staffing: StaffingAssessment | null
}

function violationsOf(rollup: KpiRollup): number {
  let n = 0
  for (const field in rollup) if (field.startsWith('rule:') && isAgentViolation(field.slice(5))) n += rollup[field] ?? 0
  return n
}

function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null
}

export interface SummarizeOptions {
  /** @defaultValue HANDBOOK_STAFFING_BAND (70-100 calls, 60-80 successful per seat per day) */
  band?: StaffingBand
}

export function summarize(rollup: KpiRollup, options: SummarizeOptions = {}): KpiSummary {
  const get = (field: string): number => rollup[field] ?? 0
  const calls = get('calls')
  const dispositions = {} as Record<Disposition, number>
  for (const d of DISPOSITIONS) dispositions[d] = get(`disposition:${d}`)
  const seatDays = get(SEAT_DAYS)
  const cpmCalls = get('cpmCalls')
  return {
    calls,
    successfulCalls: get('success'),
    successRate: ratio(get('success'), calls),
    dispositions,
    outboundCalls: get('outbound'),
    outboundSuccessfulCalls: get('outboundSuccess'),
    averageScore: calls > 0 ? get('scoreTenths') / 10 / calls : null,
    medianScore: histogramMedian(rollup),
    // Summed from the per-rule counters, so rollups counted before complaint risk was set apart read right too.
    findings: violationsOf(rollup),
    complaintRiskFindings: get('rule:complaint_risk'),
    findingsByRule: ruleCounts(rollup),
    findingsByPhrase: phraseCounts(rollup),
    greetingRate: ratio(get('greeted'), calls),
    closingRate: ratio(get('closed'), calls),
    averageAgentCpm: cpmCalls > 0 ? get('cpmTenths') / 10 / cpmCalls : null,
    speakingRateOutsideCalls: get('rateOutside'),
    speakingRateOutsideRate: ratio(get('rateOutside'), calls),
    speakingRateFastCalls: get('rateFast'),
    speakingRateSlowCalls: get('rateSlow'),
    interruptions: get('interruptions'),
    interruptionsPerCall: ratio(get('interruptions'), calls),
    slowResponses: get('slowResponses'),
    complaintRiskCalls: get('complaintRisk'),
    averageCallMs: ratio(get('durationMs'), calls),
    seatDays,
    staffing: assessStaffing(get('outbound'), get('outboundSuccess'), seatDays, options.band ?? HANDBOOK_STAFFING_BAND),
  }
}
