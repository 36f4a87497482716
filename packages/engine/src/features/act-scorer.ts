/**
 * The learned scorer of the chapter 8 rules (scolding, sarcasm, internal_disclosure, overpromise,
 * pointing_out_mistake): one logistic regression per rule over character 1-3-grams and four context
 * keys (second person, question, negation, the final particle), scored per PIECE: an utterance's score
 * for a rule is the highest of its pieces' (sentences, ending at `. ! ? ;`, or clauses, also at `, :`,
 * as the model's `unit` says), each piece's sum of weights divided by the square root of its length
 * (`lengthPower`), so a long line does not pile up small weights. Digits and Latin words become one
 * placeholder each (`0`, `a`): numbers and product names are topics, not acts (the trainer also leaves
 * out single characters that are mostly inside nouns, numbers and measure words). It stands beside the
 * frames (features/acts.ts and the rulebook's phrases): a rule fires when its frames OR its scorer (at
 * the rule's `scorerThreshold`, calibrated log-odds) do, and the scorer defers to the rule's exclusions
 * and innocent-use features (rules/scored.ts).
 *
 * Computed at most once per utterance, for agent finals only (`UtteranceFeatures.actScores`): one pass
 * over the text, no string made and no closure called; each n-gram's numeric key and hash come from its
 * character codes and are looked up in an open-addressing table (five float32 weights a key). The
 * weights are generated (act-scorer-model.ts, by `tsx packages/engine/eval/train-acts.ts --write`;
 * eval/ACT-SCORER.md).
 */
import { ACT_SCORER_MODEL } from './act-scorer-model.js'

export const SCORED_RULES = ['scolding', 'sarcasm', 'internal_disclosure', 'overpromise', 'pointing_out_mistake'] as const
export type ScoredRule = (typeof SCORED_RULES)[number]
const RULE_COUNT = SCORED_RULES.length

/** What the generated module holds. */
export interface ActScorerModel {
  rules: readonly string[]
  bias: readonly number[]
  /** The keys: n-grams of 1-3 characters, or a context key (`#you`, `#que`, `#neg`, `#fin:<particle>`). */
  keys: readonly string[]
  /** Row-major `keys.length × rules.length` weights, in 1/scale units. */
  weights: readonly number[]
  scale: number
  /** A piece's sum of weights is divided by (its character count + 1) ** lengthPower. */
  lengthPower: number
  /** What a scored piece is: a clause (ends at `, . ! ? ; :`) or a sentence (at `. ! ? ;`). */
  unit: 'clause' | 'sentence'
  /** Per rule, the threshold chosen in the training data (the rulebook's default `scorerThreshold`). */
  thresholds: Readonly<Record<string, number>>
}

const BEGIN = 0x5e // '^'
const END = 0x24 // '$'
const DIGIT = 0x30 // '0': a run of digits
const LATIN = 0x61 // 'a': a run of Latin letters
// Key = kind * 2^48 + a * 2^32 + b * 2^16 + c: kind 1-3 an n-gram (its characters right-aligned), 4 a context key.
const P16 = 0x10000
const P32 = 0x100000000
const P48 = 2 ** 48
const CTX = 4
const CTX_YOU = 1
const CTX_QUESTION = 2
const CTX_NEGATION = 3
const CTX_FINAL = 4 // b = the particle

const numKey = (kind: number, a: number, b: number, c: number): number => kind * P48 + a * P32 + b * P16 + c
/** The table hash of a key, from its parts (the same for the string and the scanning side). */
const hashOf = (kind: number, a: number, b: number, c: number): number => {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77) ^ Math.imul(kind, 0xc2b2ae3d), 0x27d4eb2f)
  h ^= h >>> 15
  return Math.imul(h, 0x165667b1) ^ (h >>> 13)
}

