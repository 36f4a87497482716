import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword, upsertAccount, type Account } from '../auth/index.js'
import { callStarted, cleanupRedis, startGateway, TestSocket, testEnv, TEST_INGEST_TOKEN, utterance, type TestGateway } from '../testing.js'

const PASSWORD = '外呼中心 test password'
const ACCOUNTS: Omit<Account, 'passwordHash'>[] = [
  { username: 'lead', role: 'shift_lead' },
  { username: 'zhao', role: 'complaint_manager' },
  { username: 'a7', role: 'agent', agentId: 'A7' },
]

/** Who watches live calls, by console session (the real login route and cookie). */
describe('live-call access by role', () => {
  const env = testEnv()
  let gw: TestGateway
  let ingest: TestSocket
  let dir: string
  const cookies = new Map<string, string>()

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callqa-access-'))
    const accountsFile = join(dir, 'accounts.json')
    const passwordHash = await hashPassword(PASSWORD)
    for (const account of ACCOUNTS) await upsertAccount(accountsFile, { ...account, passwordHash })
    gw = await startGateway({ ...env, CALLQA_ACCOUNTS_FILE: accountsFile })
    for (const { username } of ACCOUNTS) {
      const res = await fetch(`${gw.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
      expect(res.status).toBe(200)
      cookies.set(username, String(res.headers.get('set-cookie')).split(';')[0]!)
    }
    ingest = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
  })
  afterAll(async () => {
    await ingest?.close()
    await gw?.close()
    await cleanupRedis(env)
    await rm(dir, { recursive: true, force: true })
  })

  const get = async (username: string, path: string) => {
    const res = await fetch(`${gw.url}${path}`, { headers: { cookie: cookies.get(username)! } })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  /** Opens the supervisor socket with a session cookie; resolves with the socket or the refusal's status. */
  const openAs = (username: string): Promise<TestSocket | number> => {
    const socket = new TestSocket(`${gw.wsUrl}/v1/alerts`, { cookie: cookies.get(username)! })
    return new Promise((resolve, reject) => {
      socket.ws.once('open', () => resolve(socket))
      socket.ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      socket.ws.once('error', reject)
    })
  }

  it('refuses agents the supervisor socket, the alert catch-up and the live calls with 403 CQ_ERR_FORBIDDEN', async () => {
    ingest.send([callStarted('c-acc-a7', 'A7', 'T1'), utterance('c-acc-a7', 0, 'agent', '您好，这个我不知道，你找领导去。')])
    await ingest.waitForAck('c-acc-a7', 0)
    expect(await openAs('a7')).toBe(403)
    for (const path of ['/v1/alerts/recent?since=0', '/v1/live/calls']) {
      const res = await get('a7', path)
      expect(res.status).toBe(403)
      expect(res.body.code).toBe('CQ_ERR_FORBIDDEN')
    }
    // The shift lead watches the same call.
    const lead = await openAs('lead')
    expect(lead).toBeInstanceOf(TestSocket)
    await (lead as TestSocket).waitFor((m) => m.type === 'hello')
    await (lead as TestSocket).close()
    const recent = await get('lead', '/v1/alerts/recent?since=0')
    expect(recent.status).toBe(200)
    expect((recent.body.alerts as { callId: string }[]).some((a) => a.callId === 'c-acc-a7')).toBe(true)
    expect(((await get('lead', '/v1/live/calls')).body.calls as { callId: string }[]).map((c) => c.callId)).toContain('c-acc-a7')
  })

  it('gives a complaint manager the tiles of complaint-risk calls from GET /v1/live/calls, and only those', async () => {
    const zhao = (await openAs('zhao')) as TestSocket
    await zhao.waitFor((m) => m.type === 'hello')
    ingest.send([callStarted('c-acc-risk', 'A8', 'T2'), callStarted('c-acc-calm', 'A9', 'T2')])
    ingest.send([utterance('c-acc-risk', 0, 'agent', '您好，我是移动公司客服。'), utterance('c-acc-calm', 0, 'agent', '您好，我是移动公司客服。')])
    ingest.send(utterance('c-acc-risk', 1, 'customer', '你们再这样乱扣费，我就打12315投诉你们！'))
    ingest.send(utterance('c-acc-calm', 1, 'customer', '好的，流量包我考虑一下。'))
    await ingest.waitForAck('c-acc-risk', 1)
    await ingest.waitForAck('c-acc-calm', 1)
    // On the socket: the complaint alert and the call's update, nothing of the calm call.
    await zhao.waitFor((m) => m.type === 'alert' && m.callId === 'c-acc-risk' && m.rule === 'complaint_risk')
    expect(await zhao.waitFor((m) => m.type === 'call' && m.callId === 'c-acc-risk')).toMatchObject({ complaintRisk: true })
    // A console that (re)loads gets the tile at once, without waiting for the next live update.
    const zhaoCalls = await get('zhao', '/v1/live/calls')
    expect(zhaoCalls.status).toBe(200)
    expect((zhaoCalls.body.calls as { callId: string; complaintRisk?: boolean }[]).map((c) => [c.callId, c.complaintRisk])).toEqual([['c-acc-risk', true]])
    const leadCalls = (await get('lead', '/v1/live/calls')).body.calls as { callId: string; complaintRisk?: boolean }[]
    expect(leadCalls.find((c) => c.callId === 'c-acc-calm')).toMatchObject({ complaintRisk: false })
    expect(zhao.messages.filter((m) => m.callId === 'c-acc-calm')).toEqual([])
    // Following: the history of the complaint-risk call; none of a call the principal may not see.
    zhao.send({ type: 'follow', callId: 'c-acc-calm' })
    zhao.send({ type: 'follow', callId: 'c-acc-risk' })
    await zhao.waitFor(() => zhao.of('transcript').length >= 2)
    await zhao.waitFor((m) => m.type === 'following' && (m.callIds as string[]).length === 2)
    const lead = (await openAs('lead')) as TestSocket
    lead.send({ type: 'follow', callId: 'c-acc-calm' })
    await lead.waitFor(() => lead.of('transcript').length >= 2)
    expect(zhao.of('transcript').map((m) => [m.callId, m.seq])).toEqual([
      ['c-acc-risk', 0],
      ['c-acc-risk', 1],
    ])
    await lead.close()
    await zhao.close()
  })
})
