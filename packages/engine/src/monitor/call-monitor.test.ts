import { describe, expect, it } from 'vitest'
import { ErrorCodes, type CallEnded, type CallStarted, type Finding, type Utterance } from '@callqa/protocol'
import { CallMonitor, loadDefaultRulebook, MAX_UTTERANCES_PER_CALL, parseRulebook } from '../index.js'

const rulebook = loadDefaultRulebook()
const CALL = 'c-20261129-0100'
const started: CallStarted = { type: 'call.started', callId: CALL, agentId: 'a-7', teamId: 't-1', direction: 'outbound', at: '2026-11-29T08:00:00.000Z' }

function agent(seq: number, text: string, startMs: number, endMs: number, extra: Partial<Utterance> = {}): Utterance {
  return { type: 'utterance', callId: CALL, seq, speaker: 'agent', text, startMs, endMs, final: true, ...extra }
}
function customer(seq: number, text: string, startMs: number, endMs: number, extra: Partial<Utterance> = {}): Utterance {
  return { type: 'utterance', callId: CALL, seq, speaker: 'customer', text, startMs, endMs, final: true, ...extra }
}
function ended(endMs: number, disposition: CallEnded['disposition'] = 'success'): CallEnded {
  return { type: 'call.ended', callId: CALL, endMs, disposition }
}
const GREETING = agent(1, '您好,我是中国移动客服小王,请问是李先生吗?', 0, 4000)
const FAREWELL_AT = (seq: number, ms: number) => agent(seq, '感谢您的接听,再见。', ms, ms + 3000)

/** Feeds events, returns every finding `feed` returned (in order) and the monitor. */
function run(events: (Utterance | CallEnded)[], rb = rulebook) {
  const monitor = new CallMonitor(rb, started)
  const findings: Finding[] = []
  for (const e of events) findings.push(...monitor.feed(e).findings)
  return { monitor, findings, report: monitor.report() }
}
const rules = (findings: Finding[]) => findings.map((f) => f.rule)

describe('forbidden_phrase', () => {
  it('raises one critical finding naming the canonical phrase, with the words said as its span', () => {
    const { findings } = run([agent(1, '您好,这个我真的不知道。', 0, 5000)])
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'forbidden_phrase', severity: 'critical', seq: 1, phrase: '不知道', text: '您好,这个我真的不知道。' }),
    ])
    const [f] = findings
    expect(f!.text!.slice(...f!.span!)).toContain('不知道')
  })

  it('does not raise for the customer saying it', () => {
    expect(rules(run([GREETING, customer(2, '我不知道啊,你说的是什么?', 4500, 7000)]).findings)).not.toContain('forbidden_phrase')
  })

  it('does not raise for 不知道 opening a polite question', () => {
    expect(run([agent(1, '您好,不知道您现在方便接听电话吗?', 0, 5000)]).findings).toEqual([])
  })

  it('reports only the longest of overlapping phrases', () => {
    const { findings } = run([agent(1, '这是规定,就不行。', 0, 4000)])
    expect(findings.map((f) => f.phrase)).toEqual(['这是规定,就不行'])
  })

  it('gives one finding per utterance and act, with every span, under a stable id', () => {
    const { findings, report } = run([agent(1, '不行,这个真不行。', 0, 4000), ended(5000)])
    const phrase = findings.filter((f) => f.rule === 'forbidden_phrase')
    expect(phrase.map((f) => f.id)).toEqual(['forbidden_phrase:seq1:refusal'])
    expect(phrase[0]!.spans).toEqual([{ start: 0, end: 2 }, { start: 6, end: 8 }])
    expect(report.deductions.filter((d) => d.rule === 'forbidden_phrase')).toEqual([
      { rule: 'forbidden_phrase', findingId: 'forbidden_phrase:seq1:refusal', points: 10, reason: '服务忌语「不行…不行」 (第1句)' },
    ])
  })
})

