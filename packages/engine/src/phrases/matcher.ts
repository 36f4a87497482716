/**
 * The phrase matcher: compiled once from a rulebook's phrase specs (see `spec.ts` for the schema and how
 * a form is read), then asked per utterance.
 *
 * Cost model: every utterance is normalised (one pass) and scanned once; at each character a table
 * lookup says which forms may START there (their first character, or their second when the first may
 * be a homophone). Only those candidates are followed, and only a raw hit pays for the heavy checks:
 * pinyin (cached per character), jieba word boundaries on a small window, exclusions.
 */
import { HESITATION_CHARS, isFillerChar, isFillerCode } from '../text/fillers.js'
import { normalizeText, normalizeWithMap, type NormalizedText } from '../text/normalize.js'
import { contextualReadings, homophoneTest, nearHomophoneTest } from '../text/pinyin.js'
import { tagWords, wordBoundaries } from '../text/segment.js'
import { COMMON_CHARS, patternTrigger } from './pattern-trigger.js'
import { checkPhraseSpecs, type ExcludeSpec, type PhraseSpec, type VariantSpec } from './spec.js'

/** One occurrence of a listed phrase in an utterance. */
export interface PhraseMatch {
  /** The canonical phrase of the entry (its `phrase`, without `~`). */
  phrase: string
  /** Index of the entry in the specs list. */
  index: number
  /** `text.slice(start, end)` of the ORIGINAL text is what was said. */
  start: number
  end: number
  /** The same occurrence in the normalised text (what context features look at). */
  nStart: number
  nEnd: number
}

export interface PhraseMatcher {
  /** Occurrences in `text`, non-overlapping (longest wins), sorted by start. Read-only (an empty result is shared). */
  match(text: string): PhraseMatch[]
  /** Same, over text already normalised with `normalizeWithMap` (callers that need it too). */
  matchNormalized(norm: NormalizedText): PhraseMatch[]
  /**
   * Every occurrence, overlapping ones included, longest first: for a caller that may set the longest
   * aside (its context clears it) and must then still see the shorter phrase inside it.
   */
  matchRanked(norm: NormalizedText): PhraseMatch[]
}

/** What most utterances hold (shared: a result is never written to). */
const NO_MATCHES: PhraseMatch[] = Object.freeze([]) as unknown as PhraseMatch[]

/** Thrown by `compilePhrases` when the specs do not pass `checkPhraseSpecs`. */
export class PhraseSpecError extends Error {
  readonly code = 'CQ_ERR_RULEBOOK'
  readonly problems: { path: string; message: string }[]
  constructor(problems: { path: string; message: string }[]) {
    super(`invalid phrase specs: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`)
    this.name = 'PhraseSpecError'
    this.problems = problems
  }
}

/** Words that may be inserted at a `~` of any form (issue 2: "a few short words inserted while the order stays"). */
export const DEFAULT_INSERT_WORDS = ['这个事', '真的', '到底', '这个', '你', '我', '也', '就', '这', '都']

const MAX_FILLERS_IN_GAP = 3
/** Forms this long or longer may hold one loose edit (a dropped or extra character, a near-homophone). */
const EDIT_MIN_LENGTH = 4
/** Characters of a form not common in speech that must still be heard exactly after its loose edit. */
const EDIT_MIN_DISTINCT = 2
/** Letters of a pinyin spelling standing for one character (zhuang). */
const MAX_PINYIN = 6
/**
 * CHAR_CLASS by code unit: NEGATION (never dropped, added or misheard loosely: 说得不够清楚 is not 说得够清楚, 投诉也有用
 * not 投诉也没用) or OPTIONAL (the short words a `~` lets in: never what a loose edit drops or adds: 我说过了 is not
 * 我都说过了, 不办就不办 not 不办不办).
 */
const NEGATION = 1
const OPTIONAL = 2
/** What an ASR writes for a syllable it could not recognise (不□道, 找领*去), normalised (＊ is *): as rules/greeting.ts. */
const UNKNOWN_MARK = 3
const CHAR_CLASS = new Uint8Array(0x10000)
for (const ch of '不没别无非未莫勿甭') CHAR_CLASS[ch.charCodeAt(0)] = NEGATION
for (const ch of '你我您也就这都他她') CHAR_CLASS[ch.charCodeAt(0)] = OPTIONAL
for (const ch of '□■◻◼☐*�○〇_') CHAR_CLASS[ch.charCodeAt(0)] = UNKNOWN_MARK
/** `Clause.loose` bits: which loose edit chars[k] may take. */
const LOOSE_DROP = 1
const LOOSE_EXTRA = 2
const LOOSE_NEAR = 4
/** Not a loose edit: an unknown mark in place of chars[k] is one of the form's homophones (3+ characters, not a negation). */
const UNKNOWN_FOR = 8
const DROPPABLE_PARTICLES = '了着过的地得'
// Not the aspect particles: 换了运营商 tells what the customer did, 换运营商 tells them to.
const EXTRA_PARTICLES = '的地得儿'
/** Syllables a stutter repeats at most (解决解决). */
const MAX_STUTTER = 3
/** Length j (up to `max`, longest first) of a repetition at `pos` of the j Han characters before it, followed by `next`, or 0. */
function repeatedBefore(text: string, pos: number, max: number, next: number): number {
  for (let j = max; j >= 1; j--) {
    if (text.charCodeAt(pos + j) !== next || text.charCodeAt(pos) !== text.charCodeAt(pos - j)) continue
    let same = true
    for (let q = 0; q < j && same; q++) same = text.charCodeAt(pos + q) === text.charCodeAt(pos - j + q) && text.charCodeAt(pos + q) >= 0x3400
    if (same) return j
  }
  return 0
}
const isLatin = (code: number): boolean => code >= 0x61 && code <= 0x7a
/** The Latin letters at `pos` spell `reading` and end there (不zhi道, 解决bu了). */
function spelledAt(text: string, pos: number, reading: string): boolean {
  if (reading.length === 0 || reading.length > MAX_PINYIN || !text.startsWith(reading, pos)) return false
  if (pos > 0 && isLatin(text.charCodeAt(pos - 1))) return false
  return !isLatin(text.charCodeAt(pos + reading.length))
}
const MAX_WORDS_AT_INSERT = 2
const DEFAULT_CLAUSE_GAP = 8
const MAX_FREE_BETWEEN_CLAUSES = 8
/** Characters of context either side of a hit given to jieba for the word-boundary check. */
const SEGMENT_CONTEXT = 6
const CLAUSE_BREAK = /[,.!?;:]/
const SPACE = 0x20
const COMMA = 0x2c
const HESITATION_CODES: ReadonlySet<number> = new Set([...HESITATION_CHARS].map((c) => c.charCodeAt(0)))
/** 那, 个: the hesitation 那个 (followed by a pause). */
const NA = 0x90a3
const GE = 0x4e2a
const BU = 0x4e0d
const MEI = 0x6ca1
/** CLAUSE_BREAK by code unit. */
const isClauseBreak = (code: number): boolean => code === 0x2c || code === 0x2e || code === 0x21 || code === 0x3f || code === 0x3b || code === 0x3a
// Extensions a word may have past the end of a hit without making it another word (快点儿, 不行了).
const SOFT_TAIL = '儿了的啊吧呢嘛哦呀啦'
// What may follow a form that ends its clause: soft tails, then punctuation or the end of the text.
const CLAUSE_END_AFTER = /^[儿了的啊吧呢嘛哦呀啦]{0,3}(?:[\s,.!?;:]|$)/
// Adverbs jieba glues to a following 不/没 (并不, 绝不, 决不, 从不, 可不, 根本不 …).
const ADVERB_PREFIX = '并绝决从可毫也都还就根本实在真又再亦均全'

