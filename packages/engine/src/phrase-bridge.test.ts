import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { maskPersonalData } from './phrase-bridge.js'
import { maskPersonalData as maskEveryText } from './text/index.js'

describe('maskPersonalData (with the digit-count shortcut)', () => {
  it('masks exactly what the full mask masks', () => {
    const digitish = fc.constantFrom(...'0123456789０１２３４５６７８９零〇洞一幺二三四五六七八九 -Xx号码是'.split(''))
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.array(digitish, { maxLength: 40 }), fc.string({ maxLength: 10 }), (before, digits, after) => {
        const text = before + digits.join('') + after
        expect(maskPersonalData(text)).toBe(maskEveryText(text))
      }),
      { numRuns: 5000 },
    )
  })

  it('masks a mobile number, leaves a short number alone', () => {
    expect(maskPersonalData('我的号码是13812345678')).toBe('我的号码是138****5678')
    expect(maskPersonalData('打12315投诉')).toBe('打12315投诉')
  })
})
