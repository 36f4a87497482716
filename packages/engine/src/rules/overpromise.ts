/**
 * 不向客户承诺无法实现的服务: certainty words with a guarantee, a discount nobody offered, authority the agent does not
 * have. One finding per utterance and canonical phrase.
 *
 * Occurrences: the rulebook's phrases, the act frames (features/acts.ts `overpromise`) and the pledge frames
 * (features/pledges.ts), both read on the utterance with the agent's self-reference made plain (features/frames.ts).
 */
import { actCues, type ActCue } from '../features/acts.js'
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { demanded, echoed, framed, quoted } from '../features/frames.js'
import { guaranteeDenied, outcomeLeftOpen, pledgeCues } from '../features/pledges.js'
import { lexiconModule, type Screen } from './lexicon.js'

const screen: Screen = (_rule, features) => {
  const fr = framed(features)
  // An act cue in a sentence that leaves the outcome open (批不批要等结果, 不敢保证), cited in quotes, or the customer's demand
  // restated (您要我给您免费升千兆) promises nothing.
  const acts = actCues(fr.f, 'overpromise').filter((q) => !outcomeLeftOpen(fr.soft, q.start, q.end) && !quoted(fr, q) && !demanded(fr, q.start))
  const more = pledgeCues(features)
  const cues: ActCue[] = more.length === 0 ? acts : [...acts, ...more.filter((q) => !acts.some((a) => a.start < q.end && q.start < a.end))].sort((a, b) => a.start - b.start)
  // A listed guarantee word denied in any words before it (没法跟您打包票, 谁能打包票), or in the customer's words told back.
  return { cues, clears: (o) => guaranteeDenied(features, o.start) || echoed(fr, o.start) }
}

export const overpromise = lexiconModule({
  id: 'overpromise',
  groupBy: 'phrase',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('overpromise'),
  screen,
})