interface Clause {
  chars: string[]
  readings: string[]
  /** chars[k] as UTF-16 code units. */
  codes: number[]
  /** sounds[k](code): the character `code` is a homophone of chars[k] (its reading in context). */
  sounds: ((heard: number) => boolean)[]
  /** near[k](code): `code` is a near-sound character of chars[k] (text/pinyin.ts `nearKey`: 鸟 for 了 read liao). */
  near: ((heard: number) => boolean)[]
  /** pinyin[k]: the toneless reading of chars[k] as an ASR may spell it in Latin letters (ü as v). */
  pinyin: string[]
  /**
   * droppable[k]: an ASR may drop chars[k] without the rest saying something else: a syllable inside a word of
   * the form (导 of 领导, 么 of 什么) or an aspect/structural particle (了 着 过 的); a word of its own is not
   * (考虑好了没有 without 好 asks whether one thought about it at all).
   */
  droppable: boolean[]
  /**
   * loose[k]: the loose edits (LOOSE_* bits) chars[k] may take, decided when the form is compiled: none in a form
   * without `edits` or on its first character; LOOSE_EXTRA (one extra character before it) where the form still has
   * EDIT_MIN_DISTINCT uncommon characters; LOOSE_DROP where chars[k] is `droppable`, inside the clause, neither a
   * negation nor an insertable word, and the form keeps EDIT_MIN_DISTINCT uncommon characters without it;
   * LOOSE_NEAR on any later character but a negation, where one uncommon character besides it is left.
   */
  loose: Uint8Array
  /** insertAt[k]: words may be inserted before chars[k]. */
  insertAt: boolean[]
  /** Homophones this clause may hold: one, two in a clause of 6 characters or more (within the form's `subsAllowed`). */
  subsCap: number
}

type Exclusion =
  | { kind: 'regex'; regex: RegExp; unless: RegExp | undefined }
  | { kind: 'keyword'; any: string[]; all: string[]; none: string[]; within: number | undefined }
  | { kind: 'proximity'; words: string[]; within: number; side: 'before' | 'after' | 'either' }

interface Form {
  /** Index in the matcher's forms (memo slots). */
  id: number
  entry: number
  phrase: string
  clauses: Clause[]
  homophones: boolean
  /**
   * Homophones the form may hold in all (0 without homophones): one per clause of 3 characters or more (two in
   * one of 6 or more), at least one (你问我,我问睡 and 你问我,我问谁 alike; 你文我,我问睡 too, each clause
   * misheard once). A clause holds at most its `subsCap`.
   */
  subsAllowed: number
  /**
   * The form may hold one loose edit of ASR noise (see `matchClause`): a dropped character, an extra one, or a
   * near-homophone. Forms of EDIT_MIN_LENGTH characters or more that allow homophones; the edit spends one of
   * `subsAllowed` (so the key prefilter, which lets that many keys be missing, holds as it is).
   */
  edits: boolean
  /** Characters of the form that are not common in speech (COMMON_CHARS): what must still be heard after an edit. */
  distinct: number
  /** A homophone hit counts only where the form ends its clause (`shortHomophones: clause-end` on a 2-character form). */
  homophoneAtClauseEnd: boolean
  clauseGap: number
  insertWords: string[]
  exclusions: Exclusion[]
  length: number
  /** The form's distinct characters after its first (dense indices, see `charIndex`): all must occur in the utterance (one may be a homophone). */
  keys: Uint16Array
  /** A pattern form (`patterns:`): matched by this regex, not by `clauses`; no word-boundary check. */
  regex?: RegExp
  /** Characters one of which every match of `regex` holds (see pattern-trigger.ts; dense indices); absent: always run. */
  trigger?: Uint16Array[][]
}

// Lookups by character go through ONE table for all matchers: `charIndex[code]` is a dense index (1, 2, …;
// 0: no matcher looks for this character) given when a matcher is compiled. Per-matcher tables indexed by
// it are small (a few thousand entries) and stay in cache; a 64K-entry table per matcher and per lookup
// kind missed the cache at almost every character of every utterance (most of the matcher's time).
const charIndex = new Uint16Array(0x10000)
let indexedChars = 0

/** The dense index of `code`, given now if it has none. */
function indexChar(code: number): number {
  let d = charIndex[code]!
  if (d === 0) {
    if (indexedChars === 0xffff) throw new Error('phrase matcher: more than 65535 distinct characters in phrase specs')
    d = ++indexedChars
    charIndex[code] = d
    if (d >= seen.length) {
      const grown = new Uint32Array(Math.max(seen.length * 2, d + 1))
      grown.set(seen)
      seen = grown
    }
    // The marking of the last text misses the characters indexed since.
    markedText = null
  }
  return d
}

// Which indexed characters the current utterance holds: `seen[index] === stamp` (a new stamp per
// utterance, so nothing is cleared), and `textIndex[i]` the index of its character at i. Lets a form
// whose characters are not all there be skipped before it is followed. Every matcher of one utterance
// (the lexicon rules ask in turn) shares the marking of its text. When the stamp wraps (2^32 utterances:
// hours on a busy gateway) everything is cleared and `generation` moves on, so no matcher's memo of an
// old stamp can pass for the current utterance.
let seen = new Uint32Array(1024)
let textIndex = new Uint16Array(256)
let stamp = 0
let generation = 0
let markedText: string | null = null
// The distinct indexed characters of the marked text: present[0 … presentCount - 1].
let present = new Uint16Array(256)
let presentCount = 0

