/**
 * The chapter 8 kinds by structure added in session 9 (features/acts.ts, "Session 9" comments), written fresh,
 * not copied from the tuning set (eval/data/tune9c): each fires on its form with the words its span covers,
 * and the look-alike beside it (the same words said sincerely, of others, as advice, hedged) stays quiet for
 * all three chapter 8 rules.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'

const rulebook = loadDefaultRulebook()
const CHAPTER8 = ['pointing_out_mistake', 'scolding', 'sarcasm']

const said = (rule: string, text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === rule)
    .flatMap((f) => (f.spans ?? []).map((s) => text.slice(s.start, s.end)))

const HITS: [rule: string, text: string, words: string][] = [
  ['scolding', '你们这些年轻客户就是这样，办完业务从来不看短信。', '你们这些年轻客户就是这样，办完业务从来不看'],
  ['scolding', '现在的客户都一样，出了事就找客服。', '现在的客户都一样，出了事就找'],
  ['scolding', '自己的套餐自己心里要有数。', '自己心里要有数'],
  ['scolding', '不能什么都指望客服帮您盯着。', '不能什么都指望'],
  ['scolding', '办之前就应该问清楚资费。', '就应该问'],
  ['scolding', '这点基本常识总得有吧。', '总得有吧'],
  ['scolding', '钱充错了只能怪自己。', '只能怪自己'],
  ['scolding', '您就没注意到短信里写的截止日期吗？', '您就没注意到短信里写的截止日期吗'],
  ['scolding', '这是您自己填的地址，您都不记得了吗？', '您自己填的地址，您都不记得了吗'],
  ['scolding', '那么大的红字您是闭着眼看的吗？', '闭着眼看的吗'],
  ['scolding', '这么简单的验证码都输不对。', '这么简单的验证码都输不对'],
  ['scolding', '转个账都能转漏一位。', '转个账都能转漏'],
  ['scolding', '这么简单的设置弄了半小时还没弄好。', '这么简单的设置弄了半小时还没弄好'],
  ['scolding', '路由器都不会用还说网不好。', '路由器都不会用'],
  ['scolding', '您也敢把验证码告诉别人？', '您也敢把'],
  ['scolding', '孩子半夜打游戏您也不管。', '您也不管'],
  ['scolding', '自己不看短信还说是我们没通知。', '还说是我们'],
  ['scolding', '怎么就成了我们的问题了？', '就成了我们的问题'],
  ['scolding', '这会儿才来问有什么用。', '这会儿才来问有什么用'],
  ['scolding', '这种问题本来就不需要打电话来问。', '本来就不需要打电话'],
  ['scolding', '您办之前都不核对一下吗？', '您办之前都不核对一下吗'],
  ['scolding', '说停就停，也不想想后果。', '也不想想后果'],
  ['scolding', '您先查查是不是自己没交费再打过来。', '先查查是不是自己没交费再打过来'],
  ['scolding', '别一张嘴就说我们乱收费。', '别一张嘴就说'],
  ['scolding', '我就是实话实说，话是难听了点。', '我就是实话实说'],
  ['scolding', '我什么意思您心里有数。', '您心里有数'],
  ['scolding', '我哪里不客气了？', '我哪里不客气'],
  ['scolding', '您发火就没道理了。', '您发火就没道理'],
  ['scolding', '说了多少次还是有人不看通知。', '还是有人不看'],
  ['sarcasm', '我脾气可真好，陪您聊了一个钟头。', '我脾气可真好'],
  ['sarcasm', '行，您说没收到那就是没收到。', '您说没收到那就是没收到'],
  ['sarcasm', '钱自己长腿跑了呗。', '自己长腿'],
  ['sarcasm', '对，您当然看过了，只不过看的是别人的账单。', '对，您当然看过了，只不过'],
  ['sarcasm', '您怎么可能记错呢？', '您怎么可能记错呢'],
  ['sarcasm', '我们哪里都不好，就别家好。', '我们哪里都不好'],
  ['sarcasm', '您一点脾气都没有，是我太敏感了。', '一点脾气都没有'],
  ['sarcasm', '岂敢岂敢，您批评得都对。', '岂敢岂敢'],
  ['sarcasm', '我们哪伺候得起您这样的客户。', '我们哪伺候得起'],
  ['sarcasm', '您这么金贵的手机，我哪敢乱碰。', '您这么金贵'],
  ['sarcasm', '您是领导，您说怎样就怎样。', '您是领导'],
  ['sarcasm', '下次再订，省得您又说我们没提醒。', '省得您又说'],
  ['sarcasm', '您干脆把手机锁柜子里，一了百了。', '干脆把手机锁柜子里，一了百了'],
  ['sarcasm', '打游戏的时间倒是都有了吧。', '倒是都有了吧'],
  ['sarcasm', '您倒挺在行，专挑最贵的买。', '倒挺在行'],
  ['sarcasm', '您这眼神真是一流，合同上的大字愣是没看见。', '您这眼神真是一流'],
  ['sarcasm', '您可真谦虚，五十个G都不算多。', '您可真谦虚'],
  ['sarcasm', '您这毅力真让人佩服，试了二十次才输对。', '您这毅力真让人佩服'],
  ['pointing_out_mistake', '您交话费总是晚了三天，所以才被停机。', '您交话费总是晚了三天'],
  ['pointing_out_mistake', '是您自己回复了确认短信。', '是您自己回复了'],
  ['pointing_out_mistake', '您出国前没开通漫游，所以才打不出去。', '您出国前没开通漫游，所以才'],
  ['pointing_out_mistake', '您拨号时多加了一个区号。', '您拨号时多加了'],
  ['pointing_out_mistake', '您忘记关自动续费了。', '您忘记关'],
  ['scolding', '我过分了？', '我过分了？'],
]

// Innocent look-alikes: reassurance of people in general, advice, a genuine question, the agent's own patience
// offered, things that work by themselves, sincere concession and deference, praise denied or of ourselves.
const QUIET: string[] = [
  '很多客户都一样，刚开始都不太会用这个APP。',
  '现在的用户都是这样办理的，很方便。',
  '您自己要注意保管好密码哦。',
  '您自己要看好手机，别借给陌生人。',
  '建议您办理之前先问清楚资费。',
  '您不用怪自己，这个很常见。',
  '您就没有收到任何短信吗？',
  '您是没收到还是没看到？',
  '师傅说这么简单的问题都修不好，他也很抱歉。',
  '这点小问题都不会影响使用。',
  '老人手机都不会用很正常，我教您。',
  '这个功能很多人都能用错，您别担心。',
  '您也不用管，系统会自动处理。',
  '您先看看短信，如果没有再打电话过来。',
  '别一上来就用大流量，先看看套餐余量。',
  '我实话实说，这个套餐确实不适合您。',
  '您心里有数就行，我们随时为您服务。',
  '您发火我能理解，换我也着急。',
  '我很有耐心的，您慢慢说。',
  '我们有的是时间，您慢慢来，不着急。',
  '您说要退那就退，我这就帮您办。',
  '系统会自己扣费，您不用操心。',
  '后台应用自己跑了不少流量，我教您关掉。',
  '对，您当然可以退，只是要扣手续费。',
  '您怎么可能记错呢，是我们系统显示延迟了。',
  '我们哪能让您白跑一趟。',
  '您是老板的话，可以办集团套餐。',
  '免得您又来回跑，我直接帮您办了。',
  '别等到月底才发现流量超了，可以开个提醒。',
  '看好您的手机，别让孩子乱买东西。',
  '换个新光猫，一了百了。',
  '您倒是说说都办了什么业务吧。',
  '我就好奇问一下，您是不是用的双卡手机？',
  '反正都要办，您今天办了就是了。',
  '那是那是，您说了算，就按您说的办。',
  '我们考虑得不够周到，没提醒您停机，真抱歉。',
  '我们的网络质量一流，您这边断网是因为欠费停机了。',
  '您的退款晚了两天到账，非常抱歉。',
  '您说得对，是我们搞错了，马上给您改。',
  '您没收到短信，所以我再给您发一次。',
]

describe('chapter 8 kinds by structure (session 9)', () => {
  it.each(HITS)('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text)).toContain(words)
  })

  it.each(QUIET)('no chapter 8 finding on %s', (text) => {
    for (const rule of CHAPTER8) expect(said(rule, text)).toEqual([])
  })
})
