/**
 * Trains and measures the chapter 8 utterance scorer (src/features/act-scorer.ts; results:
 * eval/ACT-SCORER.md): one logistic regression per rule (scolding, sarcasm, internal_disclosure,
 * overpromise, pointing_out_mistake) over the scorer's keys (character 1-3-grams of the normalised text
 * and four context keys), by SGD with a fixed seed, trained jointly over one pass of the data.
 *
 * Training data (never holdout, blind3, blind4, nor the held-back writers w4 w5 w8):
 * - the agent finals of dev and blind2 (a rule's labelled lines are its positives, every other agent
 *   final a negative);
 * - the tuning writers' lines (train-data/<w>/*.jsonl for w1 w2 w3 w6 w7 w9 w10): a rule's positives,
 *   its look-alikes, the other rules' lines and the neutral lines as negatives;
 * - the real agent lines of ../shared/corpus as negatives.
 *
 * Folds: one per tuning writer; the dev/blind2 calls and the corpus lines are dealt round-robin over the
 * same folds. A threshold is always chosen inside the data a model is trained on: the lowest score at
 * which the out-of-fold precision (over all training rows) is >= 0.95.
 *
 *   npx tsx packages/engine/eval/train-acts.ts            # leave-one-writer-out over the tuning writers
 *   npx tsx packages/engine/eval/train-acts.ts --write    # train on all, write src/features/act-scorer-model.ts
 * Options: --epochs N, --l2 X, --min-df N, --prune X (weights below dropped), --look W (look-alike
 * weight), --show RULE (the LOWO scorer's extra catches and false alarms of the tuning writers).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { detectUtterance } from '../src/detect.js'
import { forEachKey, keyString, SCORED_RULES, type ScoredRule } from '../src/features/act-scorer.js'
import { UtteranceFeatures } from '../src/features/utterance.js'
import { maskPersonalData } from '../src/phrase-bridge.js'
import { loadDefaultRulebook } from '../src/rulebook/parse.js'
import type { Rulebook } from '../src/rulebook/types.js'
import { EVAL_SETS, loadSet } from './harness.js'
import { decideLine, HELD_BACK, loadWriterLines } from './writers.js'

const TUNING = ['w1', 'w2', 'w3', 'w6', 'w7', 'w9', 'w10'] as const
for (const w of TUNING) if (HELD_BACK.has(w)) throw new Error(`${w} is held back`)
const R = SCORED_RULES.length
const args = process.argv.slice(2)
const argOf = (name: string, dflt: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt)
const EPOCHS = argOf('--epochs', 12)
const L2 = argOf('--l2', 1e-5)
const MIN_DF = argOf('--min-df', 2)
const PRUNE = argOf('--prune', 0.02)
const LOOK_WEIGHT = argOf('--look', 2)
const SEED = 20261202
const SCALE = 1000

type Source = 'call' | 'writer' | 'corpus'
interface Row {
  src: Source
  fold: number
  /** For writer lines: the line's rule and label. */
  rule?: string
  label?: 'positive' | 'lookalike'
  writer?: string
  text: string
  raw: number[]
  keys: Int32Array
  y: Uint8Array
  frames: Uint8Array
}

/** The rulebook with the scorer off (frames alone). */
function framesOnly(): Rulebook {
  const rb = loadDefaultRulebook()
  for (const r of SCORED_RULES) {
    const rule = rb.rules[r]
    if (rule) rule.scorerThreshold = Number.POSITIVE_INFINITY
  }
  return rb
}

function rawKeys(text: string): number[] {
  const norm = new UtteranceFeatures(maskPersonalData(text)).norm.text
  const set = new Set<number>()
  forEachKey(norm, (k) => set.add(k))
  return [...set]
}