describe('missing_greeting', () => {
  it('is decided as soon as the second agent utterance is final', () => {
    const monitor = new CallMonitor(rulebook, started)
    expect(monitor.feed(agent(1, '喂,是李先生吗?', 0, 2000)).findings).toEqual([])
    expect(monitor.live().greeted).toBeNull()
    monitor.feed(customer(2, '是我。', 2500, 3000))
    const second = monitor.feed(agent(3, '我这边是移动公司的。', 3500, 6000)).findings
    expect(second).toEqual([expect.objectContaining({ id: 'missing_greeting', rule: 'missing_greeting', severity: 'major', seq: 1 })])
    expect(monitor.live().greeted).toBe(false)
  })

  it('accepts a greeting in the second utterance, a festival greeting or a welcome', () => {
    for (const text of ['李先生您好。', '李先生,新年好!', '欢迎致电中国移动。', '下午好,李先生。']) {
      const { findings } = run([agent(1, '喂,是李先生吗?', 0, 2000), agent(2, text, 2500, 5000)])
      expect(rules(findings)).not.toContain('missing_greeting')
    }
  })

  it('accepts ASR forms and festival greetings as words; decoys are none', () => {
    const greeted = (text: string) => !rules(run([agent(1, text, 0, 2000), agent(2, '我这边是移动公司的。', 2500, 5000)]).findings).includes('missing_greeting')
    for (const text of ['您 好,我是小王。', '你号,我是移动的。', '您□,这里是中国移动。', '中秋节好,我是小吕。', '重阳节好,王大爷。', '小年快乐,我是小王。', '早啊,李阿姨。']) expect(greeted(text)).toBe(true)
    for (const text of ['喂,您的宽带晚上好像经常掉线?', '国庆节好多人出去旅游。', '你好好考虑了没有?', '晚上,我再打给您。']) expect(greeted(text)).toBe(false)
  })

  it('is decided at call end when the agent spoke only once', () => {
    const { findings } = run([agent(1, '喂,李先生吗?', 0, 2000), ended(3000, 'abandoned')])
    expect(rules(findings)).toEqual(['missing_greeting'])
  })

  it('is not raised when the agent never spoke', () => {
    expect(run([customer(1, '喂?', 0, 800), ended(2000, 'no_answer')]).findings).toEqual([])
  })
})

describe('missing_closing', () => {
  it('is raised at call end when the last two agent utterances say no farewell; thanks alone is none', () => {
    const { findings, report } = run([GREETING, agent(2, '好的,已经为您办理了。', 5000, 8000), agent(3, '谢谢您。', 8500, 9500), ended(10_000)])
    expect(findings).toEqual([expect.objectContaining({ id: 'missing_closing', seq: 3 })])
    expect(report.metrics.closed).toBe(false)
  })

  it('accepts a farewell in the second-to-last agent utterance', () => {
    const { findings, report } = run([GREETING, FAREWELL_AT(2, 5000), agent(3, '嗯。', 8500, 9000), ended(10_000)])
    expect(findings).toEqual([])
    expect(report.metrics.closed).toBe(true)
  })

  it('accepts ASR forms of a farewell and blessings; meeting again is none', () => {
    const closed = (text: string) => run([GREETING, agent(2, text, 5000, 8000), ended(9000)]).report.metrics.closed
    for (const text of ['好的,那就先这样,再□。', '李女士在见。', '不客气,那就先这样,再 见 啊。', '那就不打扰您了,祝您生活愉', '祝您中秋团圆,身体健康。']) expect(closed(text)).toBe(true)
    for (const text of ['好的,那您一会儿到营业厅,我们再见面核对资料。', '明天我们再见个面吧。', '那就这样吧。']) expect(closed(text)).toBe(false)
  })

  it('is closed by the customer taking leave right after the agent offers more help', () => {
    for (const bye of ['没了,拜。', '好,那挂了啊。', '没有了,再见。']) {
      const { findings, report } = run([GREETING, agent(2, '还有什么其他需要吗?', 5000, 7000), customer(3, bye, 7500, 8500), ended(9000)])
      expect(rules(findings)).not.toContain('missing_closing')
      expect(report.metrics.closedBy).toBe('customer_farewell')
    }
    const silent = run([GREETING, agent(2, '还有什么其他问题吗?', 5000, 7000), customer(3, '没有了。', 7500, 8500), ended(9000)])
    expect(rules(silent.findings)).toContain('missing_closing')
  })

  it('is not expected when the customer hung up (abandoned)', () => {
    expect(run([GREETING, ended(6000, 'abandoned')]).findings).toEqual([])
  })
})

