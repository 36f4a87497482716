/** 不向客户承诺无法实现的服务: certainty words with a guarantee, a discount nobody offered. One finding per utterance and canonical phrase. */
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { lexiconModule } from './lexicon.js'

export const overpromise = lexiconModule({
  id: 'overpromise',
  groupBy: 'phrase',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('overpromise'),
  cues: 'overpromise',
})
