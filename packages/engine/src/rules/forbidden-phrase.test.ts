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

describe('act frames (wording no list holds)', () => {
  it('sending_elsewhere: the imperative to go, ask or call elsewhere; not a referral with help, an option or a superior', () => {
    expect(acts('这个你问银行去 扣款是银行扣的')).toEqual(['sending_elsewhere'])
    expect(acts('这事儿您去营业厅问吧')).toEqual(['sending_elsewhere'])
    expect(acts('打别的电话吧,这儿不管这个')).toContain('sending_elsewhere')
    expect(acts('您也可以去营业厅办,我把最近那家的地址发您手机上')).toEqual([])
    expect(acts('这个需要本人到营业厅签字,我先帮您预约好,您到了直接办。')).toEqual([])
    expect(acts('我们师傅明天上门去看看')).toEqual([])
  })

  it('brush_off: not my business or beyond my authority, unless the agent passes it on itself', () => {
    expect(acts('我就是个打电话的 您跟我讲这些干嘛')).toEqual(['brush_off'])
    expect(acts('这个锅我不背,你找管计费的。')).toEqual(['brush_off'])
    expect(acts('这个超出我的权限了 我马上请班长来处理 您稍等')).toEqual([])
    expect(acts('额度调整我这边就能办,不用找领导')).toEqual([])
  })

  it('defiance: the rule or the complaint as the end of the matter; not with an apology or help', () => {
    expect(acts('白纸黑字写着呢,没得改')).toEqual(['defiance'])
    expect(acts('你投诉我,我也是这么说。')).toEqual(['defiance'])
    expect(acts('规定就是这么定的,确实不太灵活,真不好意思,我看看还有没有别的办法')).toEqual([])
  })

  it('refusal: the agent side\'s negated action ending its clause; not denied, not a thing, not with a way on', () => {
    expect(acts('换新路由器?不给换。')).toEqual(['refusal'])
    expect(acts('办不成 你明天再打也办不成')).toEqual(['refusal'])
    expect(acts('不是不给您办哈,是要先核对下身份证,您报下后四位嘛。')).toEqual([])
    expect(acts('副卡我这边开不了,需要您到营业厅签字。')).toEqual([])
  })

  it('comprehension_taunt, repetition_reproach, rushing in other words', () => {
    expect(acts('你耳朵没问题吧')).toEqual(['comprehension_taunt'])
    expect(acts('那可能是手机太旧了,听筒不行了,不是您耳朵的问题。')).toEqual([])
    expect(acts('早就告诉您了。要本人去办。')).toEqual(['repetition_reproach'])
    expect(acts('哦,对,您有跟我们说过了.')).toEqual([])
    expect(acts('快快快 号码报一下')).toEqual(['rushing'])
    expect(acts('阿姨,不是按一下,是按住不放,按三秒钟。')).toEqual([])
  })
})

describe('clause features (issue 10 item 3)', () => {
  const holds = (feature: Parameters<UtteranceFeatures['holds']>[0], text: string, words: string) => {
    const f = new UtteranceFeatures(text)
    return f.holds(feature, at(f.text, words))
  }

  it('wonder_whether: the question embedded after 不知道 is about the customer, the agent\'s own explaining, or thanks', () => {
    expect(acts('也不知道您这会儿方便不,要不我晚点再打')).toEqual([])
    expect(acts('不知道我刚才说清楚没有,有不明白的您随时问。')).toEqual([])
    expect(acts('不知道您这边还有什么顾虑 您可以跟我说说')).toEqual([])
    expect(acts('不晓得您那边收到复机短信没有?')).toEqual([])
    expect(acts('不知道该怎么感谢您才好')).toEqual([])
    expect(acts('我也不知道您那个钱去哪了')).toEqual(['professed_ignorance'])
    expect(acts('不知道不知道,我这边看不到。')).toEqual(['professed_ignorance'])
  })

  it('reported: an echo ends where the agent\'s own answer begins', () => {
    expect(holds('reported', '您说您不知道这个扣费是吧', '不知道')).toBe(true)
    expect(holds('reported', '您问我怎么知道您号码的?', '我怎么知道')).toBe(true)
    expect(holds('reported', '你问我我怎么知道', '我怎么知道')).toBe(false)
    expect(acts('您觉得别家好,您转过去呗')).toEqual(['sending_elsewhere'])
    expect(holds('reported', '您说的这些我管不着', '我管不着')).toBe(false)
  })

  it('condition: a bare antecedent is a negated predicate said once, with a consequence, not a concession', () => {
    expect(holds('condition', '不行,您就重启一下', '不行')).toBe(true)
    expect(holds('condition', '不行就是不行,你再打几遍也一样', '不行就是不行')).toBe(false)
    expect(holds('condition', '不退 您再说也不退', '不退')).toBe(false)
    expect(acts('第三次了啊 我再说最后一次')).toEqual(['repetition_reproach'])
  })

  it('help_in_sentence: help in the same sentence clears 不知道, the next sentence is not waited for', () => {
    expect(acts('我也不知道为什么会这样,我马上帮您查一下。')).toEqual([])
    expect(acts('我不知道。您稍等。')).toEqual(['professed_ignorance'])
  })
})

describe('act frames of issue 10 item 3', () => {
  it('sending_elsewhere: the customer sent off; a self-service instruction or a polite referral is none', () => {
    expect(acts('问营业厅去')).toEqual(['sending_elsewhere'])
    expect(acts('你到别处问去')).toEqual(['sending_elsewhere'])
    expect(acts('您是第三方商家的 您联系下商家咨询一下呢')).toEqual([])
    expect(acts('您自个儿在家就能办')).toEqual([])
    expect(acts('您打10086查一下话费就可以')).toEqual([])
  })

  it('refusal stays silent on a condition: 到时候…, …的话 whatever follows, and the customer\'s own choice', () => {
    expect(acts('到时候不行您给我们回个电话改约')).toEqual([])
    expect(acts('它不行的话升多少都一样')).toEqual([])
    expect(acts('不要就不办了')).toEqual([])
  })

  it('repetition_reproach: the customer\'s asking again counted, which a rhetorical question does not clear', () => {
    expect(acts('您怎么老是问同一个问题。')).toEqual(['repetition_reproach'])
    expect(acts('刚说完你就忘了?')).toEqual(['repetition_reproach'])
    expect(acts('没事,您再问多少遍都行,我慢慢说')).toEqual([])
  })

  it('comprehension_taunt, rushing, defiance, refusal: the question is the act', () => {
    expect(acts('你能不能听明白我说的话?')).toEqual(['comprehension_taunt'])
    expect(acts('说完没?说完我挂了')).toEqual(['rushing'])
    expect(acts('投诉了又能怎么样 费用还是要交的')).toContain('defiance')
    expect(acts('这个不能给你开。')).toEqual(['refusal'])
    expect(acts('不可以的哦')).toEqual([])
  })
})

describe('overlapping phrases', () => {
  it('a phrase inside a longer one that its context cleared is judged on its own', () => {
    // 那您去吧 (sending the customer away) spans 那您去投诉 and is cleared here; the dare inside it is not.
    expect(acts('您说我态度不好？那您去投诉嘛。')).toEqual(['defiance'])
  })

  it('a phrase inside a longer one that stands adds no second finding', () => {
    expect(acts('不行不行')).toEqual(['refusal'])
    const spans = detectUtterance(rulebook, { speaker: 'agent', text: '不行不行' }).find((f) => f.rule === 'forbidden_phrase')!.spans
    expect(spans).toEqual([{ start: 0, end: 4 }])
  })
})
