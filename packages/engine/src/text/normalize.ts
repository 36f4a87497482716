/**
 * Text normalisation for matching, with an offset map back to the original string.
 *
 * What is folded (so that a rulebook phrase written once matches every surface form):
 * - traditional → simplified characters (opencc-js, Taiwan variants to mainland, one character at a time
 *   so that every output character maps to exactly one input character); the dialect self-reference 俺 → 我 (one
 *   speaker, one word for it: 俺不知道 is the agent's 我不知道);
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

/** Read-only: the offset arrays may be shared between texts (see IdentityMapped). */
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
let toTraditional: Convert | undefined
function convertChar(ch: string): string {
  toSimplified ??= OpenCC.Converter({ from: 'tw', to: 'cn' }) as Convert
  toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }) as Convert
  const simplified = toSimplified(ch)
  if (simplified === ch) return ch
  // Out of context, a character that is ALREADY simplified can be read as a rare traditional one
  // (么 is also the old form of 幺): keep a character whose traditional form simplifies back to it.
  const traditional = toTraditional(ch)
  if (traditional !== ch && toSimplified(traditional) === ch) return ch
  return simplified
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
  else if (ch === '俺') out = '我' // northern dialect self-reference: the same speaker (issue 10: self-reference consistent)
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

// Folding results for the BMP as single code units (0 = not computed yet, MULTI = see foldCache):
// an array index instead of a Map lookup for every character of every utterance.
const MULTI = 0xffff
const bmpFold = new Uint16Array(0x10000)
// Characters known to fold to themselves (nearly every character of mainland text), one bit each: an 8 KB
// table stays in cache where bmpFold (128 KB) is read at random, one miss per character.
const foldsToItself = new Uint32Array(0x10000 >>> 5)

// The output never holds a lone surrogate (normalizeWithMap writes U+FFFD for one), the only units a UTF-16
// decoder would change (a BOM is kept: ignoreBOM), so decoding gives exactly String.fromCharCode(...units),
// without an argument list of one number per unit.
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true })

function unitsToString(units: Uint16Array, len: number): string {
  return utf16.decode(units.subarray(0, len))
}

// Scratch buffers of normalizeWithMap (grown, never shrunk): a typed array costs far more to allocate
// than to fill, and most utterances need none of their own (see IdentityMapped).
const MAX_KEPT_SCRATCH = 1 << 16
let scratchUnits = new Uint16Array(256)
let scratchStarts = new Uint32Array(256)
let scratchEnds = new Uint32Array(256)

function growScratch(need: number): void {
  const cap = Math.max(scratchUnits.length * 2, need)
  const u = new Uint16Array(cap)
  u.set(scratchUnits)
  scratchUnits = u
  const s = new Uint32Array(cap)
  s.set(scratchStarts)
  scratchStarts = s
  const e = new Uint32Array(cap)
  e.set(scratchEnds)
  scratchEnds = e
}

// 0, 1, 2, …: the offset map of an identity-mapped text is a view of these (grown, never written after).
let identityOffsets = new Uint32Array(257).map((_, i) => i)

function identityView(from: number, length: number): Uint32Array {
  if (identityOffsets.length < from + length) {
    identityOffsets = new Uint32Array(Math.max(identityOffsets.length * 2, from + length)).map((_, i) => i)
  }
  return identityOffsets.subarray(from, from + length)
}

/**
 * The normalised text of an utterance whose every code unit came from the same offset of the original
 * (no whitespace collapsed, nothing dropped or widened: nearly every ASR line). `starts[i]` is `i` and
 * `ends[i]` is `i + 1`: views of one shared array, made only when someone asks (a hit to map back).
 * Like every NormalizedText, read-only.
 */
class IdentityMapped implements NormalizedText {
  readonly text: string
  readonly original: string
  private startsView: Uint32Array | undefined
  private endsView: Uint32Array | undefined
  constructor(text: string, original: string) {
    this.text = text
    this.original = original
  }
  get starts(): Uint32Array {
    return (this.startsView ??= identityView(0, this.text.length))
  }
  get ends(): Uint32Array {
    return (this.endsView ??= identityView(1, this.text.length))
  }
}