function loadRows(): Row[] {
  const rb = framesOnly()
  const rows: Row[] = []
  const ruleFlags = (rules: Iterable<string>): Uint8Array => {
    const y = new Uint8Array(R)
    for (const r of rules) {
      const i = SCORED_RULES.indexOf(r as ScoredRule)
      if (i >= 0) y[i] = 1
    }
    return y
  }
  let callNo = 0
  for (const name of ['dev', 'blind2'] as const) {
    const set = EVAL_SETS.find((s) => s.name === name)!
    for (const call of loadSet(set.dir)) {
      const fold = callNo++ % TUNING.length
      const labels = new Map(call.labels!.utterances.map((u) => [u.seq, u]))
      for (const u of call.utterances) {
        if (u.final === false || u.speaker !== 'agent') continue
        const expect = labels.get(u.seq)?.expect ?? []
        const found = detectUtterance(rb, { speaker: 'agent', text: u.text })
        rows.push({ src: 'call', fold, text: u.text, raw: rawKeys(u.text), keys: new Int32Array(0), y: ruleFlags(expect.map((e) => e.rule)), frames: ruleFlags(found.map((f) => f.rule)) })
      }
    }
  }
  for (const line of loadWriterLines(TUNING)) {
    if (line.rule === 'complaint_risk') continue
    const fold = TUNING.indexOf(line.writer as (typeof TUNING)[number])
    const { rules } = decideLine(rb, line)
    const y = line.label === 'positive' ? ruleFlags([line.rule]) : new Uint8Array(R)
    rows.push({ src: 'writer', fold, rule: line.rule, label: line.label, writer: line.writer, text: line.text, raw: rawKeys(line.text), keys: new Int32Array(0), y, frames: ruleFlags(rules) })
  }
  const dir = process.env.CALLQA_CORPUS_DIR ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))
  const lines = readFileSync(`${dir}real-agent-utterances.txt`, 'utf8').split('\n').filter((l) => l.trim() !== '')
  lines.forEach((text, i) => {
    const found = detectUtterance(rb, { speaker: 'agent', text })
    rows.push({ src: 'corpus', fold: i % TUNING.length, text, raw: rawKeys(text), keys: new Int32Array(0), y: new Uint8Array(R), frames: ruleFlags(found.map((f) => f.rule)) })
  })
  return rows
}

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Model {
  vocab: number[]
  index: Map<number, number>
  w: Float64Array // vocab.length × R
  bias: Float64Array
}

/** The weight of a row for rule r as a negative: a look-alike of r counts LOOK_WEIGHT. */
const negWeight = (row: Row, r: number): number => (row.src === 'writer' && row.label === 'lookalike' && row.rule === SCORED_RULES[r] ? LOOK_WEIGHT : 1)

function train(data: Row[], seed = SEED): Model {
  const df = new Map<number, number>()
  for (const row of data) for (const k of row.raw) df.set(k, (df.get(k) ?? 0) + 1)
  const vocab = [...df].filter(([, n]) => n >= MIN_DF).map(([k]) => k)
  const index = new Map(vocab.map((k, i) => [k, i]))
  const keysOf = data.map((row) => Int32Array.from(row.raw.map((k) => index.get(k) ?? -1).filter((i) => i >= 0)))
  const w = new Float64Array(vocab.length * R)
  const bias = new Float64Array(R)
  const posWeight = new Float64Array(R)
  for (let r = 0; r < R; r++) {
    const pos = data.filter((row) => row.y[r] === 1).length
    posWeight[r] = Math.min(20, (data.length - pos) / Math.max(1, pos) / 4)
  }
  const order = data.map((_, i) => i)
  const rand = rng(seed)
  const z = new Float64Array(R)
  const g = new Float64Array(R)
  for (let e = 0; e < EPOCHS; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const lr = 0.2 / (1 + e * 0.3)
    for (const idx of order) {
      const row = data[idx]!
      const ks = keysOf[idx]!
      z.set(bias)
      for (const k of ks) for (let r = 0; r < R; r++) z[r] += w[k * R + r]!
      for (let r = 0; r < R; r++) {
        const p = 1 / (1 + Math.exp(-z[r]!))
        const y = row.y[r]!
        g[r] = (p - y) * (y === 1 ? posWeight[r]! : negWeight(row, r))
        bias[r] -= lr * g[r]!
      }
      for (const k of ks) {
        for (let r = 0; r < R; r++) {
          const v = w[k * R + r]!
          w[k * R + r] = v - lr * (g[r]! + L2 * v)
        }
      }
    }
  }
  return { vocab, index, w, bias }
}

