/**
 * The rulebook try-box cannot stall live monitoring: four pastes at the size limit at once, while
 * a live call streams on the same gateway, and the call's utterances are still acknowledged
 * promptly (the checks run in a worker thread). Over-limit pastes, too many tries a minute and a
 * full queue get coded answers.
 */
import { describe, expect, it } from 'vitest'
import { callStarted, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, utterance, useTestGateway } from '../testing.js'

function dialogue(chars: number): string {
  const lines = ['坐席：您好，这里是中国移动客服中心，关于您的套餐和流量的问题，这个我不知道，您找领导去吧，我们这边也没有办法。', '客户：是我，我上个月话费怎么多扣了三十块？我也不知道怎么回事，你们能不能给我查一下这个月的账单明细？']
  let text = ''
  for (let i = 0; text.length + lines[i % 2]!.length + 1 <= chars; i++) text += `${lines[i % 2]}\n`
  return text
}

const tryRules = (url: string, text: string) =>
  fetch(`${url}/v1/rulebook/try`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) })

describe('rulebook try-box', () => {
  const gw = useTestGateway({ CALLQA_TRY_PER_MINUTE: '100' })

  it('four pastes at the limit at once do not delay a live call\'s acks', async () => {
    const socket = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
    socket.send(callStarted('c-live-try'))
    // What arrived, in order: acks of the live call and the answers of the tries.
    const arrivals: string[] = []
    socket.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; seq: number }
      if (m.type === 'ack') arrivals.push(`ack ${m.seq}`)
    })
    let seq = 0
    const timer = setInterval(() => {
      socket.send(utterance('c-live-try', seq, seq % 2 ? 'customer' : 'agent', '您好，我想查一下这个月的话费。', seq * 3000))
      seq++
    }, 20)
    await socket.waitForAck('c-live-try', 0)
    const text = dialogue(gw.config.tryMaxChars)
    const postedAtSeq = seq
    const answers = await Promise.all(Array.from({ length: 4 }, () => tryRules(gw.url, text).then((r) => (arrivals.push('answer'), r))))
    clearInterval(timer)
    await socket.waitForAck('c-live-try', seq - 1)
    await socket.close()
    expect(answers.map((r) => r.status)).toEqual(Array(4).fill(200))
    const body = (await answers[0]!.json()) as { reports: Array<{ findings: Array<{ rule: string }> }> }
    expect(body.reports[0]!.findings.some((f) => f.rule === 'forbidden_phrase')).toBe(true)
    expect(answers[0]!.headers.get('cache-control')).toBe('no-store')
    const acked = arrivals.filter((a) => a.startsWith('ack')).length
    expect(acked).toBe(seq)
    // The live call was acknowledged while the checks ran: utterances sent after the pastes were
    // acknowledged before the first answer came back (350-460 of them here; a check run on the
    // event loop, tried by hand, let 1 through: it holds every ack until it has answered).
    const firstAnswer = arrivals.indexOf('answer')
    const ackedMeanwhile = arrivals.slice(0, firstAnswer).filter((a) => a.startsWith('ack') && Number(a.slice(4)) >= postedAtSeq)
    expect(ackedMeanwhile.length).toBeGreaterThan(10)
  }, 60_000)

  it('refuses a paste over the character or line limit with a coded 413', async () => {
    const long = await tryRules(gw.url, `坐席：${'您'.repeat(gw.config.tryMaxChars)}`)
    expect(long.status).toBe(413)
    expect(await long.json()).toMatchObject({ code: 'CQ_ERR_TRANSCRIPT_TOO_LARGE', message: expect.stringContaining('CALLQA_TRY_MAX_CHARS') })
    const lines = await tryRules(gw.url, '坐席：好\n'.repeat(gw.config.tryMaxLines + 1))
    expect(lines.status).toBe(413)
    expect(await lines.json()).toMatchObject({ code: 'CQ_ERR_TRANSCRIPT_TOO_LARGE', message: expect.stringContaining('CALLQA_TRY_MAX_LINES') })
  })
})

describe('rulebook try-box limits', () => {
  const gw = useTestGateway({ CALLQA_TRY_PER_MINUTE: '3', CALLQA_TRY_MAX_QUEUED: '0' })

  it('answers a full queue with 503 and the fourth try in a minute with 429, both coded', async () => {
    const text = dialogue(gw.config.tryMaxChars)
    const [a, b] = await Promise.all([tryRules(gw.url, text), tryRules(gw.url, text)])
    expect([a!.status, b!.status].sort()).toEqual([200, 503])
    const busy = a!.status === 503 ? a! : b!
    expect(await busy.json()).toMatchObject({ code: 'CQ_ERR_UNAVAILABLE' })
    expect((await tryRules(gw.url, '坐席：您好。')).status).toBe(200)
    const limited = await tryRules(gw.url, '坐席：您好。')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.json()).toMatchObject({ code: 'CQ_ERR_RATE_LIMITED' })
  }, 60_000)
})

describe('rulebook try-box answer cap', () => {
  const gw = useTestGateway({ CALLQA_TRY_MAX_CHARS: '220000', CALLQA_TRY_TIMEOUT_MS: '60000' })

  it('refuses an answer over MAX_TRY_ANSWER_CHARS with a coded 413 instead of sending megabytes', async () => {
    // Every line a string of findings (one per act: ignorance, brush-off, refusal, taunt, rushing,
    // defiance, sending elsewhere): about 110 K characters that would answer over 2 MiB.
    const text = Array(1400).fill('坐席：这个我不知道，你问我我问谁，找领导去，我解决不了，这是规定就不行，你懂不懂，快点说，有意见告去，到别处问去，您的号码13812345678。').join('\n')
    const res = await tryRules(gw.url, text)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'CQ_ERR_TRANSCRIPT_TOO_LARGE', message: expect.stringContaining('the answer would be') })
  }, 90_000)
})
