import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CallEnded, CallStarted, Utterance } from '@callqa/protocol'
import { CallMonitor, loadDefaultRulebook, SnapshotError, type CallSnapshot, type FeedResult } from '../index.js'

const rulebook = loadDefaultRulebook()
const CALL = 'c-snap'
const started: CallStarted = { type: 'call.started', callId: CALL, agentId: 'a-1', teamId: 't-1', direction: 'outbound', at: '2026-11-29T08:00:00.000Z' }

const AGENT_LINES = [
  '您好,我是中国移动客服小王,请问是李先生吗?',
  '这个我真的不知道。',
  '嗯。',
  '您找领导去吧。',
  '这是规定,就不行。',
  '您放心,我保证百分之百没问题。',
  '上个月系统故障了。',
  '好的,请您稍等,我帮您查询一下。',
  '感谢您的接听,再见。',
  '好的,谢谢您。',
  '不知道您现在方便吗?',
  '您的号码是13812345678,对吗?',
]
const CUSTOMER_LINES = ['我这个月话费怎么这么多?', '我要投诉你们,打12315。', '好的。', '你们的5G套餐多少钱一个月?', '我不知道啊。', '嗯,你说吧。']

type Step = Utterance | CallEnded

/** A random call: utterances with overlaps and gaps, partials before finals, resends, slight reordering. */
const arbitraryCall = fc
  .array(
    fc.record({
      agent: fc.boolean(),
      line: fc.nat(),
      gapMs: fc.integer({ min: -4000, max: 9000 }),
      durationMs: fc.integer({ min: 300, max: 16_000 }),
      partial: fc.boolean(),
      resend: fc.boolean(),
      swap: fc.boolean(),
    }),
    { minLength: 1, maxLength: 24 },
  )
  .map((specs) => {
    const steps: Step[] = []
    let t = 0
    specs.forEach((s, i) => {
      const lines = s.agent ? AGENT_LINES : CUSTOMER_LINES
      const text = lines[s.line % lines.length]!
      const startMs = Math.max(0, t + s.gapMs)
      const u: Utterance = { type: 'utterance', callId: CALL, seq: i + 1, speaker: s.agent ? 'agent' : 'customer', text, startMs, endMs: startMs + s.durationMs, final: true }
      if (s.partial) steps.push({ ...u, text: text.slice(0, Math.ceil(text.length / 2)), endMs: startMs + Math.round(s.durationMs / 2), final: false })
      steps.push(u)
      if (s.resend) steps.push({ ...u })
      if (s.swap && steps.length >= 2) steps.splice(steps.length - 2, 2, steps[steps.length - 1]!, steps[steps.length - 2]!)
      t = Math.max(t, startMs + s.durationMs)
    })
    steps.push({ type: 'call.ended', callId: CALL, endMs: t + 1000, disposition: 'success' })
    return steps
  })

function feedAll(monitor: CallMonitor, steps: Step[], out: FeedResult[]): void {
  for (const step of steps) {
    try {
      out.push(monitor.feed(step))
    } catch (err) {
      out.push({ error: (err as { code: string }).code } as unknown as FeedResult)
    }
  }
}

describe('CallMonitor snapshot', () => {
  it('continues exactly after snapshot, JSON round-trip and restore at any point of any call', () => {
    fc.assert(
      fc.property(arbitraryCall, fc.nat(), (steps, cut) => {
        const split = cut % (steps.length + 1)
        const straight = new CallMonitor(rulebook, started)
        const a: FeedResult[] = []
        feedAll(straight, steps, a)

        const first = new CallMonitor(rulebook, started)
        const b: FeedResult[] = []
        feedAll(first, steps.slice(0, split), b)
        const json = JSON.stringify(first.snapshot())
        const second = CallMonitor.restore(rulebook, JSON.parse(json) as CallSnapshot)
        feedAll(second, steps.slice(split), b)

        expect(b).toEqual(a)
        expect(second.report()).toEqual(straight.report())
        expect(second.live()).toEqual(straight.live())
        // Never the same finding id twice from feed.
        const ids = a.flatMap((r) => r.findings ?? []).map((f) => f.id)
        expect(new Set(ids).size).toBe(ids.length)
      }),
      { numRuns: 300 },
    )
  })

  it('never throws on arbitrary text (lone surrogates included); spans stay inside the text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ unit: 'binary', maxLength: 80 }), fc.boolean()), { maxLength: 8 }), (lines) => {
        const monitor = new CallMonitor(rulebook, started)
        const findings = lines.flatMap(([isAgent, text, final], i) =>
          monitor.feed({ type: 'utterance', callId: CALL, seq: i, speaker: isAgent ? 'agent' : 'customer', text, startMs: i * 1000, endMs: i * 1000 + 900, final }).findings,
        )
        findings.push(...monitor.feed({ type: 'call.ended', callId: CALL, endMs: 10_000, disposition: 'success' }).findings)
        for (const f of findings) {
          if (!f.span) continue
          expect(f.span[0]).toBeGreaterThanOrEqual(0)
          expect(f.span[1]).toBeLessThanOrEqual(f.text!.length)
          expect(f.span[0]).toBeLessThan(f.span[1])
        }
        expect(() => JSON.stringify(monitor.report())).not.toThrow()
      }),
      { numRuns: 300 },
    )
  })

  it('gives a copy: feeding after snapshot() does not change the snapshot', () => {
    const monitor = new CallMonitor(rulebook, started)
    monitor.feed({ type: 'utterance', callId: CALL, seq: 1, speaker: 'agent', text: '您好', startMs: 0, endMs: 1000 })
    const snap = monitor.snapshot()
    const before = JSON.stringify(snap)
    monitor.feed({ type: 'utterance', callId: CALL, seq: 2, speaker: 'agent', text: '我不知道', startMs: 1000, endMs: 2000 })
    expect(JSON.stringify(snap)).toBe(before)
  })

  it('refuses what is not a snapshot with CQ_ERR_SNAPSHOT', () => {
    expect(() => CallMonitor.restore(rulebook, { v: 2 } as unknown as CallSnapshot)).toThrow(SnapshotError)
    expect(() => CallMonitor.restore(rulebook, null as unknown as CallSnapshot)).toThrow(expect.objectContaining({ code: 'CQ_ERR_SNAPSHOT' }))
  })
})
