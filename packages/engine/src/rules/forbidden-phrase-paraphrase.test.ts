/**
 * forbidden_phrase, issue 10: the acts said in other words, one kind per block, each beside the innocent
 * use its frame must leave alone. Examples written for these tests, not taken from the eval sets.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'

const rulebook = loadDefaultRulebook()
const acts = (text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === 'forbidden_phrase')
    .map((f) => f.act!)

describe('rhetorical ignorance, in dialect too', () => {
  it('how would I know; heaven knows; nobody can say', () => {
    expect(acts('宽带几时修好我咋会晓得')).toEqual(['professed_ignorance'])
    expect(acts('我啷个晓得你那个快递到哪了')).toEqual(['professed_ignorance'])
    expect(acts('鬼晓得那个活动什么时候结束')).toEqual(['professed_ignorance'])
    expect(acts('这事没人说得准的')).toEqual(['professed_ignorance'])
    expect(acts('您问哪个营业厅有货 我哪说得清')).toEqual(['professed_ignorance'])
  })
  it('not a secret kept for the customer, nor the knowing asserted (怎么会不知道)', () => {
    expect(acts('您放心,这个密码除了您自己没人知道的')).toEqual([])
    expect(acts('我怎么会不知道呢,这个业务我天天办')).toEqual([])
  })
})

describe('helplessness and refusal in other words', () => {
  it('not the least way, a bare 没辙, dialect 莫得办法', () => {
    expect(acts('这个我是一点招都没有')).toEqual(['refusal'])
    expect(acts('真没辙')).toEqual(['refusal'])
    expect(acts('我们这也莫得办法')).toEqual(['refusal'])
  })
  it('a service action refused, its topic the patient: 套餐费减不了, 号码改不了的, 这单不受理', () => {
    expect(acts('套餐费减不了')).toEqual(['refusal'])
    expect(acts('号码改不了的')).toEqual(['refusal'])
    expect(acts('这单不受理')).toEqual(['refusal'])
    expect(acts('您这个申请不批')).toEqual(['refusal'])
    expect(acts('咱这不能够给您退')).toEqual(['refusal'])
  })
  it('…but not with the way on before it in its sentence', () => {
    expect(acts('需要机主本人带身份证到营业厅办理,电话里改不了')).toEqual([])
  })
  it('emphatic: not the least of it, said twice, whatever the customer says, give it up', () => {
    expect(acts('一分钱都不能给您减')).toEqual(['refusal'])
    expect(acts('不能退不能退,过了七天了')).toEqual(['refusal'])
    expect(acts('您说破嘴皮子也不行')).toEqual(['refusal'])
    expect(acts('不可能给您取消违约金的')).toEqual(['refusal'])
    expect(acts('别白费力气了')).toEqual(['refusal'])
  })
})

describe('reproach and defiance hidden by a question', () => {
  it('the last agent\'s words held against the customer', () => {
    expect(acts('上一个客服不是跟您讲过了吗?')).toEqual(['repetition_reproach'])
    expect(acts('上次同事跟您说三天到账,结果没到,确实是我们的问题')).toEqual([])
  })
  it('the complaint repeated back and shrugged off, or dared twice', () => {
    expect(acts('给我投诉?随便')).toEqual(['defiance'])
    expect(acts('告吧告吧')).toEqual(['defiance'])
    expect(acts('去投诉好了,我不怕')).toEqual(['defiance'])
    expect(acts('投诉电话是10086,您打过去看管不管用')).toEqual(['defiance'])
    expect(acts('投吧投吧,工号给你报上')).toEqual(['defiance'])
  })
})

describe('sending elsewhere in other words', () => {
  it('a number to call, a seller named by what it did, another party bare', () => {
    expect(acts('打12580问嘛')).toEqual(['sending_elsewhere'])
    expect(acts('您找当时卖给您卡的那个人去')).toEqual(['sending_elsewhere'])
    expect(acts('找别人吧,这个我弄不了')).toContain('sending_elsewhere')
    expect(acts('莫找我')).toEqual(['sending_elsewhere'])
  })
  it('the phone disclaimed beside a send-off; the agent\'s side not handling it', () => {
    expect(acts('去营业厅吧 电话里说不清的')).toEqual(['sending_elsewhere'])
    expect(acts('电话里弄不了,你找营业厅去')).toContain('sending_elsewhere')
    expect(acts('我们这边不管,你找物业')).toEqual(['brush_off'])
    expect(acts('这个业务电话里办不了,需要您本人带身份证到营业厅')).toEqual([])
    expect(acts('您到营业厅去办更快,电话里办不了这个')).toEqual([])
  })
  it('not a place recommended for what it offers, nor a time found together', () => {
    expect(acts('您去官网看一下,上面有详细的资费')).toEqual([])
    expect(acts('找个时间吧,您看周六方便吗')).toEqual([])
    expect(acts('您可以拨打114查询')).toEqual([])
  })
})

describe('concessive A-not-A, last repetition, the cause not understood', () => {
  it('认不认都得认 concedes either way: no question clears it', () => {
    expect(acts('合同签了,认不认都得认')).toEqual(['defiance'])
  })
  it('最后再说一遍 reproaches, 我再给您说一遍 offers', () => {
    expect(acts('我最后再讲一遍啊')).toEqual(['repetition_reproach'])
    expect(acts('我再给您讲一遍,您拿笔记一下')).toEqual([])
  })
  it('not understanding the cause professes ignorance; not understanding the customer asks', () => {
    expect(acts('我也搞不明白怎么回事')).toEqual(['professed_ignorance'])
    expect(acts('我不太明白您的意思,您是想办副卡吗')).toEqual([])
  })
})

describe('the complaint left to the customer as futile; a rival named then the customer sent there', () => {
  it('fires on the act, not on a shrug about something else', () => {
    expect(acts('投诉随您,反正也改变不了什么')).toEqual(['defiance'])
    expect(acts('反正也一样,您先用着')).toEqual([])
    expect(acts('隔壁联通便宜,您去那边吧')).toEqual(['brush_off'])
    expect(acts('联通那边活动多,您要是想了解可以去那边问问')).toEqual([])
  })
})

describe('more wording of the acts', () => {
  it('the rule unbreakable, the customer heard too often, no time for the customer, heaven knows', () => {
    expect(acts('公司的规矩,谁也破不了')).toEqual(['refusal'])
    expect(acts('您这话我都听腻了')).toEqual(['repetition_reproach'])
    expect(acts('一遍又一遍地问,您累不累')).toEqual(['repetition_reproach'])
    expect(acts('我没空跟您在这磨')).toEqual(['rushing'])
    expect(acts('我哪有那闲工夫给您查')).toEqual(['rushing'])
    expect(acts('鬼才知道什么时候修好')).toEqual(['professed_ignorance'])
    expect(acts('换机?想都不要想')).toEqual(['refusal'])
    expect(acts('这个没可能的')).toEqual(['refusal'])
    expect(acts('这个没可能的,您放心,不会乱扣')).toEqual([])
    expect(acts('您随便去哪投诉,我都这么说')).toEqual(['defiance'])
    expect(acts('讲了半天您是一句没听进去')).toEqual(['comprehension_taunt'])
  })
  it('说的 written for 说得: the agent\'s clarity held against the customer; a check of it with the offer to repeat is none', () => {
    expect(acts('我说的够明白了吧')).toEqual(['comprehension_taunt'])
    expect(acts('我说的很清楚了吗?不清楚我再说一遍')).toEqual([])
    expect(acts('您听明白没有?没听懂我再讲一遍')).toEqual([])
  })
})

describe('session 9 (prec9): paraphrases without the usual verb', () => {
  const rb = loadDefaultRulebook()
  const actsOf = (text: string): string[] =>
    detectUtterance(rb, { speaker: 'agent', text })
      .filter((f) => f.rule === 'forbidden_phrase')
      .map((f) => f.act!)
  it('the count with no verb of saying, then the asking again (这么多遍了还问)', () => {
    expect(actsOf('这么多遍了还问，烦不烦')).toContain('repetition_reproach')
    expect(actsOf('您说了好几遍了还问，是我没讲清楚')).toEqual([])
  })
  it('the agent\'s own trying called useless (我查一下也没用)', () => {
    expect(actsOf('我查一下也没用，查不到的')).toContain('refusal')
    expect(actsOf('我帮您查一下，要是查了也没用就给您升级')).toEqual([])
  })
})

describe('session 9 (prec9): the call ended on the customer', () => {
  const rb = loadDefaultRulebook()
  const actsOf = (text: string): string[] =>
    detectUtterance(rb, { speaker: 'agent', text })
      .filter((f) => f.rule === 'forbidden_phrase')
      .map((f) => f.act!)
  it('没别的事我挂了 with no farewell brushes the customer off; a polite close does not', () => {
    expect(actsOf('行了，这事就这样吧，没别的事我挂了')).toEqual(['brush_off'])
    expect(actsOf('没别的事的话我先挂了，祝您生活愉快')).toEqual([])
    expect(actsOf('没事我挂了，再见')).toEqual([])
  })
})

describe('session 9 (prec9): rushing and refusal frames, and a self-correction shrugged off', () => {
  const rb = loadDefaultRulebook()
  const actsOf = (text: string): string[] =>
    detectUtterance(rb, { speaker: 'agent', text })
      .filter((f) => f.rule === 'forbidden_phrase')
      .map((f) => f.act!)
  it('急什么 as its whole clause, 没看我在忙吗', () => {
    expect(actsOf('急什么，没看我在忙吗？')).toEqual(['rushing'])
    expect(actsOf('您急什么时候用？')).toEqual([])
    expect(actsOf('你们要给什么解释')).toEqual([])
  })
  it('查了也没用 opening its clause; 我说错了又怎样 takes nothing back', () => {
    expect(actsOf('我查一下？查了也没用，系统就这样')).toContain('refusal')
    expect(actsOf('我说错了又怎样，反正不行')).toContain('refusal')
    expect(actsOf('我说错了，不好意思，不行的话我再帮您换')).toEqual([])
  })
})

// Session 13 (fb13): frames for wording tune13b showed missing. Lines written for these tests.
describe('session 13 frames: the doubled potential, rivals to pick, a hard-to-find taunt, 快点说完', () => {
  it('any verb\'s potential negated, doubled with 就是', () => {
    expect(acts('降不了就是降不了。')).toEqual(['refusal'])
    expect(acts('您是说营业厅跟您讲改不了就是改不了?')).toEqual([])
  })
  it('the rivals left to the customer\'s pick, the leaving dared with a rival named', () => {
    expect(acts('您嫌贵,移动电信联通随便您选。')).toEqual(['brush_off'])
    expect(acts('想转就赶紧转,电信那边欢迎您。')).toEqual(['brush_off'])
    expect(acts('要办就快办,这个月底活动就结束了。')).toEqual([])
  })
  it('what is hard about the customer\'s own doing, as the end of its clause', () => {
    expect(acts('这有什么难操作的,就在首页。')).toEqual(['comprehension_taunt'])
    expect(acts('用着有什么不好用的地方,您随时告诉我。')).toEqual([])
  })
  it('快点说完 rushes; 快说完了 is the agent nearly done', () => {
    expect(acts('您快点说完。')).toEqual(['rushing'])
    expect(acts('就快说完了,您再听我说一句。')).toEqual([])
  })
  it('我又没求着您 defies', () => {
    expect(acts('我又没求着您办。')).toEqual(['defiance'])
  })
})

describe('session 13 frames: 这个真没辙, the agent a mere executor of the rule, 嫌贵就别用了', () => {
  it('helplessness after a demonstrative topic; not with help after it', () => {
    expect(acts('这个真没辙。')).toEqual(['refusal'])
    expect(acts('这事儿我们也没辙,不过我帮您申请一下。')).toEqual([])
  })
  it('我们只能照办 ends the matter; with the way on it does not', () => {
    expect(acts('条款就在那儿,我们只能照办。')).toEqual(['refusal'])
    expect(acts('我们只能按规定来,不过我可以帮您申请加急。')).toEqual([])
  })
  it('嫌贵就别用了 sends the customer off; 觉得贵 with the customer\'s own wish does not', () => {
    expect(acts('嫌贵就别用了。')).toEqual(['brush_off'])
    expect(acts('您要是觉得贵,那就先别办了。')).toEqual([])
  })
})

describe('我解决不了 after 没办法 in an unpunctuated line', () => {
  it('the reassurance needs its 的 (没有我们解决不了的问题); 没办法 before it does not clear the helplessness', () => {
    expect(acts('那我也没办法这事我解决不了')).toEqual(['refusal'])
    expect(acts('您放心,没有我们解决不了的问题。')).toEqual([])
  })
})

describe('the superior called 头儿', () => {
  it('找我们头儿去 brushes off; the agent going to find them does not', () => {
    expect(acts('这事您找我们头儿去。')).toEqual(['brush_off'])
    expect(acts('我现在就去找我们头儿,马上给您回复。')).toEqual([])
  })
})
