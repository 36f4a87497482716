import { describe, expect, it } from 'vitest'
import type { CallReport, Finding } from '@callqa/protocol'
import {
  addReport,
  assessStaffing,
  csvField,
  dayOf,
  dayStartMs,
  daysInRange,
  emptyRollup,
  histogramMedian,
  KpiBook,
  kpiCsv,
  mergeRollups,
  summarize,
} from './index.js'

function report(over: Partial<CallReport> & { findings?: Finding[] } = {}): CallReport {
  return {
    callId: 'c1',
    agentId: 'a1',
    teamId: 't1',
    direction: 'outbound',
    startedAt: '2026-11-27T02:00:00.000Z',
    endMs: 180_000,
    disposition: 'success',
    score: 90,
    deductions: [],
    strengths: [],
    findings: [],
    metrics: {
      agentCpm: 240,
      agentSpeechMs: 90_000,
      agentChars: 360,
      customerSpeechMs: 60_000,
      utterances: 30,
      greeted: true,
      closed: true,
      interruptions: 0,
      slowResponses: 0,
      complaintRisk: false,
      politeness: { 您好: 1, 请: 2, 谢谢: 1, 对不起: 0, address: 1 },
    },
    transcript: [],
    rulebook: { id: 'default', version: '1' },
    ...over,
  }
}

const phrase = (p: string, i: number): Finding => ({ id: `f${i}`, rule: 'forbidden_phrase', severity: 'major', phrase: p })

describe('rollups', () => {
  it('median of the score histogram is exact for odd and even counts', () => {
    const r = emptyRollup()
    for (const score of [70, 90, 80]) addReport(r, report({ score }))
    expect(histogramMedian(r)).toBe(80)
    addReport(r, report({ score: 100 }))
    expect(histogramMedian(r)).toBe(85)
    expect(histogramMedian(emptyRollup())).toBeNull()
  })

  it('merging two rollups equals counting all reports into one', () => {
    const reports = [
      report({ score: 60, disposition: 'failed', findings: [phrase('不知道', 1), phrase('不知道', 2)] }),
      report({ score: 95, findings: [{ id: 'r', rule: 'speaking_rate', severity: 'warning', direction: 'fast', cpm: 330 }] }),
      report({ score: 72, direction: 'inbound', metrics: { ...report().metrics, agentCpm: null, greeted: false, interruptions: 3, complaintRisk: true } }),
    ]
    const one = emptyRollup()
    for (const r of reports) addReport(one, r)
    const a = addReport(emptyRollup(), reports[0]!)
    const b = addReport(addReport(emptyRollup(), reports[1]!), reports[2]!)
    expect(mergeRollups(a, b)).toEqual(one)
    const s = summarize(one)
    expect(s.calls).toBe(3)
    expect(s.successfulCalls).toBe(2)
    expect(s.averageScore).toBeCloseTo((60 + 95 + 72) / 3, 9)
    expect(s.medianScore).toBe(72)
    expect(s.findingsByRule.forbidden_phrase).toBe(2)
    expect(s.findingsByPhrase).toEqual([{ phrase: '不知道', count: 2 }])
    expect(s.greetingRate).toBeCloseTo(2 / 3, 9)
    expect(s.averageAgentCpm).toBe(240)
    expect(s.speakingRateOutsideCalls).toBe(1)
    expect(s.interruptionsPerCall).toBe(1)
    expect(s.complaintRiskCalls).toBe(1)
    expect(s.outboundCalls).toBe(2)
  })
})

describe('complaint risk', () => {
  it('is counted apart, never as the agent\'s violation', () => {
    const risk: Finding = { id: 'k', rule: 'complaint_risk', severity: 'critical', phrase: '12315', seq: 3 }
    const r = addReport(emptyRollup(), report({ score: 100, findings: [risk, { ...risk, id: 'k2', seq: 4 }], metrics: { ...report().metrics, complaintRisk: true } }))
    addReport(r, report({ findings: [phrase('不知道', 1)] }))
    const s = summarize(r)
    expect(s.findings).toBe(1)
    expect(s.complaintRiskFindings).toBe(2)
    expect(s.complaintRiskCalls).toBe(1)
    // A rollup counted before complaint risk was set apart (its findings field included them) reads the same.
    expect(summarize({ ...r, findings: 3 }).findings).toBe(1)
  })
})