function markText(text: string): void {
  if (text === markedText) return
  if (stamp === 0xffffffff) {
    seen.fill(0)
    stamp = 0
    generation++
  }
  stamp++
  if (textIndex.length < text.length) textIndex = new Uint16Array(Math.max(textIndex.length * 2, text.length))
  if (present.length < text.length) present = new Uint16Array(Math.max(present.length * 2, text.length))
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const d = charIndex[text.charCodeAt(i)]!
    textIndex[i] = d
    if (d !== 0 && seen[d] !== stamp) {
      seen[d] = stamp
      present[count++] = d
    }
  }
  presentCount = count
  markedText = text
}

/** @internal Tests only: puts the stamp `before` steps short of wrapping around. */
export function stampNearWrapForTest(before: number): void {
  stamp = 0xffffffff - before
  markedText = null
}

interface Anchor {
  form: Form
  /** 0: the form's first character is here; 1: its second is here and the first (one back) is a homophone. */
  offset: 0 | 1
}

/**
 * What the hit heard in place of the form: `len` code units at `at` (normalised text) stand for `expected`:
 * a homophone (len 1), a pinyin spelling (len 2-6), a dropped character (len 0), an extra one (expected '').
 * `cost` is what it spends of the form's `subsAllowed` (0: the same mishearing again, 布行布行); `edit`: one of
 * the loose kinds (dropped, extra, near-homophone), at most one per form.
 */
interface Substitution {
  at: number
  len: number
  expected: string
  cost: 0 | 1
  edit: boolean
}

interface RawHit {
  form: Form
  start: number
  end: number
  substitutions: Substitution[]
}

/**
 * Regexes run on normalised text, so their Han characters are folded the same way (繁體 → 简体); every
 * other character is left alone because it may be regex syntax (write punctuation as ASCII: `,.!?;`).
 */
function foldRegexSource(source: string): string {
  return source.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, (ch) => normalizeText(ch))
}

function compileExclusion(spec: ExcludeSpec): Exclusion {
  if ('regex' in spec) {
    return {
      kind: 'regex',
      regex: new RegExp(foldRegexSource(spec.regex), 'gu'),
      unless: spec.unless === undefined ? undefined : new RegExp(foldRegexSource(spec.unless), 'gu'),
    }
  }
  if ('keyword' in spec) {
    const norm = (list: string[] | undefined): string[] => (list ?? []).map(normalizeText)
    return { kind: 'keyword', any: norm(spec.keyword.any), all: norm(spec.keyword.all), none: norm(spec.keyword.none), within: spec.within }
  }
  return { kind: 'proximity', words: spec.proximity.words.map(normalizeText), within: spec.proximity.within, side: spec.proximity.side ?? 'either' }
}

const emptyClause = (): Clause => ({ chars: [], codes: [], readings: [], sounds: [], near: [], pinyin: [], droppable: [], loose: new Uint8Array(0), insertAt: [], subsCap: 1 })

function compileForm(source: string): { clauses: Clause[]; length: number } {
  // Normalise each `~`-separated piece so offsets of `~` survive folding.
  const pieces = source.split('~').map((p) => normalizeText(p).replace(/\s+/g, ''))
  const clauses: Clause[] = []
  let current = emptyClause()
  let pendingInsert = false
  let length = 0
  pieces.forEach((piece, p) => {
    if (p > 0) pendingInsert = true
    for (const ch of piece.split('')) {
      if (CLAUSE_BREAK.test(ch)) {
        if (current.chars.length > 0) clauses.push(current)
        current = emptyClause()
        pendingInsert = false
        continue
      }
      if (isFillerChar(ch) && current.chars.length === 0 && clauses.length === 0) continue
      current.chars.push(ch)
      current.insertAt.push(pendingInsert && current.chars.length > 1)
      pendingInsert = false
      length++
    }
  })
  if (current.chars.length > 0) clauses.push(current)
  for (const clause of clauses) {
    clause.codes = clause.chars.map((ch) => ch.charCodeAt(0))
    clause.readings = contextualReadings(clause.chars.join(''))
    clause.sounds = clause.readings.map(homophoneTest)
    clause.near = clause.readings.map(nearHomophoneTest)
    clause.pinyin = clause.readings.map((r) => r.replace(/ü/g, 'v'))
    const words = wordBoundaries(clause.chars.join(''))
    // The word chars[k] is in: [wordStart(k), wordEnd(k)).
    const wordStart = (k: number): number => {
      while (k > 0 && words[k] !== 1) k--
      return k
    }
    const wordEnd = (k: number): number => {
      k++
      while (k < clause.chars.length && words[k] !== 1) k++
      return k
    }
    clause.droppable = clause.chars.map((ch, k) => {
      if (clause.codes[k]! < 0x3400) return false
      // Never right after a negating morpheme: 我不怕投诉 without 怕 is 我不投诉 (别处 may lose 处: 别 is no 不 there).
      if (k > 0 && '不没无未非'.includes(clause.chars[k - 1]!)) return false
      if (DROPPABLE_PARTICLES.includes(ch)) return true
      const a = wordStart(k)
      const b = wordEnd(k)
      // A later syllable of a word (the word's first carries it: 可真会挑 without 可 is a compliment), and not in
      // the clause's first or last word (内部申请 without 部 is 内申请, 申请 within …).
      return b - a > 1 && k > a && a > 0 && b < clause.chars.length
    })
    clause.subsCap = clause.chars.length >= 6 ? 2 : 1
  }
  return { clauses, length }
}

/** Length of the first of `words` that `text` holds at `pos`, or 0. */
function insertedAt(words: readonly string[], text: string, pos: number): number {
  for (const w of words) if (text.startsWith(w, pos)) return w.length
  return 0
}

/** True when some match of `regex` overlaps `[start, end)`; every start position is tried, not only
 * the ends of earlier matches (a match that ends before the hit must not hide one that reaches it). */
function overlaps(regex: RegExp, text: string, start: number, end: number): boolean {
  regex.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = regex.exec(text)) !== null) {
    const a = m.index
    const b = a + m[0].length
    if (a >= end) return false
    if (b > start) return true
    regex.lastIndex = a + 1
  }
  return false
}

