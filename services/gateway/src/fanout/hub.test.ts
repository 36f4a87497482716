import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import type { AddressInfo } from 'node:net'
import { createMetrics } from '../metrics.js'
import { TestSocket } from '../testing.js'
import { SupervisorHub, type SupervisorClient } from './hub.js'
import type { FanoutItem } from './wire.js'

const CALL = 'c-hub-hold'
const line = (seq: number, text: string, final = true) =>
  JSON.stringify({ type: 'transcript', callId: CALL, teamId: 'T1', seq, speaker: seq % 2 ? 'customer' : 'agent', text, startMs: seq * 4000, endMs: seq * 4000 + 3000, final, findings: [] })
const item = (json: string): FanoutItem => ({ kind: 'transcript', callId: CALL, agentId: 'A1', teamId: 'T1', complaintRisk: false, key: '', json })

/** The hand-over from history to live lines, on a real socket pair. */
describe('SupervisorHub transcript hold', () => {
  let server: WebSocketServer
  let port: number
  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise<void>((r) => server.once('listening', () => r()))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()))
  })

  it('sends the history first, then the lines that came live meanwhile, each seq once (the live copy wins)', async () => {
    const accepted = new Promise<WebSocket>((r) => server.once('connection', (ws) => r(ws)))
    const client = await TestSocket.open(`ws://127.0.0.1:${port}`, 'unused')
    const hub = new SupervisorHub({ maxBufferBytes: 1 << 20, metrics: createMetrics({ defaultMetrics: false }) })
    const sup: SupervisorClient = { ws: await accepted, principal: { username: 'wang', role: 'shift_lead' }, teams: null, follows: new Set(), closed: false }
    hub.add(sup)
    hub.follow(sup, CALL)
    hub.holdTranscript(sup, CALL)
    // Live lines arrive while the history is read: seq 2 final (its partial is in the history), seq 3.
    hub.deliver([item(line(2, '这个我不知道，你找领导去。')), item(line(3, '你这什么态度'))])
    hub.releaseTranscript(sup, CALL, [
      { seq: 0, json: line(0, '您好，我是中国移动客服小王。') },
      { seq: 1, json: line(1, '话费怎么多扣了？') },
      { seq: 2, json: line(2, '这个我不', false) },
    ])
    hub.deliver([item(line(4, '有意见，告去。'))])
    await client.waitFor((m) => m.seq === 4)
    expect(client.of('transcript').map((m) => [m.seq, m.final])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, true],
      [4, true],
    ])
    hub.remove(sup)
    await client.close()
  })
})
