/**
 * forbidden_phrase, issue 10: innocent uses decided by a feature of the clause (who does it, for whom, under
 * what), one kind per block, each with the act it must not swallow. Examples written for these tests, not
 * taken from the eval sets.
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
const holds = (feature: Parameters<UtteranceFeatures['holds']>[0], text: string, words: string): boolean => {
  const f = new UtteranceFeatures(text)
  const start = f.text.indexOf(words)
  return f.holds(feature, { start, end: start + words.length })
}

describe('offer: escalation and a committed follow-up are the agent\'s own help', () => {
  it('clears what the agent cannot do itself when it passes the matter on', () => {
    expect(acts('这单我处理不了,我给您升级到值班经理那边')).toEqual([])
    expect(acts('减免我做不了主 我去找组长审批 您别挂')).toEqual([])
    expect(acts('我这边解决不了的部分,已经转交给上级了,两个工作日内给您回复')).toEqual([])
    expect(acts('补偿我说了不算,不过我现在就帮您走流程申请')).toEqual([])
    expect(acts('这个超出我的权限了,稍后会有专人联系您')).toEqual([])
  })
  it('…but not a call-back the system makes anyway, nor a refusal said alone', () => {
    expect(holds('offer', '我不清楚,之后会再给您回电的', '我不清楚')).toBe(false)
    expect(acts('这个我解决不了')).toEqual(['refusal'])
    expect(acts('我也没办法,就这样吧')).toEqual(['refusal'])
    expect(acts('不行,我给您升级也没用,规定就这样')).toEqual(['refusal'])
    expect(acts('我这边管不了,会有人联系您的')).toEqual(['refusal'])
  })
  it('explaining the reason for a rule helps; the rule said as the end of the matter does not', () => {
    expect(acts('这是规定,我给您解释下为什么要这样')).toEqual([])
    expect(acts('这是规定,就不行')).toEqual(['refusal'])
  })
})

describe('reported: the customer\'s complaint echoed or summed up', () => {
  it('an echo opening the frame itself, with 刚 as its time word', () => {
    expect(acts('您说您看不明白这张发票,没事,我一条一条跟您对')).toEqual([])
    expect(acts('您刚说听不懂那个语音提示是吧')).toEqual([])
    expect(acts('您是说营业员一直催您快点签字,是这样吗')).toEqual([])
  })
  it('a summary of the complaint (a marker, then someone else\'s saying) or quoted words', () => {
    expect(acts('我总结一下,就是营业员说办不了,让您找别人去,对吗')).toEqual([])
    expect(acts('我复述一下,那个客服说了两遍"规定就是规定",是吧')).toEqual([])
    expect(acts('他跟您说"快点说",这个确实不礼貌')).toEqual([])
    expect(acts('我总结一下,这个我们办不了')).toEqual(['refusal'])
  })
  it('not the listener of a verb (轮不到你说), not "you tell me" (您说我能…?), not past the agent\'s own clause', () => {
    expect(acts('轮不到你说话,快点')).toEqual(['rushing'])
    expect(acts('您说我能有什么办法?')).toEqual(['refusal'])
    expect(acts('您讲的这个 退费的事 我这边 也管不了')).toEqual(['refusal'])
    expect(acts('跟您说了您也看不懂')).toEqual(['comprehension_taunt'])
    // 您说的不对 is "what you said" as the topic of a contradiction (pointing_out_mistake's), no echo
    expect(new UtteranceFeatures('您说的不对,月租是一百二十八').holds('reported', { start: 0, end: 5 })).toBe(false)
  })
})

describe('thing_subject: a thing that does not work, named before a pause or in the stretch before', () => {
  it('the topic goes on past a pause before a copula or an anaphoric 那就是', () => {
    expect(acts('您这个老路由器 是不行的 带不了千兆')).toEqual([])
    expect(acts('机顶盒 指示灯一直闪红灯 那就是不行了 要换')).toEqual([])
    expect(acts('您家光猫用了八年,太旧了,是不行的')).toEqual([])
  })
  it('a verb topic with no holder of its own (接触不行) takes the thing from the clause before', () => {
    expect(acts('您那个水晶头松了,接触不行')).toEqual([])
  })
  it('the household\'s thing (咱家这个路由器) and its age as its fault', () => {
    expect(acts('咱家那个光猫年头太久了,不好使了')).toEqual([])
  })
  it('a reason with a thing in it is no fault of the thing: the bare 不行 after it refuses', () => {
    expect(acts('话费已经扣了,不行')).toEqual(['refusal'])
    expect(acts('合约期还没满 那是不行的')).toEqual(['refusal'])
    expect(acts('宽带账号 不行')).toEqual(['refusal'])
    expect(acts('系统就是这么设定的 改不了')).toEqual(['refusal'])
  })
})

describe('questions embedded or offered as a choice', () => {
  it('not knowing which the customer wants, asked to say it, is a clarification', () => {
    expect(acts('那我就不知道您是要哪个档位了,您再跟我说一下?')).toEqual([])
    expect(acts('我也不知道您想要哪种,您自己看着办')).toContain('professed_ignorance')
  })
  it('a two-character A-not-A embedded after 不知道 (方便不方便) wonders', () => {
    expect(acts('嗯 不知道 您这会儿 方便不方便 说话')).toEqual([])
    expect(acts('不知道,我也不知道')).toEqual(['professed_ignorance'])
  })
  it('an alternative whose 还是 opens the next clause of an asked sentence', () => {
    expect(acts('您看是不行,还是可以再等两天?')).toEqual([])
    expect(acts('不行,还是那句话,规定就是规定。')).toEqual(['refusal'])
  })
  it('see_whether: 看能不能… after the agent\'s own step asks nothing of the customer; 您看能不能快点 does', () => {
    expect(acts('我帮您催一下师傅,看能不能快点')).toEqual([])
    expect(holds('see_whether', '您看能不能快点', '能不能快点')).toBe(false)
  })
  it('choice: 随您挑, A还是B 都随您 leave the customer free; a bare 随便您 dares', () => {
    expect(acts('颜色随便您选,黑的白的都有')).toEqual([])
    expect(acts('您去营业厅办还是在APP上办,都可以,看您方便')).toEqual([])
    expect(acts('(客户:我要投诉你) 随便您')).toEqual(['defiance'])
  })
})

describe('the hurry is someone else\'s, or for the customer', () => {
  it('third_subject: the agent hurries a technician or a colleague', () => {
    expect(acts('我已经催了,让师傅利索点过去')).toEqual([])
    expect(acts('您利索点')).toEqual(['rushing'])
  })
})

describe('apology: the agent owns the misunderstanding', () => {
  it('clears a comprehension check or a reminder the agent blames on its own explaining', () => {
    expect(acts('我刚才说得太快了,您听明白了没有?')).toEqual([])
    expect(acts('上次其实跟您讲过,可能我没说清楚,这次我慢慢讲')).toEqual([])
    expect(acts('我讲得不清楚吗?您听明白没有')).toEqual(['comprehension_taunt'])
  })
})

describe('frames: invitations, negated causatives, self-correction, items counted', () => {
  it('尽管 + a move toward the agent invites; 尽管去告 dares', () => {
    expect(acts('以后有问题尽管打过来')).toEqual([])
    expect(acts('你尽管去告')).toEqual(['defiance'])
  })
  it('哪能让您自己… is no imperative to do it oneself', () => {
    expect(acts('哪能让您自己去营业厅跑,我在电话里给您办')).toEqual([])
    expect(acts('这个您自己去营业厅办')).toEqual(['sending_elsewhere'])
  })
  it('a 不行 taken back at once (口误) is no refusal', () => {
    expect(acts('不行…啊不是,我口误了,可以办的')).toEqual([])
  })
  it('things said counted as items are no repetitions', () => {
    expect(acts('我刚才说了三个套餐,您挑一个')).toEqual([])
    expect(acts('我刚才说了,要本人来办')).toEqual(['repetition_reproach'])
  })
  it('whether the customer got it, as an A-not-A on the verb', () => {
    expect(acts('您到底看没看明白')).toEqual(['comprehension_taunt'])
    expect(acts('这么简单的事您都弄不明白')).toContain('comprehension_taunt')
  })
})

describe('subject: 这边 after the customer is the customer\'s side', () => {
  it('您这边不清楚 is the customer not knowing; 这边不清楚 alone is the agent\'s', () => {
    expect(acts('您这边不清楚也正常,这个是系统默认开的')).toEqual([])
    expect(acts('这边不清楚')).toEqual(['professed_ignorance'])
  })
})

describe('not knowing yet, with the agent finding out or telling as soon as known', () => {
  it('the agent asks, reports back or tells the customer once it knows', () => {
    expect(acts('这个我也不太清楚,我去问一下我们班长,您稍等')).toEqual([])
    expect(acts('具体原因我这边还不清楚,有结果了马上通知您')).toEqual([])
    expect(acts('这个我还真不知道,谢谢您提醒,我去反馈一下')).toEqual([])
    expect(acts('我也不知道原来您为这事跑了三趟,真对不起')).toEqual([])
  })
  it('…but sending the customer to ask is no finding out', () => {
    expect(acts('我也不知道,你问别人吧')).toContain('professed_ignorance')
    expect(acts('您去问我们组长')).toEqual(['brush_off'])
  })
})

describe('a warm transfer, and the fault owned', () => {
  it('我把您转给… is the agent passing the matter on itself', () => {
    expect(acts('退费这块不归我管,我把您转给财务专员,她能直接办')).toEqual([])
  })
  it('是我们的问题 owns the fault; 不是我的问题 does not', () => {
    expect(acts('您都讲了好几遍了,是我们的问题,我现在马上落实')).toEqual([])
    expect(acts('我说了三遍了,不是我的问题')).toEqual(['repetition_reproach'])
  })
})

describe('on_behalf: advice against what would cost the customer', () => {
  it('您别办 (advice) and a price too high for the customer clear; 您别办了 (don\'t bother) does not', () => {
    expect(acts('这个档位您别订,不行,月租太高了')).toEqual([])
    expect(acts('不行,您别办了')).toEqual(['refusal'])
  })
})

describe('session 9 (prec9): lexicon frames kept from innocent look-alikes', () => {
  it('the agent going to a superior itself, with adverbs between (我现在就去找领导), escalates', () => {
    expect(acts('这个需要领导审批，我现在就去找领导')).toEqual([])
    expect(acts('我说了你去找领导')).toContain('brush_off')
  })
  it('however many times, the agent is willing: a reassurance, not a count held against the customer', () => {
    expect(acts('没关系，您问多少遍我都给您解释')).toEqual([])
    expect(acts('你问多少遍都一样')).toContain('repetition_reproach')
  })
})

describe('reported: a free-choice dare after 您觉得 is the agent\'s, not an echo', () => {
  it('您觉得哪家好用哪家 sends the customer off', () => {
    expect(acts('留不住就不留了，您觉得哪家好用哪家')).toContain('brush_off')
  })
  it('the customer\'s opinion echoed alone is none', () => {
    expect(acts('您觉得哪家好是吧，我理解')).toEqual([])
  })
})

describe('unhurried: an utterance that tells the customer there is no hurry rushes nobody', () => {
  it('clears a question whether they have decided, or a soothing 着什么急, beside it', () => {
    expect(acts('您考虑好了没有?不着急的,您慢慢想')).toEqual([])
    expect(acts('着什么急呢,慢慢来,您不用急')).toEqual([])
    expect(acts('您选好没?不赶时间,您再看看')).toEqual([])
    expect(acts('您别急,慢慢讲,我这边都记着')).toEqual([])
  })
  it('…but not the hurry itself, nor 不急着挂 or 慢慢磨, which say something else', () => {
    expect(acts('您想好了没有,快点')).toEqual(['rushing'])
    expect(acts('说完没有?我不急着挂,您快说')).toEqual(['rushing'])
    expect(acts('你选好了没,快点,别慢慢磨了')).toEqual(['rushing'])
  })
})

describe('counted_trigger: a count of times as the trigger of a rule reproaches no one', () => {
  it('clears a count that leads, in its clause, into what then happens', () => {
    expect(acts('您说了三次密码都不对就会锁卡')).toEqual([])
    expect(acts('同样的问题问了好几次的话,系统就会自动转人工')).toEqual([])
    expect(acts('一个月内问了三次以上就要收服务费')).toEqual([])
  })
  it('…but not the count held against the customer, nor a threat or demand in the next clause', () => {
    expect(acts('我都说了三遍了,您怎么还问')).toEqual(['repetition_reproach'])
    expect(acts('我说了三遍了,您就得听我的')).toEqual(['repetition_reproach'])
    expect(acts('我都说了三遍了,你要是再问我就挂了')).toEqual(['repetition_reproach'])
    expect(acts('我都说了三遍了就别再问了')).toEqual(['repetition_reproach'])
  })
})

describe('self_correction: the agent owns an omission or a slip of its own saying (session 14)', () => {
  it('clears "already said" when what the agent said was missed or wrong', () => {
    expect(acts('麻烦您提醒了,这一项我刚才确实漏讲了')).toEqual([])
    expect(acts('不好意思是我前面说错了,月租是三十九')).toEqual([])
    expect(acts('刚才忘了跟您说,这个活动要预存话费')).toEqual([])
    expect(holds('self_correction', '那条我刚才讲漏了,现在补充一下', '刚才讲漏了')).toBe(true)
  })
  it('…but not the reproach itself, nor the customer\'s omission', () => {
    expect(acts('我刚才已经跟您讲过了,您怎么又问')).toEqual(['repetition_reproach'])
    expect(holds('self_correction', '您漏讲了一个条件', '漏讲了')).toBe(false)
  })
})

describe('rushing: a workload explained as a quota is the agent\'s own matter (session 14)', () => {
  it('a quota or target around the workload clears it', () => {
    expect(acts('我们这边一天得打两百个电话,完不成任务要扣工资')).toEqual([])
    expect(acts('月底考核,我们一天要打一百五十个,所以才经常打给您')).toEqual([])
  })
  it('…the workload held against the customer still rushes', () => {
    expect(acts('我一天要打两百个电话呢,您这点事还要讲多久')).toContain('rushing')
    expect(acts('我一天要接三百个电话,哪有空陪您聊')).toEqual(['rushing'])
  })
  it('别耽误 the customer\'s own use or business is care, not a rush', () => {
    expect(acts('记得月底前把话费交上,别耽误您用')).toEqual([])
    expect(acts('快点说,别耽误我时间')).toEqual(['rushing'])
  })
})
