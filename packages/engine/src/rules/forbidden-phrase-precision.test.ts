/**
 * forbidden_phrase precision on wording nobody tuned for (session 14): lines of the chapter 8 rules (talking back,
 * telling off, ability judgements, blame) and look-alikes that read like a 服务忌语 by their words but do not perform
 * its act. One kind per block, each with the act it must still catch. Examples written for these tests, not taken
 * from the eval sets or the writers' lines.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { CallMonitor } from '../monitor/call-monitor.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { compilePhrases } from '../phrases/index.js'

const rulebook = loadDefaultRulebook()
const acts = (text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === 'forbidden_phrase')
    .map((f) => f.act!)

/** The agent's line answering the customer's, in a call (the customer's turn is call context). */
function actsAfter(customer: string, agent: string): string[] {
  const callId = 'c-prec'
  const m = new CallMonitor(rulebook, { type: 'call.started', callId, agentId: 'a', teamId: 't', direction: 'outbound', at: '2026-12-01T09:00:00.000Z' })
  m.feed({ type: 'utterance', callId, seq: 1, speaker: 'agent', text: '您好,这里是移动客服,请问是李女士吗?', startMs: 0, endMs: 3000, final: true })
  m.feed({ type: 'utterance', callId, seq: 2, speaker: 'customer', text: customer, startMs: 4000, endMs: 7000, final: true })
  const r = m.feed({ type: 'utterance', callId, seq: 3, speaker: 'agent', text: agent, startMs: 8000, endMs: 12000, final: true })
  return r.findings.filter((f) => f.rule === 'forbidden_phrase' && f.seq === 3).map((f) => f.act!)
}

describe('customer_declined: the agent complies with the customer putting the offer off', () => {
  it('not doing what the customer just declined refuses nothing', () => {
    expect(actsAfter('这个我先不弄了,回去跟家里商量商量。', '行,那今天就先不给您办了,有需要随时联系我们。')).toEqual([])
    expect(actsAfter('算了算了,我不想换了。', '好嘞,那就不给您办了,还是用原来的套餐。')).toEqual([])
    expect(actsAfter('我考虑一下吧。', '没问题,那我这边暂时不给您办,有需要随时找我们。')).toEqual([])
  })
  it('…but a refusal of what the customer asks for, or one after a decline that is no not-doing, still is', () => {
    expect(actsAfter('那我现在就要开通国际漫游。', '不给您开,您这个号码欠费了。')).toEqual(['refusal'])
    expect(actsAfter('我再想想,先把会员给我退了。', '会员退不了的。')).toEqual(['refusal'])
  })
})

describe('attributive: the sameness describes a thing, it does not end the matter', () => {
  it('a uniform price or offer told is no "the rule is the rule"', () => {
    expect(acts('这个流量包在官网也能买,谁来办都是一样的资费。')).toEqual([])
  })
  it('…but the same answer for anyone still is', () => {
    expect(acts('规定摆着,谁来问都是一样的答复。')).toEqual(['refusal'])
    expect(acts('谁来都一样,没得商量。')).toEqual(['refusal'])
  })
})

describe('futility_grounded: shouting at the agent called futile is a telling-off unless the agent deflects', () => {
  it('without grounds it is chapter 8 scolding, not a 服务忌语', () => {
    expect(acts('您冲我发脾气也没用,先把情况说清楚。')).toEqual([])
    expect(acts('你别跟我吵,吵有什么用。')).toEqual([])
  })
  it('…with the agent\'s rank, another\'s doing or the rule as the reason it deflects', () => {
    expect(acts('您跟我发火有什么用,我又不是领导。')).toEqual(['brush_off'])
    expect(acts('别冲我发火,停电又不是我们安排的。')).toEqual(['brush_off'])
    expect(acts('合同是您自己签的,现在吵有什么用。')).toContain('defiance')
  })
})

