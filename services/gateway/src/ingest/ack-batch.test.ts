import { describe, expect, it } from 'vitest'
import type { AckBatchMessage } from '@callqa/protocol'
import { callStarted, TestSocket, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'

describe('batched acknowledgements (?acks=batch)', () => {
  const gw = useTestGateway()

  it('acknowledges the utterances of one flush in one acks frame, and each one exactly once', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest?acks=batch`, TEST_INGEST_TOKEN)
    s.send([callStarted('c-ab-1'), callStarted('c-ab-2')])
    const frame = []
    for (let seq = 0; seq < 10; seq++) frame.push(utterance('c-ab-1', seq, 'agent', '您好'), utterance('c-ab-2', seq, 'customer', '好的'))
    s.send(frame)
    const acked = new Map<string, number[]>()
    const count = () => [...acked.values()].reduce((n, seqs) => n + seqs.length, 0)
    await s.waitFor((m) => {
      if (m.type !== 'acks') return false
      for (const [callId, seqs] of Object.entries((m as unknown as AckBatchMessage).acks)) acked.set(callId, [...(acked.get(callId) ?? []), ...seqs])
      return count() >= 20
    })
    expect(acked.get('c-ab-1')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(acked.get('c-ab-2')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    // One frame of 20 events was handled in one flush: fewer frames than utterances.
    expect(s.of('acks').length).toBeLessThan(20)
    expect(s.of('ack')).toEqual([])
    // A resend is acknowledged again (the client may have missed the frame).
    s.send(utterance('c-ab-1', 3, 'agent', '您好'))
    await s.waitFor((m) => m.type === 'acks' && JSON.stringify((m as unknown as AckBatchMessage).acks) === '{"c-ab-1":[3]}')
    await s.close()
  })

  it('keeps one ack per utterance without the option, and refuses an unknown mode', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    s.send([callStarted('c-ab-3'), utterance('c-ab-3', 0, 'agent', '您好')])
    await s.waitForAck('c-ab-3', 0)
    await s.close()
    await expect(TestSocket.open(`${gw.wsUrl}/v1/ingest?acks=sometimes`, TEST_INGEST_TOKEN)).rejects.toThrow(/400/)
  })
})

describe('batched acknowledgements: at most one acks frame per CALLQA_ACK_BATCH_INTERVAL_MS', () => {
  const gw = useTestGateway({ CALLQA_ACK_BATCH_INTERVAL_MS: '3000' })

  it('gathers the acks of later flushes into the next frame, each utterance acknowledged once', async () => {
    const s = await TestSocket.open(`${gw.wsUrl}/v1/ingest?acks=batch`, TEST_INGEST_TOKEN)
    s.send([callStarted('c-ai'), utterance('c-ai', 0, 'agent', '您好')])
    // The first frame after a quiet spell is not held back.
    await s.waitFor((m) => m.type === 'acks')
    // Three utterances in three frames, each in a flush of its own (the 50 ms pauses are longer than the 20 ms window).
    for (const seq of [1, 2, 3]) {
      s.send(utterance('c-ai', seq, 'agent', '请问是张先生吗'))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await s.waitFor((m) => m.type === 'acks' && 'c-ai' in (m as unknown as AckBatchMessage).acks && (m as unknown as AckBatchMessage).acks['c-ai']!.includes(3))
    const frames = s.of('acks').map((m) => (m as unknown as AckBatchMessage).acks['c-ai'])
    expect(frames).toEqual([[0], [1, 2, 3]])
    await s.close()
  })
})
