/**
 * TEMPORARY stand-ins for engine-phrases' `src/text` and `src/phrases` (normalisation, masking, phrase
 * matching). Deleted once those land; nothing outside `src/interim` and `src/phrase-bridge.ts` imports this.
 */

/** Han characters, digits and Latin words count one each; punctuation and spaces do not. */
export function countSpokenChars(text: string): number {
  let count = 0
  let inWord = false
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2ffff)) {
      count++
      inWord = false
    } else if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0xff10 && cp <= 0xff19)) {
      count++
      inWord = false
    } else if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
      if (!inWord) count++
      inWord = true
    } else {
      inWord = false
    }
  }
  return count
}

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')
}

/** Length-preserving: every masked character becomes `*`, so offsets into the text stay valid. */
export function maskPersonalData(text: string): string {
  return text
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => m.slice(0, 3) + '****' + m.slice(7))
    .replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, (m) => m.slice(0, 6) + '*'.repeat(8) + m.slice(14))
    .replace(/(?<!\d)\d{16,19}(?!\d)/g, (m) => m.slice(0, 4) + '*'.repeat(m.length - 8) + m.slice(-4))
}

export interface InterimPhraseSpec {
  phrase: string
  variants?: string[]
}

export function checkPhraseSpecs(value: unknown, path: string): { path: string; message: string }[] {
  if (!Array.isArray(value)) return [{ path, message: `must be a list of phrases, got ${JSON.stringify(value)}` }]
  const problems: { path: string; message: string }[] = []
  value.forEach((entry, i) => {
    if (typeof entry === 'string') {
      if (!entry.trim()) problems.push({ path: `${path}[${i}]`, message: 'must not be empty' })
      return
    }
    if (entry === null || typeof entry !== 'object' || typeof (entry as InterimPhraseSpec).phrase !== 'string') {
      problems.push({ path: `${path}[${i}]`, message: `must be a phrase or {phrase, variants}, got ${JSON.stringify(entry)}` })
    }
  })
  return problems
}

export interface InterimHit {
  phrase: string
  start: number
  end: number
}

export function compilePhrases(specs: (string | InterimPhraseSpec)[]): { match(text: string): InterimHit[] } {
  const forms: { form: string; phrase: string }[] = []
  for (const spec of specs) {
    const phrase = typeof spec === 'string' ? spec : spec.phrase
    forms.push({ form: phrase, phrase })
    if (typeof spec !== 'string') for (const v of spec.variants ?? []) forms.push({ form: v, phrase })
  }
  forms.sort((a, b) => b.form.length - a.form.length)
  return {
    match(text: string): InterimHit[] {
      const hits: InterimHit[] = []
      for (const { form, phrase } of forms) {
        let at = text.indexOf(form)
        while (at >= 0) {
          const end = at + form.length
          if (!hits.some((h) => h.start < end && at < h.end)) hits.push({ phrase, start: at, end })
          at = text.indexOf(form, end)
        }
      }
      return hits.sort((a, b) => a.start - b.start)
    },
  }
}
