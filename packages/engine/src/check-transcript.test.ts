import { describe, expect, it } from 'vitest'
import { ErrorCodes, type CallEvent } from '@callqa/protocol'
import { checkTranscript, loadDefaultRulebook } from './index.js'

const rulebook = loadDefaultRulebook()
const start = (callId: string): CallEvent => ({ type: 'call.started', callId, agentId: 'a-1', teamId: 't-1', direction: 'outbound', at: '2026-11-29T08:00:00.000Z' })
const say = (callId: string, seq: number, text: string, startMs: number): CallEvent => ({
  type: 'utterance',
  callId,
  seq,
  speaker: 'agent',
  text,
  startMs,
  endMs: startMs + 2000,
})
const end = (callId: string, endMs: number): CallEvent => ({ type: 'call.ended', callId, endMs, disposition: 'success' })

describe('checkTranscript', () => {
  it('groups interleaved events by call and reports calls in the order they started', () => {
    const events = [start('c-2'), start('c-1'), say('c-1', 1, '您好,我不知道。', 0), say('c-2', 1, '您好。', 0), end('c-2', 3000), say('c-1', 2, '再见。', 2500), end('c-1', 5000)]
    const { reports, errors, warnings } = checkTranscript(rulebook, events)
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    expect(reports.map((r) => r.callId)).toEqual(['c-2', 'c-1'])
    expect(reports[1]!.findings.map((f) => f.phrase)).toEqual(['不知道'])
    expect(reports[0]!.findings.map((f) => f.rule)).toEqual(['missing_closing'])
  })

  it('turns events of unknown calls, repeated starts and late utterances into coded errors with their lines', () => {
    const events = [say('c-9', 1, '您好', 0), start('c-1'), start('c-1'), end('c-1', 1000), say('c-1', 1, '再见', 2000)]
    const { errors, reports } = checkTranscript(rulebook, events, { lines: [1, 2, 3, 4, 5] })
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      [ErrorCodes.UNKNOWN_CALL, 1],
      [ErrorCodes.INVALID_EVENT, 3],
      [ErrorCodes.CALL_ENDED, 5],
    ])
    expect(errors[0]!.message).toBe('line 1: utterance for call c-9, which has no call.started before it')
    expect(reports).toHaveLength(1)
  })

  it('ends a call without call.ended as abandoned at its last offset, with a warning', () => {
    const { reports, warnings } = checkTranscript(rulebook, [start('c-1'), say('c-1', 1, '您好,请问是王先生吗?', 1000)])
    expect(warnings).toEqual(['call c-1 has no call.ended; checked as abandoned at 3000 ms'])
    expect(reports[0]).toMatchObject({ disposition: 'abandoned', endMs: 3000, findings: [] })
  })
})
