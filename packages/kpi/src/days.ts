/**
 * Calendar days in the center's time zone. A call belongs to the local day it started on
 * (`report.startedAt`), so a day's KPIs match what the supervisors on shift saw.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH_RE = /^(\d{4})-(\d{2})$/

const dayFormatters = new Map<string, Intl.DateTimeFormat>()
const partFormatters = new Map<string, Intl.DateTimeFormat>()

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormatters.get(timeZone)
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormatters.set(timeZone, f)
  }
  return f
}

/** Throws a RangeError naming the zone when it is not an IANA time zone. */
export function checkTimeZone(timeZone: string): string {
  try {
    dayFormatter(timeZone)
  } catch {
    throw new RangeError(`time zone ${JSON.stringify(timeZone)} is not an IANA time zone (e.g. Asia/Shanghai)`)
  }
  return timeZone
}

/** Local day `YYYY-MM-DD` of an instant (ms epoch or ISO string) in `timeZone`. */
export function dayOf(at: number | string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const ms = typeof at === 'number' ? at : Date.parse(at)
  if (!Number.isFinite(ms)) throw new RangeError(`not a date-time: ${JSON.stringify(at)}`)
  return dayFormatter(timeZone).format(ms)
}

/** `YYYY-MM` of a `YYYY-MM-DD` day. */
export function monthOf(day: string): string {
  return day.slice(0, 7)
}

export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === value
}

export function isMonth(value: string): boolean {
  const m = MONTH_RE.exec(value)
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12
}

/** Days from `from` to `to` inclusive (both `YYYY-MM-DD`). */
export function daysInRange(from: string, to: string): string[] {
  const out: string[] = []
  let ms = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  while (ms <= end) {
    out.push(new Date(ms).toISOString().slice(0, 10))
    ms += 86_400_000
  }
  return out
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    partFormatters.set(timeZone, f)
  }
  return f
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const p of partFormatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** The instant (ms epoch) local midnight of `day` begins in `timeZone`. */
export function dayStartMs(day: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const naive = Date.parse(`${day}T00:00:00Z`)
  let ms = naive - zoneOffsetMs(naive, timeZone)
  // Once more in case the offset differs at the true instant (a DST change that day).
  ms = naive - zoneOffsetMs(ms, timeZone)
  return ms
}
