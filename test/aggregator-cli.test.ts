/**
 * `callqa kpi` (scripts/cli/kpi.ts) as a real child process over JSONL files: the same KPIs the
 * workers keep in PostgreSQL for the same calls, CSV with a BOM, exit codes.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest'
import { checkTranscript, loadDefaultRulebook } from '@callqa/engine'
import { ReportStore, type KpiReport } from '@callqa/store'
import { createTestDatabase, type TestDatabase } from '@callqa/store/testing'
import { simEvents, simulateDay } from './aggregator-simulate.js'
import { ROOT } from './aggregator-helpers.js'
import { run } from '../scripts/cli/kpi.js'

const dir = mkdtempSync(join(tmpdir(), 'callqa-kpi-'))
let db: TestDatabase
const calls = simulateDay({ teams: 2, agentsPerTeam: 3, seed: 8, callsPerAgent: [60, 90], callPrefix: 'cli' })
const events = calls.flatMap(simEvents)
// Split over two files, as a month of recordings would be.
const half = events.findIndex((e, i) => i > events.length / 2 && e.type === 'call.started')
const fileA = join(dir, 'morning.jsonl')
const fileB = join(dir, 'afternoon.jsonl')

beforeAll(async () => {
  writeFileSync(fileA, events.slice(0, half).map((e) => JSON.stringify(e)).join('\n') + '\n')
  writeFileSync(fileB, events.slice(half).map((e) => JSON.stringify(e)).join('\n') + '\n')
  db = await createTestDatabase()
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await db?.drop()
})

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/callqa.ts'), 'kpi', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

it('prints the same KPIs the workers count in PostgreSQL for the same calls', { timeout: 120_000 }, async () => {
  const [{ code, stdout, stderr }, text] = await Promise.all([cli('--json', fileA, fileB), cli(fileA, fileB)])
  expect(stderr).toBe('')
  expect(code).toBe(0)
  const out = JSON.parse(stdout) as { calls: number; teams: KpiReport[]; agents: KpiReport[] }
  expect(out.calls).toBe(calls.length)
  const store = new ReportStore({ databaseUrl: db.url, maxConnections: 2 })
  onTestFinished(() => store.close())
  for (const report of checkTranscript(loadDefaultRulebook(), events).reports) await store.saveReport(report)
  for (const team of out.teams) {
    expect(team.total).toEqual((await store.readKpi('team', team.id, '2026-11-27', '2026-11-27', 'day')).total)
  }
  for (const agent of out.agents) {
    expect(agent.total).toEqual((await store.readKpi('agent', agent.id, '2026-11-27', '2026-11-27', 'day')).total)
    expect(agent.total.calls).toBe(calls.filter((c) => c.started.agentId === agent.id).length)
  }
  expect(text.code).toBe(0)
  expect(text.stdout).toMatch(/staffing \(3 seat-days\): 日均呼出/)
  expect(text.stdout).toMatch(/应考虑增加外呼量|应考虑增加外呼台席数量|处于编制范围内/)
})

it('writes CSV with a BOM, one row per period and a total', { timeout: 120_000 }, async () => {
  const { code, stdout } = await cli('--csv', '--by', 'month', fileA, fileB)
  expect(code).toBe(0)
  expect(stdout.startsWith('\uFEFFscope,id,period,calls,successful_calls')).toBe(true)
  const lines = stdout.trimEnd().split('\r\n')
  // 2 teams + 6 agents, each a 2026-11 row and a total row.
  expect(lines).toHaveLength(1 + 8 * 2)
  expect(lines[1]).toMatch(/^team,team-a,2026-11,/)
  expect(lines[2]).toMatch(/^team,team-a,total,/)
})

/** `run()` in this process (usage errors need no child), with stdout and stderr captured. */
async function runHere(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const write = process.stderr.write.bind(process.stderr)
  const writeOut = process.stdout.write.bind(process.stdout)
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write
  process.stdout.write = (() => true) as typeof process.stdout.write
  try {
    return { code: await run(args), stderr }
  } finally {
    process.stderr.write = write
    process.stdout.write = writeOut
  }
}

it('exits 2 on bad usage and 1 when lines are rejected, naming file and line', { timeout: 120_000 }, async () => {
  expect((await runHere()).code).toBe(2)
  expect((await runHere('--json', '--csv', fileA)).code).toBe(2)
  expect((await runHere('--by', 'week', fileA)).code).toBe(2)
  expect((await runHere('--timezone', 'Mars/Olympus', fileA)).code).toBe(2)
  expect((await runHere(join(dir, 'missing.jsonl'))).code).toBe(2)
  const bad = join(dir, 'bad.jsonl')
  writeFileSync(bad, `${JSON.stringify(events[0])}\n{"type":"utterance"\n`)
  const res = await runHere(bad)
  expect(res.code).toBe(1)
  expect(res.stderr).toContain(`${bad}: CQ_ERR_NOT_JSON: line 2`)
})
