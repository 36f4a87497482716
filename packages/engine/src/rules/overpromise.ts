/** 不向客户承诺无法实现的服务: certainty words with a guarantee, a discount nobody offered. One finding per utterance and canonical phrase. */
import { lexiconModule } from './lexicon.js'

export const overpromise = lexiconModule({
  id: 'overpromise',
  groupBy: 'phrase',
  speaker: 'agent',
  cues: 'overpromise',
})