function excluded(exclusion: Exclusion, text: string, start: number, end: number): boolean {
  switch (exclusion.kind) {
    case 'regex':
      return overlaps(exclusion.regex, text, start, end) && !(exclusion.unless !== undefined && overlaps(exclusion.unless, text, start, end))
    case 'keyword': {
      const window = exclusion.within === undefined ? text : text.slice(Math.max(0, start - exclusion.within), end + exclusion.within)
      if (exclusion.any.length > 0 && !exclusion.any.some((w) => window.includes(w))) return false
      if (!exclusion.all.every((w) => window.includes(w))) return false
      return !exclusion.none.some((w) => window.includes(w))
    }
    case 'proximity': {
      for (const word of exclusion.words) {
        if (exclusion.side !== 'after' && text.slice(Math.max(0, start - exclusion.within - word.length), start).includes(word)) return true
        if (exclusion.side !== 'before' && text.slice(end, end + exclusion.within + word.length).includes(word)) return true
      }
      return false
    }
  }
}

/** What `subs[from …]` spend of a form's homophones. */
function spent(subs: readonly Substitution[], from: number): number {
  let n = 0
  for (let j = from; j < subs.length; j++) n += subs[j]!.cost
  return n
}

/** One of `subs` is a loose edit (a form holds one at most). */
function hasEdit(subs: readonly Substitution[]): boolean {
  for (let j = 0; j < subs.length; j++) if (subs[j]!.edit) return true
  return false
}

/** `heard` stood for `said` before in this clause (subs from `from`), as a homophone. */
function repeated(text: string, subs: readonly Substitution[], from: number, heard: number, said: string): boolean {
  for (let j = from; j < subs.length; j++) {
    const x = subs[j]!
    if (!x.edit && x.len === 1 && x.expected === said && text.charCodeAt(x.at) === heard) return true
  }
  return false
}

