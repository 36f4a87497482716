/**
 * The learned utterance scorer of the chapter 8 rules (scolding, sarcasm, internal_disclosure,
 * overpromise, pointing_out_mistake): one logistic regression per rule over character 1-3-grams of the
 * engine's normalised text (spaces removed, `^`/`$` at the ends) and four context keys (second person,
 * question, negation, the final particle). It stands beside the frames (features/acts.ts and the
 * rulebook's phrases): a rule fires when its frames OR its scorer (at the rule's `scorerThreshold`) do,
 * and the scorer defers to the rule's exclusions and innocent-use features (rules/scored.ts).
 *
 * Computed at most once per utterance, for agent utterances only (`UtteranceFeatures.actScores`): one
 * pass over the text, each n-gram looked up in an open-addressing table of numeric keys (no string is
 * made), five weights a key. The weights are generated (act-scorer-model.ts, by
 * `tsx packages/engine/eval/train-acts.ts --write`; see eval/ACT-SCORER.md).
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
  /** Per rule, the threshold chosen in the training data (the rulebook's default `scorerThreshold`). */
  thresholds: Readonly<Record<string, number>>
}

const PARTICLES = '吧呢啊呀嘛哦啦吗么'
const BEGIN = 0x5e // '^'
const END = 0x24 // '$'
const CONTEXT_BASE = 2 ** 51
const CTX_YOU = CONTEXT_BASE + 0x10001
const CTX_QUESTION = CONTEXT_BASE + 0x10002
const CTX_NEGATION = CONTEXT_BASE + 0x10003
const ctxFinal = (code: number): number => CONTEXT_BASE + code
const key1 = (a: number): number => a
const key2 = (a: number, b: number): number => 2 ** 48 + a * 0x10000 + b
const key3 = (a: number, b: number, c: number): number => 2 ** 49 + a * 2 ** 32 + b * 0x10000 + c

/** The numeric key of a model key string (n-gram or context key). */
export function keyOf(s: string): number {
  if (s.length > 3) {
    if (s === '#you') return CTX_YOU
    if (s === '#que') return CTX_QUESTION
    if (s === '#neg') return CTX_NEGATION
    if (s.startsWith('#fin:')) return ctxFinal(s.charCodeAt(5))
    throw new Error(`act scorer: unknown key ${s}`)
  }
  if (s.length === 1) return key1(s.charCodeAt(0))
  if (s.length === 2) return key2(s.charCodeAt(0), s.charCodeAt(1))
  return key3(s.charCodeAt(0), s.charCodeAt(1), s.charCodeAt(2))
}

/** The model key string of a numeric key (the inverse of `keyOf`). */
export function keyString(k: number): string {
  if (k >= CONTEXT_BASE) {
    if (k === CTX_YOU) return '#you'
    if (k === CTX_QUESTION) return '#que'
    if (k === CTX_NEGATION) return '#neg'
    return `#fin:${String.fromCharCode(k - CONTEXT_BASE)}`
  }
  if (k >= 2 ** 49) {
    const v = k - 2 ** 49
    return String.fromCharCode(Math.floor(v / 2 ** 32), Math.floor(v / 0x10000) % 0x10000, v % 0x10000)
  }
  if (k >= 2 ** 48) {
    const v = k - 2 ** 48
    return String.fromCharCode(Math.floor(v / 0x10000), v % 0x10000)
  }
  return String.fromCharCode(k)
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const isPunct = (c: number): boolean => c === 0x2c || c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3b || c === 0x3a || c === 0x22 || c === 0x7e

/**
 * Calls `fn` for every key of the normalised text `t` (duplicates included), with the key's range in
 * `t` (n-grams; context keys get [0, 0)). Spaces are skipped (an ASR pause inside a word), `^`/`$` stand
 * before and after the text.
 */
export function forEachKey(t: string, fn: (key: number, start: number, end: number) => void): void {
  // The compact characters: code and normalised offset, with ^ and $ around.
  let p2 = -1 // code two back
  let p1 = BEGIN // code one back
  let o2 = 0 // offset of the code two back
  let o1 = 0
  fn(key1(BEGIN), 0, 0)
  let you = false
  let question = false
  let negation = false
  let last = -1 // last non-space, non-punctuation code
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (isSpace(c)) continue
    if (c === 0x60a8 || c === 0x4f60) you = true // 您 你
    else if (c === 0x3f || c === 0x5417) question = true // ? 吗
    else if (c === 0x4e0d || c === 0x6ca1 || c === 0x522b) negation = true // 不 没 别
    if (!isPunct(c)) last = c
    fn(key1(c), i, i + 1)
    fn(key2(p1, c), p1 === BEGIN && p2 === -1 ? i : o1, i + 1)
    if (p2 !== -1) fn(key3(p2, p1, c), o2, i + 1)
    p2 = p1
    o2 = o1
    p1 = c
    o1 = i
    if (p2 === BEGIN) o2 = i
  }
  fn(key1(END), t.length, t.length)
  if (p1 !== BEGIN) {
    fn(key2(p1, END), o1, t.length)
    if (p2 !== -1) fn(key3(p2, p1, END), o2, t.length)
  }
  if (you) fn(CTX_YOU, 0, 0)
  if (question) fn(CTX_QUESTION, 0, 0)
  if (negation) fn(CTX_NEGATION, 0, 0)
  if (last !== -1 && PARTICLES.includes(String.fromCharCode(last))) fn(ctxFinal(last), 0, 0)
}

