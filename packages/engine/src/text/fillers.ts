/**
 * Fillers (hesitations) and sentence-final particles. Speech inserts them anywhere ("不…嗯…知道") and
 * appends them ("不行吧", "不知道呢"); the phrase matcher skips them inside a phrase, and
 * `stripFillers` removes them for callers that want the bare words.
 */
import type { NormalizedText } from './normalize.js'

/** Pure hesitation sounds: never part of a word we match. */
export const HESITATION_CHARS = '嗯呃额唔噢喔哦诶欸哎唉'
/** Modal particles: mostly clause-final, but 吧/嘛/哈 also occur inside words (酒吧, 干嘛, 哈尔滨). */
export const PARTICLE_CHARS = '啊吧呢嘛呀啦哈嘞咯哟呐哇'
export const FILLER_CHARS = HESITATION_CHARS + PARTICLE_CHARS

const FILLER_SET = new Set(FILLER_CHARS)
const FILLER_CODES = new Uint8Array(0x10000)
for (const ch of FILLER_CHARS) FILLER_CODES[ch.charCodeAt(0)] = 1

/** True for one filler or particle character (see `FILLER_CHARS`). */
export function isFillerChar(ch: string): boolean {
  return ch.length === 1 && FILLER_CODES[ch.charCodeAt(0)] === 1
}

/** Same as `isFillerChar`, by UTF-16 code unit (hot loops). */
export function isFillerCode(code: number): boolean {
  return FILLER_CODES[code] === 1
}

// Words in which a particle character is a real syllable; stripping it would make a new word.
const KEEP_AFTER: Record<string, string> = { 嘛: '干', 吧: '酒网贴', 啦: '拉', 呢: '毛' }

/**
 * Removes fillers and particles (and the spaces they leave behind doubled) from normalised text,
 * keeping the offset map: the result's `starts`/`ends` still point into the ORIGINAL text.
 */
export function stripFillers(norm: NormalizedText): NormalizedText {
  const src = norm.text
  const starts = new Uint32Array(src.length)
  const ends = new Uint32Array(src.length)
  let out = ''
  let len = 0
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!
    if (FILLER_SET.has(ch)) {
      const keepAfter = KEEP_AFTER[ch]
      const prev = i > 0 ? src[i - 1]! : ''
      if (keepAfter === undefined || !keepAfter.includes(prev) || prev === '') continue
    }
    if (ch === ' ' && (len === 0 || out.charCodeAt(len - 1) === 0x20)) continue
    out += ch
    starts[len] = norm.starts[i]!
    ends[len] = norm.ends[i]!
    len++
  }
  if (len > 0 && out.charCodeAt(len - 1) === 0x20) {
    out = out.slice(0, -1)
    len--
  }
  return { text: out, starts: starts.subarray(0, len), ends: ends.subarray(0, len), original: norm.original }
}
