import { describe, expect, it } from 'vitest'
import type { AlertMessage, CallUpdateMessage, TranscriptMessage } from '../protocol.js'
import { LiveStore } from './live-store.js'

function alert(n: number, overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    type: 'alert',
    alertId: `c-${n % 3}:f-${n}`,
    callId: `c-${n % 3}`,
    agentId: 'a-7',
    teamId: 't-1',
    rule: 'forbidden_phrase',
    severity: 'critical',
    phrase: '不知道',
    text: '这个我不知道',
    span: [3, 6],
    atMs: n * 1000,
    raisedAt: new Date(Date.UTC(2026, 10, 29, 8, 0, n)).toISOString(),
    ...overrides,
  }
}

function call(callId: string, state: CallUpdateMessage['state'], worst: CallUpdateMessage['metrics']['worstSeverity'] = null): CallUpdateMessage {
  return {
    type: 'call',
    state,
    callId,
    agentId: 'a-7',
    teamId: 't-1',
    startedAt: '2026-11-29T08:00:00.000Z',
    metrics: { rollingCpm: 120, greeted: true, findings: 0, worstSeverity: worst, lastMs: 1000 },
  }
}

/** A store whose flushes run when the test says (the page uses requestAnimationFrame). */
function manualStore() {
  const pending: Array<() => void> = []
  const store = new LiveStore({ schedule: (flush) => pending.push(flush) })
  return { store, frame: () => pending.splice(0).forEach((f) => f()) }
}

describe('LiveStore', () => {
  it('keeps one copy of each alert, newest first, however often and in whatever order it arrives', () => {
    const { store, frame } = manualStore()
    for (const n of [1, 2, 3]) store.apply(alert(n))
    frame()
    // A catch-up overlapping what came live, with an older alert that was missed.
    for (const n of [0, 1, 2, 3, 4]) store.apply(alert(n))
    store.apply(alert(4))
    frame()
    expect(store.alerts.map((a) => a.alertId)).toEqual(['c-1:f-4', 'c-0:f-3', 'c-2:f-2', 'c-1:f-1', 'c-0:f-0'])
  })

  it('tells listeners once per frame however many messages arrived', () => {
    const { store, frame } = manualStore()
    let renders = 0
    store.subscribe(() => renders++)
    for (let n = 0; n < 500; n++) store.apply(alert(n))
    expect(renders).toBe(0)
    frame()
    expect(renders).toBe(1)
    expect(store.alerts).toHaveLength(500)
  })

  it('sorts calls worst first and keeps an ended call ended', () => {
    const { store, frame } = manualStore()
    store.apply(call('c-ok', 'started'))
    store.apply(call('c-warn', 'live', 'warning'))
    store.apply(call('c-bad', 'started'))
    store.apply(alert(0, { callId: 'c-bad', alertId: 'c-bad:x' }))
    store.apply(call('c-ok', 'ended'))
    store.apply(call('c-ok', 'live'))
    frame()
    expect(store.sortedCalls().map((c) => c.callId)).toEqual(['c-bad', 'c-warn', 'c-ok'])
    expect(store.calls.get('c-ok')!.state).toBe('ended')
  })

  it('records acknowledgements, including ones carried by a catch-up copy', () => {
    const { store } = manualStore()
    store.apply(alert(1))
    store.apply({ type: 'alert.ack', alertId: 'c-1:f-1', callId: 'c-1', teamId: 't-1', acknowledgedBy: 'wang', acknowledgedAt: '2026-11-29T08:01:00.000Z' })
    expect(store.ackOf('c-1:f-1')?.by).toBe('wang')
    store.apply(alert(2))
    store.apply(alert(2, { acknowledgedBy: 'li', acknowledgedAt: '2026-11-29T08:02:00.000Z' }))
    expect(store.ackOf('c-2:f-2')?.by).toBe('li')
  })

  it('replaces a partial transcript line with its final and keeps lines in seq order', () => {
    const { store } = manualStore()
    const line = (seq: number, text: string, final: boolean): TranscriptMessage => ({
      type: 'transcript', callId: 'c-1', teamId: 't-1', seq, speaker: 'agent', text, startMs: seq * 1000, endMs: seq * 1000 + 900, final, findings: [],
    })
    store.apply(line(0, '您好', true))
    store.apply(line(2, '这个我不', false))
    store.apply(line(1, '请问是李先生吗', true))
    store.apply(line(2, '这个我不知道', true))
    store.apply(line(2, '这个', false))
    expect(store.transcript('c-1').map((l) => [l.seq, l.text, l.final])).toEqual([
      [0, '您好', true],
      [1, '请问是李先生吗', true],
      [2, '这个我不知道', true],
    ])
  })
})

