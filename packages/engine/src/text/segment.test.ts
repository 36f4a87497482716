import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { segmentWords, wordBoundaries } from './segment.js'

describe('segmentWords', () => {
  it('cuts call-center Chinese into dictionary words', () => {
    expect(segmentWords('如果还是不行的话')).toEqual(['如果', '还是', '不行', '的话'])
    expect(segmentWords('您别着急')).toEqual(['您', '别着急'])
    expect(segmentWords('')).toEqual([])
  })

  it('marks word starts', () => {
    const flags = wordBoundaries('你问我们')
    expect([...flags]).toEqual([1, 1, 1, 0, 1])
  })

  it('gives the same boundaries for a window asked again, also after thousands of other windows', () => {
    const first = [...wordBoundaries('如果还是不行的话')]
    for (let i = 0; i < 5000; i++) wordBoundaries(`第${i}个窗口不行`)
    expect([...wordBoundaries('如果还是不行的话')]).toEqual(first)
    expect([...wordBoundaries('如果还是不行的话')]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1])
  })

  it('property: joining the words gives the input back (lone surrogates read as U+FFFD)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (text) => {
        const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\ufffd')
        expect(segmentWords(text).join('')).toBe(wellFormed)
      }),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    )
  })
})
