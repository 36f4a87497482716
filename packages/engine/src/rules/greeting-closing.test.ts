/**
 * Greeting and closing as words (near-sound greetings, a hostile blessing, a closing owed when the agent
 * hangs up) and complaint_risk's threats that threaten nothing, through the real monitor.
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
