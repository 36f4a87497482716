/**
 * Greeting and closing as words (near-sound greetings, 好 to the person addressed, the adverb 好好, a
 * greeting quoted; farewells by sound, 明天见, a hostile blessing, a closing owed when the agent hangs up
 * after the customer spoke to them) and complaint_risk's threats that threaten nothing, through the real monitor.
 */
import { describe, expect, it } from 'vitest'
import type { CallEnded, CallStarted, Finding, Utterance } from '@callqa/protocol'
import { CallMonitor, loadDefaultRulebook } from '../index.js'

const rulebook = loadDefaultRulebook()
const CALL = 'c-20261202-0400'
const started: CallStarted = { type: 'call.started', callId: CALL, agentId: 'a-4', teamId: 't-2', direction: 'outbound', at: '2026-12-02T04:00:00.000Z' }
const say = (speaker: 'agent' | 'customer', seq: number, text: string): Utterance => ({ type: 'utterance', callId: CALL, seq, speaker, text, startMs: seq * 4000, endMs: seq * 4000 + 3000, final: true })
const end = (disposition: CallEnded['disposition'], hungUpBy?: 'agent' | 'customer'): CallEnded => ({ type: 'call.ended', callId: CALL, endMs: 60_000, disposition, ...(hungUpBy ? { hungUpBy } : {}) })

function run(events: (Utterance | CallEnded)[]) {
  const monitor = new CallMonitor(rulebook, started)
  const findings: Finding[] = []
  for (const e of events) findings.push(...monitor.feed(e).findings)
  return { findings, report: monitor.report() }
}
const rules = (findings: Finding[]) => findings.map((f) => f.rule)

describe('greeting', () => {
  it('counts a near-sound greeting standing alone (宁好, 林好)', () => {
    for (const text of ['宁好，这里是中国移动。', '林好，我是客服小马。']) expect(run([say('agent', 1, text), say('agent', 2, '请问是唐女士吗？'), end('success')]).report.metrics.greeted).toBe(true)
  })

  it('does not count one glued inside other words (安宁好, 树林好)', () => {
    for (const text of ['小区很安宁好住。', '那片树林好大。']) expect(run([say('agent', 1, text), say('agent', 2, '请问是唐女士吗？'), end('success')]).report.metrics.greeted).toBe(false)
  })

  const greeted = (text: string) => run([say('agent', 1, text), say('customer', 2, '嗯。'), say('agent', 3, '请问是唐女士吗？'), end('success')]).report.metrics.greeted

  it('counts 好 said to the person addressed, 您早, a festival named without 节 (王先生好, 中秋愉快, 新春大吉)', () => {
    for (const text of ['您好大哥，我是移动的小李。', '您好我是中国移动的小李', '您好贵姓', '王先生好，我是中国移动的小李。', '阿姨好，这边是10086。', '王先生您早，我是中国移动的小李。', '邹先生，早！我是移动的小潘。', '唐女士，中秋愉快！我是移动客服。', '新春大吉，这里是中国移动。', '早晨好，这里是中国移动。'])
      expect(greeted(text), text).toBe(true)
  })

  it('decides live once the agent has only made line checks for a while, not at each final of the call', () => {
    const monitor = new CallMonitor(rulebook, started)
    const raised: Finding[] = []
    for (let seq = 1; seq <= 20; seq += 2) {
      raised.push(...monitor.feed(say('agent', seq, '喂？')).findings)
      raised.push(...monitor.feed(say('customer', seq + 1, '喂？')).findings)
    }
    expect(monitor.live().greeted).toBe(false)
    expect(rules(raised)).toContain('missing_greeting')
  })

  it('does not count the agent line checks among the first two (喂？… 喂，能听到吗？ → 您好)', () => {
    const open = [say('agent', 1, '喂？'), say('customer', 2, '喂？'), say('agent', 3, '喂，能听到吗？'), say('customer', 4, '能，你哪位？')]
    expect(run([...open, say('agent', 5, '您好，这里是中国移动10086。'), say('customer', 6, '哦。'), say('agent', 7, '王女士，您的话费欠了五十六块。'), end('success')]).report.metrics.greeted).toBe(true)
    const late = [...open, say('agent', 5, '王女士，您的话费欠了五十六块。'), say('customer', 6, '啊？'), say('agent', 7, '今天之内要交上。'), say('customer', 8, '哦。'), say('agent', 9, '您好您好，您别急。'), end('success')]
    const { findings, report } = run(late)
    expect(report.metrics.greeted).toBe(false)
    expect(findings.filter((f) => f.rule === 'missing_greeting').map((f) => f.seq)).toEqual([1])
  })

  it('does not count 好 the degree adverb (晚上好几次, 您好长时间, 你好厉害), the adverb 好好, a greeting quoted as a modifier, or 好 of another word after an address', () => {
    for (const text of ['喂，您家宽带晚上好几次掉线是吧？', '喂，您好长时间没充值了。', '喂，你好厉害，用了这么多流量。', '喂，短信你好好看一下。', '喂，唐女士，您中秋节快乐那条祝福短信发出去了吗？', '喂，中秋节快乐的短信您收到了吗？', '喂，王先生好像不在家？', '喂，阿姨好些了吗？', '喂，时间还早，我是移动的。'])
      expect(greeted(text), text).toBe(false)
  })
})

