/**
 * docs/protocol.md cannot drift from the code: its event tables match the protocol schemas (every
 * field, required or not, every enum value), it lists every error code and limit, and the example
 * call it gives streams into a real gateway with only what the page says (token, frames, acks, the
 * resend rule after a reconnect).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CallEnded, CallStarted, DEFAULT_FRAME_LIMITS, ErrorCodes, MAX_UTTERANCE_CHARS, MAX_WORDS_PER_UTTERANCE, Utterance } from '@callqa/protocol'
import { GatewayErrorCodes } from '../services/gateway/src/errors.js'
import { loadConfig } from '../services/gateway/src/config.js'
import { ASR_FORMATS } from '../services/gateway/src/asr/index.js'
import { TEST_INGEST_TOKEN, scoreQueue, useTestGateway } from '../services/gateway/src/testing.js'
import { fileURLToPath } from 'node:url'

type TSchema = object
const ROOT = fileURLToPath(new URL('..', import.meta.url))

const DOC = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8')
/** Fields the page documents ahead of the schema (another change adds them); checked once they exist. */
const PENDING_FIELDS: Record<string, string[]> = { 'call.ended': ['hungUpBy'] }

/** The rows of the field table under `### \`name\``: field → required. */
function fieldTable(name: string): Map<string, boolean> {
  const start = DOC.indexOf(`### \`${name}\``)
  expect(start, `docs/protocol.md has a section for ${name}`).toBeGreaterThan(-1)
  const section = DOC.slice(start, DOC.indexOf('\n### ', start + 1) === -1 ? DOC.indexOf('\n## ', start) : Math.min(DOC.indexOf('\n### ', start + 1), DOC.indexOf('\n## ', start)))
  const rows = new Map<string, boolean>()
  for (const line of section.split('\n')) {
    const m = /^\| `([A-Za-z]+)` \| .*? \| (yes|no) \|/.exec(line)
    if (m) rows.set(m[1]!, m[2] === 'yes')
  }
  return rows
}

function enumValues(schema: TSchema): string[] {
  const s = schema as { anyOf?: Array<{ const?: unknown }>; enum?: unknown[]; const?: unknown }
  if (s.anyOf) return s.anyOf.map((x) => String(x.const))
  if (s.enum) return s.enum.map(String)
  return s.const !== undefined ? [String(s.const)] : []
}

describe('docs/protocol.md', () => {
  it.each([
    ['call.started', CallStarted],
    ['utterance', Utterance],
    ['call.ended', CallEnded],
  ] as const)('documents every field of %s, required as the schema says, and nothing else', (name, schema) => {
    const table = fieldTable(name)
    const properties = (schema as unknown as { properties: Record<string, TSchema> }).properties
    const required = new Set((schema as unknown as { required?: string[] }).required ?? [])
    for (const field of Object.keys(properties)) {
      expect(table.has(field), `${name}.${field} is documented`).toBe(true)
      expect(table.get(field), `${name}.${field} required`).toBe(required.has(field))
      for (const value of enumValues(properties[field]!)) expect(DOC, `${name}.${field} value ${value}`).toContain(`\`${value}\``)
    }
    for (const field of table.keys()) {
      if (!(field in properties)) expect(PENDING_FIELDS[name] ?? [], `${name}.${field} is in the schema`).toContain(field)
    }
  })

  it('lists every error code, and no code that does not exist', () => {
    const codes = new Set<string>([...Object.values(ErrorCodes), ...Object.values(GatewayErrorCodes)])
    for (const code of codes) expect(DOC, code).toContain(`\`${code}\``)
    for (const [code] of DOC.matchAll(/CQ_ERR_[A-Z_]+/g)) expect(codes.has(code), `${code} exists`).toBe(true)
  })

  it('gives the limits and defaults the code has, and every ASR format', () => {
    const config = loadConfig({})
    const rows: Array<[string, number]> = [
      ['CALLQA_MAX_FRAME_BYTES', config.maxFrameBytes],
      ['CALLQA_MAX_EVENTS_PER_FRAME', config.maxEventsPerFrame],
      ['CALLQA_INGEST_EVENTS_PER_SECOND', config.ingestEventsPerSecond],
      ['CALLQA_INGEST_BURST_EVENTS', config.ingestBurstEvents],
      ['CALLQA_MAX_CALLS_PER_CONNECTION', config.maxCallsPerConnection],
      ['CALLQA_MAX_LIVE_CALLS', config.maxLiveCalls],
      ['CALLQA_IDLE_TIMEOUT_MS', config.idleTimeoutMs],
    ]
    for (const [setting, value] of rows) expect(DOC).toMatch(new RegExp(`\\| ${value}( [a-z]+)? \\| \`${setting}\` \\|`))
    expect(DEFAULT_FRAME_LIMITS.maxFrameBytes).toBe(config.maxFrameBytes)
    expect(DOC).toContain(`at most ${MAX_UTTERANCE_CHARS} characters`)
    expect(DOC).toContain(`at most ${MAX_WORDS_PER_UTTERANCE} \`{text, startMs, endMs}\``)
    for (const format of ASR_FORMATS) expect(DOC).toContain(`| \`${format}\` |`)
  })
})

describe('streaming the example call of docs/protocol.md with only what it says', () => {
  const gateway = useTestGateway()

  function open(): Promise<{ ws: WebSocket; replies: Array<Record<string, unknown>> }> {
    const ws = new WebSocket(`${gateway.wsUrl}/v1/ingest`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } })
    const replies: Array<Record<string, unknown>> = []
    ws.on('message', (data) => replies.push(JSON.parse(String(data)) as Record<string, unknown>))
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, replies }))
      ws.once('error', reject)
    })
  }

  async function until(condition: () => boolean): Promise<void> {
    const end = Date.now() + 10_000
    while (!condition()) {
      if (Date.now() > end) throw new Error('no reply in time')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  it('gets the documented acks, survives a reconnect with the documented resends, and the call is scored', async () => {
    const block = /```jsonl\n([\s\S]*?)```/.exec(DOC.slice(DOC.indexOf('## Example: one call')))
    expect(block).not.toBeNull()
    const lines = block![1]!.trim().split('\n')
    const [started, greeting, answer, end] = lines as [string, string, string, string]
    const acked = (replies: Array<Record<string, unknown>>, seq: number) => replies.some((r) => r.type === 'ack' && r.callId === 'doc-call-1' && r.seq === seq)

    const first = await open()
    for (const line of [started, greeting, answer]) first.ws.send(line)
    await until(() => acked(first.replies, 0) && acked(first.replies, 1))
    first.ws.close()

    // After a reconnect: call.started again, then an utterance that (as far as the client knows) was not acknowledged.
    const second = await open()
    second.ws.send(started)
    second.ws.send(answer)
    await until(() => acked(second.replies, 1))
    second.ws.send(end)
    // call.ended gets no reply when accepted: wait for its score job instead.
    const queue = scoreQueue(gateway.env)
    try {
      const end = Date.now() + 10_000
      let jobs = 0
      while (Date.now() < end && (jobs = Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0)) === 0) await new Promise((r) => setTimeout(r, 50))
      expect(jobs).toBe(1)
    } finally {
      await queue.close()
    }
    expect([...first.replies, ...second.replies].filter((r) => r.type === 'error')).toEqual([])
    second.ws.close()
  })
})
