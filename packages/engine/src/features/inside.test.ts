/**
 * Who the information belongs to (features/inside.ts) through the whole per-utterance decision: the inside told
 * with an insider's framing, the inside's wish to hide it, the agent marking a leak, another customer's account;
 * and the look-alikes that tell nothing of the inside (a plan compared, a public notice, the customer's own family,
 * a refusal to tell, an apology for our error).
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { insideCues } from './inside.js'

const rulebook = loadDefaultRulebook()
const disclosed = (text: string): boolean => detectUtterance(rulebook, { speaker: 'agent', text }).some((f) => f.rule === 'internal_disclosure')

const TOLD: string[] = [
  // Candour about the inside.
  '不瞒您说,我们主管这个月也在为这事发愁。',
  '说白了就是我们后台那套东西是十年前的老系统了。',
  '跟您说句心里话,我们这边的同事都不愿意接这种单子。',
  // The inside's wish to hide it, or its orders.
  '这个情况上面是不让我们跟用户说的。',
  '公司对外的口径是线路检修,其实不是。',
  '我们经理定的,这种单子先放一放。',
  // The agent marking a leak.
  '您千万别说是我告诉您的啊。',
  '这个我也是提前透露给您,正式通知还没出来。',
  '这话您可别到处讲,传出去我就被处分了。',
  // Another customer's account.
  '楼下那户上个月欠了两百多块话费。',
  '这个号码登记的机主姓郑,就在您附近。',
  '另外一个客户跟您同一天办的,他每个月交九十八。',
  '他们家那个宽带账号欠了三个月的费了。',
  '那个号码的主人叫刘建国,是做建材生意的。',
  '您邻居家的宽带也是我们装的,他交的是一年六百。',
  // A colleague's standing, the inside's order to stall.
  '营业厅那个小姑娘是新来的,还在试用期,业务不熟。',
  '上头交代了,这类投诉能拖就拖。',
  '我们区域经理前几天刚被撤职了。',
  // Only an insider gives the inside story, whatever it is about.
  '跟您透个实底,这个价只给大客户。',
  '您问的那个号码是一个姓周的先生在用。',
  '这批号码暂时不对普通用户开放。',
  '公司今年效益不好,补贴都砍了。',
  '这事我们反映过好几次,领导根本不当回事。',
  '这个号码的前机主欠了好几百没还,才被回收的。',
  '我们领导交代了,要退费的先劝着。',
  '内部已经定了明年停掉这个老套餐,只是还没发通知。',
  '他们店长前几天刚被调走了。',
]
const NOT_TOLD: string[] = [
  // Candour about a plan or the customer's own bill.
  '说实话,这个套餐对您来说确实更划算一些。',
  '不瞒您说,您这个月的流量确实用得比较多。',
  // A refusal to tell, a fraud warning.
  '其他用户的信息我们是不能透露的,还请您理解。',
  '凡是让您别跟别人说、要您转账的电话,都是诈骗。',
  // The customer's own family on the customer's account; a bare 他 who is the engineer.
  '您父亲那张副卡,他每个月用不到五个G。',
  '师傅已经出发了,他大概二十分钟到。',
  // An error owned with an apology.
  '其实是我们同事录入时弄错了,非常抱歉,已经给您改过来了。',
  // Asked, not told.
  '她的号码尾号是多少呢?',
  // Told to another customer, not of one; the agent's own standing; our error owned and put right.
  '我上周跟别的客户也说过,一共有一百多个台。',
  '我是新来的,业务还不太熟,请您稍等一下。',
  '很抱歉,是我们系统扣费出错了,已经给您退回。',
  // Asking the customer for their own number and holder's name; the holder is the customer.
  '请您私信提供一下手机号码和机主姓名,我帮您查一下。',
  '这个号码的机主就是您本人,尾号是3306。',
  // A colleague by surname; the customer not losing out.
  '明天上门的是一位姓王的工程师,他会提前联系您。',
  '我们不会让您吃亏了的,放心。',
]

describe('inside: disclosure by who the information belongs to', () => {
  for (const text of TOLD) it(`tells: ${text}`, () => expect(disclosed(text)).toBe(true))
  for (const text of NOT_TOLD) it(`tells nothing inside: ${text}`, () => expect(disclosed(text)).toBe(false))
  it('is quiet on a sentence with none of its characters', () => expect(insideCues('好的,我帮您办理。')).toEqual([]))
  it('spans the third party to the value told', () => {
    const t = '隔壁那家每个月交一百二十八元'
    const cues = insideCues(t)
    expect(cues.map(([s, e]) => t.slice(s, e))).toEqual(['隔壁那家每个月交一百二十八'])
  })
})

// The disclosure act's own frames (features/acts.ts) widened beside it: faults in other words, a fault the operator
// announced, decided-inside-not-out, targets and pay, colleagues gone; 主要是 is no hypothesis.
describe('disclosure frames: faults, targets, staff', () => {
  const told = [
    '我们计费那套系统这礼拜天天当机。',
    '后台的数据现在是一塌糊涂。',
    '这个统计系统确实有问题,会重复算。',
    '这次调价内部会上已经通过了,只是还没公示。',
    '我们这个季度考核压得很紧。',
    '我这个月要是完不成,奖金就没了。',
    '上周刚走了三个同事,现在忙不过来。',
    '主要是我们人手不够。',
  ]
  const notTold = [
    '因为线路割接,系统昨晚中断了两小时,我们已经发了公告。',
    '您填的信息系统校验不通过,需要重新上传一下照片。',
    '您家里的路由器设备出了问题,建议重启一下。',
    '那位营业员我们内部会核实处理。',
  ]
  for (const text of told) it(`tells: ${text}`, () => expect(disclosed(text)).toBe(true))
  for (const text of notTold) it(`tells nothing inside: ${text}`, () => expect(disclosed(text)).toBe(false))
})