describe('speaking_rate', () => {
  // 33 spoken characters (one Latin letter among them); said in 16.5 s = 120 a minute.
  const THIRTY = '您好,我们最近推出了一个新的套餐,每个月一百二十八元,包含三十个G的流量。'
  function talk(msPerUtterance: number, count: number) {
    const events: Utterance[] = []
    let t = 0
    for (let i = 0; i < count; i++) {
      events.push(agent(i + 1, THIRTY, t, t + msPerUtterance))
      t += msPerUtterance + 500
    }
    return events
  }

  it('counts Han characters, digits and Latin words, not punctuation', () => {
    const { report } = run([...talk(15_000, 2), ended(40_000)])
    expect(report.metrics.agentChars).toBe(66)
    expect(report.metrics.agentSpeechMs).toBe(30_000)
    expect(report.metrics.agentCpm).toBe(132)
  })

  it('raises a whole-call finding with direction and cpm outside 96-144', () => {
    const rate = (findings: Finding[]) => findings.filter((f) => f.rule === 'speaking_rate')
    const fast = run([...talk(9_000, 4), ended(40_000, 'abandoned')])
    expect(rate(fast.report.findings)).toEqual([expect.objectContaining({ id: 'speaking_rate:call', direction: 'fast', cpm: 220 })])
    const slow = run([...talk(30_000, 2), ended(70_000, 'abandoned')])
    expect(rate(slow.report.findings)).toEqual([expect.objectContaining({ direction: 'slow', cpm: 66 })])
    // The band's edges are inside: 144 is not fast, 96 is not slow.
    expect(rate(run([...talk(13_750, 2), ended(30_000, 'abandoned')]).report.findings)).toEqual([])
    expect(rate(run([...talk(20_625, 2), ended(50_000, 'abandoned')]).report.findings)).toEqual([])
  })

  it('stays quiet inside the band and below 20 s of agent speech', () => {
    expect(run([...talk(18_000, 3), ended(60_000, 'abandoned')]).report.findings).toEqual([])
    const short = run([...talk(5_000, 3), ended(20_000, 'abandoned')])
    expect(short.report.findings).toEqual([])
    expect(short.report.metrics.agentCpm).toBeNull()
  })

  it('uses word timings for speaking time when given (pauses inside an utterance do not count)', () => {
    const words = [
      { text: '您好', startMs: 0, endMs: 5000 },
      { text: '套餐', startMs: 15_000, endMs: 25_000 },
    ]
    const { report } = run([agent(1, THIRTY, 0, 25_000, { words }), ended(30_000)])
    expect(report.metrics.agentSpeechMs).toBe(15_000)
  })

  it('alerts live once per excursion and again after the rate came back into the band', () => {
    const monitor = new CallMonitor(rulebook, started)
    const live: Finding[] = []
    let t = 0
    // fast, fast, fast, normal x4, fast x3
    for (const [i, ms] of [8000, 8000, 8000, 15_000, 15_000, 15_000, 15_000, 8000, 8000, 8000, 8000].entries()) {
      live.push(...monitor.feed(agent(i + 1, THIRTY, t, t + ms)).findings.filter((f) => f.rule === 'speaking_rate'))
      t += ms + 500
    }
    expect(live.map((f) => [f.id, f.direction])).toEqual([
      ['speaking_rate:live:0', 'fast'],
      ['speaking_rate:live:1', 'fast'],
    ])
    expect(monitor.live().rollingCpm).toBeGreaterThan(144)
  })
})

