import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compilePhraseGroup, compilePhraseMatcher, maskPersonalData, normalizeWithMap } from './phrase-bridge.js'
import { loadDefaultRulebook } from './rulebook/parse.js'
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

describe('compilePhraseGroup', () => {
  // The default rulebook's agent lists, so the group holds the real forms, variants, patterns and exclusions.
  const rules = loadDefaultRulebook().rules as unknown as Record<string, { speaker: string; phrases: unknown[] } | undefined>
  const lists = ['forbidden_phrase', 'internal_disclosure', 'overpromise', 'pointing_out_mistake', 'scolding', 'sarcasm'].map((id) => rules[id]!.phrases)
  const views = compilePhraseGroup(lists)
  const alone = lists.map((list) => compilePhraseMatcher(list))
  const lines = [
    '这个我不知道，你找领导去。',
    '不行不行，这是规定，我保证明天一定给您办好。',
    '是您自己没看清楚，我都说了三遍了，你怎么连这个都不会？',
    '我们系统出故障了，内部优惠只有员工能办。',
    '您好，请问还有其他可以帮您的吗？',
    '不知道您现在方便吗？这个套餐一定能帮您省钱。',
    '',
  ]

  it('answers for each list exactly as a matcher of that list alone', () => {
    let hits = 0
    for (const text of lines) {
      const norm = normalizeWithMap(text)
      views.forEach((view, i) => {
        const expected = alone[i]!.matchRanked(norm)
        hits += expected.length
        expect(view.matchRanked(norm)).toEqual(expected)
        expect(view.matchNormalized(norm)).toEqual(alone[i]!.matchNormalized(norm))
        expect(view.match(text)).toEqual(alone[i]!.match(text))
      })
    }
    // The lines do hit several lists, so the comparison is not between empty answers.
    expect(hits).toBeGreaterThan(8)
  })

  it('gives indices into each list of its own', () => {
    const norm = normalizeWithMap('我保证明天一定给您办好，这个我不知道。')
    const overpromise = views[2]!.matchRanked(norm)
    expect(overpromise.length).toBeGreaterThan(0)
    for (const hit of overpromise) expect(hit.index).toBeLessThan(lists[2]!.length)
  })
})