function partsOf(s: string): [number, number, number, number] {
  if (s.length > 3) {
    if (s === '#you') return [CTX, CTX_YOU, 0, 0]
    if (s === '#que') return [CTX, CTX_QUESTION, 0, 0]
    if (s === '#neg') return [CTX, CTX_NEGATION, 0, 0]
    if (s.startsWith('#fin:')) return [CTX, CTX_FINAL, s.charCodeAt(5), 0]
    throw new Error(`act scorer: unknown key ${s}`)
  }
  if (s.length === 1) return [1, 0, 0, s.charCodeAt(0)]
  if (s.length === 2) return [2, 0, s.charCodeAt(0), s.charCodeAt(1)]
  return [3, s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(2)]
}

/** The numeric key of a model key string (n-gram or context key). */
export function keyOf(s: string): number {
  const [k, a, b, c] = partsOf(s)
  return numKey(k, a, b, c)
}

/** The model key string of a numeric key (the inverse of `keyOf`). */
export function keyString(key: number): string {
  const kind = Math.floor(key / P48)
  const a = Math.floor(key / P32) % P16
  const b = Math.floor(key / P16) % P16
  const c = key % P16
  if (kind === CTX) return a === CTX_YOU ? '#you' : a === CTX_QUESTION ? '#que' : a === CTX_NEGATION ? '#neg' : `#fin:${String.fromCharCode(b)}`
  if (kind === 1) return String.fromCharCode(c)
  if (kind === 2) return String.fromCharCode(b, c)
  return String.fromCharCode(a, b, c)
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
// Clause breaks of the normalised text (`, . ! ? ; :`).
const isSentenceBreak = (c: number): boolean => c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3b
const isBreak = (c: number): boolean => c === 0x2c || c === 0x3a || isSentenceBreak(c)
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isLatin = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)
const isParticle = (c: number): boolean =>
  c === 0x5427 || c === 0x5462 || c === 0x554a || c === 0x5440 || c === 0x561b || c === 0x54e6 || c === 0x5566 || c === 0x5417 || c === 0x4e48 // 吧呢啊呀嘛哦啦吗么

/**
 * What a scan of the text reports: each key of a clause (duplicates included) with its numeric key, its
 * hash and its range in the text (context keys and ^/$ get an empty range), then the clause's end with
 * its character count. The scorer is one such sink; training collects the keys through another.
 */
export interface KeySink {
  key(key: number, hash: number, start: number, end: number): void
  clause(chars: number): void
}

/**
 * Scans the normalised text `t` clause by clause: 1-3-grams of each clause with `^`/`$` at its ends
 * (spaces skipped: an ASR pause inside a word; a run of digits or of Latin letters one placeholder),
 * then the clause's context keys: second person, question (吗 or a closing `?`), negation (不 没 别),
 * its final particle.
 */
/** The longest piece scored as one (characters): above the real corpus's 99.9th percentile sentence (136). */
export const MAX_PIECE_CHARS = 160

