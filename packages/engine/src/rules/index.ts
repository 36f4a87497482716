/** Every rule module, in rulebook order. The rulebook parser and the monitor iterate this list. */
import type { RuleId } from '@callqa/protocol'
import { closing } from './closing.js'
import { complaintRisk } from './complaint-risk.js'
import { forbiddenPhrase } from './forbidden-phrase.js'
import { greeting } from './greeting.js'
import { internalDisclosure } from './internal-disclosure.js'
import { interruption } from './interruption.js'
import type { LexiconModule } from './lexicon.js'
import type { RuleModule } from './module.js'
import { overpromise } from './overpromise.js'
import { pointingOutMistake } from './pointing-out-mistake.js'
import { politeness } from './politeness.js'
import { sarcasm } from './sarcasm.js'
import { scolding } from './scolding.js'
import { slowResponse } from './slow-response.js'
import { speakingRate } from './speaking-rate.js'

/** Lexicon rules in the order their findings are listed on an utterance. */
export const LEXICON_MODULES: readonly LexiconModule[] = [forbiddenPhrase, pointingOutMistake, scolding, sarcasm, internalDisclosure, overpromise, complaintRisk]

export const RULE_MODULES: readonly RuleModule[] = [
  forbiddenPhrase,
  greeting,
  closing,
  speakingRate,
  interruption,
  slowResponse,
  complaintRisk,
  internalDisclosure,
  overpromise,
  pointingOutMistake,
  scolding,
  sarcasm,
  politeness,
] as readonly RuleModule[]

const byId = new Map<string, RuleModule>(RULE_MODULES.map((m) => [m.id, m]))

export function ruleModule(id: RuleId): RuleModule {
  return byId.get(id)!
}
