/** 第十章 保密: the agent reveals internal matters (system faults, internal prices, unpublished offers). One finding per utterance and canonical phrase. */
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { lexiconModule } from './lexicon.js'

export const internalDisclosure = lexiconModule({
  id: 'internal_disclosure',
  groupBy: 'phrase',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('internal_disclosure'),
  cues: 'disclosure',
})
