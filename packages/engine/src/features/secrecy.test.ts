/**
 * internal_disclosure's secrecy frames (features/secrecy.ts), through the whole per-utterance decision: what is told by
 * kind — another customer's case, staff matters, targets and pay, internal processes, internal prices and unpublished
 * offers, faults told as inside knowledge — beside the look-alikes of each kind (refusals to tell, public notices,
 * published offers, the customer's own account, the agent's own apology or staff training promised).
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'

const rulebook = loadDefaultRulebook()
const disclosed = (text: string): boolean => detectUtterance(rulebook, { speaker: 'agent', text }).some((f) => f.rule === 'internal_disclosure')

const TOLD: [kind: string, text: string][] = [
  ['other customer', '您家楼下那位李阿姨上个月也退了两百块。'],
  ['other customer', '刚才有个小伙子也是这个套餐,他一个月用了六十多个G。'],
  ['other customer', '那个号码的机主姓邓,就住您那个小区。'],
  ['family member', '您儿子前天也打过来了,他那个号也欠着费呢。'],
  ['staff', '之前给您装机的那个师傅已经辞职了。'],
  ['staff', '我们组长这两天休假,没人签字。'],
  ['employment', '跟您说,我们其实是外包公司的,权限很小。'],
  ['staff penalty', '您要是点了不满意,我这个月的奖金就泡汤了。'],
  ['quota', '这个月的业绩还差一大截,您就当帮帮忙。'],
  ['workload', '我们每人每天得推满三十个宽带续约。'],
  ['commission', '咱这边每卖一台合约机能拿五十块。'],
  ['withheld', '这类投诉到了后台一般先放着,过了月底才处理。'],
  ['inside rule', '领导让我们这么跟客户说的,其实没那么复杂。'],
  ['discretion', '这个费用后台能直接减免,只是一般不给客户减。'],
  ['concealment', '上周那次断网是机房出事了,公司不让我们对外说。'],
  ['label', '您在系统里被标记成"流失预警客户"了。'],
  ['internal price', '员工自己办才一百二一年,您这是对外价。'],
  ['unpublished', '其实有个挽留专用的套餐,比您现在便宜一半。'],
  ['candour', '不瞒您说,这个审批要过四道手,谁都嫌烦。'],
  ['inside fault', '说实话,你们那栋楼的光交箱早就老化了,一直没换。'],
  ['dialect self', '俺们这边一天得打满一百个外呼电话。'],
]

const NOT_TOLD: [kind: string, text: string][] = [
  ['refusal to tell', '其他用户的套餐情况我们是不能透露的,请您理解。'],
  ['refusal to tell', '员工的个人情况我这边不方便跟您讲。'],
  ['generic others', '很多用户都问过这个问题,我跟您详细说一下。'],
  ['customer asked', '麻烦您报一下机主姓名,我核实一下身份。'],
  ['public notice', '这次光缆抢修我们已经发过短信通知了,预计今晚恢复。'],
  ['published offer', '这个是公开的活动,营业厅和App上都能办。'],
  ['staff training promised', '我们会加强对工作人员的培训和考核,给您一个满意的服务。'],
  ['own account', '系统显示您这个月的话费已经出账了。'],
  ['self intro', '我是新来的,有讲得不清楚的地方您多包涵。'],
  ['dare (forbidden)', '您尽管去投诉,大不了扣我工资。'],
  ['rushing (forbidden)', '您快点说吧,我们一天要打两百个电话。'],
  ['not yet known', '新资费还没公布,具体的我也不清楚。'],
  ['retention denied', '您要转网我们也没有什么挽留优惠可以给您。'],
  ['signal standard', '如测速未达标,您可以在网页上直接反馈。'],
  ['echo', '您说这是我们偷偷给您开的,我帮您查一下开通记录。'],
]

describe('internal_disclosure: secrecy frames', () => {
  it.each(TOLD)('tells (%s): %s', (_kind, text) => expect(disclosed(text)).toBe(true))
  it.each(NOT_TOLD)('tells nothing (%s): %s', (_kind, text) => expect(disclosed(text)).toBe(false))
})
