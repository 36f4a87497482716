/**
 * Detection v2 through the real gateway: ASR partials (protocol v1 `final:false` and an ASR adapter)
 * raise alerts only once settled, an alert the final refutes is withdrawn (`alert.retracted`) on the
 * supervisor socket before or with the final's transcript line and to webhook subscribers, and on the
 * shipped samples and the evaluation calls the after-call report agrees with the alerts never retracted.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkTranscript } from '@callqa/engine'
import type { CallEvent, Utterance } from '@callqa/protocol'
import { QUEUES } from '@callqa/store'
import { loadSet, withPartials, type EvalCall } from '../../../../packages/engine/eval/harness.js'
import { callStarted, postWebhook, scoreQueue, testRulebook, TestSocket, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, TEST_WEBHOOK_SECRET, useTestGateway } from '../testing.js'

// Webhook subscribers are a setting of the gateway's config (plugins never read process.env).
const SUBSCRIBERS = JSON.stringify([{ id: 'sub-retract', url: 'http://127.0.0.1:9/hook', secret: TEST_WEBHOOK_SECRET, events: ['alert.raised', 'alert.retracted'] }])

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/** Every message of `callId` in arrival order, as the supervisor saw them. */
const ofCall = (sup: TestSocket, callId: string) => sup.messages.filter((m) => m.callId === callId)

/** The retraction of `alertId` came before the final transcript line of `seq`. */
function retractedBeforeFinal(messages: Record<string, unknown>[], alertId: string, seq: number): boolean {
  const retractedAt = messages.findIndex((m) => m.type === 'alert.retracted' && m.alertId === alertId)
  const finalAt = messages.findIndex((m) => m.type === 'transcript' && m.seq === seq && m.final === true)
  return retractedAt >= 0 && (finalAt < 0 || retractedAt < finalAt)
}

