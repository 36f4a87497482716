import { describe, expect, it } from 'vitest'
import { ROLES } from './access.js'
import {
  RULE_LABELS,
  dispositionLabel,
  isAgentViolation,
  roleLabel,
  ruleLabel,
  severityLabel,
  speakerLabel,
} from './labels.js'
import { RULE_IDS, SEVERITIES } from './report.js'

describe('labels catalogue', () => {
  it('labels every rule id in both languages, each label once', () => {
    for (const rule of RULE_IDS) {
      expect(ruleLabel(rule, 'zh')).not.toBe(rule)
      expect(ruleLabel(rule, 'en')).not.toBe(rule)
    }
    const zh = Object.values(RULE_LABELS).map((l) => l.zh)
    expect(new Set(zh).size).toBe(zh.length)
  })

  it("uses the handbook's words", () => {
    expect(ruleLabel('forbidden_phrase')).toBe('服务忌语')
    expect(ruleLabel('slow_response')).toBe('应答不及时')
    expect(ruleLabel('missing_greeting')).toBe('未使用问候语')
    expect(ruleLabel('missing_closing')).toBe('未使用结束语')
    expect(ruleLabel('scolding')).toBe('训斥责备客户')
    expect(severityLabel('major')).toBe('较重')
    expect(dispositionLabel('failed')).toBe('失败')
    expect(speakerLabel('customer')).toBe('客户')
    expect(roleLabel('complaint_manager')).toBe('投诉管理员')
  })

  it('labels every severity and role in both languages', () => {
    for (const s of SEVERITIES) for (const lang of ['zh', 'en'] as const) expect(severityLabel(s, lang)).not.toBe(s)
    for (const r of ROLES) expect(roleLabel(r, 'en')).not.toBe(r)
  })

  it('does not count complaint risk as the agent’s violation', () => {
    expect(isAgentViolation('complaint_risk')).toBe(false)
    for (const rule of RULE_IDS.filter((r) => r !== 'complaint_risk')) expect(isAgentViolation(rule)).toBe(true)
  })

  it('shows an unknown id as itself', () => {
    expect(ruleLabel('made_up_rule', 'en')).toBe('made_up_rule')
    expect(severityLabel('huge')).toBe('huge')
  })
})
