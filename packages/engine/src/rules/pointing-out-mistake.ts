/** 严禁明确指出客户在通话中所出现的错误 (chapter 8): 您搞错了, 是您自己没看清 … One finding per utterance. */
import { lexiconModule } from './lexicon.js'

export const pointingOutMistake = lexiconModule({
  id: 'pointing_out_mistake',
  groupBy: 'utterance',
  speaker: 'agent',
  cues: 'mistake',
})
