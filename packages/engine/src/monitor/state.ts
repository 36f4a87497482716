/**
 * The state of one monitored call, as plain JSON (what `CallMonitor.snapshot()` returns), and the
 * speech sums the rules and the report both read. Imported by the monitor, the rule modules and the
 * report; imports none of them (no cycle).
 */
import type { CallEnded, ClosedBy, Finding, Severity } from '@callqa/protocol'
import type { PolitenessKind } from '../rulebook/types.js'

/** An utterance as the monitor keeps it (text already masked). */
export interface StoredUtterance {
  seq: number
  speaker: 'agent' | 'customer'
  text: string
  startMs: number
  endMs: number
  /** Spoken characters (Han, digits, Latin words), counted before masking. */
  chars: number
  /** Speaking time: union of word timings when given, else endMs - startMs. */
  speechMs: number
  /** Customer: contains a question. Agent: is a back-channel (嗯, 对 …). */
  flag: boolean
}

/** An alert returned by `feed` before the utterance it depends on was final (a partial's words). */
export interface ProvisionalAlert {
  id: string
  /** The seq whose final confirms or refutes it. */
  seq: number
}

/** Plain-JSON state of a call; `CallMonitor.restore` continues from it exactly. */
export interface CallSnapshot {
  v: 1
  rulebook: { id: string; version: string }
  call: { callId: string; agentId: string; teamId: string; direction: 'outbound' | 'inbound'; startedAt: string }
  /** Final utterances sorted by (startMs, seq). */
  finals: StoredUtterance[]
  /** Latest partial of each seq whose final has not arrived. */
  pending: StoredUtterance[]
  /** Ids of every finding `feed` has returned. */
  emitted: string[]
  /** Alerts raised on partials and not yet confirmed or retracted by their final (absent in older snapshots). */
  provisional?: ProvisionalAlert[]
  /** Ids `feed` retracted (absent in older snapshots). */
  retracted?: string[]
  /** Severity of the worst finding returned so far. */
  worst: Severity | null
  /** Findings of the final transcript (what the report lists). */
  findings: Finding[]
  greeted: boolean | null
  /** Whether one of the agent's last utterances said farewell (decided at call end). */
  closed: boolean | null
  /** How the call was closed (decided at call end; absent in older snapshots). */
  closedBy?: ClosedBy | null
  politeness: Record<PolitenessKind, number>
  /** Live speaking-rate excursion in progress (one alert per excursion). */
  excursion: 'fast' | 'slow' | null
  excursions: number
  rollingCpm: number | null
  lastMs: number
  ended: { endMs: number; disposition: CallEnded['disposition']; at?: string; hungUpBy?: 'agent' | 'customer' } | null
}

export const SNAPSHOT_VERSION = 1

/**
 * Agent characters and speaking time. Time is the union of the agent's utterance intervals; an utterance
 * that overlaps no other agent utterance counts its own speechMs (word timings), overlapping ones count
 * the union of their intervals.
 */
export function agentSpeech(finals: readonly StoredUtterance[]): { chars: number; speechMs: number } {
  return speakerSpeech(finals, 'agent')
}

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