describe('staffing band (handbook 第三章)', () => {
  it('advises adding seats above the band and raising the volume below it', () => {
    expect(assessStaffing(85, 70, 1)!.verdict).toBe('within')
    const above = assessStaffing(230, 150, 2)!
    expect(above.verdict).toBe('above')
    expect(above.advice.zh).toContain('增加外呼台席数量')
    expect(above.advice.en).toContain('add')
    const below = assessStaffing(120, 100, 2)!
    expect(below.calls).toBe('below')
    expect(below.advice.zh).toContain('增加外呼量')
    expect(below.advice.en).toContain('raising the call volume')
    expect(assessStaffing(10, 5, 0)).toBeNull()
  })

  it('a team is measured per active seat-day', () => {
    const book = new KpiBook('Asia/Shanghai')
    for (let i = 0; i < 90; i++) book.add(report({ callId: `a${i}`, agentId: 'a1', disposition: i < 75 ? 'success' : 'no_answer' }))
    for (let i = 0; i < 30; i++) book.add(report({ callId: `b${i}`, agentId: 'a2', disposition: 'failed' }))
    const team = book.report('team', 't1', 'day')
    expect(team.total.seatDays).toBe(2)
    expect(team.total.staffing!.callsPerSeatDay).toBe(60)
    expect(team.total.staffing!.successesPerSeatDay).toBe(37.5)
    expect(book.report('agent', 'a1', 'day').total.staffing!.verdict).toBe('within')
  })
})

describe('days in the center time zone', () => {
  it('puts a call at 23:30 UTC on the next Shanghai day', () => {
    expect(dayOf('2026-11-27T23:30:00Z', 'Asia/Shanghai')).toBe('2026-11-28')
    expect(dayOf('2026-11-27T23:30:00Z', 'UTC')).toBe('2026-11-27')
    expect(dayStartMs('2026-11-28', 'Asia/Shanghai')).toBe(Date.parse('2026-11-27T16:00:00Z'))
    expect(daysInRange('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'])
  })
})

describe('csv', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('他说"好"')).toBe('"他说""好"""')
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvField(null)).toBe('')
    const book = new KpiBook()
    book.add(report({ findings: [phrase('不知道', 1)] }))
    const csv = kpiCsv([book.report('agent', 'a1', 'day')], { lang: 'en' })
    expect(kpiCsv([book.report('agent', 'a1', 'day')]).startsWith('\uFEFF范围,编号,周期,通话数,')).toBe(true)
    expect(csv.startsWith('\uFEFFscope,id,period,calls,')).toBe(true)
    const lines = csv.trimEnd().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^agent,a1,2026-11-27,1,1,1,/)
    expect(lines[2]).toMatch(/^agent,a1,total,1,/)
  })
})

describe('properties', () => {
  it('any split of the reports merges back to the whole, and the median is the sorted middle', async () => {
    const fc = (await import('fast-check')).default
    const arbitraryReport = fc.record({
      score: fc.integer({ min: 0, max: 100 }),
      disposition: fc.constantFrom('success', 'failed', 'no_answer', 'abandoned'),
      phrases: fc.array(fc.constantFrom('不知道', '找领导去', '我~解决不了'), { maxLength: 3 }),
      cpm: fc.option(fc.double({ min: 60, max: 300, noNaN: true }), { nil: null }),
      interruptions: fc.integer({ min: 0, max: 5 }),
      part: fc.integer({ min: 0, max: 3 }),
    })
    fc.assert(
      fc.property(fc.array(arbitraryReport, { minLength: 1, maxLength: 60 }), (items) => {
        const reports = items.map((it, i) =>
          report({
            callId: `p${i}`,
            score: it.score,
            disposition: it.disposition as CallReport['disposition'],
            findings: it.phrases.map((p, j) => phrase(p, j)),
            metrics: { ...report().metrics, agentCpm: it.cpm, interruptions: it.interruptions },
          }),
        )
        const whole = emptyRollup()
        for (const r of reports) addReport(whole, r)
        const parts = [emptyRollup(), emptyRollup(), emptyRollup(), emptyRollup()]
        items.forEach((it, i) => addReport(parts[it.part]!, reports[i]!))
        expect(mergeRollups(...parts)).toEqual(whole)
        expect(mergeRollups(parts[3]!, parts[1]!, parts[0]!, parts[2]!)).toEqual(whole)
        const sorted = items.map((it) => it.score).sort((a, b) => a - b)
        const mid = Math.floor(sorted.length / 2)
        expect(histogramMedian(whole)).toBe(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2)
        expect(summarize(whole).calls).toBe(items.length)
      }),
      { numRuns: 200 },
    )
  })
})
