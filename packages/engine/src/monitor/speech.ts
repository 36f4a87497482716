/** Speech time and characters of one speaker, shared by the live monitor and the report. */
import type { StoredUtterance } from './call-monitor.js'

/**
 * Characters and speaking time of `speaker`: utterances that overlap (ASR segments of one turn)
 * count once, from the first start to the last end.
 */
export function speakerSpeech(finals: readonly StoredUtterance[], speaker: 'agent' | 'customer'): { chars: number; speechMs: number } {
  let chars = 0
  let speechMs = 0
  let clusterStart = -1
  let clusterEnd = -1
  let clusterSpeech = 0
  let clusterSize = 0
  const flush = () => {
    if (clusterSize === 1) speechMs += clusterSpeech
    else if (clusterSize > 1) speechMs += clusterEnd - clusterStart
  }
  for (const u of finals) {
    if (u.speaker !== speaker) continue
    chars += u.chars
    if (clusterSize > 0 && u.startMs < clusterEnd) {
      clusterSize++
      if (u.endMs > clusterEnd) clusterEnd = u.endMs
    } else {
      flush()
      clusterStart = u.startMs
      clusterEnd = u.endMs
      clusterSpeech = u.speechMs
      clusterSize = 1
    }
  }
  flush()
  return { chars, speechMs }
}
