/** 不能训斥、顶撞、责备客户 (chapter 8): 你怎么连这个都不会, 别废话 … One finding per utterance. */
import { lexiconModule } from './lexicon.js'

export const scolding = lexiconModule({
  id: 'scolding',
  groupBy: 'utterance',
  speaker: 'agent',
  cues: 'scolding',
})