describe('ability_only: what the customer can do, judged, is scolding\'s', () => {
  it('an ability compared or a teaching refused names no understanding', () => {
    expect(acts('点一下确认就行,幼儿园小孩都会。')).toEqual([])
    expect(acts('这个开关按一下就开了,这也要教?')).toEqual([])
  })
  it('…but the customer\'s understanding taunted still is', () => {
    expect(acts('套餐外是什么意思,这还要我教您?')).toEqual(['comprehension_taunt'])
    expect(acts('这么简单的道理小孩都懂。')).toEqual(['comprehension_taunt'])
  })
})

describe('split_word: a frame starting inside an adverb is not what was said', () => {
  it('尽快 is as soon as possible, said for the customer', () => {
    expect(acts('卡丢了的话,您尽快说一下卡号。')).toEqual([])
  })
  it('…but hurrying still is', () => {
    expect(acts('快说,我这边还有电话。')).toContain('rushing')
  })
})

describe('a call again and again, not an interruption (打断), reproaches', () => {
  it('老打 needs the call', () => {
    expect(acts('您别老打断我,听我说完。')).toEqual([])
    expect(acts('您怎么老打过来问这个?')).toContain('repetition_reproach')
  })
})

describe('count_of_mistakes: the customer\'s mistakes counted, not the agent\'s repeating', () => {
  it('a count after a mistake names no saying', () => {
    expect(acts('您又把卡插反了,这都第二回了。')).toEqual([])
  })
  it('…but a count after asking or telling still reproaches', () => {
    expect(acts('您又问这个,这都第三回了。')).toEqual(['repetition_reproach'])
    expect(acts('第四遍了,月租是五十八。')).toEqual(['repetition_reproach'])
  })
})

describe('elsewhere_subject: what cannot be had elsewhere refuses the customer nothing', () => {
  it('the offer\'s exclusivity', () => {
    expect(acts('这个价格只有我们这次活动有,别的地方是办不了的。')).toEqual([])
  })
  it('…but the agent\'s own refusal still is', () => {
    expect(acts('这个我们这边办不了的。')).toEqual(['refusal'])
  })
})

describe('fault_named: "nothing to do with us" denying a fault whose cause is named', () => {
  it('the cause laid on the customer or another party is blame or disclosure, no brush-off', () => {
    expect(acts('这是您自己开的会员自动扣的,跟我们没关系。')).toEqual([])
  })
  it('…but another department\'s business, or a bare disclaimer, still brushes off', () => {
    expect(acts('那是物业的事,跟我们没关系。')).toEqual(['brush_off'])
    expect(acts('这事跟我们没关系。')).toEqual(['brush_off'])
  })
})

describe('the retort and the speechless rebuke are scolding\'s', () => {
  it('我态度怎么了 answers back, it does not say 我就这态度', () => {
    expect(acts('我态度怎么了?我一直好好跟您说的。')).toEqual([])
    expect(acts('我就这态度,您爱找谁找谁。')).toContain('defiance')
  })
  it('not knowing what to say OF the customer is no ignorance professed', () => {
    expect(acts('验证码都能填错三次,我都不知道该怎么说你。')).toEqual([])
    expect(acts('这个我也不知道。')).toEqual(['professed_ignorance'])
  })
  it('what it costs is the customer\'s own business: a consequence, not a dismissal', () => {
    expect(acts('材料不带齐,白跑的是您自己的事。')).toEqual([])
    expect(acts('您不满意那是您的事。')).toEqual(['defiance'])
  })
  it('the customer\'s clamouring echoed is theirs', () => {
    expect(acts('您老是嚷着换电信,这么多年也没换。')).toEqual([])
  })
})

describe('a homophone heard as a fixed expression of its own is that expression', () => {
  it('动不动 (at every turn) is no 懂不懂', () => {
    expect(acts('您动不动就挂电话,我没法帮您核实。')).toEqual([])
    expect(compilePhrases(['你懂不懂']).match('你动不动就发脾气')).toEqual([])
    expect(compilePhrases(['你懂不懂']).match('你动不懂')).toHaveLength(1)
  })
  it('…but the taunt misheard in a word of no meaning still is', () => {
    expect(acts('你懂不懂啊')).toEqual(['comprehension_taunt'])
  })
})
