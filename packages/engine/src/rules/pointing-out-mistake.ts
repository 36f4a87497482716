/** 严禁明确指出客户在通话中所出现的错误 (chapter 8): 您搞错了, 是您自己没看清 … One finding per utterance. */
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { lexiconModule } from './lexicon.js'

export const pointingOutMistake = lexiconModule({
  id: 'pointing_out_mistake',
  groupBy: 'utterance',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('pointing_out_mistake'),
  cues: 'mistake',
})
