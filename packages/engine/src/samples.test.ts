import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeJsonl, type CallStarted, type CallEnded, type Finding, type Utterance } from '@callqa/protocol'
import { CallMonitor, checkTranscript, loadDefaultRulebook } from './index.js'

const SAMPLES_DIR = fileURLToPath(new URL('../../../samples/', import.meta.url))
const rulebook = loadDefaultRulebook()

function eventsOf(file: string) {
  const decoded = decodeJsonl(readFileSync(SAMPLES_DIR + file, 'utf8'))
  expect(decoded.errors).toEqual([])
  return decoded.events
}

/** rule, seq and phrase (or direction) of each finding: what samples/README.md promises. */
function summary(findings: Finding[]): string[] {
  return findings.map((f) => [f.rule, f.seq ?? '-', f.phrase ?? f.direction ?? ''].join(' ').trim())
}

const EXPECTED: Record<string, { score: number; findings: string[] }> = {
  '01-5g-upgrade-clean.jsonl': { score: 100, findings: [] },
  '02-data-pack-promises.jsonl': {
    score: 85,
    findings: ['internal_disclosure 5 系统故障', 'overpromise 7 保证', 'overpromise 7 百分之百'],
  },
  '03-broadband-renewal-no-greeting.jsonl': { score: 89, findings: ['missing_greeting 1', 'missing_closing 11'] },
  '04-bill-enquiry-complaint.jsonl': {
    score: 100,
    // One finding per customer utterance: seq 7's 12315, 工信部 and 告你们 (起诉) are its spans.
    findings: ['complaint_risk 5 投诉', 'complaint_risk 7 12315'],
  },
  '05-angry-agent-forbidden-phrases.jsonl': {
    score: 65,
    findings: [
      // One finding per utterance and act: 不知道 and 这个我也不清楚 are two spans of one professed ignorance;
      // 这是规定,就不行 and 我解决不了 two spans of one refusal.
      'forbidden_phrase 3 不知道',
      'forbidden_phrase 5 找领导去',
      'forbidden_phrase 7 这是规定,就不行',
      'complaint_risk 8 投诉',
      'missing_closing 11',
    ],
  },
  '06-fast-talker.jsonl': { score: 97, findings: ['speaking_rate - fast'] },
  '07-interruptions-slow-answer.jsonl': { score: 92, findings: ['interruption 5', 'slow_response 7', 'interruption 10'] },
  '08-customer-hangs-up.jsonl': { score: 100, findings: [] },
}

describe('samples/', () => {
  it('has an expectation for every sample file', () => {
    expect(readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jsonl')).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.each(Object.entries(EXPECTED))('%s gives the findings and score samples/README.md lists', (file, expected) => {
    const { reports, errors, warnings } = checkTranscript(rulebook, eventsOf(file))
    expect(errors).toEqual([])
    expect(warnings).toEqual([])
    expect(reports).toHaveLength(1)
    expect(summary(reports[0]!.findings)).toEqual(expected.findings)
    expect(reports[0]!.score).toBe(expected.score)
  })

  it('masks the mobile numbers said in calls 01 and 02 in every transcript line and finding', () => {
    for (const file of ['01-5g-upgrade-clean.jsonl', '02-data-pack-promises.jsonl']) {
      const report = checkTranscript(rulebook, eventsOf(file)).reports[0]!
      const json = JSON.stringify(report)
      expect(json).not.toMatch(/1[3-9]\d{9}/)
      expect(json).toMatch(/1[3-9]\d\*{4}\d{4}/)
    }
  })

  it('reports the rate of the fast talker as 195 characters a minute, live once and in the report once', () => {
    const [started, ...rest] = eventsOf('06-fast-talker.jsonl') as [CallStarted, ...(Utterance | CallEnded)[]]
    const monitor = new CallMonitor(rulebook, started)
    const alerts = rest.flatMap((e) => monitor.feed(e).findings).filter((f) => f.rule === 'speaking_rate')
    expect(alerts.map((f) => [f.id, f.direction])).toEqual([
      ['speaking_rate:live:0', 'fast'],
      ['speaking_rate:call', 'fast'],
    ])
    expect(monitor.report().metrics.agentCpm).toBe(195)
  })

  it('waits on the partial 我保证这次 (its sentence is still open) and alerts both promises with the final', () => {
    const [started, ...rest] = eventsOf('02-data-pack-promises.jsonl') as [CallStarted, ...(Utterance | CallEnded)[]]
    const monitor = new CallMonitor(rulebook, started)
    const fed = rest.map((e) => ({ event: e, findings: monitor.feed(e).findings }))
    const partial = fed.find((x) => x.event.type === 'utterance' && x.event.final === false)!
    expect(summary(partial.findings)).toEqual([])
    const final = fed.find((x) => x.event.type === 'utterance' && x.event.seq === 7 && x.event.final !== false)!
    expect(summary(final.findings)).toEqual(['overpromise 7 保证', 'overpromise 7 百分之百'])
  })
})
