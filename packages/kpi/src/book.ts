import type { CallReport } from '@callqa/protocol'
import { addReport, mergeRollups, SEAT_DAYS, type KpiRollup } from './rollup.js'
import { dayOf, monthOf, DEFAULT_TIME_ZONE } from './days.js'
import { summarize, type KpiSummary, type SummarizeOptions } from './summarize.js'

export type KpiScope = 'agent' | 'team'
export type Granularity = 'day' | 'month'

export interface KpiPeriod extends KpiSummary {
  /** `YYYY-MM-DD` (day) or `YYYY-MM` (month), in the center's time zone. */
  period: string
}

/** KPIs of one agent or team over a range: one entry per period with calls, and the total. */
export interface KpiReport {
  scope: KpiScope
  id: string
  from: string
  to: string
  granularity: Granularity
  timeZone: string
  periods: KpiPeriod[]
  total: KpiSummary
}

/**
 * Groups day rollups into periods and summarizes them. `days` holds (day, rollup) pairs, any order;
 * days without calls are left out of `periods`.
 */
export function buildKpiReport(
  scope: KpiScope,
  id: string,
  days: Iterable<[string, KpiRollup]>,
  range: { from: string; to: string; granularity: Granularity; timeZone: string },
  options: SummarizeOptions = {},
): KpiReport {
  const byPeriod = new Map<string, KpiRollup[]>()
  for (const [day, rollup] of days) {
    if (!rollup.calls) continue
    const period = range.granularity === 'month' ? monthOf(day) : day
    const list = byPeriod.get(period) ?? []
    list.push(rollup)
    byPeriod.set(period, list)
  }
  const periods: KpiPeriod[] = []
  const all: KpiRollup[] = []
  for (const period of [...byPeriod.keys()].sort()) {
    const merged = mergeRollups(...byPeriod.get(period)!)
    all.push(merged)
    periods.push({ period, ...summarize(merged, options) })
  }
  return { scope, id, ...range, periods, total: summarize(mergeRollups(...all), options) }
}

/**
 * In-memory KPI rollups per agent-day and team-day, laid out as the store keeps them in Redis
 * (`callqa kpi` uses it; the workers do the same in one Lua script). Seat-days: an agent-day counts
 * one seat-day for the agent and one for the agent's team that day.
 */
export class KpiBook {
  readonly timeZone: string
  readonly #rollups = new Map<string, Map<string, KpiRollup>>()
  readonly #teamSeats = new Map<string, Set<string>>()
  readonly #agentTeams = new Map<string, string>()

  constructor(timeZone: string = DEFAULT_TIME_ZONE) {
    this.timeZone = timeZone
  }

  /** Counts a report; returns its local day. */
  add(report: CallReport): string {
    const day = dayOf(report.startedAt, this.timeZone)
    const agent = this.#rollup('agent', report.agentId, day)
    const team = this.#rollup('team', report.teamId, day)
    if (!agent.calls) agent[SEAT_DAYS] = 1
    const seatsKey = `${report.teamId}\u0000${day}`
    const seats = this.#teamSeats.get(seatsKey) ?? new Set<string>()
    if (!seats.has(report.agentId)) {
      seats.add(report.agentId)
      this.#teamSeats.set(seatsKey, seats)
      team[SEAT_DAYS] = (team[SEAT_DAYS] ?? 0) + 1
    }
    addReport(agent, report)
    addReport(team, report)
    this.#agentTeams.set(report.agentId, report.teamId)
    return day
  }

  #rollup(scope: KpiScope, id: string, day: string): KpiRollup {
    const key = `${scope}\u0000${id}`
    let days = this.#rollups.get(key)
    if (!days) {
      days = new Map()
      this.#rollups.set(key, days)
    }
    let rollup = days.get(day)
    if (!rollup) {
      rollup = {}
      days.set(day, rollup)
    }
    return rollup
  }

  /** Agent or team ids seen, sorted. */
  ids(scope: KpiScope): string[] {
    const out: string[] = []
    for (const key of this.#rollups.keys()) {
      const [s, id] = key.split('\u0000') as [string, string]
      if (s === scope) out.push(id)
    }
    return out.sort()
  }

  /** The team an agent's latest counted call was in. */
  teamOf(agentId: string): string | undefined {
    return this.#agentTeams.get(agentId)
  }

  /** Day rollups of one agent or team: day -> rollup. */
  days(scope: KpiScope, id: string): Map<string, KpiRollup> {
    return this.#rollups.get(`${scope}\u0000${id}`) ?? new Map()
  }

  report(scope: KpiScope, id: string, granularity: Granularity, options: SummarizeOptions = {}): KpiReport {
    const days = this.days(scope, id)
    const sorted = [...days.keys()].sort()
    return buildKpiReport(
      scope,
      id,
      days,
      { from: sorted[0] ?? '', to: sorted.at(-1) ?? '', granularity, timeZone: this.timeZone },
      options,
    )
  }
}
