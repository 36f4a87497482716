import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countSpokenChars } from './spoken-chars.js'

describe('countSpokenChars', () => {
  it('counts Han characters, digits and Latin words; not punctuation, spaces or emoji', () => {
    expect(countSpokenChars('您好，请问是机主吗？')).toBe(8)
    expect(countSpokenChars('5G套餐每月128元')).toBe(10) // 5 G 套 餐 每 月 1 2 8 元
    expect(countSpokenChars('wifi 密码 是 admin')).toBe(5)
    expect(countSpokenChars('１２３ＡＢＣ')).toBe(4)
    expect(countSpokenChars('😀 …… !!')).toBe(0)
    expect(countSpokenChars('𠀀')).toBe(1)
  })

  it('property: finite, ≥ 0, never more than the code units, never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (text) => {
        const n = countSpokenChars(text)
        expect(Number.isFinite(n)).toBe(true)
        expect(n).toBeGreaterThanOrEqual(0)
        expect(n).toBeLessThanOrEqual(text.length)
      }),
      { numRuns: 500 },
    )
  })
})
