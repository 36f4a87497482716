/** 不得讽刺、挖苦客户, 不冷不热 (chapter 8): 您可真行, 爱办不办 … One finding per utterance. */
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { lexiconModule } from './lexicon.js'

export const sarcasm = lexiconModule({
  id: 'sarcasm',
  groupBy: 'utterance',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('sarcasm'),
  cues: 'sarcasm',
})
