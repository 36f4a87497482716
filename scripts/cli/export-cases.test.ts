/**
 * `callqa export-cases` on a real PostgreSQL database of this file's own: reviewed calls become
 * JSONL transcripts with eval labels, and `callqa check` replays the exported transcript.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '@callqa/protocol'
import { ReportStore } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { ReviewStore } from '@callqa/review/pg'
import { defaultRulebook, sampleReport } from '../../packages/review/src/testing.js'
import { evaluate, loadSet } from '../../packages/engine/eval/harness.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const tmp = mkdtempSync(join(tmpdir(), 'callqa-cases-'))
let db: TestDatabase
const lead: Principal = { username: 'lead', role: 'shift_lead' }

function callqa(args: string[]) {
  const out = spawnSync(TSX, ['scripts/callqa.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url, NO_COLOR: '' } })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

beforeAll(async () => {
  db = await createTestDatabase()
  const store = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
  await store.ensurePartitions(Date.now())
  const reviews = new ReviewStore({ store, rulebook: defaultRulebook() })
  const nowish = (r: ReturnType<typeof sampleReport>) => ({ ...r, startedAt: new Date(Date.now() - 3_600_000).toISOString() })
  const dismissedCall = nowish(sampleReport('05-angry-agent-forbidden-phrases', { callId: 'case-1' }))
  const confirmedCall = nowish(sampleReport('03-broadband-renewal-no-greeting', { callId: 'case-2' }))
  for (const r of [dismissedCall, confirmedCall]) await store.saveReport(r)
  await reviews.review('case-1', lead, { type: 'dismiss', findingId: dismissedCall.findings[0]!.id, reason: 'innocent_use', note: '自言自语' }, { atMs: Date.now() })
  await reviews.review('case-1', lead, { type: 'add', rule: 'overpromise', seq: 1, note: '漏判' }, { atMs: Date.now() })
  await reviews.review('case-2', lead, { type: 'confirm', findingId: confirmedCall.findings[0]!.id }, { atMs: Date.now() })
  await store.close()
})
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true })
  await db?.drop()
})

describe('callqa export-cases', { timeout: 180_000 }, () => {
  it('writes the dismissed and added findings as labelled transcripts that callqa check replays', () => {
    const out = callqa(['export-cases', '--dismissed', '--since', '2d', '--out', tmp])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    expect(readdirSync(tmp).sort()).toEqual(['001-case-1.jsonl', '001-case-1.labels.json'])
    const labels = JSON.parse(readFileSync(join(tmp, '001-case-1.labels.json'), 'utf8'))
    expect(labels).toMatchObject({ callId: 'case-1', greeted: true, closingOk: false, source: { dismissed: 1, added: 1, reviewedBy: ['lead'] } })
    // seq 1 gets the added overpromise; the dismissed finding's utterance is labelled with the reason.
    expect(labels.utterances.find((u: { seq: number }) => u.seq === 1)).toMatchObject({ expect: [{ rule: 'overpromise' }] })
    const dismissed = sampleReport('05-angry-agent-forbidden-phrases').findings[0]!
    expect(labels.utterances.find((u: { seq: number }) => u.seq === dismissed.seq)).toEqual({ seq: dismissed.seq, expect: [], innocent: 'innocent_use', note: `无辜用法: forbidden_phrase「${dismissed.phrase}」 (自言自语)` })

    const check = callqa(['check', '--json', join(tmp, '001-case-1.jsonl')])
    expect(check.code).toBe(0)
    const replayed = JSON.parse(check.stdout.trim())
    // The engine still raises what the reviewer dismissed: the case fails until the engine learns it.
    const engine = sampleReport('05-angry-agent-forbidden-phrases')
    expect(replayed.findings.map((f: { rule: string; seq?: number }) => `${f.rule}@${f.seq}`)).toContain(`${engine.findings[0]!.rule}@${engine.findings[0]!.seq}`)
    expect(replayed.score).toBe(engine.score)
  })

  it('the eval loader reads the export: the dismissed finding is an innocent utterance the engine still flags', () => {
    const calls = loadSet(tmp)
    expect(calls.map((c) => c.file)).toEqual(['001-case-1.jsonl'])
    const dismissed = sampleReport('05-angry-agent-forbidden-phrases').findings[0]!
    const label = calls[0]!.labels!.utterances.find((u) => u.seq === dismissed.seq)
    expect(label).toMatchObject({ expect: [], innocent: 'innocent_use' })
    expect(calls[0]!.utterances.find((u) => u.seq === dismissed.seq)!.text).toBe(dismissed.text)
    const result = evaluate(defaultRulebook(), calls)
    // Until the engine learns it, the correction shows as a false alarm of its kind, and the added miss as a miss.
    expect(result.batch.innocentFalseAlarms).toEqual({ innocent_use: { hit: 1, of: 1 } })
    expect(result.batch.byRule.overpromise).toEqual({ tp: 0, fp: 0, fn: 1 })
    expect(result.greeting).toEqual({ hit: 1, of: 1 })

    const cli = spawnSync(TSX, ['packages/engine/eval/cli.ts', '--dir', tmp], { cwd: ROOT, encoding: 'utf8' })
    expect(cli.status).toBe(1)
    expect(cli.stdout).toMatch(/innocent innocent_use\s+false alarms 1\/1/)
    expect(cli.stdout).toMatch(/FAIL innocent false-alarm rate: 1 \(want ≤ 0\.01\)/)
  })

  it('without --dismissed exports every reviewed call; a bad --since is a usage error', () => {
    const all = mkdtempSync(join(tmpdir(), 'callqa-cases-all-'))
    try {
      expect(callqa(['export-cases', '--since', '2d', '--out', all]).code).toBe(0)
      expect(readdirSync(all).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2)
    } finally {
      rmSync(all, { recursive: true, force: true })
    }
    const bad = callqa(['export-cases', '--since', 'last week'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--since must be/)
  })
})
