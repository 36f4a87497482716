/**
 * Dates and times as the center counts them: every formatter uses the center's time zone
 * (`CALLQA_TIMEZONE`, told by `/v1/directory`), never the browser's, so "today" on the KPI and
 * report pages is the server's day wherever the supervisor's laptop is set.
 */
import { lang } from './i18n.js'
import { centerTimeZone } from './directory.js'

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const m = Math.floor(s / 60)
  const h = Math.floor(m / 60)
  const mm = String(m % 60).padStart(2, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

// Intl formatters are costly to build: one per language, zone and kind, reused (the feed formats a time per row).
const formats = new Map<string, Intl.DateTimeFormat>()
function format(kind: 'clock' | 'dateTime' | 'day'): Intl.DateTimeFormat {
  const timeZone = centerTimeZone()
  const locale = lang() === 'zh' ? 'zh-CN' : 'en-GB'
  const key = `${kind}|${locale}|${timeZone}`
  let f = formats.get(key)
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'clock'
        ? { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
        : kind === 'dateTime'
          ? { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
          : { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }
    formats.set(key, (f = new Intl.DateTimeFormat(kind === 'day' ? 'en-CA' : locale, options)))
  }
  return f
}

export function clock(iso: string | number): string {
  return format('clock').format(new Date(iso))
}

export function dateTime(iso: string): string {
  return format('dateTime').format(new Date(iso))
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`
}

export function num(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits)
}

/** The center's calendar day `YYYY-MM-DD` today, offset by `days`. */
export function isoDay(days = 0): string {
  const today = format('day').format(new Date())
  if (days === 0) return today
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
