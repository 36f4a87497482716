/** 不得讽刺、挖苦客户, 不冷不热 (chapter 8): 您可真行, 爱办不办 … One finding per utterance. */
import { lexiconModule } from './lexicon.js'

export const sarcasm = lexiconModule({
  id: 'sarcasm',
  groupBy: 'utterance',
  speaker: 'agent',
  cues: 'sarcasm',
})
