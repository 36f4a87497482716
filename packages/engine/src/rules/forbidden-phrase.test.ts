/**
 * forbidden_phrase through the whole per-utterance decision: the context features that decide a whole
 * innocent kind (the agent's own offer of help, an apology, the customer's loss), and the act frames
 * that reach wording no list holds. Each case fails if its feature or frame is taken out.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { UtteranceFeatures } from '../features/utterance.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'

const rulebook = loadDefaultRulebook()
const acts = (text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === 'forbidden_phrase')
    .map((f) => f.act!)
const at = (text: string, words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length })

describe('context features', () => {
  it('offer: the agent offers help of its own in another clause, not negated, asked, past or another person\'s', () => {
    const holds = (text: string, words: string) => new UtteranceFeatures(text).holds('offer', at(text, words))
    expect(holds('规定没法改,但我能帮您把时间往前排一排', '规定没法改')).toBe(true)
    expect(holds('这个我做不了主,不过我可以帮您往上报', '做不了主')).toBe(true)
    expect(holds('您家楼道那根线老化了,不行了,得换新的,我给您派单', '不行')).toBe(true)
    expect(holds('不行,这个真给您办不了。', '不行')).toBe(false)
    expect(holds('给你免单?不存在的', '不存在的')).toBe(false)
    expect(holds('谁给您办的您找谁,我管不着', '我管不着')).toBe(false)
    expect(holds('额度我刚才帮您看了,办不了的', '办不了的')).toBe(false)
  })

  it('apology: whatever the agent apologises for is no reproach', () => {
    expect(acts('不好意思让您说了2遍 我这边信号差')).toEqual([])
    expect(acts('不好意思,让您重复说了好几遍,我这边信号不太好。')).toEqual([])
    expect(acts('我都说了三遍了')).toEqual(['repetition_reproach'])
  })

  it('on_behalf: the agent will not let the customer bear a cost', () => {
    expect(acts('不行不行,不能让您再跑一趟')).toEqual([])
    expect(acts('那可不行 这钱不能让您白扣')).toEqual([])
    expect(acts('不行不行')).toEqual(['refusal'])
  })
})
