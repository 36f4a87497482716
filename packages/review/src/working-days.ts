/**
 * Working-day windows (appeal deadlines): Monday to Friday in the center's time zone, minus listed
 * holidays. Pure: the instant is an argument.
 */

/** Local `YYYY-MM-DD` and weekday (0 = Sunday) of an instant in a time zone. */
function localDay(ms: number, timeZone: string): { day: string; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(ms)
  const get = (type: string) => parts.find((p) => p.type === type)!.value
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'))
  return { day: `${get('year')}-${get('month')}-${get('day')}`, weekday }
}

export interface WorkingCalendar {
  timeZone: string
  /** Local days (`YYYY-MM-DD`) that are not working days although on Monday-Friday. */
  holidays?: readonly string[]
}

export function isWorkingDay(ms: number, calendar: WorkingCalendar): boolean {
  const { day, weekday } = localDay(ms, calendar.timeZone)
  return weekday !== 0 && weekday !== 6 && !(calendar.holidays ?? []).includes(day)
}

const DAY_MS = 86_400_000

/**
 * The instant `workingDays` working days after `fromMs`: each working day passed adds 24 hours,
 * non-working days are skipped whole. An event on Friday 10:00 with 3 working days is due the
 * next Wednesday 10:00.
 */
export function addWorkingDays(fromMs: number, workingDays: number, calendar: WorkingCalendar): number {
  if (!Number.isInteger(workingDays) || workingDays < 0 || workingDays > 366) {
    throw new RangeError(`workingDays must be an integer 0..366, got ${workingDays}`)
  }
  let at = fromMs
  let left = workingDays
  while (left > 0) {
    at += DAY_MS
    if (isWorkingDay(at, calendar)) left--
  }
  return at
}
