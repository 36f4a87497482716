/**
 * 服务忌语 (chapter 8 (五)): the sixteen phrases as the speech acts they perform (refusal, professed
 * ignorance, sending the customer elsewhere, rushing, comprehension taunts, repetition reproaches,
 * defiance, brush-off). The rulebook lists each act's surface forms and paraphrases with `act:`, and the
 * context features that clear an innocent use with `clearedBy:`. One finding per utterance and act.
 */
import { lexiconModule } from './lexicon.js'

export const forbiddenPhrase = lexiconModule({
  id: 'forbidden_phrase',
  groupBy: 'act',
  speaker: 'agent',
})
