/**
 * Whether a guarantee is one the agent can give (features/promise.ts), through the whole per-utterance decision:
 * guarantees of outcomes the agent does not control, discounts and waivers handed out, exact times — beside
 * guarantees of the agent's own doing (calling back, texting, following the case through) and guarantees disowned.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { disownedGuarantee, ownActGuarantee } from './promise.js'

const rulebook = loadDefaultRulebook()
const promised = (text: string): boolean => detectUtterance(rulebook, { speaker: 'agent', text }).some((f) => f.rule === 'overpromise')

const PROMISED: string[] = [
  // Outcomes the agent does not control.
  '我保证半小时内就能上网,您放心。',
  '您放心,到了那边保证有满格信号。',
  '工程师明天上午肯定上门。',
  '这笔费用一定给您退,您等着就行。',
  '师傅到了以后包修好。',
  '换了新卡以后在哪儿都不会掉线。',
  // Waivers and compensation handed out.
  '这个月的功能费我帮您也免了。',
  '我直接给您把滞纳金全免了。',
  '延误的这几天我给您按每天十块钱补。',
  '月租我这边做主给您减二十。',
  '今晚十二点之前准给您开通。',
  '这个钱我一分不少地给您追回来。',
  '办了以后每月话费保证降到六十以下。',
  '这事我替您拍板了,月租直接打八折。',
  '您这个月随便用,用多少我都不收钱。',
  '我保证您改了套餐之后每个月起码省三十。',
  '押金明天中午前肯定退到您账上。',
  '这个月的超额费用我替您扛了。',
  '网速慢的问题三天内包解决,解决不了您找我。',
  '充值五分钟内必到账。',
  '我保证下个月账单一分钱都不会多扣,打电话告诉您也行。',
]
const WITHIN_POWER: string[] = [
  // The agent's own doing.
  '我能保证的是,每天下午我都给您打个电话说进度。',
  '我向您保证,这件事我会一直跟进到底,有消息第一时间通知您。',
  '我保证今天之内把您的情况写进工单,提交给主管。',
  // Disowned.
  '现在跟您打包票那是对您不负责,要等检测结果。',
  '一定能退这种话我说了不算,要看审核。',
  // A hedged estimate, a published policy.
  '一般二十四小时之内到账,具体以短信为准。',
  '质保期内有质量问题是包退包换的。',
  // The operator's duty, not a service outcome.
  '您的信息我们绝对保密,不会泄露。',
  // Effort, and a quantity.
  '我保证会尽最大努力帮您协调。',
  '百分之百的新用户都可以领这个券。',
  // Certainty of a refusal (forbidden_phrase's, not a promise).
  '这个钱肯定不给您退。',
  // Compensation for our own error, put right first (tune13a): the company's amends, not the agent's gift.
  '多收的二十元今天就会退回,另外给您赠送两个G流量作为补偿。',
]

describe('promise: guarantees the agent can and cannot give', () => {
  for (const text of PROMISED) it(`promises: ${text}`, () => expect(promised(text)).toBe(true))
  for (const text of WITHIN_POWER) it(`within power: ${text}`, () => expect(promised(text)).toBe(false))
  it('own_act: the agent texting, not a repair', () => {
    const t = '我保证,一有结果我就给您发短信.'
    expect(ownActGuarantee(t, 1, 3)).toBe(true)
    const u = '我保证,明天给您修好,修好了给您发短信.'
    expect(ownActGuarantee(u, 1, 3)).toBe(false)
  })
  it('disowned: only after the guarantee, in its sentence', () => {
    expect(disownedGuarantee('现在打包票是对您不负责.', 4)).toBe(true)
    expect(disownedGuarantee('我打包票.您别不负责任地乱点.', 3)).toBe(false)
  })
})
