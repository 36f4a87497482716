/**
 * A rule module: everything about one rule in one file — its rulebook fields (schema with defaults),
 * how its parameters are compiled, its label, whether it counts against the agent, and its decision.
 */
import { ruleLabel, type RuleId } from '@callqa/protocol'
import type { Field, RawRule } from '../rulebook/schema.js'

export interface RuleModule<P = unknown> {
  id: RuleId | 'politeness'
  /** Shown to people (reasons in reports): from protocol's labels catalogue (labels.ts), the one place for them. */
  label: { zh: string; en: string }
  /**
   * False for a routing signal that is not the agent's violation (complaint_risk); its findings carry
   * `againstAgent: false` and deduct nothing whatever the weight.
   */
  againstAgent: boolean
  /** The rule's keys in a rulebook (validated by the rulebook parser). */
  fields: Record<string, Field>
  /** Validated YAML mapping → the parameters the decision uses (defaults filled in). */
  compile(raw: RawRule): P
}

/** The rule's labels from protocol's catalogue. */
export function labelsOf(id: RuleId | 'politeness'): { zh: string; en: string } {
  return id === 'politeness' ? { zh: '礼貌用语', en: 'Politeness' } : { zh: ruleLabel(id, 'zh'), en: ruleLabel(id, 'en') }
}
