/**
 * The one seam between the rule engine and the text/phrase layer (normalisation, masking, phrase
 * matching). Everything in the engine that needs them imports from here.
 */
import * as text from './interim/text.js'

export const normalizeText: (text: string) => string = text.normalizeText
export const maskPersonalData: (text: string) => string = text.maskPersonalData
export const countSpokenChars: (text: string) => number = text.countSpokenChars

/** One occurrence of a listed phrase: `text.slice(start, end)` is what was said. */
export interface PhraseHit {
  /** Canonical phrase (the list entry's `phrase`). */
  phrase: string
  /** Index of the phrase in the rule's list (stable finding ids). */
  index: number
  start: number
  end: number
}

export interface PhraseMatcher {
  /** Non-overlapping hits (longest phrase wins where listed phrases overlap), in text order. */
  match(text: string): PhraseHit[]
}

export function checkPhraseSpecs(value: unknown, path: string): { path: string; message: string }[] {
  return text.checkPhraseSpecs(value, path)
}

export function compilePhraseMatcher(specs: unknown[]): PhraseMatcher {
  const list = specs as (string | text.InterimPhraseSpec)[]
  const indexOf = new Map<string, number>()
  list.forEach((s, i) => {
    const p = typeof s === 'string' ? s : s.phrase
    if (!indexOf.has(p)) indexOf.set(p, i)
  })
  const compiled = text.compilePhrases(list)
  return {
    match(t: string): PhraseHit[] {
      return compiled.match(t).map((h) => ({ phrase: h.phrase, index: indexOf.get(h.phrase) ?? 0, start: h.start, end: h.end }))
    },
  }
}
