/**
 * 第十章 保密: the agent reveals internal matters (system faults, internal prices, unpublished offers, staff matters,
 * targets, internal processes, another customer's case). One finding per utterance and canonical phrase.
 *
 * Occurrences: the rulebook's phrases, the act frames (features/acts.ts `disclosure`) and the secrecy frames
 * (features/secrecy.ts), both read with ASR pauses as clause breaks (features/frames.ts).
 */
import { actCues, type ActCue } from '../features/acts.js'
import { defaultScorerThreshold } from '../features/act-scorer.js'
import { echoed, framed } from '../features/frames.js'
import { dared, secrecyCues } from '../features/secrecy.js'
import { lexiconModule, type Screen } from './lexicon.js'

// The agent's own badge put up as a guarantee (我用我的工号担保) or given to be complained about tells nothing inside.
const BADGE_PLEDGE = /工号[^,.!?;]{0,3}(担保|保证|作保|报给|给(您|你))/

const screen: Screen = (_rule, features) => {
  const fr = framed(features)
  // A penalty named in a dare (大不了扣我工资) defies the customer; it tells nothing inside.
  const acts = actCues(fr.f, 'disclosure').filter((q) => !BADGE_PLEDGE.test(fr.soft.slice(q.start, Math.min(fr.soft.length, q.end + 6))) && !(/(扣|绩效|工资|奖金|处分)/.test(q.phrase) && dared(fr.soft, q.start, q.end)))
  const more = secrecyCues(features)
  const cues: ActCue[] = more.length === 0 ? acts : [...acts, ...more.filter((q) => !acts.some((a) => a.start < q.end && q.start < a.end))].sort((a, b) => a.start - b.start)
  // A listed phrase in the customer's words told back (您说这套餐是我们偷偷给您开的): theirs, not the agent's.
  return { cues, clears: (o) => echoed(fr, o.start) }
}

export const internalDisclosure = lexiconModule({
  id: 'internal_disclosure',
  groupBy: 'phrase',
  speaker: 'agent',
  // The learned scorer beside the frames (rules/scored.ts): `scorerThreshold` in the rulebook, by default the training's.
  scorerThreshold: defaultScorerThreshold('internal_disclosure'),
  screen,
})