describe('interruption', () => {
  const LONG = customer(2, '我现在这个套餐用着挺好的,就是每个月流量不太够用,一到月底就得省着用。', 5000, 15_000)

  it('is raised when the agent starts inside a customer utterance, at least 500 ms before its end', () => {
    const { findings } = run([GREETING, agent(3, '那您可以升级到一百二十八元的套餐。', 8000, 12_000), LONG])
    expect(findings).toEqual([expect.objectContaining({ id: 'interruption:seq3', rule: 'interruption', seq: 3, durationMs: 4000, atMs: 8000 })])
  })

  it('is found whichever of the two utterances arrives first', () => {
    const a = run([GREETING, LONG, agent(3, '那您可以升级。', 8000, 12_000)]).findings
    const b = run([GREETING, agent(3, '那您可以升级。', 8000, 12_000), LONG]).findings
    expect(a.map((f) => f.id)).toEqual(['interruption:seq3'])
    expect(b.map((f) => f.id)).toEqual(['interruption:seq3'])
  })

  it('is alerted as soon as a customer partial shows the customer still talking, and recorded once the final confirms it', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed(GREETING)
    const partial = customer(2, '我现在这个套餐用着挺好的,就是', 5000, 9000, { final: false })
    expect(monitor.feed(partial).findings).toEqual([])
    const cut = monitor.feed(agent(3, '那您可以升级到一百二十八元的套餐。', 8000, 12_000))
    expect(cut.findings.map((f) => f.id)).toEqual(['interruption:seq3'])
    expect(cut.line!.findings.map((f) => f.id)).toEqual(['interruption:seq3'])
    expect(monitor.report().findings).toEqual([])
    expect(monitor.feed(LONG).findings).toEqual([])
    expect(monitor.report().findings).toEqual([expect.objectContaining({ id: 'interruption:seq3', durationMs: 4000 })])
    // The other order: the agent's final first, then a customer partial that already covers it.
    const other = new CallMonitor(rulebook, started)
    other.feed(GREETING)
    other.feed(agent(3, '那您可以升级。', 6000, 8000))
    expect(other.feed(partial).findings.map((f) => f.id)).toEqual(['interruption:seq3'])
  })

  it('is not raised for a start in the last 500 ms, after the end, or at the same moment', () => {
    expect(run([GREETING, LONG, agent(3, '好的,明白了。', 14_600, 16_000)]).findings).toEqual([])
    expect(run([GREETING, LONG, agent(3, '好的,明白了。', 15_400, 17_000)]).findings).toEqual([])
    expect(run([GREETING, LONG, agent(3, '好的,明白了。', 5000, 7000)]).findings).toEqual([])
  })

  it('never counts a back-channel of at most 3 spoken characters', () => {
    for (const text of ['嗯。', '对对对', '是的', '好的。', '嗯嗯']) {
      expect(run([GREETING, LONG, agent(3, text, 8000, 8600)]).findings).toEqual([])
    }
    expect(run([GREETING, LONG, agent(3, '对,您说。', 8000, 9000)]).findings.map((f) => f.rule)).toEqual(['interruption'])
  })
})

describe('slow_response', () => {
  const QUESTION = customer(2, '那我现在的套餐每个月多少钱?', 5000, 8000)

  it('is raised when the agent answers a question more than 5 s after it ended', () => {
    const { findings } = run([GREETING, QUESTION, agent(3, '每个月五十八元。', 13_500, 15_000)])
    expect(findings).toEqual([expect.objectContaining({ id: 'slow_response:seq3', durationMs: 5500, atMs: 13_500 })])
  })

  it('is not raised for a prompt answer, or a pause after a statement', () => {
    expect(run([GREETING, QUESTION, agent(3, '每个月五十八元。', 12_900, 15_000)]).findings).toEqual([])
    expect(run([GREETING, customer(2, '我现在用的是五十八元的套餐。', 5000, 8000), agent(3, '好的。', 20_000, 21_000)]).findings).toEqual([])
  })

  it('measures the wait from the end of the customer turn, and finds a question that arrives late', () => {
    const more = customer(4, '我是说包括流量费。', 9000, 11_000)
    expect(run([GREETING, QUESTION, more, agent(3, '五十八元。', 15_000, 16_000)]).findings).toEqual([])
    // A customer who has to prompt is still waiting: 5.5 s of silence around their 1 s 喂?
    const prompt = customer(4, '喂?', 11_000, 12_000)
    expect(run([GREETING, QUESTION, prompt, agent(3, '五十八元。', 14_500, 16_000)]).findings).toEqual([
      expect.objectContaining({ id: 'slow_response:seq3', durationMs: 5500 }),
    ])
    // A back-channel during or after the question is no answer.
    const during = agent(5, '嗯。', 6000, 6400)
    const after = agent(6, '嗯嗯。', 9000, 9500)
    expect(run([GREETING, during, after, QUESTION, agent(3, '五十八元。', 14_000, 15_000)]).findings.map((f) => [f.id, f.durationMs])).toEqual([
      ['slow_response:seq3', 6000],
    ])
    const late = run([GREETING, agent(3, '每个月五十八元。', 14_000, 15_000), QUESTION]).findings
    expect(late.map((f) => f.id)).toEqual(['slow_response:seq3'])
  })
})

