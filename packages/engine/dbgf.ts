import { readFileSync } from 'node:fs'
import { loadRulebookFile, CallMonitor } from './src/index.js'
const rb = loadRulebookFile('rulebooks/default.yaml')
const lines = readFileSync(process.argv[2]!, 'utf8').split('\n').filter(Boolean)
const m = new CallMonitor(rb, { type: 'call.started', callId: 'x', agentId: 'a', teamId: 't', direction: 'outbound', at: '2026-12-07T00:00:00Z' } as any)
let t = 0, seq = 0, flagged = 0
for (const text of lines) {
  seq++
  const r = m.feed({ type: 'utterance', callId: 'x', seq, speaker: 'agent', text, startMs: t, endMs: t + text.length * 250, final: true } as any) as any
  t += text.length * 250 + 4000
  const f = (r.findings ?? []).filter((f: any) => !['slow_response', 'speaking_rate', 'missing_greeting'].includes(f.rule))
  if (f.length) { flagged++; console.log(seq, text, JSON.stringify(f.map((x: any) => [x.rule, x.phrase]))) }
}
console.log('flagged', flagged, 'of', lines.length)
