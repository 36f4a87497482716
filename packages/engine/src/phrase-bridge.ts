/**
 * The one seam between the rule engine and the text/phrase layer (src/text, src/phrases: normalisation,
 * masking, phrase matching). The rules import these from here only.
 */
import { compilePhrases, checkPhraseSpecs as checkSpecs, type PhraseMatch, type PhraseMatcher as Matcher } from './phrases/index.js'
import { DIGIT_CHARS, maskPersonalData as maskDigits, type NormalizedText } from './text/index.js'
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