describe('LiveStore.replaceLiveCalls', () => {
  it('marks calls that ended while the page was away as ended and adds the ones it missed', () => {
    const { store, frame } = manualStore()
    store.apply(call('c-gone', 'live'))
    store.apply(call('c-still', 'live'))
    store.replaceLiveCalls([call('c-still', 'live'), call('c-new', 'started')])
    frame()
    expect([...store.calls.values()].map((c) => [c.callId, c.state])).toEqual([
      ['c-gone', 'ended'],
      ['c-still', 'live'],
      ['c-new', 'started'],
    ])
  })

  it('bumps the version when the feed changes, so a view that rendered between apply and flush renders again', () => {
    const { store, frame } = manualStore()
    store.apply(alert(1))
    const applied = store.version
    expect(store.alerts).toHaveLength(0)
    frame()
    expect(store.version).toBeGreaterThan(applied)
    expect(store.alerts).toHaveLength(1)
  })

  it('counts complaint risk apart from the violations of the call', () => {
    const { store, frame } = manualStore()
    store.apply({ ...call('c-0', 'live', 'critical'), complaintRisk: true, metrics: { rollingCpm: 120, greeted: true, findings: 1, worstSeverity: 'critical', lastMs: 1000 } })
    expect(store.calls.get('c-0')!.worst).toBeNull()
    store.apply(alert(0, { rule: 'complaint_risk', phrase: '12315' }))
    frame()
    const c = store.calls.get('c-0')!
    expect([c.alerts, c.risks, c.complaintRisk, c.worst]).toEqual([0, 1, true, null])
    expect(store.riskAlerts).toBe(1)
    store.apply(alert(3, { rule: 'forbidden_phrase', severity: 'major' }))
    frame()
    expect([c.alerts, c.worst]).toEqual([1, 'major'])
  })

  it('removes a retracted alert and its counts, and keeps a later copy of it out', () => {
    const { store, frame } = manualStore()
    store.apply(call('c-0', 'live'))
    store.apply(alert(0))
    store.apply(alert(3, { severity: 'warning' }))
    frame()
    expect(store.calls.get('c-0')!.alerts).toBe(2)
    store.apply({ type: 'alert.retracted', alertId: 'c-0:f-0', callId: 'c-0', reason: 'final_cleared' })
    frame()
    expect(store.alerts.map((a) => a.alertId)).toEqual(['c-0:f-3'])
    expect(store.calls.get('c-0')!.alerts).toBe(1)
    expect(store.calls.get('c-0')!.worst).toBe('warning')
    store.apply(alert(0))
    frame()
    expect(store.alerts.map((a) => a.alertId)).toEqual(['c-0:f-3'])
    // Retracted before it was ever shown (still pending).
    store.apply(alert(6))
    store.apply({ type: 'alert.retracted', alertId: 'c-0:f-6', callId: 'c-0', reason: 'final_cleared' })
    frame()
    expect(store.alerts.map((a) => a.alertId)).toEqual(['c-0:f-3'])
  })

  it('never shows a report-only verdict (speaking rate after hang-up) as a live alert', () => {
    const { store, frame } = manualStore()
    store.apply({ ...alert(0, { rule: 'speaking_rate', severity: 'warning' }), reportOnly: true } as AlertMessage)
    frame()
    expect(store.alerts).toHaveLength(0)
  })
})
