/**
 * Rulebook replay on history: a stored call's masked transcript re-checked with a candidate
 * rulebook, and the tally of what would change (findings appearing and disappearing per rule with
 * examples, score shift per team, agreement with the reviewers' decisions). Pure.
 */
import { checkTranscript, type Rulebook } from '@callqa/engine'
import type { CallReport, Finding, RuleId } from '@callqa/protocol'
import { exportCase } from './export-cases.js'
import { findingStatus, stateOf, type ReviewedReport } from './review.js'

/** The candidate rulebook's report of a stored call. */
export function replayCall(candidate: Rulebook, stored: ReviewedReport): CallReport {
  const { events } = exportCase(stored)
  const result = checkTranscript(candidate, events)
  return result.reports[0]!
}

export interface ReplayExample {
  callId: string
  seq?: number
  phrase?: string
  text?: string
}

export interface RuleShift {
  rule: RuleId
  appeared: number
  disappeared: number
  examplesAppeared: ReplayExample[]
  examplesDisappeared: ReplayExample[]
}

export interface TeamShift {
  teamId: string
  calls: number
  averageScoreBefore: number
  averageScoreAfter: number
  findingsBefore: number
  findingsAfter: number
}

export interface ReplaySummary {
  calls: number
  rules: RuleShift[]
  teams: TeamShift[]
  /** Of the engine findings reviewers dismissed / confirmed, how many the candidate removes or keeps. */
  agreement: { dismissedRemoved: number; dismissedKept: number; confirmedLost: number; confirmedKept: number }
}

const MAX_EXAMPLES = 5

/**
 * A tally as plain JSON: what a chunk job returns and the merging job adds up (sums, not averages,
 * so chunks merge exactly).
 */
export interface ReplayTallyState {
  calls: number
  rules: RuleShift[]
  teams: Array<{ teamId: string; calls: number; before: number; after: number; findingsBefore: number; findingsAfter: number }>
  agreement: ReplaySummary['agreement']
}

function keyOf(f: Finding): string {
  return `${f.rule}|${f.seq ?? ''}|${f.phrase ?? ''}|${f.direction ?? ''}`
}

function example(callId: string, f: Finding): ReplayExample {
  return { callId, ...(f.seq !== undefined ? { seq: f.seq } : {}), ...(f.phrase ? { phrase: f.phrase } : {}), ...(f.text ? { text: f.text } : {}) }
}

export class ReplayTally {
  #calls = 0
  readonly #rules = new Map<RuleId, RuleShift>()
  readonly #teams = new Map<string, { calls: number; before: number; after: number; findingsBefore: number; findingsAfter: number }>()
  readonly #agreement = { dismissedRemoved: 0, dismissedKept: 0, confirmedLost: 0, confirmedKept: 0 }

