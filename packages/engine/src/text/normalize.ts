/**
 * Text normalisation for matching, with an offset map back to the original string.
 *
 * What is folded (so that a rulebook phrase written once matches every surface form):
 * - traditional → simplified characters (opencc-js, Taiwan variants to mainland, one character at a time
 *   so that every output character maps to exactly one input character);
 * - full-width ASCII forms (`ＡＢＣ１２３，？`) → half-width; ideographic space → space;
 * - Chinese punctuation → one ASCII mark each (`，、`→`,`, `。`→`.`, `！`→`!`, `？`→`?`, `；`→`;`,
 *   `：`→`:`, quotes/brackets `“”‘’「」『』《》〈〉` → `"`);
 * - every run of whitespace → one space; an ellipsis (… ⋯) is a pause in a transcript, so it counts
 *   as whitespace; Latin letters → lower case;
 * - a lone surrogate (broken UTF-16 from an upstream) → U+FFFD.
 *
 * Offsets are UTF-16 code-unit indices, like `String.prototype.slice`. For a range `[s, e)` of the
 * normalised text, `[starts[s], ends[e - 1])` is the range of the original text it came from.
 */
import * as OpenCC from 'opencc-js'

export interface NormalizedText {
  /** The normalised text. */
  text: string
  /** `starts[i]` is the original offset where the source of normalised code unit `i` begins. */
  starts: Uint32Array
  /** `ends[i]` is the original offset just after the source of normalised code unit `i`. */
  ends: Uint32Array
  /** The original text. */
  original: string
}

// opencc-js' typings degrade to `any` under NodeNext: wrap the converter in a typed function.
type Convert = (text: string) => string
let toSimplified: Convert | undefined
function convertChar(ch: string): string {
  toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' }) as Convert
  return toSimplified(ch)
}

/** Per-code-point result of folding (punctuation, width, script, case); filled lazily. */
const foldCache = new Map<number, string>()

const PUNCTUATION: Record<string, string> = {
  '，': ',', '、': ',', '﹐': ',', '﹑': ',', '。': '.', '｡': '.', '．': '.', '·': '.',
  '！': '!', '？': '?', '；': ';', '：': ':', '“': '"', '”': '"', '„': '"', '‟': '"', '‘': "'",
  '’': "'", '「': '"', '」': '"', '『': '"', '』': '"', '《': '"', '》': '"', '〈': '"', '〉': '"',
  '【': '[', '】': ']', '〔': '[', '〕': ']', '（': '(', '）': ')', '—': '-', '–': '-', '―': '-',
  '～': '~', '〜': '~',
}

function isWhitespace(cp: number): boolean {
  return (
    cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0xa0 || cp === 0x3000 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f ||
    cp === 0xfeff || cp === 0x2026 || cp === 0x22ef
  )
}

function fold(cp: number, ch: string): string {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : ch
  const cached = foldCache.get(cp)
  if (cached !== undefined) return cached
  let out: string
  const punct = PUNCTUATION[ch]
  if (punct !== undefined) out = punct
  else if (cp >= 0xff01 && cp <= 0xff5e) {
    const half = cp - 0xfee0
    out = half >= 0x41 && half <= 0x5a ? String.fromCharCode(half + 32) : String.fromCharCode(half)
    out = PUNCTUATION[out] ?? out
  } else if (cp >= 0x2e80) out = convertChar(ch)
  else out = ch.toLowerCase()
  if (out.length === 0) out = ch
  foldCache.set(cp, out)
  return out
}

/** Normalises `text` for matching and keeps, for every output code unit, where it came from. */
export function normalizeWithMap(text: string): NormalizedText {
  const n = text.length
  // Folding never lengthens a code point by more than 2 units in practice; grow if it does.
  let starts = new Uint32Array(n + 4)
  let ends = new Uint32Array(n + 4)
  let out = ''
  let len = 0
  let lastWasSpace = true // drop leading whitespace
  const push = (piece: string, from: number, to: number): void => {
    if (len + piece.length > starts.length) {
      const grownStarts = new Uint32Array((len + piece.length) * 2)
      grownStarts.set(starts)
      starts = grownStarts
      const grownEnds = new Uint32Array((len + piece.length) * 2)
      grownEnds.set(ends)
      ends = grownEnds
    }
    for (let k = 0; k < piece.length; k++) {
      starts[len] = from
      ends[len] = to
      len++
    }
    out += piece
  }
  let i = 0
  while (i < n) {
    const unit = text.charCodeAt(i)
    let cp = unit
    let width = 1
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
        width = 2
      }
    }
    if (width === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      push('\ufffd', i, i + 1)
      lastWasSpace = false
    } else if (isWhitespace(cp)) {
      if (!lastWasSpace) {
        push(' ', i, i + width)
        lastWasSpace = true
      } else if (len > 0) {
        // widen the space we kept so the whole run maps back
        ends[len - 1] = i + width
      }
    } else {
      const piece = fold(cp, width === 1 ? text[i]! : text.slice(i, i + 2))
      push(piece, i, i + width)
      lastWasSpace = false
    }
    i += width
  }
  // drop one trailing space
  if (len > 0 && out.charCodeAt(len - 1) === 0x20) {
    out = out.slice(0, -1)
    len--
  }
  return { text: out, starts: starts.subarray(0, len), ends: ends.subarray(0, len), original: text }
}

/** The normalised text alone (see `normalizeWithMap`). */
export function normalizeText(text: string): string {
  return normalizeWithMap(text).text
}

/** Maps a range `[start, end)` of normalised text back to a range of the original text. */
export function toOriginalRange(norm: NormalizedText, start: number, end: number): { start: number; end: number } {
  if (end <= start) {
    const at = start < norm.starts.length ? norm.starts[start]! : norm.original.length
    return { start: at, end: at }
  }
  return { start: norm.starts[start]!, end: norm.ends[end - 1]! }
}
