/** 第十章 保密: the agent reveals internal matters (system faults, internal prices, unpublished offers). One finding per utterance and canonical phrase. */
import { lexiconModule } from './lexicon.js'

export const internalDisclosure = lexiconModule({
  id: 'internal_disclosure',
  groupBy: 'phrase',
  speaker: 'agent',
  cues: 'disclosure',
})
