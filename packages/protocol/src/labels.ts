/**
 * The one catalogue of labels shown to people, in the handbook's terms (第八章 外呼中心服务规范),
 * Chinese first and English beside it. The engine's deduction reasons, the console, the HTML report,
 * the CLI and the CSV all take their words from here, so a rule is called the same everywhere.
 *
 * Pure data (its only runtime import is access.ts's role names): the console bundles this file directly.
 */
import { ROLE_NAMES_ZH, type Role } from './access.js'
import type { Disposition, Speaker } from './events.js'
import type { RuleId, Severity } from './report.js'

export const LANGS = ['zh', 'en'] as const
export type Lang = (typeof LANGS)[number]

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en'
}

/**
 * Rules added to the rulebook after the first nine (第八章 二、3 and 三、(四) 倾听); labelled here
 * ahead of their rule ids so both land in any order.
 */
export type UpcomingRuleId = 'pointing_out_mistake' | 'scolding' | 'sarcasm'
export type LabelledRuleId = RuleId | UpcomingRuleId

interface RuleLabel {
  zh: string
  en: string
  /** Whether a finding of this rule is the agent's violation (counted in the agent's KPIs and tiles). */
  violation: boolean
}

const RULES: Record<LabelledRuleId, RuleLabel> = {
  // (五)、服务忌语
  forbidden_phrase: { zh: '服务忌语', en: 'Forbidden phrase', violation: true },
  // (四)、礼貌用语: 问候语 / 结束语
  missing_greeting: { zh: '未使用问候语', en: 'No greeting', violation: true },
  missing_closing: { zh: '未使用结束语', en: 'No closing', violation: true },
  // (一)、声音运用: 语速适中, 每分钟 120 字左右
  speaking_rate: { zh: '语速不当', en: 'Speaking rate', violation: true },
  // (四)、倾听: 严禁在倾听中打断客户
  interruption: { zh: '打断客户', en: 'Interrupting the customer', violation: true },
  // 二、行为举止 3: 有问必答, 应答及时
  slow_response: { zh: '应答不及时', en: 'Slow response', violation: true },
  // A customer naming a complaint channel is a routing signal for 投诉管理员, not the agent's fault.
  complaint_risk: { zh: '投诉风险', en: 'Complaint risk', violation: false },
  // 一、现场服务规范 4: 不向客户透露公司内部不公开的优惠措施 / 系统故障
  internal_disclosure: { zh: '透露内部信息', en: 'Internal disclosure', violation: true },
  // 一、现场服务规范 4: 不向客户承诺无法实现的服务
  overpromise: { zh: '过度承诺', en: 'Overpromise', violation: true },
  // (四)、倾听: 严禁明确指出客户在通话中所出现的错误
  pointing_out_mistake: { zh: '指出客户错误', en: "Pointing out the customer's mistake", violation: true },
  // 二、行为举止 3: 任何情况下都不能训斥、顶撞、责备客户
  scolding: { zh: '训斥责备客户', en: 'Scolding the customer', violation: true },
  // (四)、倾听: 禁止出现不冷不热, 讽刺性或辱骂客户的语言
  sarcasm: { zh: '讽刺客户', en: 'Sarcasm towards the customer', violation: true },
}

/** The rule's label; an id the catalogue does not know is shown as itself rather than hidden. */
export function ruleLabel(rule: string, lang: Lang = 'zh'): string {
  return (RULES as Record<string, RuleLabel | undefined>)[rule]?.[lang] ?? rule
}

/**
 * Whether a finding of `rule` is the agent's violation. complaint_risk is not: it routes the call to
 * 投诉管理员 and is counted apart. Unknown rules count (a new rule is a norm until said otherwise).
 */
export function isAgentViolation(rule: string): boolean {
  return (RULES as Record<string, RuleLabel | undefined>)[rule]?.violation ?? true
}

/** Every labelled rule id with its labels, for tables and tests. */
export const RULE_LABELS: Readonly<Record<LabelledRuleId, Readonly<RuleLabel>>> = RULES

const SEVERITIES: Record<Severity, Record<Lang, string>> = {
  critical: { zh: '严重', en: 'Critical' },
  major: { zh: '较重', en: 'Major' },
  warning: { zh: '一般', en: 'Minor' },
  info: { zh: '提示', en: 'Info' },
}

export function severityLabel(severity: string, lang: Lang = 'zh'): string {
  return (SEVERITIES as Record<string, Record<Lang, string> | undefined>)[severity]?.[lang] ?? severity
}

const DISPOSITIONS: Record<Disposition, Record<Lang, string>> = {
  success: { zh: '成功', en: 'success' },
  failed: { zh: '失败', en: 'failed' },
  no_answer: { zh: '未接通', en: 'no answer' },
  abandoned: { zh: '中断', en: 'abandoned' },
}

export function dispositionLabel(disposition: string, lang: Lang = 'zh'): string {
  return (DISPOSITIONS as Record<string, Record<Lang, string> | undefined>)[disposition]?.[lang] ?? disposition
}

const SPEAKERS: Record<Speaker, Record<Lang, string>> = {
  agent: { zh: '坐席', en: 'Agent' },
  customer: { zh: '客户', en: 'Customer' },
}

export function speakerLabel(speaker: string, lang: Lang = 'zh'): string {
  return (SPEAKERS as Record<string, Record<Lang, string> | undefined>)[speaker]?.[lang] ?? speaker
}

const DIRECTIONS: Record<'outbound' | 'inbound', Record<Lang, string>> = {
  outbound: { zh: '呼出', en: 'outbound' },
  inbound: { zh: '呼入', en: 'inbound' },
}

export function directionLabel(direction: string, lang: Lang = 'zh'): string {
  return (DIRECTIONS as Record<string, Record<Lang, string> | undefined>)[direction]?.[lang] ?? direction
}

const ROLES_EN: Record<Role, string> = {
  shift_lead: 'Shift lead',
  outbound_manager: 'Outbound manager',
  complaint_manager: 'Complaint manager',
  agent: 'Agent',
  admin: 'Administrator',
}

export function roleLabel(role: string, lang: Lang = 'zh'): string {
  const names: Record<string, string | undefined> = lang === 'zh' ? ROLE_NAMES_ZH : ROLES_EN
  return names[role] ?? role
}

/** speaking_rate direction words. */
export function rateDirectionLabel(direction: 'fast' | 'slow', lang: Lang = 'zh'): string {
  return direction === 'fast' ? (lang === 'zh' ? '过快' : 'too fast') : lang === 'zh' ? '过慢' : 'too slow'
}
