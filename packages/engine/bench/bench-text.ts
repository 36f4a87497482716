/**
 * Realistic input for the text benches: the real agent lines of `<repo>/../shared/corpus` when present
 * (written chat, 16k lines), else the labelled call-center utterances of `fixtures/` repeated.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { LABELLED_UTTERANCES } from '../fixtures/labelled-utterances.js'

export function benchLines(max = 20_000): { lines: string[]; source: string } {
  const corpus = fileURLToPath(new URL('../../../../shared/corpus/real-agent-utterances.txt', import.meta.url))
  const fixtures = LABELLED_UTTERANCES.map((u) => u.text)
  if (existsSync(corpus)) {
    const lines = readFileSync(corpus, 'utf8').split('\n').filter((l) => l.trim() !== '')
    // Calls are spoken, shorter than chat turns: mix the corpus with the labelled utterances.
    const mixed = [...lines, ...fixtures].slice(0, max)
    return { lines: mixed, source: `real-agent-utterances.txt + fixtures (${mixed.length} lines)` }
  }
  const lines: string[] = []
  while (lines.length < Math.min(max, 5000)) lines.push(...fixtures)
  return { lines, source: `fixtures/labelled-utterances.ts repeated (${lines.length} lines)` }
}

/** Runs `fn` over all lines `rounds` times after a warm-up; returns lines per second. */
export function linesPerSecond(lines: string[], fn: (line: string) => unknown, minMs = 1500): number {
  let sink = 0
  for (let i = 0; i < Math.min(lines.length, 2000); i++) if (fn(lines[i]!)) sink++
  let done = 0
  const start = process.hrtime.bigint()
  let elapsedMs = 0
  while (elapsedMs < minMs) {
    for (const line of lines) if (fn(line)) sink++
    done += lines.length
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6
  }
  if (sink < 0) console.log(sink)
  return (done / elapsedMs) * 1000
}

/** Per-line latency percentiles in microseconds over one pass. */
export function latencyPercentiles(lines: string[], fn: (line: string) => unknown): { p50: number; p99: number; max: number } {
  const times = new Float64Array(lines.length)
  lines.forEach((line, i) => {
    const t = process.hrtime.bigint()
    fn(line)
    times[i] = Number(process.hrtime.bigint() - t) / 1e3
  })
  times.sort()
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))]!
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1]! }
}

/** Replaces (or appends) this bench's own section of bench/RESULTS.md; other sections are kept. */
export function writeResultsSection(id: string, markdown: string): void {
  const file = fileURLToPath(new URL('./RESULTS.md', import.meta.url))
  const start = `<!-- ${id}:start -->`
  const end = `<!-- ${id}:end -->`
  const section = `${start}\n${markdown.trim()}\n${end}`
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Engine benchmarks\n'
  if (doc.includes(start) && doc.includes(end)) doc = doc.slice(0, doc.indexOf(start)) + section + doc.slice(doc.indexOf(end) + end.length)
  else doc = `${doc.trimEnd()}\n\n${section}\n`
  writeFileSync(file, doc)
}

/** One line describing the machine, for the results. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `Node ${process.version}, ${cpu}, one core (single thread), ${cpus().length} cores shared, load average ${loadavg()[0]!.toFixed(1)} at start`
}
