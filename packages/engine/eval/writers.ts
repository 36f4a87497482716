/**
 * `pnpm eval:writers`: the engine over the writers' single lines (eval/train-data/<writer>/*.jsonl),
 * each run as a tiny call (the context line before it, if any, then the line) through CallMonitor.
 * Prints, per rule (and per forbidden act): recall on the positives, false alarms on the look-alikes
 * and on the neutral lines, for the tuning writers and for the held-back writers apart.
 *
 *   pnpm eval:writers                      # figures for both groups
 *   pnpm eval:writers --misses scolding    # the tuning writers' misses and false alarms of one rule
 *
 * The held-back writers (HELD_BACK) are never printed line by line: tune on the others, report these.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CallMonitor } from '../src/monitor/call-monitor.js'
import { loadDefaultRulebook } from '../src/rulebook/parse.js'
import type { Rulebook } from '../src/rulebook/types.js'
import { HELD_OUT_HIDDEN } from './harness.js'

export const HELD_BACK = new Set(['w4', 'w5', 'w8', 'cr2'])
const DATA_DIR = fileURLToPath(new URL('./train-data/', import.meta.url))

export interface WriterLine {
  writer: string
  text: string
  rule: string
  act?: string
  label: 'positive' | 'lookalike'
  kind: string
  customerBefore?: string
  agentBefore?: string
}

export function loadWriterLines(writers?: readonly string[]): WriterLine[] {
  const out: WriterLine[] = []
  for (const writer of readdirSync(DATA_DIR).sort()) {
    if (writers && !writers.includes(writer)) continue
    for (const file of readdirSync(join(DATA_DIR, writer)).sort()) {
      if (!file.endsWith('.jsonl')) continue
      for (const raw of readFileSync(join(DATA_DIR, writer, file), 'utf8').split('\n')) {
        if (raw.trim() === '') continue
        const line = JSON.parse(raw) as Omit<WriterLine, 'writer'>
        out.push({ writer, ...line })
      }
    }
  }
  return out
}

/** The rules (and, for forbidden_phrase, the acts) the engine raises on the line itself. */
export function decideLine(rulebook: Rulebook, line: WriterLine): { rules: Set<string>; acts: Set<string> } {
  const speaker = line.rule === 'complaint_risk' ? 'customer' : 'agent'
  const other = speaker === 'agent' ? 'customer' : 'agent'
  const before = speaker === 'agent' ? line.customerBefore : line.agentBefore
  const callId = 'c-eval'
  const monitor = new CallMonitor(rulebook, { type: 'call.started', callId, agentId: 'a-1', teamId: 't-1', direction: 'outbound', at: '2026-12-01T09:00:00.000Z' })
  let seq = 1
  let ms = 1000
  // A greeting first, so the line is never the call's opening.
  monitor.feed({ type: 'utterance', callId, seq: seq++, speaker: 'agent', text: '您好,中国移动客服,请问是王先生吗?', startMs: ms, endMs: ms + 3000, final: true })
  ms += 4000
  if (before) {
    monitor.feed({ type: 'utterance', callId, seq: seq++, speaker: other, text: before, startMs: ms, endMs: ms + 3000, final: true })
    ms += 4000
  }
  const target = seq
  const durationMs = Math.max(1500, line.text.length * 450)
  const result = monitor.feed({ type: 'utterance', callId, seq: target, speaker, text: line.text, startMs: ms, endMs: ms + durationMs, final: true })
  const rules = new Set<string>()
  const acts = new Set<string>()
  for (const f of result.findings) {
    if (f.seq !== target) continue
    rules.add(f.rule)
    if (f.act) acts.add(f.act)
  }
  return { rules, acts }
}

interface Tally { pos: number; hit: number; look: number; fa: number }
const tally = (): Tally => ({ pos: 0, hit: 0, look: 0, fa: 0 })

function main(): void {
  const args = process.argv.slice(2)
  const missesOf = args.includes('--misses') ? args[args.indexOf('--misses') + 1] : undefined
  const rulebook = loadDefaultRulebook()
  const lines = loadWriterLines()
  const groups = { tuning: new Map<string, Tally>(), heldBack: new Map<string, Tally>() }
  const neutralFa = { tuning: { n: 0, fa: 0 }, heldBack: { n: 0, fa: 0 } }
  for (const line of lines) {
    const held = HELD_BACK.has(line.writer)
    if (held && HELD_OUT_HIDDEN) continue
    const group = held ? groups.heldBack : groups.tuning
    const { rules, acts } = decideLine(rulebook, line)
    if (line.rule === 'none') {
      const n = held ? neutralFa.heldBack : neutralFa.tuning
      n.n++
      if (rules.size > 0) n.fa++
      if (!held && missesOf && rules.has(missesOf)) console.log(`FA(neutral) ${line.writer} ${line.text}`)
      continue
    }
    const keys = [line.rule]
    if (line.rule === 'forbidden_phrase' && line.act) keys.push(`forbidden_phrase/${line.act}`)
    const fired = rules.has(line.rule)
    for (const key of keys) {
      const t = group.get(key) ?? tally()
      group.set(key, t)
      if (line.label === 'positive') {
        t.pos++
        if (fired) t.hit++
      } else {
        t.look++
        if (fired) t.fa++
      }
    }
    if (!held && missesOf === line.rule) {
      if (line.label === 'positive' && !fired) console.log(`MISS ${line.writer} [${line.act ?? line.kind}] ${line.customerBefore ? `(客户: ${line.customerBefore}) ` : ''}${line.agentBefore ? `(坐席: ${line.agentBefore}) ` : ''}${line.text}`)
      if (line.label === 'lookalike' && fired) console.log(`FA   ${line.writer} [${line.act ?? line.kind}] ${line.customerBefore ? `(客户: ${line.customerBefore}) ` : ''}${line.text}`)
    }
  }
  if (missesOf) return
  const fmt = (n: number, d: number) => (d === 0 ? '  -  ' : (n / d).toFixed(3))
  if (HELD_OUT_HIDDEN) console.log('\nheld-back writers: skipped (CALLQA_EVAL_HELD_OUT=0)')
  for (const [name, group] of [['tuning writers', groups.tuning], ...(HELD_OUT_HIDDEN ? [] : [['held-back writers (w4 w5 w8 cr2)', groups.heldBack]])] as const) {
    console.log(`\n${name}`)
    console.log('rule'.padEnd(40) + 'recall      look-alike FA')
    for (const key of [...group.keys()].sort()) {
      const t = group.get(key)!
      console.log(`${key.padEnd(40)}${fmt(t.hit, t.pos)} ${String(t.hit).padStart(4)}/${String(t.pos).padEnd(5)} ${fmt(t.fa, t.look)} ${String(t.fa).padStart(4)}/${t.look}`)
    }
    const n = name.startsWith('tuning') ? neutralFa.tuning : neutralFa.heldBack
    console.log(`${'neutral lines with any finding'.padEnd(40)}${fmt(n.fa, n.n)} ${n.fa}/${n.n}`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
