import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { compilePhrases } from './matcher.js'
import { patternTrigger } from './pattern-trigger.js'

const rulebook = parse(readFileSync(fileURLToPath(new URL('../../rulebooks/default.yaml', import.meta.url)), 'utf8')) as {
  rules: Record<string, { phrases: ({ patterns?: string[] } | string)[] }>
}
const PATTERNS = Object.values(rulebook.rules).flatMap((r) => (r.phrases ?? []).flatMap((p) => (typeof p === 'string' ? [] : (p.patterns ?? []))))
const chars = (t: Uint16Array[][] | undefined) => (t === undefined ? undefined : t.map((alt) => alt.map((set) => String.fromCharCode(...set)).join('+')).join(' | '))

describe('patternTrigger', () => {
  it('keeps the rarest mandatory atoms (every one must occur) per top-level alternative, and skips optional and zero-width parts', () => {
    expect(chars(patternTrigger('(说|讲|问)(了|过)(您|你)?[^,.!?;]{0,3}?([两三四]|好几|多少)(遍|次|回)'))).toBe('遍次回+两三四几多+了过')
    expect(chars(patternTrigger('免谈|不予(办理|受理)|甭(想|提)了?'))).toBe('免+谈 | 予+办受+不 | 甭+想提')
    expect(chars(patternTrigger('(?<![您你])(哪儿|哪里|哪)知道'))).toBe('哪+知+道')
    expect(chars(patternTrigger('(不行|不可以)[的了]{0,2}[,\\s]{0,2}\\1'))).toBe('不')
    expect(chars(patternTrigger('别(来)?(问|找|烦)(我|我们)'))).toBe('别+我+问找烦')
  })

  it('reads an escape whole: a named backreference, \\u, \\x and \\p escapes add no literal characters of their own', () => {
    // \k<v> used to leave `<v>` behind as three mandatory literals no Chinese line holds: the pattern never ran.
    expect(chars(patternTrigger('(?<v>不行|不可以)[的了]{0,2}[,\\s]{0,2}\\k<v>'))).toBe('不')
    expect(chars(patternTrigger('\\u4e0d行'))).toBe('不+行')
    expect(chars(patternTrigger('\\u{4e0d}行'))).toBe('不+行')
    expect(chars(patternTrigger('\\x41不行'))).toBe('A+不+行')
    expect(chars(patternTrigger('\\p{Script=Han}不行'))).toBe('不+行')
    expect(chars(patternTrigger('(说|讲)\\12遍'))).toBe('遍+说讲')
  })

  it('a pattern with a named backreference is matched (its trigger lets it run)', () => {
    const m = compilePhrases([{ phrase: '不行不行', patterns: ['(?<v>不给[退办]|不能)[的了]?[,\\s]{0,2}\\k<v>'] }])
    expect(m.match('这个钱不给退,不给退。').map((h) => h.phrase)).toEqual(['不行不行'])
    expect(m.match('不能,不能,这个真的不能。').length).toBe(1)
    expect(m.match('不给退,不给办。')).toEqual([])
  })

  it('gives up (the pattern always runs) when nothing is certain to occur', () => {
    expect(patternTrigger('.+')).toBeUndefined()
    expect(patternTrigger('[^,]{2}')).toBeUndefined()
    expect(patternTrigger('(a)?|b')).toBeUndefined()
    expect(patternTrigger('\\d+')).toBeUndefined()
  })

  it('every rulebook pattern has a trigger, and every match holds a character of each set of some alternative (sound on random text)', () => {
    expect(PATTERNS.length).toBeGreaterThan(50)
    for (const source of PATTERNS) {
      const trigger = patternTrigger(source)
      expect(trigger, source).toBeDefined()
      const alts = trigger!.map((alt) => alt.map((t) => new Set(String.fromCharCode(...t))))
      const regex = new RegExp(source, 'gu')
      // Random text over the pattern's own characters (and punctuation), so matches are frequent.
      const alphabet = [...new Set([...source.replace(/[\\()[\]{}|?*+^$.!<=:]/g, ''), ',', ' '])]
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }), (cs) => {
          const text = cs.join('')
          for (const m of text.matchAll(regex)) {
            const holds = alts.some((sets) => sets.every((set) => [...m[0]].some((c) => set.has(c))))
            expect(holds, `${source} on ${text}`).toBe(true)
          }
        }),
        { numRuns: 150 },
      )
    }
  })
})
