import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { authPlugin } from '../auth/index.js'
import { consoleRoutes } from './console.js'

const admin = { authorization: 'Bearer console-test-token' }
let app: FastifyInstance
let dist: string

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'callqa-console-dist-'))
  await mkdir(join(dist, 'assets'))
  await writeFile(join(dist, 'index.html'), '<!doctype html><div id="app"></div>')
  await writeFile(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  app = Fastify()
  await app.register(authPlugin, { adminToken: 'console-test-token' })
  await app.register(consoleRoutes, { distDir: dist })
  await app.ready()
})

afterAll(async () => {
  await app.close()
  await rm(dist, { recursive: true, force: true })
})

describe('console routes', () => {
  it('serves the console with security headers, caching hashed assets for good', async () => {
    const page = await app.inject({ url: '/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<div id="app">')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['cache-control']).toBe('no-cache')
    const asset = await app.inject({ url: '/assets/index-abc123.js' })
    expect(asset.headers['cache-control']).toContain('immutable')
  })

  it('shows the active rulebook, with its forbidden phrases, only to a logged-in principal', async () => {
    expect((await app.inject({ url: '/v1/rulebook' })).statusCode).toBe(401)
    const res = await app.inject({ url: '/v1/rulebook', headers: admin })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.id).toBe('handbook-default')
    const forbidden = body.rules.find((r: { rule: string }) => r.rule === 'forbidden_phrase')
    expect(forbidden.severity).toBe('critical')
    expect(forbidden.phrases.map((p: { phrase: string }) => p.phrase)).toContain('找领导去')
    expect(JSON.stringify(body)).not.toContain('matcher')
  })

  it('checks a pasted dialogue and finds the forbidden phrase with the words said', async () => {
    const text = ['坐席：您好，我是中国移动客服代表小王，请问是李先生吗？', '客户：是我，我的流量怎么又超了？', '坐席：这个我不知道，你问我，我问谁。', '坐席：好的，祝您生活愉快，再见。'].join('\n')
    const res = await app.inject({ method: 'POST', url: '/v1/rulebook/try', headers: admin, payload: { text } })
    expect(res.statusCode).toBe(200)
    const [report] = res.json().reports
    // One finding per utterance and act: 不知道 and 你问我，我问谁 are two spans of one professed ignorance.
    const said = report.findings
      .filter((f: { rule: string }) => f.rule === 'forbidden_phrase')
      .flatMap((f: { text: string; spans: { start: number; end: number }[] }) => f.spans.map((x) => f.text.slice(x.start, x.end)))
    expect(said).toContain('你问我，我问谁')
    expect(report.score).toBeLessThan(95)
  })

  it('checks JSONL and reports its bad lines; refuses a dialogue line without a speaker', async () => {
    const jsonl = [
      JSON.stringify({ type: 'call.started', callId: 'c-1', agentId: 'a-7', teamId: 't-1', direction: 'outbound', at: '2026-11-29T08:00:00.000Z' }),
      JSON.stringify({ type: 'utterance', callId: 'c-1', seq: 0, speaker: 'agent', text: '您好，有意见，告去', startMs: 0, endMs: 3000, final: true }),
      'not json',
      JSON.stringify({ type: 'call.ended', callId: 'c-1', endMs: 4000, disposition: 'failed' }),
    ].join('\n')
    const res = await app.inject({ method: 'POST', url: '/v1/rulebook/try', headers: admin, payload: { text: jsonl } })
    const body = res.json()
    expect(body.errors).toEqual([expect.objectContaining({ code: 'CQ_ERR_NOT_JSON', line: 3 })])
    expect(body.reports[0].findings.some((f: { rule: string }) => f.rule === 'forbidden_phrase')).toBe(true)

    const bad = await app.inject({ method: 'POST', url: '/v1/rulebook/try', headers: admin, payload: { text: '您好\n客户：喂' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('CQ_ERR_INVALID_TRANSCRIPT')
    expect(bad.json().message).toMatch(/^line 1: start each line with 坐席/)
  })
})
