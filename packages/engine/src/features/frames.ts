/**
 * Shared ground of the secrecy frames (features/secrecy.ts) and the internal_disclosure rule: the utterance as those
 * frames read it, and the checks every frame's occurrence goes through.
 *
 * - `framed(f)`: the features of the utterance (the dialect self-reference 俺 is already 我 there: text/normalize.ts)
 *   and `soft`, its text with ASR pauses (spaces) read as clause breaks (技术那边说 没发通知: two clauses), same offsets.
 * - `heldBack`: an occurrence the agent does not assert — the customer's words echoed or relayed, asked (a question),
 *   taken back (a self-correction), or, for a disclosure, supposed (如果…).
 */
import type { ActCue } from './acts.js'
import { clauseStart, matchesOf, sentenceEnd, sentenceStart } from './bounds.js'
import type { UtteranceFeatures } from './utterance.js'

export interface Framed {
  /** The utterance's features. */
  f: UtteranceFeatures
  /** `f.text` with spaces as commas (same offsets). */
  soft: string
}

export function framed(f: UtteranceFeatures): Framed {
  return { f, soft: f.text.replace(/ /g, ',') }
}

// The customer's words told back (您是说…, 您刚才讲…, 据您说): not 您说的X (a noun phrase) nor 跟您说 (told to the customer).
const ECHO = /(?<![帮给为替跟根向和])(您|你)(刚才|刚刚|之前|前面)?(是)?(说|讲|提到|反映|觉得|认为|的意思是)(?!的|了算|(什么|啥)都|得)|客户(说|反映)|据(您|你)|听(您|你)说/
// 要是 as a conjunction, not inside 主要是, 只要是, 就要是.
const HYPOTHESIS = /(如果|(?<![主只就还总不正])要是|假如|万一|倘若|一旦|假设|(?<![倘])若是|如若|的话)/

/** The customer's words told back before `at` in its sentence (across its clauses: 您说这套餐是…给您开的). */
export function echoed(fr: Framed, at: number): boolean {
  return ECHO.test(fr.soft.slice(sentenceStart(fr.soft, at), at))
}

/** Inside quotation marks opened in its sentence (没说"肯定免费"): words cited, not said. */
export function quoted(fr: Framed, q: { start: number; end: number }): boolean {
  const t = fr.soft
  const before = t.slice(sentenceStart(t, q.start), q.start)
  return (before.match(/"/g) ?? []).length % 2 === 1 && t.slice(q.end, sentenceEnd(t, q.end)).includes('"')
}

/** The occurrence is not the agent's own assertion (see the module's head). */
export function heldBack(fr: Framed, q: ActCue, supposedAway: boolean): boolean {
  const f = fr.f
  const t = fr.soft
  const before = t.slice(sentenceStart(t, q.start), q.start)
  if (echoed(fr, q.start)) return true
  if (!/[,:]/.test(before) && f.reported(q)) return true
  if (quoted(fr, q)) return true
  if (supposedAway && HYPOTHESIS.test(before) && f.condition(q)) return true
  if (f.question(q)) return true
  return f.selfCorrection(q)
}

/** The clause of the occurrence up to its start, read for a negation or a hedge right before it. */
export const clauseBefore = (t: string, at: number): string => t.slice(clauseStart(t, at), at)
export const sentenceOf = (t: string, s: number, e: number): string => t.slice(sentenceStart(t, s), sentenceEnd(t, e))

/** A frame: cheap anchors first (most utterances hold none), then the pattern, then its own guard. */
export interface Frame {
  kind: string
  anchor: RegExp
  re: RegExp
  /** The match stands (t: the soft text). */
  ok?: (t: string, s: number, e: number) => boolean
}

export function runFrames(t: string, frames: readonly Frame[]): { s: number; e: number; kind: string }[] {
  const out: { s: number; e: number; kind: string }[] = []
  for (const fr of frames) {
    if (!fr.anchor.test(t)) continue
    for (const [s, e] of matchesOf(t, fr.re)) if (fr.ok === undefined || fr.ok(t, s, e)) out.push({ s, e, kind: fr.kind })
  }
  out.sort((a, b) => a.s - b.s || b.e - a.e)
  const kept: typeof out = []
  for (const m of out) if (kept.length === 0 || m.s >= kept[kept.length - 1]!.e) kept.push(m)
  return kept
}