/** Compiles phrase specs (validated with `checkPhraseSpecs`; throws `PhraseSpecError` if invalid). */
export function compilePhrases(specs: readonly PhraseSpec[] | readonly unknown[]): PhraseMatcher {
  const problems = checkPhraseSpecs(specs, 'phrases')
  if (problems.length > 0) throw new PhraseSpecError(problems)
  // Load the jieba dictionary now (≈0.2 s once per process) rather than on the first live hit.
  wordBoundaries('预热')
  const forms: Form[] = []
  ;(specs as PhraseSpec[]).forEach((spec, entry) => {
    const e = typeof spec === 'string' ? { phrase: spec } : spec
    const phrase = e.phrase.replace(/~/g, '')
    const base = (e.exclude ?? []).map(compileExclusion)
    const insertWords = [...new Set([...DEFAULT_INSERT_WORDS, ...(e.insert ?? []).map(normalizeText)])].sort((a, b) => b.length - a.length)
    const variants: VariantSpec[] = [e.phrase, ...(e.variants ?? [])]
    for (const variant of variants) {
      const source = typeof variant === 'string' ? variant : variant.form
      const own = typeof variant === 'string' ? [] : (variant.exclude ?? []).map(compileExclusion)
      const { clauses, length } = compileForm(source)
      if (clauses.length === 0) continue
      const homophones = (e.homophones ?? true) && (length >= 3 || (e.shortHomophones !== undefined && e.shortHomophones !== false && length >= 2))
      const edits = homophones && length >= EDIT_MIN_LENGTH
      const distinct = clauses.reduce((n, c) => n + c.chars.filter((ch) => !COMMON_CHARS.has(ch)).length, 0)
      for (const clause of clauses) {
        clause.loose = new Uint8Array(clause.chars.length)
        if (!homophones || length < 3) continue
        clause.chars.forEach((ch, k) => {
          if (k === 0 && clause === clauses[0]) return
          const left = distinct - (COMMON_CHARS.has(ch) ? 0 : 1)
          const code = ch.charCodeAt(0)
          let bits = CHAR_CLASS[code] !== NEGATION ? UNKNOWN_FOR : 0
          clause.loose[k] = bits
          if (!edits) return
          if (k > 0 && distinct >= EDIT_MIN_DISTINCT) bits |= LOOSE_EXTRA
          if (k > 0 && k < clause.chars.length - 1 && clause.droppable[k] && CHAR_CLASS[code] === 0 && left >= EDIT_MIN_DISTINCT) bits |= LOOSE_DROP
          if (k > 0 && CHAR_CLASS[code] !== NEGATION && left >= 1) bits |= LOOSE_NEAR
          clause.loose[k] = bits
        })
      }
      forms.push({
        id: forms.length,
        entry,
        phrase,
        clauses,
        homophones,
        subsAllowed: homophones ? Math.max(1, clauses.reduce((n, c) => n + (c.chars.length >= 6 ? 2 : c.chars.length >= 3 ? 1 : 0), 0)) : 0,
        homophoneAtClauseEnd: length < 3 && e.shortHomophones === 'clause-end',
        edits,
        distinct,
        clauseGap: e.clauseGap ?? DEFAULT_CLAUSE_GAP,
        insertWords,
        exclusions: [...base, ...own],
        length,
        keys: Uint16Array.from(new Set(clauses.flatMap((c) => c.chars).slice(1).map((ch) => indexChar(ch.charCodeAt(0))))),
      })
    }
  })
  // Pattern forms (`patterns:`): a grammatical frame rather than a string (a count of repetitions, a
  // doubled refusal); run on the normalised text, their matches go through the same exclusions.
  const patternForms: Form[] = []
  const alwaysPatterns: number[] = []
  ;(specs as PhraseSpec[]).forEach((spec, entry) => {
    if (typeof spec === 'string' || spec.patterns === undefined) return
    const base = (spec.exclude ?? []).map(compileExclusion)
    for (const source of spec.patterns) {
      const folded = foldRegexSource(source)
      const form: Form = { id: -1, entry, phrase: spec.phrase.replace(/~/g, ''), clauses: [], homophones: false, subsAllowed: 0, edits: false, distinct: 0, homophoneAtClauseEnd: false, clauseGap: 0, insertWords: [], exclusions: base, length: 0, keys: new Uint16Array(0), regex: new RegExp(folded, 'gu') }
      const trigger = patternTrigger(folded)
      if (trigger !== undefined) form.trigger = trigger.map((sets) => sets.map((set) => set.map(indexChar)))
      patternForms.push(form)
    }
  })
  // Pattern forms indexed by the rarest trigger set of each alternative: only a pattern one of whose
  // index characters is in the utterance is looked at (a few, not every pattern of the rulebook).
  const patternSlotOf = new Map<number, number>()
  const patternLists: number[][] = [[]]
  patternForms.forEach((form, k) => {
    const index = form.trigger === undefined ? undefined : new Set(form.trigger.flatMap((alt) => [...alt[0]!]))
    if (index === undefined) {
      alwaysPatterns.push(k)
      return
    }
    for (const d of index) {
      let slot = patternSlotOf.get(d)
      if (slot === undefined) {
        slot = patternLists.length
        patternSlotOf.set(d, slot)
        patternLists.push([])
      }
      patternLists[slot]!.push(k)
    }
  })
  const patternSeen = new Uint32Array(patternForms.length)
  // Anchor lists by UTF-16 code unit: slot 0 means "no form starts here" (an array index per character
  // of every utterance, not a Map lookup).
  const anchorSlotOf = new Map<number, number>()
  const anchorLists: Anchor[][] = [[]]
  const addAnchor = (ch: string, anchor: Anchor): void => {
    const d = indexChar(ch.charCodeAt(0))
    let slot = anchorSlotOf.get(d)
    if (slot === undefined) {
      slot = anchorLists.length
      anchorSlotOf.set(d, slot)
      anchorLists.push([])
    }
    anchorLists[slot]!.push(anchor)
  }
  for (const form of forms) {
    const first = form.clauses[0]!
    addAnchor(first.chars[0]!, { form, offset: 0 })
    if (form.homophones && first.chars.length >= 2) addAnchor(first.chars[1]!, { form, offset: 1 })
  }
  // By dense character index (0: none here); characters indexed after this matcher was compiled lie past
  // the end (undefined: no slot).
  const anchorSlot = new Uint16Array(indexedChars + 1)
  for (const [d, slot] of anchorSlotOf) anchorSlot[d] = slot
  // The anchors of slot s, flat: anchorForm[anchorFrom[s]] … (form index) with their offsets.
  const anchorFrom = new Uint32Array(anchorLists.length + 1)
  const anchorForm = new Uint32Array(anchorLists.reduce((n, l) => n + l.length, 0))
  const anchorOffset = new Uint8Array(anchorForm.length)
  anchorLists.forEach((list, slot) => {
    let a = anchorFrom[slot]!
    for (const anchor of list) {
      anchorForm[a] = anchor.form.id
      anchorOffset[a++] = anchor.offset
    }
    anchorFrom[slot + 1] = a
  })
  const patternSlot = new Uint16Array(indexedChars + 1)
  for (const [d, slot] of patternSlotOf) patternSlot[d] = slot
  // The pattern lists flat (the patterns of slot s: patternIdx[patternFrom[s]] …), and every trigger in one
  // array: per pattern k from triggerFrom[k], [alternatives, then per alternative: sets, then per set: its
  // size and its characters]; none (triggerFrom[k] === triggerFrom[k + 1]): always run. Checked for ~25
  // candidates an utterance, so it reads neighbouring memory instead of arrays of arrays.
  const patternFrom = new Uint32Array(patternLists.length + 1)
  const patternIdx = new Uint32Array(patternLists.reduce((n, l) => n + l.length, 0))
  patternLists.forEach((list, slot) => {
    patternIdx.set(list, patternFrom[slot]!)
    patternFrom[slot + 1] = patternFrom[slot]! + list.length
  })
  const triggerWords: number[] = []
  const triggerFrom = new Uint32Array(patternForms.length + 1)
  patternForms.forEach((form, k) => {
    if (form.trigger !== undefined) {
      triggerWords.push(form.trigger.length)
      for (const sets of form.trigger) {
        triggerWords.push(sets.length)
        for (const set of sets) triggerWords.push(set.length, ...set)
      }
    }
    triggerFrom[k + 1] = triggerWords.length
  })
  const triggerCode = Uint16Array.from(triggerWords)

  // Text is read by code unit (charCodeAt): `text[i]` would make a one-character string per look.
  function matchClause(text: string, clause: Clause, from: number, form: Form, subs: RawHit['substitutions'], subsAllowed: boolean): number {
    let pos = from
    // This clause's own homophones: at most its cap, and the form's in all.
    const subsBefore = subs.length
    const n = text.length
    const codes = clause.codes
    for (let k = 0; k < codes.length; k++) {
      const expected = codes[k]!
      if (k > 0) {
        let fillers = 0
        let words = 0
        let stuttered = false
        const gapFrom = pos
        const afterNegation = codes[k - 1] === BU || codes[k - 1] === MEI
        for (;;) {
          if (pos >= n) break
          const ch = text.charCodeAt(pos)
          if (ch === expected) break
          if (fillers < MAX_FILLERS_IN_GAP && (ch === SPACE || isFillerCode(ch))) {
            pos++
            fillers++
            continue
          }
          // A hesitation inside a phrase, with its pauses (找那个,领导去; 我那个解决不了; 不知,呃,道): 那个 and the commas an
          // ASR puts around 那个 or a hesitation sound are the hesitation's, not a clause break. Not after a particle
          // (去吧,联通 ends its clause), nor right after a leading 不/没 (不,呃,行吧 answers no, then agrees).
          if (fillers < MAX_FILLERS_IN_GAP && !afterNegation && ch === COMMA && (HESITATION_CODES.has(text.charCodeAt(pos - 1)) || HESITATION_CODES.has(text.charCodeAt(pos + 1)) || (text.charCodeAt(pos + 1) === NA && text.charCodeAt(pos + 2) === GE) || (text.charCodeAt(pos - 1) === GE && text.charCodeAt(pos - 2) === NA && pos - 2 >= gapFrom))) {
            pos++
            fillers++
            continue
          }
          // 那个 inline, in a phrase of 3 characters or more: inside a word of two (你那个好…) it is the demonstrative.
          if (fillers < MAX_FILLERS_IN_GAP - 1 && !afterNegation && ch === NA && text.charCodeAt(pos + 1) === GE && codes.length >= 3) {
            pos += 2
            fillers += 2
            continue
          }
          // A stutter: the one to three syllables just said, said again right before the next one (我解决解决不了,
          // 不知知道), once.
          if (!stuttered) {
            const j = repeatedBefore(text, pos, Math.min(MAX_STUTTER, pos - from), expected)
            if (j > 0) {
              pos += j
              stuttered = true
              continue
            }
          }
          if (clause.insertAt[k] && words < MAX_WORDS_AT_INSERT) {
            const word = insertedAt(form.insertWords, text, pos)
            if (word > 0) {
              pos += word
              words++
              continue
            }
          }
          break
        }
      }
      if (pos >= n) return -1
      const ch = text.charCodeAt(pos)
      if (ch !== expected) {
        if (!subsAllowed) return -1
        const said = clause.chars[k]!
        if (subs.length > 0) {
          // The same mishearing again in this clause (布行布行 for 不行不行): an ASR hears one syllable one way.
          if (subs.length > subsBefore && repeated(text, subs, subsBefore, ch, said)) {
            subs.push({ at: pos, len: 1, expected: said, cost: 0, edit: false })
            pos++
            continue
          }
          if (spent(subs, 0) >= form.subsAllowed || spent(subs, subsBefore) >= clause.subsCap) return -1
        }
        if (clause.sounds[k]!(ch)) {
          subs.push({ at: pos, len: 1, expected: said, cost: 1, edit: false })
          pos++
          continue
        }
        // The syllable spelled in Latin letters (不zhi道, 我解决bu了): a homophone too. One syllable: a form spelled
        // out further (不zhidao) misses more of its key characters than the prefilter lets by.
        if (isLatin(ch)) {
          const reading = clause.pinyin[k]!
          if (!spelledAt(text, pos, reading)) return -1
          subs.push({ at: pos, len: reading.length, expected: said, cost: 1, edit: false })
          pos += reading.length
          continue
        }
        const loose = clause.loose[k]!
        // A syllable the ASR could not make out (不□道, 找领*去), or an extra mark before the expected one (找领导□去).
        if (CHAR_CLASS[ch] === UNKNOWN_MARK) {
          if (loose & LOOSE_EXTRA && text.charCodeAt(pos + 1) === expected && !hasEdit(subs)) {
            subs.push({ at: pos, len: 1, expected: '', cost: 1, edit: true })
            pos += 2
          } else if (loose & UNKNOWN_FOR) {
            subs.push({ at: pos, len: 1, expected: said, cost: 1, edit: false })
            pos++
          } else return -1
          continue
        }
        // One loose edit in a long form (see `loose`), after its first character: never a negation heard.
        if ((loose & ~UNKNOWN_FOR) === 0 || CHAR_CLASS[ch] === NEGATION || hasEdit(subs)) return -1
        // A dropped character (找领去, 不满意到别问): the next one is here.
        if (loose & LOOSE_DROP && ch === codes[k + 1]) {
          subs.push({ at: pos, len: 0, expected: said, cost: 1, edit: true })
          continue
        }
        // An extra character (不关我们的事): the expected one follows it; an insertable word is no extra one (不办就不办).
        if (loose & LOOSE_EXTRA && ch >= 0x3400 && CHAR_CLASS[ch] === 0 && text.charCodeAt(pos + 1) === expected) {
          subs.push({ at: pos, len: 1, expected: '', cost: 1, edit: true })
          pos += 2
          continue
        }
        // A near-homophone (我解决不鸟 for 我解决不了: n/l, 长话短缩: sh/s).
        if (loose & LOOSE_NEAR && clause.near[k]!(ch)) {
          subs.push({ at: pos, len: 1, expected: said, cost: 1, edit: true })
          pos++
          continue
        }
        return -1
      }
      pos++
    }
    return pos
  }

  function matchForm(text: string, form: Form, start: number): RawHit | undefined {
    const subs: RawHit['substitutions'] = []
    let pos = matchClause(text, form.clauses[0]!, start, form, subs, form.homophones)
    if (pos < 0) return undefined
    for (let c = 1; c < form.clauses.length; c++) {
      const clause = form.clauses[c]!
      const first = clause.codes[0]!
      // Between clauses: punctuation, spaces and fillers are free (up to MAX_FREE_BETWEEN_CLAUSES),
      // any other character counts against clauseGap.
      let next = -1
      let others = 0
      let free = 0
      for (let q = pos; q < text.length; q++) {
        const ch = text.charCodeAt(q)
        // The clause may open on its one same-sound character (有意见,搞去 for 告去).
        if (ch !== first && !(form.homophones && spent(subs, 0) < form.subsAllowed && clause.sounds[0]!(ch))) {
          if (isClauseBreak(ch) || ch === SPACE || isFillerCode(ch)) {
            if (++free > MAX_FREE_BETWEEN_CLAUSES) break
          } else if (++others > form.clauseGap) break
          continue
        }
        const tried = subs.slice()
        const end = matchClause(text, clause, q, form, tried, form.homophones)
        if (end >= 0) {
          subs.length = 0
          subs.push(...tried)
          next = end
          break
        }
        if (++others > form.clauseGap) break
      }
      if (next < 0) return undefined
      pos = next
    }
    return { form, start, end: pos, substitutions: subs }
  }

  /** True when the hit starts and ends on word boundaries (see spec.ts). */
  function onWordBoundaries(text: string, hit: RawHit): boolean {
    const from = Math.max(0, hit.start - SEGMENT_CONTEXT)
    const to = Math.min(text.length, hit.end + SEGMENT_CONTEXT)
    let window = text.slice(from, to)
    const start = hit.start - from
    let end = hit.end - from
    // The boundaries of what the form says: its characters in place of what was heard (edits change the length).
    let wStart = start
    let wEnd = end
    if (hit.substitutions.length > 0) {
      let rewritten = ''
      let q = from
      for (const s of [...hit.substitutions].sort((a, b) => a.at - b.at)) {
        rewritten += text.slice(q, s.at) + s.expected
        q = s.at + s.len
      }
      window = rewritten + text.slice(q, to)
      wEnd = end + window.length - (to - from)
    }
    const flags = wordBoundaries(window)
    if (hit.substitutions.length > 0) {
      // The heard character must not belong to a word of its own that reaches outside the hit
      // (下一步知道 is 下一步 + 知道, not 不知道); nor an extra one (不关它们的事).
      const heard = wordBoundaries(text.slice(from, to))
      for (const s of hit.substitutions) {
        if (s.len === 0) continue
        let a = s.at - from
        while (a > 0 && heard[a] !== 1) a--
        let b = s.at - from + s.len
        while (b < heard.length - 1 && heard[b] !== 1) b++
        if (a < start || b > end) return false
        // A heard word of three characters or more that is a fixed expression or an adverb of its own (动不动 is "at
        // every turn", not 懂不懂): the words said, not a mishearing of the form.
        if (b - a >= 3 && fixedExpressionAt(text.slice(from, to), a, b)) return false
        // An extra character is an ASR's only as a particle or a syllable of a word with its neighbour (不关我们的事,
        // 投诉又能怎么样): a word of its own is something else said (给您把优惠保留 is not 给您优惠).
        if (s.expected === '' && b - a === 1 && !EXTRA_PARTICLES.includes(text[s.at]!) && CHAR_CLASS[text.charCodeAt(s.at)] !== UNKNOWN_MARK) return false
      }
      // A 2-character form heard as one word of its own is that word (步行 is walking, not 不行).
      if (hit.form.homophoneAtClauseEnd && heard[start] === 1 && (end >= heard.length || heard[end] === 1)) {
        let inside = false
        for (let k = start + 1; k < end; k++) if (heard[k] === 1) inside = true
        if (!inside) return false
      }
    }
    end = wEnd
    if (flags[wStart] !== 1) {
      // A word straddling the start is allowed only as adverb + 不/没 (并不知道, 绝不/行, 也没办法):
      // the hit still says what it says. 行不行 or 所有/意见 are other words.
      const lead = window[wStart]
      if (lead !== '不' && lead !== '没') return false
      let wordStart = wStart
      while (wordStart > 0 && flags[wordStart] !== 1) wordStart--
      for (let k = wordStart; k < wStart; k++) if (!ADVERB_PREFIX.includes(window[k]!)) return false
    }
    if (flags[end] !== 1) {
      // the word crossing the end: allowed only if what it adds is a soft tail (儿, 了, particles)
      let k = end
      while (k < window.length && flags[k] !== 1) {
        if (!SOFT_TAIL.includes(window[k]!)) return false
        k++
      }
    }
    return true
  }

  // The forms' key characters in one array (keys of form f: keyData[keyFrom[f]] … keyData[keyFrom[f + 1] - 1])
  // and how many may be missing: the check runs for ~100 forms an utterance, so it reads neighbouring
  // memory rather than one object per form.
  const keyFrom = new Uint32Array(forms.length + 1)
  const keyData = new Uint16Array(forms.reduce((n, f) => n + f.keys.length, 0))
  const missAllowed = new Uint8Array(forms.length)
  // The first character of each form, and its homophone test (anchors one character late).
  const firstCode = Uint16Array.from(forms, (form) => form.clauses[0]!.codes[0]!)
  const firstSounds = forms.map((form) => form.clauses[0]!.sounds[0]!)
  const firstPinyin = forms.map((form) => form.clauses[0]!.pinyin[0]!)
  // Rarest key first, so an impossible form fails on its first look: a character in many of the forms (不,
  // 我, 您) is likely common in speech too.
  // A character common in speech (pattern-trigger.ts) counts as used by every form: it rules out little.
  const keyUses = new Map<number, number>()
  for (const form of forms) for (const k of form.keys) keyUses.set(k, (keyUses.get(k) ?? 0) + 1)
  for (const ch of COMMON_CHARS) {
    const d = charIndex[ch.charCodeAt(0)]!
    if (d !== 0 && keyUses.has(d)) keyUses.set(d, keyUses.get(d)! + forms.length)
  }
  forms.forEach((form, f) => {
    keyData.set([...form.keys].sort((a, b) => keyUses.get(a)! - keyUses.get(b)! || a - b), keyFrom[f]!)
    keyFrom[f + 1] = keyFrom[f]! + form.keys.length
    missAllowed[f] = form.subsAllowed
  })
  // Forms by their rarest key (and, for a form that allows homophones, as many more of its rarest, since the
  // rarest may be the one misheard): a form none of whose index keys is in the utterance is impossible, so
  // possible() runs only for the forms under the utterance's own characters (a dozen, not every form
  // anchored on 不 or 您). Forms that cannot be ruled out by a key (no keys, or one key that may be misheard)
  // are always checked.
  const keySlotOf = new Map<number, number[]>()
  const alwaysChecked: number[] = []
  forms.forEach((_, f) => {
    const n = keyFrom[f + 1]! - keyFrom[f]!
    if (n <= missAllowed[f]!) {
      alwaysChecked.push(f)
      return
    }
    // Its rarest missAllowed + 1 keys: one of them is heard whichever are misheard.
    const by = [...keyData.subarray(keyFrom[f]!, keyFrom[f]! + missAllowed[f]! + 1)]
    for (const d of by) {
      const list = keySlotOf.get(d)
      if (list) list.push(f)
      else keySlotOf.set(d, [f])
    }
  })
  const keySlot = new Uint16Array(indexedChars + 1)
  const keyListFrom = new Uint32Array(keySlotOf.size + 2)
  const keyListForms = new Uint32Array([...keySlotOf.values()].reduce((n, l) => n + l.length, 0))
  ;[...keySlotOf].forEach(([d, list], i) => {
    keySlot[d] = i + 1
    keyListForms.set(list, keyListFrom[i + 1]!)
    keyListFrom[i + 2] = keyListFrom[i + 1]! + list.length
  })
  const alwaysCheckedForms = Uint32Array.from(alwaysChecked)

  // possible() per form, once per utterance: checkedAt[f] === stamp when possibleNow[f] is this utterance's answer
  // (a form anchored on a frequent character is asked at each of its occurrences).
  const checkedAt = new Uint32Array(forms.length)
  const possibleNow = new Uint8Array(forms.length)
  // Per anchor slot: slotLiveAt[slot] === stamp when one of its forms is possible in this utterance (set
  // by the pass over the possible forms), so a position whose character anchors only impossible forms
  // costs one look. The slots each form is anchored in (its first character; its second too when the
  // first may be a homophone):
  const slotLiveAt = new Uint32Array(anchorLists.length)
  const formSlotA = new Uint16Array(forms.length)
  const formSlotB = new Uint16Array(forms.length)
  anchorLists.forEach((list, slot) => {
    for (const anchor of list) {
      if (anchor.offset === 0) formSlotA[anchor.form.id] = slot
      else formSlotB[anchor.form.id] = slot
    }
  })
  /** possible(f), and when it is, marks the slots f is anchored in as live for this utterance. */
  // Whether decide() found a possible form in the current call: most utterances have none for most rules,
  // and then their characters need no scan.
  let anyLive = false
  function decide(f: number): void {
    if (checkedAt[f] === stamp) {
      if (possibleNow[f] === 1) anyLive = true
      return
    }
    if (!possible(f)) return
    anyLive = true
    slotLiveAt[formSlotA[f]!] = stamp
    if (formSlotB[f] !== 0) slotLiveAt[formSlotB[f]!] = stamp
  }
  let memoGeneration = generation
  // Pattern candidates collected once per call: patternSeen[k] === call (its own counter, since two calls
  // on the same text share a stamp).
  let call = 0

  /** Whether every key character of form `f` is in the utterance (one may be missing when it allows a homophone). */
  function possible(f: number): boolean {
    if (checkedAt[f] === stamp) return possibleNow[f] === 1
    checkedAt[f] = stamp
    let missing = 0
    const allowed = missAllowed[f]!
    const end = keyFrom[f + 1]!
    for (let k = keyFrom[f]!; k < end; k++) {
      if (seen[keyData[k]!] !== stamp && ++missing > allowed) {
        possibleNow[f] = 0
        return false
      }
    }
    possibleNow[f] = 1
    return true
  }

  /** Whether some alternative of pattern k's trigger has a character of each of its sets here (see pattern-trigger.ts). */
  function triggered(k: number): boolean {
    let p = triggerFrom[k]!
    if (p === triggerFrom[k + 1]) return true
    const code = triggerCode
    let alternatives = code[p++]!
    while (alternatives-- > 0) {
      let sets = code[p++]!
      let all = true
      while (sets-- > 0) {
        const size = code[p++]!
        if (all) {
          let any = false
          for (let j = p; j < p + size; j++) {
            if (seen[code[j]!] === stamp) {
              any = true
              break
            }
          }
          all = any
        }
        p += size
      }
      if (all) return true
    }
    return false
  }

  // Pattern candidates of the current call (reused: matchNormalized runs for every utterance and rule).
  const candidates: number[] = []

  /** Every occurrence that passes its checks, overlapping ones included, longest first (null: none). */
  function rankedHits(norm: NormalizedText): RawHit[] | null {
    const text = norm.text
    let hits: RawHit[] | null = null
    markText(text)
    if (memoGeneration !== generation) {
      checkedAt.fill(0)
      slotLiveAt.fill(0)
      memoGeneration = generation
    }
    const index = textIndex
    // Which forms are possible here, decided for the forms indexed under the text's characters only:
    // every other form is impossible (live(f) below reads the answer).
    const liveStamp = stamp
    anyLive = false
    for (let k = 0; k < alwaysCheckedForms.length; k++) decide(alwaysCheckedForms[k]!)
    for (let p = 0; p < presentCount; p++) {
      const ks = keySlot[present[p]!]
      if (ks === undefined || ks === 0) continue
      const end = keyListFrom[ks + 1]!
      for (let a = keyListFrom[ks]!; a < end; a++) decide(keyListForms[a]!)
    }
    if (anyLive) for (let i = 0; i < text.length; i++) {
      const slot = anchorSlot[index[i]!]
      if (slot === undefined || slot === 0) continue
      if (slotLiveAt[slot] !== liveStamp) continue
      const end = anchorFrom[slot + 1]!
      for (let a = anchorFrom[slot]!; a < end; a++) {
        const f = anchorForm[a]!
        if (checkedAt[f] !== liveStamp || possibleNow[f] === 0) continue
        const offset = anchorOffset[a]!
        let start = i - offset
        if (start < 0) continue
        if (offset === 1) {
          const heard = text.charCodeAt(start)
          if (isLatin(heard)) {
            // The first syllable spelled in Latin letters (bu知道): the hit starts where the spelling does.
            const reading = firstPinyin[f]!
            start = i - reading.length
            if (start < 0 || !spelledAt(text, start, reading)) continue
          } else if (heard === firstCode[f] || !firstSounds[f]!(heard)) continue
        }
        const hit = matchForm(text, forms[f]!, start)
        if (hit !== undefined) (hits ??= []).push(hit)
      }
    }
    candidates.length = 0
    for (const k of alwaysPatterns) candidates.push(k)
    if (patternForms.length > 0) {
      if (call === 0xffffffff) {
        patternSeen.fill(0)
        call = 0
      }
      call++
      for (let i = 0; i < text.length; i++) {
        const slot = patternSlot[index[i]!]
        if (slot === undefined || slot === 0) continue
        const end = patternFrom[slot + 1]!
        for (let a = patternFrom[slot]!; a < end; a++) {
          const k = patternIdx[a]!
          if (patternSeen[k] === call) continue
          patternSeen[k] = call
          candidates.push(k)
        }
      }
    }
    for (const k of candidates) {
      const form = patternForms[k]!
      if (!triggered(k)) continue
      const regex = form.regex!
      regex.lastIndex = 0
      let m: RegExpExecArray | null
      while ((m = regex.exec(text)) !== null) {
        if (m[0].length === 0) {
          regex.lastIndex++
          continue
        }
        ;(hits ??= []).push({ form, start: m.index, end: m.index + m[0].length, substitutions: [] })
      }
    }
    if (hits === null) return null
    const kept = hits.filter(
      (hit) =>
        (hit.form.regex !== undefined || onWordBoundaries(text, hit)) &&
        (!hit.form.homophoneAtClauseEnd || hit.substitutions.length === 0 || CLAUSE_END_AFTER.test(text.slice(hit.end, hit.end + 4))) &&
        !hit.form.exclusions.some((x) => excluded(x, text, hit.start, hit.end)),
    )
    // Longest first: where occurrences overlap, the longer phrase says more of what was said.
    kept.sort((a, b) => b.end - b.start - (a.end - a.start) || b.form.length - a.form.length || a.start - b.start)
    return kept
  }

  const publicMatch = (norm: NormalizedText, hit: RawHit): PhraseMatch => ({
    phrase: hit.form.phrase,
    index: hit.form.entry,
    start: norm.starts[hit.start]!,
    end: norm.ends[hit.end - 1]!,
    nStart: hit.start,
    nEnd: hit.end,
  })

  function matchNormalized(norm: NormalizedText): PhraseMatch[] {
    const kept = rankedHits(norm)
    if (kept === null || kept.length === 0) return NO_MATCHES
    const chosen: RawHit[] = []
    for (const hit of kept) {
      if (chosen.every((c) => hit.end <= c.start || hit.start >= c.end)) chosen.push(hit)
    }
    chosen.sort((a, b) => a.start - b.start)
    return chosen.map((hit) => publicMatch(norm, hit))
  }

  function matchRanked(norm: NormalizedText): PhraseMatch[] {
    const kept = rankedHits(norm)
    if (kept === null || kept.length === 0) return NO_MATCHES
    return kept.map((hit) => publicMatch(norm, hit))
  }

  return {
    match: (text: string) => matchNormalized(normalizeWithMap(text)),
    matchNormalized,
    matchRanked,
  }
}

/** The word [a, b) of `window`, as the segmenter tags it, is an idiom, a fixed expression or an adverb (动不动/l). */
function fixedExpressionAt(window: string, a: number, b: number): boolean {
  const w = tagWords(window).find((x) => x.start === a && x.start + x.word.length === b)
  return w !== undefined && /^(l|i|d)$/.test(w.tag)
}
