/**
 * The customer threatens a complaint or escalation (投诉, 12315, 工信部, 找你们领导 …). Not the agent's
 * violation: a routing signal for complaint managers (`againstAgent: false`, never deducted). One
 * finding per customer utterance listing every trigger word as a span (one alert per utterance).
 *
 * Decided by features/escalation.ts: the `escalation:` lexicons (acts that escalate alone, channels that
 * need an action, the actions) add occurrences beside the rulebook `phrases`, and every occurrence, a
 * phrase's too, stands only when the speaker commits to it (not negated, past or settled, another's,
 * quoted, a question about the process, an in-channel ticket about a third party, praise, a joke, or
 * withdrawn later). The rulebook's lists are added to the defaults below.
 *
 * Relayed complaints (我老婆说要投诉你们, 我儿子说要去12315告你们): ALERT. Decided for the 投诉管理员, whose
 * question is whether this dispute is about to leave the call, not who in the household said so; the cr
 * writer's convention labels them look-alikes, so the writers' figures count these as false alarms. A
 * third party's past or general complaint (邻居说他打过12315, 网上好多人投诉这个型号) raises nothing.
 *
 * Decided on the final only: the withdrawal and the joke may come at the utterance's end (…开玩笑的), so a
 * partial raises nothing (a routing signal loses a second or two, never alerts and retracts).
 */
import { Escalation, compileEscalation, type CompiledEscalation, type EscalationLexicon } from '../features/escalation.js'
import type { UtteranceFeatures } from '../features/utterance.js'
import type { RawRule } from '../rulebook/schema.js'
import { opt, words } from '../rulebook/schema.js'
import type { PhraseRule } from '../rulebook/types.js'
import { lexiconModule, type Screen } from './lexicon.js'

/** Defaults: the core every rulebook gets; the rulebook's `escalation:` lists are added. */
export const DEFAULT_ESCALATION: EscalationLexicon = {
  acts: ['投诉', '举报', '曝光', '起诉', '报警', '律师函', '法庭上见', '法院见', '打官司'],
  channels: ['12315', '12300', '工信部', '消协', '消费者协会', '律师', '法院', '媒体', '记者', '电视台', '派出所'],
  actions: ['打', '拨', '去', '找', '到', '上', '发', '告', '寄', '反映', '联系'],
}

export interface ComplaintRiskRule extends PhraseRule {
  escalation: CompiledEscalation
}

const base = lexiconModule({ id: 'complaint_risk', groupBy: 'utterance', speaker: 'customer' })

const NOTHING = { cues: [], clears: () => true }
const cache = new WeakMap<UtteranceFeatures, Escalation>()

const screen: Screen = (rule, features, partial) => {
  if (partial) return NOTHING
  const lex = (rule as ComplaintRiskRule).escalation
  if (lex === undefined) return { cues: [], clears: () => false }
  let e = cache.get(features)
  if (e === undefined) {
    e = new Escalation(features, lex)
    cache.set(features, e)
  }
  const found = e
  return { cues: found.committed, clears: (o) => found.clearedAt(o) !== undefined }
}

export const complaintRisk = {
  ...lexiconModule({ id: 'complaint_risk', groupBy: 'utterance', speaker: 'customer', screen }),
  fields: {
    ...base.fields,
    escalation: opt({ kind: 'object', fields: { acts: opt(words), channels: opt(words), actions: opt(words) } }),
  },
  compile(r: RawRule): ComplaintRiskRule {
    const given = (r.escalation ?? {}) as Partial<EscalationLexicon>
    const lex: EscalationLexicon = {
      acts: [...DEFAULT_ESCALATION.acts, ...(given.acts ?? [])],
      channels: [...DEFAULT_ESCALATION.channels, ...(given.channels ?? [])],
      actions: [...DEFAULT_ESCALATION.actions, ...(given.actions ?? [])],
    }
    return { ...base.compile(r), escalation: compileEscalation(lex) }
  },
}