function score(m: Model, row: Row): Float64Array {
  const z = Float64Array.from(m.bias)
  for (const k of row.raw) {
    const i = m.index.get(k)
    if (i === undefined) continue
    for (let r = 0; r < R; r++) z[r] += m.w[i * R + r]!
  }
  return z
}

/** Out-of-fold scores over `data` by its folds. */
function oof(data: Row[]): Map<Row, Float64Array> {
  const out = new Map<Row, Float64Array>()
  const folds = [...new Set(data.map((r) => r.fold))].sort()
  for (const f of folds) {
    const m = train(data.filter((r) => r.fold !== f), SEED + f)
    for (const row of data) if (row.fold === f) out.set(row, score(m, row))
  }
  return out
}

/** The lowest threshold at which the scorer's precision over (data, scores) is >= target. */
function chooseThreshold(data: Row[], scores: Map<Row, Float64Array>, r: number, target = 0.95): number {
  const sorted = data.map((row) => [scores.get(row)![r]!, row.y[r]!] as const).sort((a, b) => b[0] - a[0])
  let tp = 0
  let fp = 0
  let best = Number.POSITIVE_INFINITY
  for (const [s, y] of sorted) {
    if (y) tp++
    else fp++
    if (tp >= 5 && tp / (tp + fp) >= target) best = s
  }
  // --no-real-alarm: also above every out-of-fold score of a real corpus line (no false alarm on real speech).
  if (args.includes('--no-real-alarm')) for (const row of data) if (row.src === 'corpus') best = Math.max(best, scores.get(row)![r]! + 0.01)
  return best
}

interface Tally { pos: number; hit: number; look: number; fa: number; other: number; otherFa: number }
const tally = (): Tally => ({ pos: 0, hit: 0, look: 0, fa: 0, other: 0, otherFa: 0 })
function count(t: Tally, row: Row, r: number, fired: boolean): void {
  if (row.rule === SCORED_RULES[r] && row.label === 'positive') {
    t.pos++
    if (fired) t.hit++
  } else if (row.rule === SCORED_RULES[r]) {
    t.look++
    if (fired) t.fa++
  } else {
    t.other++
    if (fired) t.otherFa++
  }
}
const f3 = (n: number, d: number): string => (d === 0 ? '  -  ' : (n / d).toFixed(3))
const line = (t: Tally): string => `R ${f3(t.hit, t.pos)} (${t.hit}/${t.pos})  look-alike FA ${f3(t.fa, t.look)} (${t.fa}/${t.look})  other lines FA ${t.otherFa}/${t.other}`

function lowo(rows: Row[]): void {
  const tallies = SCORED_RULES.map(() => ({ frames: tally(), scorer: tally(), union: tally() }))
  const show = args.includes('--show') ? SCORED_RULES.indexOf(args[args.indexOf('--show') + 1] as ScoredRule) : -1
  const ths: number[][] = SCORED_RULES.map(() => [])
  for (let f = 0; f < TUNING.length; f++) {
    const trainRows = rows.filter((r) => r.fold !== f)
    const inner = oof(trainRows)
    const th = SCORED_RULES.map((_, r) => chooseThreshold(trainRows, inner, r))
    const m = train(trainRows)
    for (const row of rows) {
      if (row.fold !== f || row.src !== 'writer') continue
      const p = score(m, row)
      for (let r = 0; r < R; r++) {
        const fr = row.frames[r] === 1
        const sc = p[r]! >= th[r]!
        count(tallies[r]!.frames, row, r, fr)
        count(tallies[r]!.scorer, row, r, sc)
        count(tallies[r]!.union, row, r, fr || sc)
        if (r === show && sc && !fr) console.log(`${row.y[r] ? '+' : '-'} ${row.writer} [${row.rule}/${row.label}] ${p[r]!.toFixed(3)} ${row.text}`)
      }
    }
    th.forEach((t, r) => ths[r]!.push(t))
    console.error(`fold ${TUNING[f]} done`)
  }
  console.log(`\nleave-one-writer-out over ${TUNING.join(' ')} (epochs ${EPOCHS}, l2 ${L2}, min-df ${MIN_DF}, look-alike weight ${LOOK_WEIGHT})`)
  SCORED_RULES.forEach((rule, r) => {
    const t = tallies[r]!
    console.log(`${rule}: thresholds ${ths[r]!.map((x) => x.toFixed(2)).join(' ')}`)
    console.log(`  frames  ${line(t.frames)}`)
    console.log(`  scorer  ${line(t.scorer)}`)
    console.log(`  union   ${line(t.union)}`)
  })
}

