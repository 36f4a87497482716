import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { ACT_SCORER_MODEL } from './act-scorer-model.js'
import { actScorer, clauseKeys, keyOf, keyString, MAX_PIECE_CHARS, SCORED_RULES } from './act-scorer.js'
import { UtteranceFeatures } from './utterance.js'

describe('act scorer keys', () => {
  it('reads 1-3-grams of each clause without its spaces, ^ and $ at the clause ends, and the clause context keys', () => {
    const keys = clauseKeys('你 行吧').map((c) => c.keys.map(keyString))
    expect(keys).toEqual([['^', '你', '^你', '行', '你行', '^你行', '吧', '行吧', '你行吧', '$', '吧$', '行吧$', '#you', '#fin:吧']])
    const two = clauseKeys('好的,您真行?')
    expect(two.map((c) => c.chars)).toEqual([2, 3])
    expect(two[1]!.keys.map(keyString)).toContain('^您真')
    expect(two[1]!.keys.map(keyString)).toContain('#que')
    expect(two[0]!.keys.map(keyString)).not.toContain('#que')
    // by sentence: one piece, the comma inside it
    expect(clauseKeys('好的,您真行?', true).map((c) => c.chars)).toEqual([6])
  })
  it('makes a run of digits or of Latin letters one placeholder', () => {
    expect(clauseKeys('送您20g流量')[0]!.keys.map(keyString)).toEqual(expect.arrayContaining(['您0a', '0a流', 'a流量']))
    expect(clauseKeys('送您20g流量')[0]!.chars).toBe(6)
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
  it('scores the best piece (clause or sentence, as the model says): bias + its weights / (chars + 1) ** lengthPower, as the trainer computes it', () => {
    const m = ACT_SCORER_MODEL
    const row = new Map(m.keys.map((k, i) => [keyOf(k), i]))
    for (const text of ['您好,是您自己没看清楚吧', '这个是我们内部的规定,跟您说了您也不懂', '保证给您办好,绝对没问题!', '']) {
      const t = new UtteranceFeatures(text).norm.text
      const got = actScorer().score(t)
      SCORED_RULES.forEach((rule, r) => {
        const col = m.rules.indexOf(rule)
        let want = Number.NEGATIVE_INFINITY
        for (const c of clauseKeys(t, m.unit === 'sentence')) {
          let sum = 0
          for (const k of c.keys) {
            const i = row.get(k)
            if (i !== undefined) sum += m.weights[i * m.rules.length + col]! / m.scale
          }
          want = Math.max(want, m.bias[col]! / m.scale + sum * (c.chars + 1) ** -m.lengthPower)
        }
        if (want === Number.NEGATIVE_INFINITY) expect(got.z[r]).toBe(want)
        else expect(got.z[r]).toBeCloseTo(want, 4)
      })
    }
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

  it('is on in the default rulebook where the held-out sets showed it finds what the frames miss, at the model\'s thresholds (ACT-SCORER.md, session 13)', () => {
    const rb = loadDefaultRulebook()
    for (const r of ['scolding', 'sarcasm', 'internal_disclosure'] as const) expect(rb.rules[r]!.scorerThreshold, r).toBe(ACT_SCORER_MODEL.thresholds[r])
    for (const r of ['pointing_out_mistake', 'overpromise'] as const) expect(rb.rules[r]!.scorerThreshold, r).toBe(Number.POSITIVE_INFINITY)
    for (const r of SCORED_RULES) expect(Number.isFinite(ACT_SCORER_MODEL.thresholds[r]), r).toBe(true)
  })
  it('scores a long unpunctuated run in pieces of at most MAX_PIECE_CHARS: a run of topic words is no act however long', () => {
    const run = '套餐流量话费宽带'.repeat(480)
    expect(clauseKeys(run, true).map((c) => c.chars)).toEqual(Array(24).fill(MAX_PIECE_CHARS))
    expect(detectUtterance(loadDefaultRulebook(), { speaker: 'agent', text: run })).toEqual([])
    // every piece scores as the first: the length no longer raises the score (one piece of 3,840 characters scored sarcasm 18.8)
    const whole = actScorer().score(run).z
    const piece = actScorer().score(run.slice(0, MAX_PIECE_CHARS)).z
    expect(whole).toEqual(piece)
  })
  it('needs a word: a score carried by one character alone raises nothing', () => {
    const rb = loadDefaultRulebook()
    rb.rules.internal_disclosure!.scorerThreshold = -1000
    // 出 (of 系统出问题) is this line's strongest key for disclosure; 后台 is a word
    expect(detectUtterance(rb, { speaker: 'agent', text: '我们后台最近不太稳定。' }).filter((f) => f.rule === 'internal_disclosure')).toHaveLength(1)
    expect(detectUtterance(rb, { speaker: 'agent', text: '这个月的账单还差两天才出。' }).filter((f) => f.rule === 'internal_disclosure')).toEqual([])
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
    expect(scolding(rb, '下次注意点行吗')).toHaveLength(1)
    // a condition before it (scolding entries are cleared by condition)
    expect(scolding(rb, '如果下次注意点行吗')).toEqual([])
    // an exclusion of the rule (您先听我说完好吗 asks politely)
    expect(scolding(rb, '您先听我说完好吗')).toEqual([])
  })
})
