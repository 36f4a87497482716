import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stripFillers } from './fillers.js'
import { normalizeText, normalizeWithMap, toOriginalRange } from './normalize.js'

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // includes lone surrogates
  fc.array(fc.constantFrom('這', '是', '規', '定', '，', '。', '…', 'Ａ', '１', ' ', '\u3000', '\t', '嗯', '吧', '\ud800', '\udc00', '𠀀', 'B', '”')).map((a) => a.join('')),
)

describe('normalizeWithMap', () => {
  it('folds traditional script, full-width forms, punctuation, spaces and case', () => {
    expect(normalizeText('這是規定，就不行！')).toBe('这是规定,就不行!')
    expect(normalizeText('ＡＢＣ１２３？ Wi-Fi')).toBe('abc123? wi-fi')
    expect(normalizeText('  您好\u3000\t 请问…您是机主吗？  ')).toBe('您好 请问 您是机主吗?')
    expect(normalizeText('《套餐》“流量”、话费；')).toBe('"套餐""流量",话费;')
    // already simplified characters stay, even where a rare traditional reading exists (么 ≠ 幺)
    expect(normalizeText('为什么怎么这么')).toBe('为什么怎么这么')
    expect(normalizeText('爲什麼裏麵')).toBe('为什么里面')
    // a lone surrogate becomes U+FFFD, a pair stays, U+FEFF is whitespace
    expect(normalizeText('\ud800，𠀀\ufeff好\udc00')).toBe('\ufffd,𠀀 好\ufffd')
  })
  it('reads the dialect self-reference 俺 as 我, one character for one', () => {
    expect(normalizeText('俺们这边也不知道,俺帮您问问')).toBe('我们这边也不知道,我帮您问问')
    const n = normalizeWithMap('俺不晓得')
    expect([n.starts[0], n.ends[0]]).toEqual([0, 1])
  })

  it('maps every normalised range back to the original text it came from', () => {
    const original = '嗯，這是規定　就不行！'
    const norm = normalizeWithMap(original)
    const at = norm.text.indexOf('就不行')
    const back = toOriginalRange(norm, at, at + 3)
    expect(original.slice(back.start, back.end)).toBe('就不行')
  })

  it('maps each unit to itself when nothing moved, and keeps a text longer than its scratch buffers exact', () => {
    const plain = normalizeWithMap('您好,请问有什么可以帮您')
    expect(plain.text).toBe('您好,请问有什么可以帮您')
    expect([...plain.starts]).toEqual([...Array(12).keys()])
    expect([...plain.ends]).toEqual([...Array(12).keys()].map((i) => i + 1))
    const folded = normalizeWithMap('這是規定，不行！')
    expect(folded.text).toBe('这是规定,不行!')
    expect([...folded.starts]).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    // 70,000 characters: past the buffers normalizeWithMap keeps between calls, with whitespace runs collapsed.
    const long = '這是規定，  不行！'.repeat(7000)
    const norm = normalizeWithMap(long)
    expect(norm.text).toBe('这是规定, 不行!'.repeat(7000))
    const at = norm.text.lastIndexOf('不行')
    expect(long.slice(norm.starts[at]!, norm.ends[at + 1]!)).toBe('不行')
    // and the next short text is not disturbed by what the long one left behind
    expect(normalizeWithMap('  好的　谢谢').text).toBe('好的 谢谢')
    expect([...normalizeWithMap('  好的　谢谢').starts]).toEqual([2, 3, 4, 5, 6])
  })

  it('property: never throws; maps are in bounds and ordered; each code unit maps to a non-empty original range', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const norm = normalizeWithMap(text)
        expect(norm.starts.length).toBe(norm.text.length)
        expect(norm.ends.length).toBe(norm.text.length)
        let last = 0
        for (let i = 0; i < norm.text.length; i++) {
          expect(norm.starts[i]!).toBeGreaterThanOrEqual(last)
          expect(norm.ends[i]!).toBeGreaterThan(norm.starts[i]!)
          expect(norm.ends[i]!).toBeLessThanOrEqual(text.length)
          last = norm.starts[i]!
        }
      }),
      { numRuns: 500, interruptAfterTimeLimit: 10_000 },
    )
  })

  it('property: a substring found in the normalised text slices back to original text that normalises to it', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
        const norm = normalizeWithMap(text)
        if (norm.text.length === 0) return
        const s = a % norm.text.length
        const e = s + 1 + (b % (norm.text.length - s))
        const piece = norm.text.slice(s, e)
        // a range that cuts a surrogate pair in two is no text anyone can find
        if (/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece)) return
        const back = toOriginalRange(norm, s, e)
        // the original slice normalises to the same words (edges may differ only by folded whitespace)
        expect(normalizeText(text.slice(back.start, back.end))).toBe(piece.trim())
      }),
      { numRuns: 500, interruptAfterTimeLimit: 10_000 },
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normalizeText(normalizeText(text))).toBe(normalizeText(text))
      }),
      { numRuns: 300 },
    )
  })
})

describe('stripFillers', () => {
  it('drops fillers and particles but keeps words that contain one (干嘛, 酒吧)', () => {
    expect(stripFillers(normalizeWithMap('嗯,不知道呢,你干嘛')).text).toBe(',不知道,你干嘛')
    expect(stripFillers(normalizeWithMap('呃 那个 嗯 好的吧')).text).toBe('那个 好的')
  })

  it('property: the offset map still points into the original text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const stripped = stripFillers(normalizeWithMap(text))
        for (let i = 0; i < stripped.text.length; i++) {
          expect(stripped.ends[i]!).toBeLessThanOrEqual(text.length)
          expect(normalizeText(text.slice(stripped.starts[i]!, stripped.ends[i]!))).toBe(stripped.text[i] === ' ' ? '' : normalizeText(text.slice(stripped.starts[i]!, stripped.ends[i]!)))
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    )
  })
})
