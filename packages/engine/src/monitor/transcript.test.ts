import { describe, expect, it } from 'vitest'
import type { CallStarted, Utterance } from '@callqa/protocol'
import { CallMonitor, loadDefaultRulebook } from '../index.js'

const rulebook = loadDefaultRulebook()
const started: CallStarted = { type: 'call.started', callId: 'c-20261129-0200', agentId: 'a-7', teamId: 't-1', direction: 'outbound', at: '2026-11-29T08:00:00.000Z' }
const say = (seq: number, speaker: Utterance['speaker'], text: string, startMs: number, endMs: number, final = true): Utterance => ({
  type: 'utterance',
  callId: started.callId,
  seq,
  speaker,
  text,
  startMs,
  endMs,
  final,
})

describe('CallMonitor.transcript (the lines so far, for a supervisor who starts following mid-call)', () => {
  it('gives every line feed gave, masked, in seq order, with its findings; the latest partial of an open seq', () => {
    const monitor = new CallMonitor(rulebook, started)
    const events = [
      say(0, 'agent', '您好，我是中国移动客服小王，请问是李女士吗？', 0, 4000),
      say(2, 'agent', '这个我不知道，你找领导去。', 9000, 12000),
      say(1, 'customer', '是我，我的手机号是13812345678，话费怎么多扣了？', 4500, 8500),
      say(3, 'customer', '我要打12315', 12500, 14000, false),
    ]
    const fed = events.map((e) => monitor.feed(e).line!)
    const lines = monitor.transcript()
    expect(lines.map((l) => [l.seq, l.final])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
    ])
    expect(lines[1]!.text).not.toContain('13812345678')
    expect(lines[1]!.text).toBe(fed[2]!.text)
    for (const line of fed) {
      const same = lines.find((l) => l.seq === line.seq)!
      expect(same.text).toBe(line.text)
      // Every finding feed put on the line is there again (a later one may be added, none lost).
      expect(same.findings.map((f) => f.id)).toEqual(expect.arrayContaining(line.findings.map((f) => f.id)))
    }
    const forbidden = lines[2]!.findings.filter((f) => f.rule === 'forbidden_phrase')
    expect(forbidden.length).toBeGreaterThan(0)
    expect(lines[2]!.text.slice(forbidden[0]!.span![0], forbidden[0]!.span![1])).toBe(forbidden[0]!.phrase)
    // The same lines after a snapshot round trip (another instance reading the checkpoint).
    const restored = CallMonitor.restore(rulebook, JSON.parse(JSON.stringify(monitor.snapshot())))
    expect(restored.transcript()).toEqual(lines)
  })
})
