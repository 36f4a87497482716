/**
 * Clause and sentence bounds in normalised text (ASCII punctuation, as `normalizeWithMap` gives it): `, :` end a
 * clause, `. ! ? ;` a clause and a sentence. Starts are the first offset inside, ends the offset of the stop (or the
 * text's length). Shared by the act frames (acts.ts) and the features they read (promise.ts, further-help.ts).
 */

const STOP = new Uint8Array(128)
for (const ch of ',:') STOP[ch.charCodeAt(0)] = 1
for (const ch of '.!?;') STOP[ch.charCodeAt(0)] = 2
const stopAt = (t: string, i: number): number => {
  const c = t.charCodeAt(i)
  return c < 128 ? STOP[c]! : 0
}

export function sentenceStart(t: string, at: number): number {
  let i = at - 1
  while (i >= 0 && stopAt(t, i) !== 2) i--
  return i + 1
}
export function sentenceEnd(t: string, at: number): number {
  let i = at
  while (i < t.length && stopAt(t, i) !== 2) i++
  return i
}
export function clauseStart(t: string, at: number): number {
  let i = at - 1
  while (i >= 0 && stopAt(t, i) === 0) i--
  return i + 1
}
export function clauseEnd(t: string, at: number): number {
  let i = at
  while (i < t.length && stopAt(t, i) === 0) i++
  return i
}

/** Every match of a global regex in `t` as [start, end) (an empty match steps on). */
export function matchesOf(t: string, re: RegExp): [number, number][] {
  const out: [number, number][] = []
  re.lastIndex = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    out.push([m.index, m.index + m[0].length])
    if (m[0].length === 0) re.lastIndex++
  }
  return out
}
