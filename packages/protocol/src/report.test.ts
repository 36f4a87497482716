import { describe, expect, it } from 'vitest'
import { retractionOf } from './messages.js'
import { countsAgainstAgent, FORBIDDEN_ACTS } from './report.js'

describe('findings as data', () => {
  it('says whether a finding counts against the agent, from its flag, else by rule for older findings', () => {
    expect(countsAgainstAgent({ rule: 'complaint_risk', againstAgent: false })).toBe(false)
    expect(countsAgainstAgent({ rule: 'forbidden_phrase', againstAgent: true })).toBe(true)
    expect(countsAgainstAgent({ rule: 'complaint_risk' })).toBe(false)
    expect(countsAgainstAgent({ rule: 'sarcasm' })).toBe(true)
  })

  it('lists the eight forbidden acts and builds the retraction message of a finding id', () => {
    expect(FORBIDDEN_ACTS).toHaveLength(8)
    expect(retractionOf('c-1', { findingId: 'forbidden_phrase:seq3:refusal', reason: 'final_cleared' })).toEqual({
      type: 'alert.retracted',
      alertId: 'c-1:forbidden_phrase:seq3:refusal',
      callId: 'c-1',
      reason: 'final_cleared',
    })
  })
})
