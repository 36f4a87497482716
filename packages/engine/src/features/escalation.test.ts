import { describe, expect, it } from 'vitest'
import { detectUtterance, loadDefaultRulebook } from '../index.js'

const rulebook = loadDefaultRulebook()
const alerts = (text: string): boolean =>
  detectUtterance(rulebook, { speaker: 'customer', text }).some((f) => f.rule === 'complaint_risk')

describe('escalation (complaint_risk on customer speech)', () => {
  it.each([
    '你们再不给我退款我就打12315',
    '我现在就打幺二三幺五 你信不信',
    '行 你们不退是吧 那我打要二三要五 让他们来跟你们说',
    '我去派出所报案 就说你们诈骗',
    '你们就等着上新闻吧',
    '我拍个视频发快手 让老铁们评评理',
    '算了算了跟你说不通 我找消费协会去',
    '消协电话多少 你告诉我',
    '工信部能管吗?',
    '你叫什么名字 我投诉你',
    '我老婆说要投诉你们',
    // A warning to the company where a channel is named, evidence handed to one, the channel as what happens otherwise.
    '我跟你讲我是做自媒体的 我一条视频几十万播放 你们想好了',
    '我表哥在电视台上班 我这就把录音发给他',
    '今天不给我处理 否则我们法院见',
    // The channel made the one who acts, a third party as the object, a pronoun standing for the channel.
    '这事我看只能让消协来管了',
    '我要打他们电视台的热线 把你们这事曝出来',
    '我去找记者 他们最爱报道你们这种公司',
    // A dare is no negation; a clause left hanging on 那个 goes on in the next.
    '你们真不怕上315是吧',
    '我要上那个 那个抖音 拍你们这个服务',
    '我现在就开直播 让大家评评理',
  ])('alerts on a committed escalation: %s', (text) => {
    expect(alerts(text)).toBe(true)
  })

  it.each([
    ['negated', '我不会去消协的 你帮我看看物流就行'],
    ['condition on someone else', '要是别人碰到这种事估计早就打12315了 我脾气好'],
    ['generic self-description', '我不是那种动不动就打12315的人 你帮我看看就行'],
    ['past and settled', '我上个月在工信部申诉过 已经结案了 就想确认一下退的钱到账没有'],
    ['status of an existing complaint', '是我,我投诉信号的事处理得怎么样了?'],
    ['running complaint', '我都投诉了三个星期了。'],
    ['quoted own words', '我刚才态度不好 还说要投诉你 不好意思啊'],
    ['third party past', '我邻居说他打过12315 我也不知道有没有用'],
    ['process question', '投诉跟建议是同一个入口吗 我就是想提个小建议'],
    ['deliberation', '有人冒充你们客服给我打电话要验证码 我要不要报警啊'],
    ['in-channel ticket', '帮我投诉一下那个商家 他一直不发货'],
    ['praise', '我要在微博上夸夸你们 这次服务太好了'],
    ['joke', '哈哈你们再不发货我就要去315了 开玩笑的 不急'],
    ['withdrawn', '本来想曝光你们的 现在问题解决了 就不发了'],
    ['number in a card', '我的会员卡号后五位是12315'],
    ['广告 is no accusation', '我在抖音上看到你们的广告 就想问问这个套餐'],
    ['a warning with no channel', '问题已经解决了 你们自己掂量一下为什么吧'],
    ['a wondering question to the company', '我是做媒体的 你们想好了吗 这个活动还办不办'],
    ['number in a phone', '收货电话是13912315806'],
    ['amount', '这个券是满315减50是吧'],
    ['workplace', '我在市场监管局上班 单位要装个宽带 要什么材料'],
    ['seen on a platform', '我在抖音上看到你们直播间的优惠券 怎么领'],
    ['watching videos', '流量不太够用,视频都不敢看,我想问问有没有别的办法。'],
  ])('no alert when %s: %s', (_kind, text) => {
    expect(alerts(text)).toBe(false)
  })

  it('waits for the final: a partial raises nothing (a joke may end the utterance)', () => {
    const found = detectUtterance(rulebook, { speaker: 'customer', text: '我要投诉你们。再不退我就打12315。' }, { partial: true })
    expect(found.filter((f) => f.rule === 'complaint_risk')).toEqual([])
  })

  it('never on the agent', () => {
    expect(detectUtterance(rulebook, { speaker: 'agent', text: '您可以拨打12315投诉' }).some((f) => f.rule === 'complaint_risk')).toBe(false)
  })
})