export function scanKeys(t: string, sink: KeySink, sentences = false): void {
  let chars = 0
  let p2 = -1
  let p1 = BEGIN
  let o2 = 0
  let o1 = 0
  let you = false
  let question = false
  let negation = false
  let last = -1
  const n = t.length
  for (let i = 0; i <= n; i++) {
    let c = i < n ? t.charCodeAt(i) : 0x2e
    if (isSpace(c)) continue
    // A piece longer than the model was fitted on ends there (an unpunctuated ASR final of hundreds of characters):
    // a score grows with the square root of a piece's length, so one long run of topic words would read as an act.
    const brk = sentences ? isSentenceBreak(c) : isBreak(c)
    const cut = !brk && chars >= MAX_PIECE_CHARS
    if (brk || cut) {
      if (chars > 0) {
        if (c === 0x3f) question = true
        sink.key(numKey(1, 0, 0, END), hashOf(1, 0, 0, END), i, i)
        sink.key(numKey(2, 0, p1, END), hashOf(2, 0, p1, END), o1, i)
        if (p2 !== -1) sink.key(numKey(3, p2, p1, END), hashOf(3, p2, p1, END), o2, i)
        if (you) sink.key(numKey(CTX, CTX_YOU, 0, 0), hashOf(CTX, CTX_YOU, 0, 0), i, i)
        if (question) sink.key(numKey(CTX, CTX_QUESTION, 0, 0), hashOf(CTX, CTX_QUESTION, 0, 0), i, i)
        if (negation) sink.key(numKey(CTX, CTX_NEGATION, 0, 0), hashOf(CTX, CTX_NEGATION, 0, 0), i, i)
        if (last !== -1 && isParticle(last)) sink.key(numKey(CTX, CTX_FINAL, last, 0), hashOf(CTX, CTX_FINAL, last, 0), i, i)
        sink.clause(chars)
      }
      chars = 0
      p2 = -1
      p1 = BEGIN
      you = question = negation = false
      last = -1
      if (!cut) continue
    }
    if (isDigit(c)) {
      if (p1 === DIGIT && chars > 0) continue
      c = DIGIT
    } else if (isLatin(c)) {
      if (p1 === LATIN && chars > 0) continue
      c = LATIN
    } else if (c === 0x60a8 || c === 0x4f60) you = true // 您 你
    else if (c === 0x5417) question = true // 吗
    else if (c === 0x4e0d || c === 0x6ca1 || c === 0x522b) negation = true // 不 没 别
    if (chars === 0) {
      sink.key(numKey(1, 0, 0, BEGIN), hashOf(1, 0, 0, BEGIN), i, i)
      o1 = i
    }
    chars++
    last = c
    sink.key(numKey(1, 0, 0, c), hashOf(1, 0, 0, c), i, i + 1)
    sink.key(numKey(2, 0, p1, c), hashOf(2, 0, p1, c), o1, i + 1)
    if (p2 !== -1) sink.key(numKey(3, p2, p1, c), hashOf(3, p2, p1, c), o2, i + 1)
    p2 = p1
    o2 = o1
    p1 = c
    o1 = i
  }
}

/** Every key of `t` in scan order, clause by clause (tests and training). */
export function clauseKeys(t: string, sentences = false): { keys: number[]; start: number[]; end: number[]; chars: number }[] {
  const out: { keys: number[]; start: number[]; end: number[]; chars: number }[] = []
  let cur = { keys: [] as number[], start: [] as number[], end: [] as number[], chars: 0 }
  scanKeys(t, {
    key(k, _h, s, e) {
      cur.keys.push(k)
      cur.start.push(s)
      cur.end.push(e)
    },
    clause(chars) {
      cur.chars = chars
      out.push(cur)
      cur = { keys: [], start: [], end: [], chars: 0 }
    },
  }, sentences)
  return out
}

/** An open-addressing table from numeric key to the key's row (-1: absent). */
export class KeyTable {
  readonly #keys: Float64Array
  readonly #rows: Int32Array
  readonly #mask: number