function write(rows: Row[]): void {
  const inner = oof(rows)
  const th = SCORED_RULES.map((_, r) => chooseThreshold(rows, inner, r))
  const m = train(rows)
  const keys: string[] = []
  const weights: number[] = []
  m.vocab.forEach((k, i) => {
    const ws = Array.from({ length: R }, (_, r) => Math.round(m.w[i * R + r]! * SCALE))
    if (ws.every((v) => Math.abs(v) < PRUNE * SCALE)) return
    keys.push(keyString(k))
    weights.push(...ws.map((v) => (Math.abs(v) < PRUNE * SCALE ? 0 : v)))
  })
  const thresholds = Object.fromEntries(SCORED_RULES.map((rule, r) => [rule, Math.round(th[r]! * 100) / 100]))
  const header = `/**
 * GENERATED by \`npx tsx packages/engine/eval/train-acts.ts --write\` — do not edit by hand.
 * The chapter 8 utterance scorer's weights (src/features/act-scorer.ts): logistic regression by SGD
 * (seed ${SEED}, ${EPOCHS} epochs, L2 ${L2}, keys seen in >= ${MIN_DF} training lines, |weight| < ${PRUNE} dropped,
 * look-alike weight ${LOOK_WEIGHT}) over ${rows.length} agent lines: dev and blind2 agent finals, the tuning
 * writers ${TUNING.join(' ')} and the real corpus lines (negatives). ${keys.length} keys of ${m.vocab.length}.
 * Thresholds (log-odds): the lowest score with out-of-fold precision >= 0.95 (folds by writer).
 */
import type { ActScorerModel } from './act-scorer.js'

export const ACT_SCORER_MODEL: ActScorerModel = {
  rules: ${JSON.stringify(SCORED_RULES)},
  bias: ${JSON.stringify(Array.from(m.bias, (b) => Math.round(b * SCALE)))},
  scale: ${SCALE},
  thresholds: ${JSON.stringify(thresholds)},
  keys: ${JSON.stringify(keys)},
  weights: ${JSON.stringify(weights)},
}
`
  writeFileSync(fileURLToPath(new URL('../src/features/act-scorer-model.ts', import.meta.url)), header)
  console.log(`wrote ${keys.length} keys (${m.vocab.length} in the vocabulary), thresholds ${JSON.stringify(thresholds)}`)
  for (let r = 0; r < R; r++) {
    const top = m.vocab.map((k, i) => [keyString(k), m.w[i * R + r]!] as const).sort((a, b) => b[1] - a[1]).slice(0, 25)
    console.log(`  ${SCORED_RULES[r]} top: ${top.map(([k, v]) => `${k}:${v.toFixed(2)}`).join(' ')}`)
  }
}

// --cache FILE: the loaded rows (keys and frame decisions) kept between runs of the same data and rulebook.
function cachedRows(): Row[] {
  const file = args.includes('--cache') ? args[args.indexOf('--cache') + 1]! : undefined
  if (file !== undefined) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as (Omit<Row, 'keys' | 'y' | 'frames'> & { y: number[]; frames: number[] })[]
      return saved.map((r) => ({ ...r, keys: new Int32Array(0), y: Uint8Array.from(r.y), frames: Uint8Array.from(r.frames) }))
    } catch {
      // no cache yet
    }
  }
  const rows = loadRows()
  if (file !== undefined) writeFileSync(file, JSON.stringify(rows.map((r) => ({ ...r, keys: undefined, y: [...r.y], frames: [...r.frames] }))))
  return rows
}

const t0 = Date.now()
const rows = cachedRows()
console.error(`rows ${rows.length} (calls ${rows.filter((r) => r.src === 'call').length}, writers ${rows.filter((r) => r.src === 'writer').length}, corpus ${rows.filter((r) => r.src === 'corpus').length}) in ${Date.now() - t0} ms`)
if (args.includes('--write')) write(rows)
else lowo(rows)
