/** 不能训斥、顶撞、责备客户 (chapter 8): 你怎么连这个都不会, 别废话 … One finding per utterance. */
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { lexiconModule } from './lexicon.js'

export const scolding = lexiconModule({
  id: 'scolding',
  groupBy: 'utterance',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('scolding'),
  cues: 'scolding',
})
