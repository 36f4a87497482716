/**
 * The one seam between the rule engine and the text/phrase layer (src/text, src/phrases: normalisation,
 * masking, phrase matching). The rules import these from here only.
 */
import { compilePhrases, checkPhraseSpecs as checkSpecs, type PhraseMatch, type PhraseMatcher as Matcher } from './phrases/index.js'
export { normalizeText, normalizeWithMap, maskPersonalData, countSpokenChars, type NormalizedText } from './text/index.js'
import type { NormalizedText } from './text/index.js'

/** One occurrence of a listed phrase: `text.slice(start, end)` is what was said. */
export type PhraseHit = PhraseMatch

export interface PhraseMatcher {
  /** Non-overlapping hits (longest phrase wins where listed phrases overlap), in text order. */
  match(text: string): PhraseHit[]
  /** Same over text normalised once with `normalizeWithMap` (shared by every rule of an utterance). */
  matchNormalized(norm: NormalizedText): PhraseHit[]
}

/** Problems of a `phrases:` list, with paths under `path` (e.g. `rules.x.phrases[3].variants[0]`). */
export function checkPhraseSpecs(value: unknown, path: string): { path: string; message: string }[] {
  return checkSpecs(value, path)
}

export function compilePhraseMatcher(specs: unknown[]): PhraseMatcher {
  const matcher: Matcher = compilePhrases(specs)
  return matcher
}
