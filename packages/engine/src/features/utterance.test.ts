/**
 * Utterance features added in session 8 (prec8): the non-human pronoun as a thing subject and the
 * attributive 的-phrase. Lines written for these tests, not taken from any eval set.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { UtteranceFeatures } from './utterance.js'

const rulebook = loadDefaultRulebook()
const acts = (text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === 'forbidden_phrase')
    .map((f) => f.act!)
const at = (text: string, words: string) => {
  const f = new UtteranceFeatures(text)
  const start = f.text.indexOf(words)
  return { f, o: { start, end: start + words.length } }
}

describe('subject: 它/它们 stand for a thing', () => {
  it('a thing referred back to by 它 is what does not work', () => {
    const { f, o } = at('您那个光猫是老款的，它现在就不行了', '不行')
    expect(f.subject(o)).toBe('thing')
    expect(acts('这张卡是3G的，网络升级以后它就不行了，得换张新卡')).toEqual([])
    expect(acts('这俩路由器用了好多年，它们本身已经不太行了')).toEqual([])
  })
  it('a person or the agent before the same predicate still refuses', () => {
    expect(acts('这个我这边不行，办不了')).toContain('refusal')
    expect(acts('不行，它再怎么样也不给您退')).toContain('refusal')
  })
})

describe('attributive: a 的-phrase naming which thing is no predicate', () => {
  it('不行的 + a noun names the part that fails', () => {
    const { f, o } = at('用下来有不行的地方您随时打电话', '不行')
    expect(f.holds('attributive', o)).toBe(true)
    expect(acts('不行的地方您随时告诉我，我们一起想办法')).toEqual([])
    expect(acts('套餐里有哪些不行的条款，我都给您发短信')).toEqual([])
  })
  it('是不行的 ending its clause, 不行的话 (a condition) and a bare 不行的 are not attributive', () => {
    const attributive = (text: string) => {
      const { f, o } = at(text, '不行')
      return f.holds('attributive', o)
    }
    expect(attributive('这个是不行的')).toBe(false)
    expect(attributive('不行的话我再给您换')).toBe(false)
    expect(acts('不行的，您就别说了')).toEqual(['refusal'])
  })
})

describe('follow_up: the agent\'s own committed step in the first person', () => {
  it('a ticket raised or a check under way answers the not-knowing', () => {
    expect(acts('系统那边暂时还不知道是哪一步扣的，我已经提了工单去查')).toEqual([])
    expect(acts('我也不知道为什么，我这就去核实一下')).toEqual([])
  })
  it('not-knowing with nothing done about it still professes ignorance', () => {
    expect(acts('这个我不知道，您问别人吧')).toContain('professed_ignorance')
  })
})