  constructor(keys: readonly string[]) {
    let size = 16
    while (size < keys.length * 2) size *= 2
    this.#keys = new Float64Array(size)
    this.#rows = new Int32Array(size).fill(-1)
    this.#mask = size - 1
    keys.forEach((s, row) => {
      const [k, a, b, c] = partsOf(s)
      let h = hashOf(k, a, b, c) & this.#mask
      while (this.#rows[h] !== -1) h = (h + 1) & this.#mask
      this.#keys[h] = numKey(k, a, b, c)
      this.#rows[h] = row
    })
  }

  row(key: number, hash: number): number {
    let h = hash & this.#mask
    for (;;) {
      const r = this.#rows[h]!
      if (r === -1 || this.#keys[h] === key) return r
      h = (h + 1) & this.#mask
    }
  }
}

/** The scores of one utterance: per rule (SCORED_RULES order) the best piece's log-odds and its key that pushed it most. */
export interface ActScores {
  /** Calibrated log-odds of the best piece (the scale of `scorerThreshold`); -Infinity for a text without one. */
  z: Float64Array
  /** Per rule, [start, end) in the normalised text of the best piece's n-gram with the largest positive weight (-1 when none). */
  start: Int32Array
  end: Int32Array
}

export class ActScorer implements KeySink {
  readonly #table: KeyTable
  readonly #w: Float32Array
  readonly #bias: Float64Array
  readonly #power: number
  readonly #sentences: boolean
  // The clause being scanned: per rule its sum, its largest weight and that key's range.
  readonly #sum = new Float64Array(RULE_COUNT)
  readonly #best = new Float64Array(RULE_COUNT)
  readonly #bs = new Int32Array(RULE_COUNT)
  readonly #be = new Int32Array(RULE_COUNT)
  #out: ActScores = { z: new Float64Array(0), start: new Int32Array(0), end: new Int32Array(0) }
  readonly thresholds: Readonly<Record<string, number>>
  readonly size: number

  constructor(model: ActScorerModel) {
    this.#table = new KeyTable(model.keys)
    const n = model.rules.length
    // Columns of the model in SCORED_RULES order (a model may list them in another order).
    const cols = SCORED_RULES.map((r) => model.rules.indexOf(r))
    this.#w = new Float32Array(model.keys.length * RULE_COUNT)
    for (let row = 0; row < model.keys.length; row++) {
      for (let r = 0; r < RULE_COUNT; r++) {
        const col = cols[r]!
        this.#w[row * RULE_COUNT + r] = col < 0 ? 0 : model.weights[row * n + col]! / model.scale
      }
    }
    this.#bias = Float64Array.from(cols, (col) => (col < 0 ? -50 : model.bias[col]! / model.scale))
    this.#power = model.lengthPower
    this.#sentences = model.unit === 'sentence'
    this.thresholds = model.thresholds
    this.size = model.keys.length
    this.#reset()
  }

  #reset(): void {
    this.#sum.fill(0)
    this.#best.fill(0)
    this.#bs.fill(-1)
    this.#be.fill(-1)
  }

  /** KeySink: one key of the clause being scanned. */
  key(key: number, hash: number, start: number, end: number): void {
    const row = this.#table.row(key, hash)
    if (row < 0) return
    const at = row * RULE_COUNT
    const w = this.#w
    const sum = this.#sum
    const best = this.#best
    for (let r = 0; r < RULE_COUNT; r++) {
      const v = w[at + r]!
      sum[r] = sum[r]! + v
      if (v > best[r]! && end > start) {
        best[r] = v
        this.#bs[r] = start
        this.#be[r] = end
      }
    }
  }

  /** KeySink: the clause ended; it is the utterance's best so far for a rule whose clause score is highest. */
  clause(chars: number): void {
    const out = this.#out
    const norm = this.#power === 0 ? 1 : (chars + 1) ** -this.#power
    for (let r = 0; r < RULE_COUNT; r++) {
      const z = this.#bias[r]! + this.#sum[r]! * norm
      if (z > out.z[r]!) {
        out.z[r] = z
        out.start[r] = this.#bs[r]!
        out.end[r] = this.#be[r]!
      }
    }
    this.#reset()
  }

  score(normText: string): ActScores {
    const out: ActScores = { z: new Float64Array(RULE_COUNT).fill(Number.NEGATIVE_INFINITY), start: new Int32Array(RULE_COUNT).fill(-1), end: new Int32Array(RULE_COUNT).fill(-1) }
    this.#out = out
    this.#reset()
    scanKeys(normText, this, this.#sentences)
    return out
  }
}

let shared: ActScorer | undefined

/** The shipped model, built on first use. */
export function actScorer(): ActScorer {
  return (shared ??= new ActScorer(ACT_SCORER_MODEL))
}

export const scoredRuleIndex = (rule: string): number => SCORED_RULES.indexOf(rule as ScoredRule)

/** The rulebook's default `scorerThreshold` (log-odds) of a rule: the one chosen in training (Infinity, the scorer off, when the model has none). */
export function defaultScorerThreshold(rule: ScoredRule): number {
  return ACT_SCORER_MODEL.thresholds[rule] ?? Number.POSITIVE_INFINITY
}
