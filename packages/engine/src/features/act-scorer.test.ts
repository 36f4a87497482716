import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { actScorer, forEachKey, keyOf, keyString, SCORED_RULES } from './act-scorer.js'
import { UtteranceFeatures } from './utterance.js'

describe('act scorer keys', () => {
  it('reads 1-3-grams of the text without its spaces, ^ and $ at the ends, and the context keys', () => {
    const keys: string[] = []
    forEachKey('你 行吧', (k) => keys.push(keyString(k)))
    expect(keys).toEqual(['^', '你', '^你', '行', '你行', '^你行', '吧', '行吧', '你行吧', '$', '吧$', '行吧$', '#you', '#fin:吧'])
  })
  it('maps a key string to its number and back', () => {
    for (const s of ['错', '您搞', '是您自', '#you', '#que', '#neg', '#fin:呢']) expect(keyString(keyOf(s))).toBe(s)
  })
  it('gives each ranked n-gram its place in the normalised text', () => {
    const f = new UtteranceFeatures('您好,是您自己没看清')
    const s = actScorer().score(f.norm.text)
    const r = SCORED_RULES.indexOf('pointing_out_mistake')
    expect(s.start[r]).toBeGreaterThanOrEqual(0)
    expect(s.end[r]).toBeLessThanOrEqual(f.norm.text.length)
    expect(s.z[r]).toBeGreaterThan(actScorer().score(new UtteranceFeatures('您好,请问有什么可以帮您').norm.text).z[r]!)
  })
})

describe('scorer beside the frames (rules/scored.ts)', () => {
  // A rebuke the frames do not know: only the scorer can raise it.
  const text = '下次注意点行吗'
  const on = (threshold: number) => {
    const rb = loadDefaultRulebook()
    rb.rules.scolding!.scorerThreshold = threshold
    return rb
  }
  const scolding = (rb: ReturnType<typeof on>, t: string, partial = false) => detectUtterance(rb, { speaker: 'agent', text: t }, { partial }).filter((f) => f.rule === 'scolding')

  it('is off in the default rulebook (scorer: false)', () => {
    expect(loadDefaultRulebook().rules.scolding!.scorerThreshold).toBe(Number.POSITIVE_INFINITY)
    expect(scolding(loadDefaultRulebook(), text)).toEqual([])
  })
  it('fires on a final at or above its threshold, with the clause as its span; never on a partial', () => {
    const z = actScorer().score(new UtteranceFeatures(text).norm.text).z[SCORED_RULES.indexOf('scolding')]!
    const found = scolding(on(z - 0.01), text)
    expect(found).toHaveLength(1)
    expect(found[0]!.id).toBe('scolding:seq0:scorer')
    expect(scolding(on(z + 0.01), text)).toEqual([])
    expect(scolding(on(z - 0.01), `${text}。`, true)).toEqual([])
  })
  it('defers to the rule’s innocent-use features and exclusions', () => {
    const rb = on(-1000)
    expect(scolding(rb, '我们这边帮您登记一下')).toHaveLength(1)
    // a condition before it (scolding entries are cleared by condition)
    expect(scolding(rb, '如果下次注意点')).toEqual([])
    // an exclusion of the rule (您先听我说完嘛 asks politely)
    expect(scolding(rb, '您先听我说完嘛')).toEqual([])
  })
})