describe('closing', () => {
  const GREET = say('agent', 1, '您好，这里是中国移动。')

  it('is owed when the agent hangs up an abandoned call after the customer spoke', () => {
    const { findings } = run([GREET, say('customer', 2, '你们太坑了。'), say('agent', 3, '那就这样。'), end('abandoned', 'agent')])
    expect(rules(findings)).toContain('missing_closing')
  })

  it('is not owed when the customer hung up an abandoned call, and is met by a farewell', () => {
    expect(rules(run([GREET, say('customer', 2, '我在开车。'), end('abandoned', 'customer')]).findings)).not.toContain('missing_closing')
    expect(rules(run([GREET, say('customer', 2, '别打了。'), say('agent', 3, '打扰您了，再见。'), end('abandoned', 'agent')]).findings)).not.toContain('missing_closing')
  })

  const closes = (text: string) => run([GREET, say('customer', 2, '好的。'), say('agent', 3, text), end('success', 'agent')]).report.metrics.closed

  it('hears a blessing glued to its wish (祝你幸福), a clause that sounds like a farewell (白白, 在 见, bye bye), a time to meet again (明天见)', () => {
    for (const text of ['好的，祝你幸福。', '那祝你好运。', '嗯好的，那白白。', '好的，在 见。', '好的，bye bye。', '好的，那咱们明天见。', '那周四上午营业厅见。', '那不打扰您休息了，晚安。'])
      expect(closes(text), text).toBe(true)
  })

  it('does not hear a farewell where 见 is the verb (再见不到, 回头见了经理, 再见一次面, 一会儿再见面, 下次再见到), nor in 祝贺您, 白白浪费, 还在建', () => {
    for (const text of ['以后再见不到这么便宜的套餐了。', '那您回头见了经理再说。', '我们再见一次面吧。', '祝贺您中奖了。', '不然流量就白白浪费了。', '新基站还在建。', '那您到了营业厅，我们一会儿再见面核对资料。', '下次再见到这种短信直接删掉。'])
      expect(closes(text), text).toBe(false)
  })

  it('is not owed when the agent ends an abandoned call where the customer only said 喂 or 听不清', () => {
    const ask = say('agent', 3, '喂，您能听到我说话吗？')
    for (const text of ['喂？喂？听不清……', '喂？']) expect(rules(run([GREET, say('customer', 2, text), ask, end('abandoned', 'agent')]).findings), text).not.toContain('missing_closing')
    expect(rules(run([GREET, say('customer', 2, '喂？听不清，你们是不是又要推销？'), ask, end('abandoned', 'agent')]).findings)).toContain('missing_closing')
  })

  it('takes the customer farewell last after any offer of further help (还有什么要咨询的吗, 还有别的吗), not after a question of fact', () => {
    const after = (offer: string) => run([GREET, say('customer', 2, '好。'), say('agent', 3, '已经给您办好了。'), say('customer', 4, '行。'), say('agent', 5, offer), say('customer', 6, '没有了，再见。'), end('success', 'agent')]).report.metrics.closedBy
    for (const offer of ['请问还有什么要咨询的吗？', '您还有其他想了解的吗？', '还有哪里不清楚的吗？', '还有别的吗？']) expect(after(offer), offer).toBe('customer_farewell')
    expect(after('您还有其他号码吗？')).toBeFalsy()
  })

  it('does not take a blessing of a complaint for a farewell (祝您投诉顺利)', () => {
    const { findings, report } = run([GREET, say('customer', 2, '我去投诉。'), say('agent', 3, '那就这样，祝您投诉顺利。'), end('success')])
    expect(report.metrics.closed).toBe(false)
    expect(rules(findings)).toEqual(expect.arrayContaining(['missing_closing', 'sarcasm']))
  })
})

describe('complaint_risk', () => {
  it('stays quiet on a complaint already running and on advice the customer reports', () => {
    for (const text of ['我都投诉了三个星期了。', '之前客服让我找你们领导，我也没找到。']) expect(rules(run([say('customer', 1, text)]).findings)).not.toContain('complaint_risk')
  })

  it('still fires on a threat', () => {
    for (const text of ['我要投诉你。', '你们再拖我就打12315。', '你把你们领导电话给我。']) expect(rules(run([say('customer', 1, text)]).findings)).toContain('complaint_risk')
  })
})
