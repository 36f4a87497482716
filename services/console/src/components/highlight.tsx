import type { Severity } from '../protocol.js'

export interface Mark {
  span?: [number, number] | undefined
  severity: Severity
  title?: string
}

/** The text with each finding's `span` (the words actually said) wrapped in a <mark>. */
export function Highlighted({ text, marks }: { text: string; marks: readonly Mark[] }) {
  const spans = marks
    .filter((m): m is Mark & { span: [number, number] } => !!m.span && m.span[0] < m.span[1] && m.span[1] <= text.length)
    .sort((a, b) => a.span[0] - b.span[0])
  if (spans.length === 0) return <>{text}</>
  const out = []
  let at = 0
  for (const m of spans) {
    const [start, end] = m.span
    if (start < at) continue // overlapping: the earlier one wins
    if (start > at) out.push(text.slice(at, start))
    out.push(
      <mark class={`hl sev-${m.severity}`} title={m.title}>
        {text.slice(start, end)}
      </mark>,
    )
    at = end
  }
  if (at < text.length) out.push(text.slice(at))
  return <>{out}</>
}
