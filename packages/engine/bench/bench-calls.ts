/**
 * The calls `pnpm bench:engine` feeds (shared with bench/profile-engine.ts): the samples/ calls and
 * variations of them whose utterances are replaced by real customer-service lines (../shared/corpus,
 * when present; CALLQA_CORPUS_DIR points elsewhere), said at 90-150 characters a minute, some with a partial before the final. Deterministic
 * (a fixed-seed PRNG): every run checks the same calls.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { decodeJsonl, type CallEnded, type CallStarted, type Utterance } from '@callqa/protocol'
import { CallMonitor, countSpokenChars, type Rulebook } from '../src/index.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** The real corpus beside the repository, or where CALLQA_CORPUS_DIR says (a git worktree sits elsewhere). */
const CORPUS = process.env.CALLQA_CORPUS_DIR?.replace(/\/?$/, '/') ?? `${ROOT}../shared/corpus/`

export interface BenchCall {
  started: CallStarted
  events: (Utterance | CallEnded)[]
}

function loadSamples(): BenchCall[] {
  const dir = `${ROOT}samples/`
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => {
      const events = decodeJsonl(readFileSync(dir + f, 'utf8')).events
      return { started: events[0] as CallStarted, events: events.slice(1) as (Utterance | CallEnded)[] }
    })
}

function corpusLines(file: string, fallback: string[]): string[] {
  if (!existsSync(CORPUS + file)) return fallback
  return readFileSync(CORPUS + file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 2 && l.length <= 120)
}

/** `count` calls: the samples first, then variations of them (`corpus`: whether real corpus lines were found). */
export function buildBenchCalls(count: number): { calls: BenchCall[]; samples: number; corpus: boolean } {
  let seed = 20261129
  const random = (): number => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const samples = loadSamples()
  const linesOf = (speaker: 'agent' | 'customer') => samples.flatMap((c) => c.events.flatMap((e) => (e.type === 'utterance' && e.speaker === speaker ? [e.text] : [])))
  const agentLines = corpusLines('real-agent-utterances.txt', linesOf('agent'))
  const customerLines = corpusLines('real-customer-utterances.txt', linesOf('customer'))

  /** A sample's turn structure with real lines said at 90-150 characters a minute (agent) or faster (customer). */
  const variation = (base: BenchCall, n: number): BenchCall => {
    const callId = `c-bench-${n}`
    const cpm = 90 + random() * 60
    const events: (Utterance | CallEnded)[] = []
    let t = 200
    let seq = 0
    for (const e of base.events) {
      if (e.type !== 'utterance' || e.final === false) continue
      const keep = random() < 0.3
      const text = keep ? e.text : pick(e.speaker === 'agent' ? agentLines : customerLines)
      const durationMs = Math.max(300, Math.round((countSpokenChars(text) * 60_000) / (e.speaker === 'agent' ? cpm : 190)))
      const overlap = random() < 0.08
      const startMs = overlap ? Math.max(0, t - Math.round(durationMs / 2)) : t + Math.round(300 + random() * 1500)
      seq++
      if (random() < 0.15) events.push({ ...e, callId, seq, text: text.slice(0, Math.ceil(text.length / 2)), startMs, endMs: startMs + Math.round(durationMs / 2), final: false })
      events.push({ type: 'utterance', callId, seq, speaker: e.speaker, text, startMs, endMs: startMs + durationMs, final: true })
      t = Math.max(t, startMs + durationMs)
    }
    events.push({ type: 'call.ended', callId, endMs: t + 1000, disposition: 'success' })
    return { started: { ...base.started, callId }, events }
  }

  const calls: BenchCall[] = [...samples]
  while (calls.length < count) calls.push(variation(samples[calls.length % samples.length]!, calls.length))
  return { calls, samples: samples.length, corpus: existsSync(`${CORPUS}real-agent-utterances.txt`) }
}

/** What feedCalls needs of a monitor class: this engine's, or another revision's (bench:engine-ab). */
export type MonitorClass = new (rulebook: never, started: CallStarted) => { feed(e: BenchCall['events'][number]): { findings: readonly unknown[] }; report(): { findings: readonly unknown[] } }

/**
 * Feeds every event of `calls` to a fresh monitor each, then reports: the findings counted (the benches'
 * sanity figure). `Monitor`: the CallMonitor class to use (default this engine's).
 */
export function feedCalls(rulebook: Rulebook, calls: readonly BenchCall[], Monitor: MonitorClass = CallMonitor as unknown as MonitorClass): number {
  let findings = 0
  for (const call of calls) {
    const monitor = new Monitor(rulebook as never, call.started)
    for (const e of call.events) findings += monitor.feed(e).findings.length
    findings += monitor.report().findings.length
  }
  return findings
}
