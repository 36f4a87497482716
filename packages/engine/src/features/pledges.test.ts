/**
 * overpromise's pledge frames (features/pledges.ts), through the whole per-utterance decision: benefits the agent
 * hands out on its own word, authority claimed, certainty of outcomes others decide, absolutes, failure answered by the
 * agent — beside promises within the agent's power, hedged estimates, published offers and policy under verification.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'

const rulebook = loadDefaultRulebook()
const promised = (text: string): boolean => detectUtterance(rulebook, { speaker: 'agent', text }).some((f) => f.rule === 'overpromise')

const PROMISED: [kind: string, text: string][] = [
  ['grant', '这三个月的滞纳金我直接帮您全部抹掉。'],
  ['grant', '我给您一笔勾销,那六十块您不用管了。'],
  ['grant', '我每个月给您多返三十块话费。'],
  ['grant (dialect self)', '俺给您多加两千积分,您看行不。'],
  ['reissued lapsed benefit', '流量券过期了没事,我给您重新发一张。'],
  ['authority', '这事儿我自己就能拍板,您就放心续吧,给您按老价格。'],
  ['authority', '月租我给您降到四十八,这个我说了算。'],
  ['word to others', '我跟装维那边打个招呼,下午就能给您装上。'],
  ['certain outcome', '换了这张卡您放心,保证十年不出毛病。'],
  ['certain outcome', '您的赔偿申请我保证批得下来。'],
  ['certain arrival', '明天早上九点之前,师傅肯定到您家。'],
  ['certain tag', '这个月底就能全部恢复,百分之百。'],
  ['absolute', '这个价格终身有效,以后都不会变。'],
  ['absolute', '办了这个以后,您全家都不用再交月租了。'],
  ['absolute', '不管什么原因,这笔钱我都给您退回去。'],
  ['failure answered', '要是再扣您一分钱,我个人给您兜底。'],
]

const WITHIN: [kind: string, text: string][] = [
  ['within power', '我现在就帮您把这个包退订掉,下个月就不扣了。'],
  ['within power', '流量包我现在给您加上,十块钱五个G,马上生效。'],
  ['within power', '我一定把您的号码加进免打扰名单。'],
  ['within power', '卡被快递送错了,我给您重新发一张。'],
  ['within power', '我把营业厅的地址发到您手机上。'],
  ['within power', '好的,我帮您把套餐改成五十八的,下个月生效。'],
  ['plan change', '我帮您把套餐降到三十八的,下个月生效。'],
  ['effort', '我一定帮您把减免申请递上去,批不批要等结果。'],
  ['hedged estimate', '一般三到五个工作日退款会原路返回。'],
  ['published offer', '现在办这个套餐送半年会员,这是官方活动。'],
  ['policy under verification', '如果核实确实是多扣的,一定给您退回。'],
  ['ongoing', '确实在退款中了,钱肯定会到账的,您耐心等待。'],
  ['purpose', '连上WiFi以后点更新,保证杂志能够正常下载。'],
  ['instruction', '预付费号码需保证帐户中有余额才能正常使用。'],
  ['customer asks', '不着急,您找到设置那个图标以后跟我说一声就行。'],
  ['customer demand restated', '您要我给您免费升千兆,这个我真做不到。'],
  ['cited', '同事说的是"可以申请",没说"肯定免费"。'],
  ['denied', '这个我没法跟您打包票,不过我会一直帮您跟进。'],
  ['refusal', '这个钱肯定不给您退,这是合同约定的。'],
]

describe('overpromise: pledge frames', () => {
  it.each(PROMISED)('promises (%s): %s', (_kind, text) => expect(promised(text)).toBe(true))
  it.each(WITHIN)('promises nothing beyond its power (%s): %s', (_kind, text) => expect(promised(text)).toBe(false))
})
