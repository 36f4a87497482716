/** Test support: engine reports of the repository's sample transcripts. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkTranscript, loadDefaultRulebook, type Rulebook } from '@callqa/engine'
import { decodeJsonl, type CallReport } from '@callqa/protocol'

export const SAMPLES_DIR = fileURLToPath(new URL('../../../samples', import.meta.url))

let rulebook: Rulebook | undefined
export function defaultRulebook(): Rulebook {
  return (rulebook ??= loadDefaultRulebook())
}

/** The engine's report of `samples/NAME.jsonl`, optionally under another callId. */
export function sampleReport(name: string, overrides: Partial<Pick<CallReport, 'callId' | 'agentId' | 'teamId'>> = {}): CallReport {
  const decoded = decodeJsonl(readFileSync(`${SAMPLES_DIR}/${name}.jsonl`, 'utf8'))
  const events = decoded.events.map((e) => ({ ...e, ...(overrides.callId ? { callId: overrides.callId } : {}) }))
  const started = events[0]
  if (started?.type === 'call.started') Object.assign(started, overrides.agentId ? { agentId: overrides.agentId } : {}, overrides.teamId ? { teamId: overrides.teamId } : {})
  return checkTranscript(defaultRulebook(), events).reports[0]!
}
