import { lang } from './i18n.js'

export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const m = Math.floor(s / 60)
  const h = Math.floor(m / 60)
  const mm = String(m % 60).padStart(2, '0')
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

// Intl formatters are costly to build: one per language, reused (the feed formats a time per row).
const clockFormats = new Map<string, Intl.DateTimeFormat>()
export function clock(iso: string | number): string {
  const locale = lang() === 'zh' ? 'zh-CN' : 'en-GB'
  let format = clockFormats.get(locale)
  if (!format) clockFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })))
  return format.format(new Date(iso))
}

export function dateTime(iso: string): string {
  const d = new Date(iso)
  return d.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false })
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`
}

export function num(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits)
}

/** Local calendar day `YYYY-MM-DD`, offset by `days`. */
export function isoDay(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