describe('settled alerts and retraction through the gateway', () => {
  const gw = useTestGateway({ CALLQA_WEBHOOK_SUBSCRIBERS: SUBSCRIBERS, CALLQA_INGEST_EVENTS_PER_SECOND: '100000', CALLQA_INGEST_BURST_EVENTS: '100000', CALLQA_SUPERVISOR_MAX_BUFFER_BYTES: '67108864' })
  let sup: TestSocket
  let ingest: TestSocket
  beforeAll(async () => {
    sup = await TestSocket.open(`${gw.wsUrl}/v1/alerts`, TEST_ADMIN_TOKEN)
    await sup.waitFor((m) => m.type === 'hello')
    ingest = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
  })
  afterAll(async () => {
    await ingest?.close()
    await sup?.close()
  })

  async function follow(callId: string): Promise<void> {
    sup.send({ type: 'follow', callId })
    await sup.waitFor((m) => m.type === 'following' && (m.callIds as string[]).includes(callId))
  }

  it('protocol v1: a settled partial alert the final refutes is retracted before the final line, to supervisors and webhooks', async () => {
    const callId = 'c-retract-v1'
    await follow(callId)
    ingest.send(callStarted(callId))
    // Settled once the next sentence has ended too (an objection for the customer may name their loss there).
    const partial: Utterance = { type: 'utterance', callId, seq: 1, speaker: 'agent', text: '这个不行。您看一下。', startMs: 0, endMs: 1500, final: false }
    // Unsettled: the sentence is still open, nothing is raised.
    ingest.send({ ...partial, text: '这个不行', endMs: 1000 })
    ingest.send(partial)
    const alert = await sup.waitFor((m) => m.type === 'alert' && m.callId === callId)
    expect(alert).toMatchObject({ rule: 'forbidden_phrase', act: 'refusal', seq: 1, spans: [{ start: 2, end: 4 }] })
    ingest.send({ ...partial, text: '这个步行。您看一下地图。', endMs: 3000, final: true })
    const retracted = await sup.waitFor((m) => m.type === 'alert.retracted' && m.callId === callId)
    expect(retracted).toEqual({ type: 'alert.retracted', alertId: alert.alertId, callId, reason: 'final_cleared' })
    await sup.waitFor((m) => m.type === 'transcript' && m.callId === callId && m.final === true)
    expect(retractedBeforeFinal(ofCall(sup, callId), alert.alertId as string, 1)).toBe(true)
    expect(sup.of('alert').filter((m) => m.callId === callId)).toHaveLength(1)
    await gw.app.callqa.registry.settled()
    const queue = new Queue(QUEUES.webhooks, { connection: { host: '127.0.0.1', port: 6379 }, prefix: gw.env.CALLQA_BULL_PREFIX! })
    try {
      const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])
      const events = jobs.filter((j) => (j.data.body as string).includes(alert.alertId as string)).map((j) => j.data.event)
      expect(events.sort()).toEqual(['alert.raised', 'alert.retracted'])
    } finally {
      await queue.close()
    }
  })

  it('the catch-up (GET /v1/alerts/recent) leaves a retracted alert out and lists its retraction, like the socket', async () => {
    const callId = 'c-retract-recent'
    ingest.send(callStarted(callId))
    const partial: Utterance = { type: 'utterance', callId, seq: 1, speaker: 'agent', text: '这个不行。您看一下。', startMs: 0, endMs: 1500, final: false }
    ingest.send(partial)
    const alert = await sup.waitFor((m) => m.type === 'alert' && m.callId === callId)
    // A second alert that stands: the catch-up keeps it.
    ingest.send({ type: 'utterance', callId, seq: 2, speaker: 'agent', text: '有意见，告去。', startMs: 4000, endMs: 5000 })
    const kept = await sup.waitFor((m) => m.type === 'alert' && m.callId === callId && m.seq === 2)
    const recent = async (since: string) => {
      await gw.app.callqa.registry.settled()
      const res = await fetch(`${gw.url}/v1/alerts/recent?since=${since}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
      expect(res.status).toBe(200)
      return (await res.json()) as { alerts: { alertId: string }[]; retracted: unknown[]; cursor: string | null }
    }
    const before = await recent('0')
    expect(before.alerts.map((a) => a.alertId)).toEqual(expect.arrayContaining([alert.alertId, kept.alertId]))
    ingest.send({ ...partial, text: '这个步行。您看一下地图。', endMs: 3000, final: true })
    await sup.waitFor((m) => m.type === 'alert.retracted' && m.alertId === alert.alertId)
    const after = await recent('0')
    const ids = after.alerts.map((a) => a.alertId)
    expect(ids).toContain(kept.alertId)
    expect(ids).not.toContain(alert.alertId)
    expect(after.retracted).toContainEqual({ type: 'alert.retracted', alertId: alert.alertId, callId, reason: 'final_cleared' })
    // From a cursor past the alert: only the retraction is new, and it is listed.
    const later = await recent(encodeURIComponent(before.cursor!))
    expect(later.alerts.map((a) => a.alertId)).not.toContain(alert.alertId)
    expect(later.retracted).toContainEqual({ type: 'alert.retracted', alertId: alert.alertId, callId, reason: 'final_cleared' })
  })

  it('an ASR adapter (FunASR 2pass): the corrected sentence retracts the alert of its partial', async () => {
    const callId = 'c-retract-funasr'
    await follow(callId)
    ingest.send(callStarted(callId))
    await sup.waitFor((m) => m.type === 'call' && m.callId === callId)
    const asr = await TestSocket.open(`${gw.wsUrl}/v1/ingest/asr/funasr?callId=${callId}&speaker=agent`, TEST_INGEST_TOKEN)
    asr.send({ mode: '2pass-online', text: '这个不行。', wav_name: 'agent', is_final: false })
    asr.send({ mode: '2pass-online', text: '您看一下。', wav_name: 'agent', is_final: false })
    const alert = await sup.waitFor((m) => m.type === 'alert' && m.callId === callId)
    asr.send({ mode: '2pass-offline', text: '这个步行。您看一下地图。', wav_name: 'agent', is_final: false })
    await sup.waitFor((m) => m.type === 'alert.retracted' && m.alertId === alert.alertId)
    await sup.waitFor((m) => m.type === 'transcript' && m.callId === callId && m.final === true)
    expect(retractedBeforeFinal(ofCall(sup, callId), alert.alertId as string, alert.seq as number)).toBe(true)
    await asr.close()
  })

  it('the telephony webhook carries hungUpBy: a customer who hangs up leaves no missing closing', async () => {
    const callId = 'c-hangup'
    ingest.send(callStarted(callId))
    ingest.send({ type: 'utterance', callId, seq: 1, speaker: 'agent', text: '您好,我是中国移动客服小王。', startMs: 0, endMs: 3000 })
    ingest.send({ type: 'utterance', callId, seq: 2, speaker: 'customer', text: '不需要。', startMs: 3500, endMs: 4500 })
    await ingest.waitForAck(callId, 2)
    const res = await postWebhook(gw.url, { type: 'call.ended', callId, endMs: 5000, disposition: 'failed', hungUpBy: 'customer' })
    expect(res.status).toBe(200)
    await gw.app.callqa.registry.settled()
    const queue = scoreQueue(gw.env)
    try {
      const job = (await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed'])).find((j) => j.data.report.callId === callId)!
      expect(job.data.report.metrics.closedBy).toBe('customer_hung_up')
      expect(job.data.report.findings.map((f: { rule: string }) => f.rule)).not.toContain('missing_closing')
    } finally {
      await queue.close()
    }
  })

  it('samples and evaluation calls streamed with partials: reports agree with the alerts never retracted; retractions come with their final', async () => {
    const sets: EvalCall[] = [...loadSet(here('../../../../samples/'), { labelled: false })]
    for (const set of ['dev', 'holdout']) {
      const dir = here(`../../../../packages/engine/eval/data/${set}/`)
      if (readdirSync(here('../../../../packages/engine/eval/data/')).includes(set)) sets.push(...loadSet(dir))
    }
    expect(sets.length).toBeGreaterThan(8)
    let retractions = 0
    for (const call of sets) {
      // A fresh id per run of this file (the gateway remembers ended calls).
      const callId = `gw-${call.started.callId}`
      const re = <T extends CallEvent>(e: T): T => ({ ...e, callId })
      await follow(callId)
      const ended = call.ended ?? { type: 'call.ended' as const, callId, endMs: call.utterances.at(-1)?.endMs ?? 0, disposition: 'abandoned' as const }
      ingest.send([re(call.started), ...withPartials(call.utterances).map((x) => re(x.event)), re(ended)])
      await sup.waitFor((m) => m.type === 'call' && m.callId === callId && m.state === 'ended', 20_000)
      const messages = ofCall(sup, callId)
      const retracted = new Set(messages.filter((m) => m.type === 'alert.retracted').map((m) => m.alertId as string))
      retractions += retracted.size
      for (const alertId of retracted) {
        const seq = messages.find((m) => m.type === 'alert' && m.alertId === alertId)!.seq as number
        expect(retractedBeforeFinal(messages, alertId, seq), `${call.file}: ${alertId} retracted after its final`).toBe(true)
      }
      const live = messages.filter((m) => m.type === 'alert' && !retracted.has(m.alertId as string) && !(m.alertId as string).includes(':speaking_rate:live:'))
      const finals = call.utterances.filter((u) => u.final !== false)
      const report = checkTranscript(testRulebook(), [re(call.started), ...finals.map(re), re(ended)]).reports[0]!
      const reportIds = report.findings.filter((f) => !f.reportOnly).map((f) => `${callId}:${f.id}`).sort()
      expect(live.map((m) => m.alertId as string).sort(), call.file).toEqual(reportIds)
      sup.send({ type: 'unfollow', callId })
    }
  }, 240_000)
})