/** An open-addressing table from numeric key to the key's row (-1: absent). */
export class KeyTable {
  readonly #keys: Float64Array
  readonly #rows: Int32Array
  readonly #mask: number

  constructor(keys: readonly number[]) {
    let size = 16
    while (size < keys.length * 2) size *= 2
    this.#keys = new Float64Array(size)
    this.#rows = new Int32Array(size).fill(-1)
    this.#mask = size - 1
    keys.forEach((k, row) => {
      let h = KeyTable.hash(k) & this.#mask
      while (this.#rows[h] !== -1) h = (h + 1) & this.#mask
      this.#keys[h] = k
      this.#rows[h] = row
    })
  }

  static hash(k: number): number {
    const lo = k % 0x100000000 | 0
    const hi = (k / 0x100000000) | 0
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca77) ^ (hi >>> 7)
  }

  row(k: number): number {
    let h = KeyTable.hash(k) & this.#mask
    for (;;) {
      const r = this.#rows[h]!
      if (r === -1 || this.#keys[h] === k) return r
      h = (h + 1) & this.#mask
    }
  }
}

/** The scores of one utterance: per rule (SCORED_RULES order) the log-odds and the range of the key that pushed it most. */
export interface ActScores {
  /** Log-odds (the logistic regression's sum before the sigmoid): the scale of `scorerThreshold`. */
  z: Float64Array
  /** Per rule, [start, end) in the normalised text of the n-gram with the largest positive weight (-1 when none). */
  start: Int32Array
  end: Int32Array
}

export class ActScorer {
  readonly #table: KeyTable
  readonly #w: Float64Array
  readonly #bias: Float64Array
  readonly #cols: Int32Array
  readonly thresholds: Readonly<Record<string, number>>
  readonly size: number

  constructor(model: ActScorerModel) {
    this.#table = new KeyTable(model.keys.map(keyOf))
    const n = model.rules.length
    // Columns of the model in SCORED_RULES order (a model may list them in another order).
    this.#cols = Int32Array.from(SCORED_RULES.map((r) => model.rules.indexOf(r)))
    this.#w = new Float64Array(model.keys.length * RULE_COUNT)
    for (let row = 0; row < model.keys.length; row++) {
      for (let r = 0; r < RULE_COUNT; r++) {
        const col = this.#cols[r]!
        this.#w[row * RULE_COUNT + r] = col < 0 ? 0 : model.weights[row * n + col]! / model.scale
      }
    }
    this.#bias = Float64Array.from(SCORED_RULES.map((r, i) => (this.#cols[i]! < 0 ? -50 : model.bias[model.rules.indexOf(r)]! / model.scale)))
    this.thresholds = model.thresholds
    this.size = model.keys.length
  }

  score(normText: string): ActScores {
    const z = Float64Array.from(this.#bias)
    const best = new Float64Array(RULE_COUNT)
    const start = new Int32Array(RULE_COUNT).fill(-1)
    const end = new Int32Array(RULE_COUNT).fill(-1)
    const w = this.#w
    forEachKey(normText, (k, s, e) => {
      const row = this.#table.row(k)
      if (row < 0) return
      const at = row * RULE_COUNT
      for (let r = 0; r < RULE_COUNT; r++) {
        const v = w[at + r]!
        z[r] = z[r]! + v
        if (v > best[r]! && e > s) {
          best[r] = v
          start[r] = s
          end[r] = e
        }
      }
    })
    return { z, start, end }
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