/** Normalises `text` for matching and keeps, for every output code unit, where it came from. */
export function normalizeWithMap(text: string): NormalizedText {
  const n = text.length
  // A code point folds to at most 2 units here (opencc maps one character to one); grow if not.
  if (scratchUnits.length < n + 4) growScratch(n + 4)
  let units = scratchUnits
  let starts = scratchStarts
  let ends = scratchEnds
  let len = 0
  let lastWasSpace = true // drop leading whitespace
  let i = 0
  while (i < n) {
    const unit = text.charCodeAt(i)
    if (len + 2 > units.length) {
      growScratch(len + 2)
      units = scratchUnits
      starts = scratchStarts
      ends = scratchEnds
    }
    if (unit < 0x80) {
      if (unit === 0x20 || (unit >= 0x09 && unit <= 0x0d)) {
        if (!lastWasSpace) {
          units[len] = 0x20
          starts[len] = i
          ends[len++] = i + 1
          lastWasSpace = true
        } else if (len > 0) ends[len - 1] = i + 1
      } else {
        units[len] = unit >= 0x41 && unit <= 0x5a ? unit + 32 : unit
        starts[len] = i
        ends[len++] = i + 1
        lastWasSpace = false
      }
      i++
      continue
    }
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
      units[len] = 0xfffd
      starts[len] = i
      ends[len++] = i + 1
      lastWasSpace = false
    } else if (isWhitespace(cp)) {
      if (!lastWasSpace) {
        units[len] = 0x20
        starts[len] = i
        ends[len++] = i + width
        lastWasSpace = true
      } else if (len > 0) {
        // widen the space we kept so the whole run maps back
        ends[len - 1] = i + width
      }
    } else {
      let folded = width === 1 ? ((foldsToItself[cp >>> 5]! >>> (cp & 31)) & 1 ? cp : bmpFold[cp]!) : MULTI
      if (folded === 0) {
        const piece = fold(cp, text[i]!)
        folded = piece.length === 1 ? piece.charCodeAt(0) : MULTI
        bmpFold[cp] = folded
        if (folded === cp) foldsToItself[cp >>> 5]! |= 1 << (cp & 31)
      }
      if (folded !== MULTI) {
        units[len] = folded
        starts[len] = i
        ends[len++] = i + width
      } else {
        const piece = fold(cp, width === 1 ? text[i]! : text.slice(i, i + 2))
        if (len + piece.length > units.length) {
          growScratch(len + piece.length)
          units = scratchUnits
          starts = scratchStarts
          ends = scratchEnds
        }
        for (let k = 0; k < piece.length; k++) {
          units[len] = piece.charCodeAt(k)
          starts[len] = i
          ends[len++] = i + width
        }
      }
      lastWasSpace = false
    }
    i += width
  }
  // drop one trailing space
  if (len > 0 && units[len - 1] === 0x20) len--
  // A huge text (a pasted document) must not keep megabytes of scratch alive: the next call reallocates.
  if (units.length > MAX_KEPT_SCRATCH) {
    scratchUnits = new Uint16Array(256)
    scratchStarts = new Uint32Array(256)
    scratchEnds = new Uint32Array(256)
  }
  let identity = len === n
  for (let k = 0; identity && k < len; k++) if (starts[k] !== k || ends[k] !== k + 1) identity = false
  if (identity) {
    let unchanged = true
    for (let k = 0; unchanged && k < len; k++) if (units[k] !== text.charCodeAt(k)) unchanged = false
    return new IdentityMapped(unchanged ? text : unitsToString(units, len), text)
  }
  const map = new Uint32Array(2 * len)
  for (let k = 0; k < len; k++) {
    map[k] = starts[k]!
    map[len + k] = ends[k]!
  }
  return { text: unitsToString(units, len), starts: map.subarray(0, len), ends: map.subarray(len, 2 * len), original: text }
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