describe('complaint_risk, internal_disclosure, overpromise', () => {
  it('raises complaint_risk on the customer threatening 12315, not on the agent mentioning complaints', () => {
    const { findings, report } = run([GREETING, customer(2, '你们再乱扣费我就打12315。', 4500, 7000)])
    expect(findings).toEqual([expect.objectContaining({ rule: 'complaint_risk', severity: 'critical', phrase: '12315' })])
    expect(report.metrics.complaintRisk).toBe(true)
    expect(report.deductions).toEqual([])
    expect(run([GREETING]).report.metrics.complaintRisk).toBe(false)
  })

  it('hears a dare as defiance while the threat stands (three customer turns), not after', () => {
    const dare = (seq: number, at: number) => agent(seq, '行,我等着呢。', at, at + 1500)
    const threatened = [GREETING, customer(2, '你们乱扣费,我明天就去12315告你们。', 4500, 8000), agent(3, '您先别急。', 8500, 9500), customer(4, '急什么急?', 10_000, 11_000), agent(5, '我帮您查。', 11_500, 12_500), customer(6, '好,你等着。', 13_000, 14_000)]
    expect(run([...threatened, dare(7, 14_500)]).findings.filter((f) => f.rule === 'forbidden_phrase').map((f) => f.act)).toEqual(['defiance'])
    const later = [...threatened, agent(7, '查到了。', 14_500, 15_500), customer(8, '嗯。', 16_000, 16_500), dare(9, 17_000)]
    expect(run(later).findings.filter((f) => f.rule === 'forbidden_phrase')).toEqual([])
  })

  it('raises internal_disclosure and overpromise on agent speech only', () => {
    const { findings } = run([agent(1, '您好,昨天系统故障了,我保证今天能到账。', 0, 8000)])
    expect(findings.map((f) => [f.rule, f.phrase])).toEqual([
      ['internal_disclosure', '系统故障'],
      ['overpromise', '保证'],
    ])
    expect(run([GREETING, customer(2, '你们系统故障了吧?你能保证吗?', 4500, 7000)]).findings.map((f) => f.rule)).not.toContain('overpromise')
  })
})

describe('politeness and score', () => {
  it('counts polite expressions as strengths, capped at maxBonus, and deducts per finding', () => {
    const { report } = run([
      agent(1, '您好,请问是李先生吗?', 0, 4000),
      agent(2, '不好意思打扰您了,谢谢您,请您留意短信。', 4500, 10_000),
      agent(3, '这个我不知道。', 10_500, 12_000),
      FAREWELL_AT(4, 12_500),
      ended(16_000),
    ])
    expect(report.metrics.politeness).toEqual({ 您好: 1, 请: 2, 谢谢: 2, 对不起: 1, address: 1 })
    expect(report.strengths.reduce((n, s) => n + s.points, 0)).toBe(5)
    expect(report.deductions).toEqual([
      { rule: 'forbidden_phrase', findingId: 'forbidden_phrase:seq3:professed_ignorance', points: 10, reason: '服务忌语「不知道」 (第3句)' },
    ])
    expect(report.score).toBe(95 - 10 + 5)
  })

  it('keeps the score within 0-100 and caps a rule with maxPoints', () => {
    const events: (Utterance | CallEnded)[] = [GREETING]
    for (let i = 0; i < 12; i++) events.push(agent(i + 2, '不知道,不行,我解决不了。', 5000 + i * 3000, 7000 + i * 3000))
    expect(run([...events, ended(60_000)]).report.score).toBe(0)
    const interruptions: Utterance[] = []
    for (let i = 0; i < 5; i++) {
      interruptions.push(customer(10 + i * 2, '我想问一下我这个套餐到底包含多少流量。', 10_000 * (i + 1), 10_000 * (i + 1) + 6000))
      interruptions.push(agent(11 + i * 2, '您听我说。', 10_000 * (i + 1) + 1000, 10_000 * (i + 1) + 3000))
    }
    const { report } = run([GREETING, ...interruptions, FAREWELL_AT(99, 70_000), ended(80_000)])
    expect(report.metrics.interruptions).toBe(5)
    expect(report.deductions.filter((d) => d.rule === 'interruption').map((d) => d.points)).toEqual([3, 3, 3])
  })
})

