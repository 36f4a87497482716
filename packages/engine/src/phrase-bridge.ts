/**
 * The one seam between the rule engine and the text/phrase layer (src/text, src/phrases: normalisation,
 * masking, phrase matching). The rules import these from here only.
 */
import { compilePhrases, checkPhraseSpecs as checkSpecs, type PhraseMatch, type PhraseMatcher as Matcher } from './phrases/index.js'
import { DIGIT_CHARS, maskPersonalData as maskDigits, normalizeWithMap, type NormalizedText } from './text/index.js'
export { normalizeText, normalizeWithMap, countSpokenChars, type NormalizedText } from './text/index.js'

// Every number the mask hides (mobile 11, card 13-19, ID 18 digits) has at least 11 digit characters
// (ASCII, full-width, spoken or formal numerals: DIGIT_CHARS). Most utterances have fewer: they skip the mask's scan.
const MIN_MASKED_DIGITS = 11
// One bit per code unit (8 KB: stays in cache; read for every character of every utterance).
const DIGITISH = new Uint32Array(0x10000 >>> 5)
for (const ch of DIGIT_CHARS) DIGITISH[ch.charCodeAt(0) >>> 5]! |= 1 << (ch.charCodeAt(0) & 31)

/** Masks mobile, ID and bank card numbers (length-preserving: offsets stay valid). */
export function maskPersonalData(text: string): string {
  let digits = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if ((DIGITISH[code >>> 5]! >>> (code & 31)) & 1 && ++digits >= MIN_MASKED_DIGITS) return maskDigits(text)
  }
  return text
}

/** One occurrence of a listed phrase: `text.slice(start, end)` is what was said. */
export type PhraseHit = PhraseMatch

export interface PhraseMatcher {
  /** Non-overlapping hits (longest phrase wins where listed phrases overlap), in text order. */
  match(text: string): PhraseHit[]
  /** Same over text normalised once with `normalizeWithMap` (shared by every rule of an utterance). */
  matchNormalized(norm: NormalizedText): PhraseHit[]
  /** Every hit, overlapping ones included, longest first (see phrases/matcher.ts). */
  matchRanked(norm: NormalizedText): PhraseHit[]
}

/** Problems of a `phrases:` list, with paths under `path` (e.g. `rules.x.phrases[3].variants[0]`). */
export function checkPhraseSpecs(value: unknown, path: string): { path: string; message: string }[] {
  return checkSpecs(value, path)
}

export function compilePhraseMatcher(specs: unknown[]): PhraseMatcher {
  const matcher: Matcher = compilePhrases(specs)
  return matcher
}

/** A matcher compiled on its first use (a rule whose matcher `compilePhraseGroup` replaces never pays for its own). */
export function lazyPhraseMatcher(specs: unknown[]): PhraseMatcher {
  let matcher: Matcher | undefined
  const get = (): Matcher => (matcher ??= compilePhrases(specs))
  return {
    match: (text) => get().match(text),
    matchNormalized: (norm) => get().matchNormalized(norm),
    matchRanked: (norm) => get().matchRanked(norm),
  }
}

const NO_HITS: PhraseHit[] = Object.freeze([]) as unknown as PhraseHit[]

/**
 * One matcher over several phrase lists (the lexicon rules that judge the same speaker): the index
 * pass over an utterance's characters runs once for all of them instead of once per rule, and its
 * answer is kept for the utterance (the same `NormalizedText` object). Each list gets a view that
 * answers exactly as a matcher of that list alone would: its own hits, `index` into its own list,
 * in the same order (the ranking is by length, then form length, then position, and stable).
 */
export function compilePhraseGroup(lists: readonly unknown[][]): PhraseMatcher[] {
  const group: Matcher = compilePhrases(lists.flat())
  let lastNorm: NormalizedText | undefined
  let lastHits: PhraseHit[] = NO_HITS
  const ranked = (norm: NormalizedText): PhraseHit[] => {
    if (norm !== lastNorm) {
      lastHits = group.matchRanked(norm)
      lastNorm = norm
    }
    return lastHits
  }
  let from = 0
  return lists.map((list) => {
    const lo = from
    const hi = (from += list.length)
    const own = (norm: NormalizedText): PhraseHit[] => {
      const all = ranked(norm)
      if (all.length === 0) return NO_HITS
      let out: PhraseHit[] | undefined
      for (const h of all) if (h.index >= lo && h.index < hi) (out ??= []).push({ ...h, index: h.index - lo })
      return out ?? NO_HITS
    }
    const matchNormalized = (norm: NormalizedText): PhraseHit[] => {
      const hits = own(norm)
      if (hits.length === 0) return NO_HITS
      // As the matcher's own: the longest first, each kept unless it overlaps one kept before, in text order.
      const chosen: PhraseHit[] = []
      for (const hit of hits) if (chosen.every((c) => hit.nEnd <= c.nStart || hit.nStart >= c.nEnd)) chosen.push(hit)
      return chosen.sort((a, b) => a.nStart - b.nStart)
    }
    return { matchRanked: own, matchNormalized, match: (text: string) => matchNormalized(normalizeWithMap(text)) }
  })
}
