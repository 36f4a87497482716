import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import type { Principal } from '@callqa/protocol'
import { addWorkingDays, applyReview, appealDeadlineMs, DEFAULT_APPEAL_SETTINGS, decideAppeal, fileAppeal, isOverdue, ReviewError, scoreWithFindings, stateOf, renderReviewHtml } from './index.js'
import { defaultRulebook, SAMPLES_DIR, sampleReport } from './testing.js'

const lead: Principal = { username: 'lead', role: 'shift_lead' }
const at = '2026-11-29T10:00:00.000Z'

describe('rescoring from the rulebook', () => {
  it('gives back the engine score, deductions and metrics for the engine findings of every sample', () => {
    for (const file of readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jsonl'))) {
      const report = sampleReport(file.replace(/\.jsonl$/, ''))
      expect(scoreWithFindings(defaultRulebook(), report, report.findings), file).toEqual(report)
    }
  })
})

describe('review transitions', () => {
  const report = sampleReport('05-angry-agent-forbidden-phrases')
  const first = report.findings[0]!

  it('dismissing a deduction gives its points back; the same dismissal again changes nothing', () => {
    const next = applyReview(defaultRulebook(), report, { type: 'dismiss', findingId: first.id, reason: 'asr_error' }, { principal: lead, at })!
    expect(next.score).toBe(report.score + 10)
    expect(next.findings.map((f) => f.id)).not.toContain(first.id)
    expect(next.review!.history).toMatchObject([{ action: 'dismiss', by: 'lead', reason: 'asr_error', scoreBefore: report.score, scoreAfter: report.score + 10 }])
    expect(applyReview(defaultRulebook(), next, { type: 'dismiss', findingId: first.id, reason: 'asr_error' }, { principal: lead, at })).toBeNull()
    // Re-review: confirmed again, the points are deducted again with the engine's reason.
    const back = applyReview(defaultRulebook(), next, { type: 'confirm', findingId: first.id }, { principal: lead, at })!
    expect(back.score).toBe(report.score)
    expect(back.deductions).toEqual(report.deductions)
    expect(renderReviewHtml(back, 'Asia/Shanghai')).toContain('驳回')
  })

  it('a dismissed complaint-risk finding clears the call risk; an added missing greeting makes it ungreeted', () => {
    const risk = report.findings.find((f) => f.rule === 'complaint_risk')!
    const next = applyReview(defaultRulebook(), report, { type: 'dismiss', findingId: risk.id, reason: 'innocent_use' }, { principal: lead, at })!
    expect(next.metrics.complaintRisk).toBe(false)
    const added = applyReview(defaultRulebook(), next, { type: 'add', rule: 'missing_greeting', seq: 1, note: '问候语不完整' }, { principal: lead, at })!
    expect(added.metrics.greeted).toBe(false)
    expect(added.score).toBe(next.score - defaultRulebook().rules.missing_greeting!.weight)
    expect(added.deductions.at(-1)?.reason ?? added.deductions.find((d) => d.rule === 'missing_greeting')!.reason).toBeTruthy()
  })

  it('refuses bad input and the wrong people with coded errors', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return (err as ReviewError).code
      }
      return 'no error'
    }
    const manager: Principal = { username: 'm', role: 'outbound_manager', teams: ['t-other'] }
    expect(code(() => applyReview(defaultRulebook(), report, { type: 'confirm', findingId: first.id }, { principal: manager, at }))).toBe('CQ_ERR_FORBIDDEN')
    expect(code(() => applyReview(defaultRulebook(), report, { type: 'confirm', findingId: 'nope' }, { principal: lead, at }))).toBe('CQ_ERR_INVALID_REVIEW')
    expect(code(() => applyReview(defaultRulebook(), report, { type: 'dismiss', findingId: first.id, reason: 'other' }, { principal: lead, at }))).toBe('CQ_ERR_INVALID_REVIEW')
    expect(code(() => applyReview(defaultRulebook(), report, { type: 'dismiss', findingId: first.id, reason: 'because' as 'other', note: 'x' }, { principal: lead, at }))).toBe('CQ_ERR_INVALID_REVIEW')
    expect(code(() => applyReview(defaultRulebook(), report, { type: 'add', rule: 'overpromise', seq: 999, note: 'x' }, { principal: lead, at }))).toBe('CQ_ERR_INVALID_REVIEW')
  })
})

describe('working days and appeals', () => {
  const calendar = { timeZone: 'Asia/Shanghai', holidays: ['2026-12-02'] }
  it('skips weekends and holidays', () => {
    // Friday 2026-11-27 10:00 local + 3 working days = Wednesday 2026-12-02 ... a holiday, so Thursday.
    const friday = Date.parse('2026-11-27T02:00:00Z')
    expect(new Date(addWorkingDays(friday, 3, { timeZone: 'Asia/Shanghai' })).toISOString()).toBe('2026-12-02T02:00:00.000Z')
    expect(new Date(addWorkingDays(friday, 3, calendar)).toISOString()).toBe('2026-12-03T02:00:00.000Z')
  })

  it('an agent appeals within the window, not after; the complaint manager decides a complaint-risk call', () => {
    const report = sampleReport('05-angry-agent-forbidden-phrases')
    const agent: Principal = { username: 'a12', role: 'agent', agentId: report.agentId }
    const deadline = appealDeadlineMs(report, DEFAULT_APPEAL_SETTINGS)
    const findingId = report.deductions[0]!.findingId!
    expect(() => fileAppeal(report, { findingId, reason: '我说的是“我知道”' }, { principal: agent, at: new Date(deadline + 1).toISOString() })).toThrow(/window/)
    const appealed = fileAppeal(report, { findingId, reason: '我说的是“我知道”' }, { principal: agent, at })
    const appeal = stateOf(appealed).appeals[0]!
    expect(appeal).toMatchObject({ status: 'pending', routedTo: 'complaint_manager' })
    expect(isOverdue(appeal, Date.parse(appeal.dueAt) + 1)).toBe(true)
    const manager: Principal = { username: 'm', role: 'outbound_manager', teams: [report.teamId] }
    expect(() => decideAppeal(defaultRulebook(), appealed, { appealId: appeal.id, outcome: 'overturned', reply: 'ok' }, { principal: manager, at })).toThrow(/投诉管理员/)
    const complaints: Principal = { username: 'c', role: 'complaint_manager' }
    const decided = decideAppeal(defaultRulebook(), appealed, { appealId: appeal.id, outcome: 'overturned', reply: '录音核实,确为误识别' }, { principal: complaints, at })!
    expect(decided.score).toBe(report.score + 10)
    expect(stateOf(decided).appeals[0]).toMatchObject({ status: 'overturned', decidedBy: 'c' })
    expect(() => fileAppeal(decided, { findingId: report.deductions[1]!.findingId!, reason: 'x' }, { principal: { ...agent, agentId: 'someone-else' }, at })).toThrow(/only agent/)
  })
})