describe('CallMonitor protocol behaviour', () => {
  it('treats a resent final as a duplicate that changes nothing', () => {
    const monitor = new CallMonitor(rulebook, started)
    const first = monitor.feed(agent(1, '您好,我不知道。', 0, 3000))
    expect(first.findings).toHaveLength(1)
    const again = monitor.feed(agent(1, '您好,我不知道。', 0, 3000))
    expect(again).toEqual({ findings: [], retracted: [], duplicate: true, ended: false })
    expect(monitor.feed(agent(1, '您好,我不知道。', 0, 3000, { final: false })).duplicate).toBe(true)
    expect(monitor.report().transcript).toHaveLength(1)
  })

  it('waits for the next sentence when a clearing feature reads it (an objection for the customer names the loss after)', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed(GREETING)
    expect(monitor.feed(agent(2, '现在退可不行。剩下的钱', 4500, 6000, { final: false })).findings).toEqual([])
    const final = monitor.feed(agent(2, '现在退可不行。剩下的钱就退不回来了。', 4500, 8000))
    expect(final.findings.filter((f) => f.rule === 'forbidden_phrase')).toEqual([])
    expect(final.retracted).toEqual([])
  })

  it('waits on a partial whose paraphrase frame has no sentence end yet, then raises it with the final', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed(GREETING)
    expect(monitor.feed(agent(2, '这个我给您讲了三回了', 4500, 6000, { final: false })).findings).toEqual([])
    const final = monitor.feed(agent(2, '这个我给您讲了三回了,您记一下。', 4500, 8000))
    expect(final.findings.map((f) => f.id)).toEqual(['forbidden_phrase:seq2:repetition_reproach'])
    expect(final.retracted).toEqual([])
  })

  it('raises a settled partial hit once; the final confirms it on its line; a partial never finalised counts at call end', () => {
    const monitor = new CallMonitor(rulebook, started)
    // Unsettled: the sentence is still open (…您现在方便吗? could follow).
    expect(monitor.feed(agent(1, '您好,我不知道', 0, 2000, { final: false })).findings).toEqual([])
    const partial = monitor.feed(agent(1, '您好,我不知道。您稍', 0, 2500, { final: false }))
    expect(partial.findings.map((f) => f.id)).toEqual(['forbidden_phrase:seq1:professed_ignorance'])
    expect(partial.line).toMatchObject({ final: false, seq: 1 })
    const final = monitor.feed(agent(1, '您好,我不知道。您稍等。', 0, 3000))
    expect(final.findings).toEqual([])
    expect(final.retracted).toEqual([])
    expect(final.line!.findings.map((f) => f.id)).toEqual(['forbidden_phrase:seq1:professed_ignorance'])
    monitor.feed(agent(2, '找领导去', 3500, 5000, { final: false }))
    const end = monitor.feed(ended(6000))
    // 找领导去 was never settled as a partial (no sentence end): decided at call end, when it becomes final.
    expect(end.findings.map((f) => f.rule)).toEqual(['forbidden_phrase', 'missing_closing'])
    expect(monitor.report().findings.map((f) => f.phrase ?? f.rule)).toEqual(['不知道', '找领导去', 'missing_closing'])
  })

  it('waits on a partial cut before the words that clear it, and retracts with the final an alert the final refutes', () => {
    const monitor = new CallMonitor(rulebook, started)
    expect(monitor.feed(agent(1, '您好,不知道您', 0, 1500, { final: false })).findings).toEqual([])
    const polite = monitor.feed(agent(1, '您好,不知道您现在方便接听吗?', 0, 4000))
    expect(polite.findings.filter((f) => f.rule === 'forbidden_phrase')).toEqual([])
    // The ASR revises its words: the partial's settled hit is not in the final.
    const early = monitor.feed(agent(2, '这个不行。您看一下。', 4500, 6000, { final: false }))
    expect(early.findings.map((f) => f.id)).toEqual(['forbidden_phrase:seq2:refusal'])
    const final = monitor.feed(agent(2, '这个步行。您看一下地图。', 4500, 7000))
    expect(final.retracted).toEqual([{ findingId: 'forbidden_phrase:seq2:refusal', reason: 'final_cleared' }])
    expect(monitor.live().findings).toBe(0)
    monitor.feed(ended(8000, 'abandoned'))
    expect(monitor.report().findings.map((f) => f.id)).not.toContain('forbidden_phrase:seq2:refusal')
    // A snapshot taken between the partial and the final keeps the pending alert.
    const m2 = new CallMonitor(rulebook, started)
    m2.feed(agent(1, '这个不行。您看一下。', 0, 1500, { final: false }))
    const restored = CallMonitor.restore(rulebook, JSON.parse(JSON.stringify(m2.snapshot())))
    expect(restored.feed(agent(1, '这个步行。', 0, 2000)).retracted).toHaveLength(1)
  })

  it('marks the whole-call speaking rate report-only and complaint risk as no violation of the agent', () => {
    const fast = '我们这个套餐每个月一百二十八元包含四十个G的流量和五百分钟的通话时长另外还送宽带'
    const events: (Utterance | CallEnded)[] = [GREETING]
    for (let i = 0; i < 8; i++) events.push(agent(i + 2, fast, 5000 + i * 6000, 5000 + i * 6000 + 5000))
    events.push(customer(20, '你们再这样我就打12315投诉。', 60_000, 63_000))
    const { findings, report } = run([...events, ended(70_000)])
    expect(findings.find((f) => f.id === 'speaking_rate:call')).toMatchObject({ reportOnly: true })
    expect(findings.find((f) => f.rule === 'complaint_risk')).toMatchObject({ againstAgent: false })
    expect(report.deductions.map((d) => d.rule)).not.toContain('complaint_risk')
  })

  it('rejects utterances after call.ended with CQ_ERR_CALL_ENDED and ignores a repeated call.ended', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed(GREETING)
    expect(monitor.feed(ended(5000)).ended).toBe(true)
    expect(monitor.feed(ended(5000))).toEqual({ findings: [], retracted: [], duplicate: true, ended: true })
    expect(() => monitor.feed(agent(2, '再见', 5000, 6000))).toThrow(expect.objectContaining({ code: ErrorCodes.CALL_ENDED }))
    expect(() => monitor.feed({ ...GREETING, callId: 'c-other' })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_EVENT, field: 'callId' }))
  })

  it('refuses utterances past MAX_UTTERANCES_PER_CALL with CQ_ERR_CALL_TOO_LONG, still accepting finals of pending partials', () => {
    const monitor = new CallMonitor(rulebook, started)
    for (let i = 0; i < MAX_UTTERANCES_PER_CALL - 1; i++) monitor.feed(customer(i, '好的。', i * 1000, i * 1000 + 500))
    monitor.feed(agent(MAX_UTTERANCES_PER_CALL, '您好', 1e7, 1e7 + 500, { final: false }))
    expect(() => monitor.feed(agent(MAX_UTTERANCES_PER_CALL + 1, '您好', 1e7, 1e7 + 500))).toThrow(expect.objectContaining({ code: 'CQ_ERR_CALL_TOO_LONG' }))
    expect(monitor.feed(agent(MAX_UTTERANCES_PER_CALL, '您好。', 1e7, 1e7 + 600)).duplicate).toBe(false)
    expect(monitor.feed(ended(1e7 + 1000)).ended).toBe(true)
  })

  it('masks personal data in lines, findings and the transcript', () => {
    const { monitor } = run([customer(1, '我的号码是13812345678,身份证11010519491231002X。', 0, 6000)])
    const json = JSON.stringify(monitor.report())
    expect(json).not.toContain('13812345678')
    expect(json).not.toContain('11010519491231002X')
  })

  it('reports live metrics: findings count, worst severity, last offset', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed(agent(1, '您好,这个系统故障了。', 0, 3000))
    expect(monitor.live()).toEqual({ rollingCpm: null, greeted: null, findings: 1, worstSeverity: 'warning', lastMs: 3000 })
    monitor.feed(agent(2, '我不知道。', 3500, 5000))
    expect(monitor.live()).toMatchObject({ greeted: true, findings: 2, worstSeverity: 'critical', lastMs: 5000 })
    expect(monitor.lastMs).toBe(5000)
  })

  it('checks only the rules the rulebook enables', () => {
    const only = parseRulebook('id: only\nversion: "1"\nscore: {base: 100, maxBonus: 0}\nrules:\n  complaint_risk: {severity: critical, weight: 0, phrases: [投诉]}\n')
    const { findings, report } = run([agent(1, '我不知道,投诉也没用', 0, 3000), customer(2, '我要投诉', 3500, 4500), ended(5000)], only)
    expect(findings.map((f) => f.rule)).toEqual(['complaint_risk'])
    expect(report.score).toBe(100)
  })
})