  #rule(rule: RuleId): RuleShift {
    let r = this.#rules.get(rule)
    if (!r) this.#rules.set(rule, (r = { rule, appeared: 0, disappeared: 0, examplesAppeared: [], examplesDisappeared: [] }))
    return r
  }

  /** Counts one call: its stored (reviewed) report against the candidate's. */
  add(stored: ReviewedReport, replayed: CallReport): void {
    this.#calls++
    const state = stateOf(stored)
    // Engine against engine: the findings the current rulebook raised (before any review) against the candidate's.
    const before = new Map<string, Finding[]>()
    for (const f of state.engineFindings) before.set(keyOf(f), [...(before.get(keyOf(f)) ?? []), f])
    const after = new Map<string, Finding[]>()
    for (const f of replayed.findings) after.set(keyOf(f), [...(after.get(keyOf(f)) ?? []), f])
    for (const [key, list] of before) {
      const kept = after.get(key)?.length ?? 0
      list.forEach((f, i) => {
        const gone = i >= kept
        if (gone) {
          const r = this.#rule(f.rule)
          r.disappeared++
          if (r.examplesDisappeared.length < MAX_EXAMPLES) r.examplesDisappeared.push(example(stored.callId, f))
        }
        const status = findingStatus(state, f.id)
        if (status === 'dismissed') this.#agreement[gone ? 'dismissedRemoved' : 'dismissedKept']++
        if (status === 'confirmed') this.#agreement[gone ? 'confirmedLost' : 'confirmedKept']++
      })
    }
    for (const [key, list] of after) {
      const had = before.get(key)?.length ?? 0
      for (const f of list.slice(had)) {
        const r = this.#rule(f.rule)
        r.appeared++
        if (r.examplesAppeared.length < MAX_EXAMPLES) r.examplesAppeared.push(example(stored.callId, f))
      }
    }
    const t = this.#teams.get(stored.teamId) ?? { calls: 0, before: 0, after: 0, findingsBefore: 0, findingsAfter: 0 }
    t.calls++
    t.before += stored.score
    t.after += replayed.score
    t.findingsBefore += stored.findings.length
    t.findingsAfter += replayed.findings.length
    this.#teams.set(stored.teamId, t)
  }

  get calls(): number {
    return this.#calls
  }

  state(): ReplayTallyState {
    return {
      calls: this.#calls,
      rules: [...this.#rules.values()].map((r) => ({ ...r, examplesAppeared: [...r.examplesAppeared], examplesDisappeared: [...r.examplesDisappeared] })),
      teams: [...this.#teams].map(([teamId, t]) => ({ teamId, ...t })),
      agreement: { ...this.#agreement },
    }
  }

  /** Adds another tally's counts (a chunk of the same replay); examples up to the same cap. */
  merge(other: ReplayTallyState): this {
    this.#calls += other.calls
    for (const r of other.rules) {
      const mine = this.#rule(r.rule)
      mine.appeared += r.appeared
      mine.disappeared += r.disappeared
      for (const e of r.examplesAppeared) if (mine.examplesAppeared.length < MAX_EXAMPLES) mine.examplesAppeared.push(e)
      for (const e of r.examplesDisappeared) if (mine.examplesDisappeared.length < MAX_EXAMPLES) mine.examplesDisappeared.push(e)
    }
    for (const { teamId, ...t } of other.teams) {
      const mine = this.#teams.get(teamId) ?? { calls: 0, before: 0, after: 0, findingsBefore: 0, findingsAfter: 0 }
      mine.calls += t.calls
      mine.before += t.before
      mine.after += t.after
      mine.findingsBefore += t.findingsBefore
      mine.findingsAfter += t.findingsAfter
      this.#teams.set(teamId, mine)
    }
    for (const k of Object.keys(this.#agreement) as Array<keyof ReplaySummary['agreement']>) this.#agreement[k] += other.agreement[k]
    return this
  }

  summary(): ReplaySummary {
    const round = (n: number) => Math.round(n * 100) / 100
    return {
      calls: this.#calls,
      rules: [...this.#rules.values()].filter((r) => r.appeared + r.disappeared > 0).sort((a, b) => (a.rule < b.rule ? -1 : 1)),
      teams: [...this.#teams]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([teamId, t]) => ({ teamId, calls: t.calls, averageScoreBefore: round(t.before / t.calls), averageScoreAfter: round(t.after / t.calls), findingsBefore: t.findingsBefore, findingsAfter: t.findingsAfter })),
      agreement: { ...this.#agreement },
    }
  }
}

/**
 * [fromMs, toMs) cut into chunks of `chunkMs` (aligned to UTC multiples of it, so chunks of
 * whole days meet report partitions at month boundaries), each one job of a replay.
 */
export function replayChunks(fromMs: number, toMs: number, chunkMs: number = 86_400_000): Array<{ fromMs: number; toMs: number }> {
  if (!(chunkMs > 0) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError(`replay chunks need finite bounds and a positive size, got ${fromMs}..${toMs} by ${chunkMs}`)
  const out: Array<{ fromMs: number; toMs: number }> = []
  for (let at = fromMs; at < toMs; ) {
    const next = Math.min(toMs, (Math.floor(at / chunkMs) + 1) * chunkMs)
    out.push({ fromMs: at, toMs: next })
    at = next
  }
  return out
}
