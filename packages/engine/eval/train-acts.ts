/**
 * The chapter 8 utterance-scorer experiment (results and verdict: eval/ACT-SCORER.md; nothing of it ships):
 * logistic regression over character n-grams of agent finals of the tuning sets (dev, blind2; never
 * holdout or blind3), measured:
 * - 5-fold cross-validation grouped by call over dev+blind2: per rule, precision/recall of the frames
 *   alone (the rulebook phrases and features/acts.ts: tuned on these very sets, so in-sample), the
 *   scorer alone and frames OR scorer, at the threshold chosen inside the training folds (inner 4-fold
 *   out-of-fold scores) for scorer precision >= 0.95;
 * - across sets: trained on dev, measured on blind2, and the reverse;
 * - `--history FILE --old-dev FILE`: the frames of before blind2 was read (eval/old-frames.ts) and a
 *   scorer trained on the dev calls of then, both on blind2.
 * `--no-frames` leaves the lexicon rules' hits out of the features, `--show` lists the scorer's extra
 * catches and false alarms, `--bench` times it, `--rules`, `--epochs`, `--l2`, `--cv-old-dev` for sweeps.
 *
 *   npx tsx packages/engine/eval/train-acts.ts --no-frames
 */
import { readFileSync } from 'node:fs'
import { detectUtterance } from '../src/detect.js'
import { UtteranceFeatures } from '../src/features/utterance.js'
import { tagWords } from '../src/text/segment.js'
import { maskPersonalData } from '../src/phrase-bridge.js'
import { loadDefaultRulebook } from '../src/rulebook/parse.js'
import { EVAL_SETS, loadSet } from './harness.js'

const ALL_RULES = ['scolding', 'sarcasm', 'pointing_out_mistake'] as const
type R = (typeof ALL_RULES)[number]
const args = process.argv.slice(2)
const RULES: readonly R[] = args.includes('--rules') ? (args[args.indexOf('--rules') + 1]!.split(',') as R[]) : ALL_RULES
const useFrames = !args.includes('--no-frames')
const argOf = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
// --abstract: nouns, numbers, measure words, names and Latin words (POS from the engine's segmenter)
// become one placeholder each before the n-grams, so topics (号码, 套餐, 宽带) cannot carry a rule.
const ABSTRACT = args.includes('--abstract')
function abstracted(norm: string): string {
  if (!ABSTRACT) return norm
  return tagWords(norm.replace(/\s+/g, ''))
    .map((w) => (/^(n|nr|ns|nt|nz|m|q|mq|eng|x)$/.test(w.tag) && !/[您你我他她它]/.test(w.word) ? (w.tag.startsWith('m') || w.tag === 'q' ? 'M' : 'N') : w.word))
    .join('')
}
const EPOCHS = Number(argOf('--epochs') ?? 25)
const L2 = Number(argOf('--l2') ?? 1e-4)

interface Row {
  id: string
  set: string
  call: string
  text: string
  keys: string[]
  frames: Set<string>
  y: Record<R, boolean>
}

const PARTICLE = /[吧呢啊呀嘛哦啦吗么]/

/** The feature keys: character 1-3-grams of the normalised text (spaces removed, ^ $ at the ends), second person, question, negation, the final particle, and (unless --no-frames) the lexicon rules that fired for one utterance's normalised text and the lexicon rules that fired on it. */
function scorerKeys(normText: string, frameHits: readonly string[]): string[] {
  const t = `^${normText.replace(/\s+/g, '')}$`
  const keys = new Set<string>()
  for (let i = 0; i < t.length; i++) {
    keys.add(t[i]!)
    if (i + 1 < t.length) keys.add(t.slice(i, i + 2))
    if (i + 2 < t.length) keys.add(t.slice(i, i + 3))
  }
  if (/[您你]/.test(t)) keys.add('#you')
  if (/[?？]|吗/.test(t)) keys.add('#q')
  if (/[不没别]/.test(t)) keys.add('#neg')
  const last = t.replace(/[$,.!?;，。！？；]+$/, '')
  const p = last[last.length - 1]
  if (p !== undefined && PARTICLE.test(p)) keys.add(`#fin:${p}`)
  for (const h of frameHits) keys.add(`#frame:${h}`)
  return [...keys]
}

const rulebook = loadDefaultRulebook()
const rows: Row[] = []
for (const name of ['dev', 'blind2'] as const) {
  const set = EVAL_SETS.find((s) => s.name === name)!
  for (const call of loadSet(set.dir)) {
    const labels = new Map(call.labels!.utterances.map((u) => [u.seq, u]))
    for (const u of call.utterances) {
      if (u.final === false || u.speaker !== 'agent') continue
      const text = maskPersonalData(u.text)
      const found = detectUtterance(rulebook, { speaker: 'agent', text })
      const frames = new Set(found.filter((f) => f.againstAgent !== false).map((f) => f.rule as string))
      const expect = labels.get(u.seq)?.expect ?? []
      const y = Object.fromEntries(RULES.map((r) => [r, expect.some((e) => e.rule === r)])) as Record<R, boolean>
      const norm = new UtteranceFeatures(text).norm.text
      rows.push({ id: `${name}/${call.file}#${u.seq}`, set: name, call: `${name}/${call.file}`, text, keys: scorerKeys(abstracted(norm), useFrames ? [...frames] : []), frames, y })
    }
  }
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
  bias: number
  w: Map<string, number>
}

/** Logistic regression by SGD over binary keys; L2; positives weighted; fixed seed. */
function train(data: Row[], rule: R, seed = 1): Model {
  const df = new Map<string, number>()
  for (const r of data) for (const k of r.keys) df.set(k, (df.get(k) ?? 0) + 1)
  const vocab = new Set([...df].filter(([, n]) => n >= 2).map(([k]) => k))
  const w = new Map<string, number>()
  let bias = 0
  const pos = data.filter((r) => r.y[rule]).length
  const posWeight = Math.min(10, (data.length - pos) / Math.max(1, pos) / 3)
  const order = data.map((_, i) => i)
  const rand = rng(seed)
  const epochs = EPOCHS
  const l2 = L2
  const keysOf = data.map((r) => r.keys.filter((k) => vocab.has(k)))
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const lr = 0.2 / (1 + e * 0.2)
    for (const idx of order) {
      const r = data[idx]!
      const ks = keysOf[idx]!
      let z = bias
      for (const k of ks) z += w.get(k) ?? 0
      const p = 1 / (1 + Math.exp(-z))
      const y = r.y[rule] ? 1 : 0
      const g = (p - y) * (y === 1 ? posWeight : 1)
      bias -= lr * g
      for (const k of ks) {
        const v = w.get(k) ?? 0
        w.set(k, v - lr * (g + l2 * v))
      }
    }
  }
  return { bias, w }
}

const score = (m: Model, r: Row): number => {
  let z = m.bias
  for (const k of r.keys) z += m.w.get(k) ?? 0
  return 1 / (1 + Math.exp(-z))
}

function folds(data: Row[], k: number, seed: number): Row[][] {
  const calls = [...new Set(data.map((r) => r.call))].sort()
  const rand = rng(seed)
  for (let i = calls.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[calls[i], calls[j]] = [calls[j]!, calls[i]!]
  }
  const foldOf = new Map(calls.map((c, i) => [c, i % k]))
  const out: Row[][] = Array.from({ length: k }, () => [])
  for (const r of data) out[foldOf.get(r.call)!]!.push(r)
  return out
}

/** Out-of-fold scores for `data` (k folds grouped by call). */
function oof(data: Row[], rule: R, k: number, seed: number): number[] {
  const fs = folds(data, k, seed)
  const scores = new Map<Row, number>()
  fs.forEach((test, i) => {
    const m = train(fs.filter((_, j) => j !== i).flat(), rule, seed)
    for (const r of test) scores.set(r, score(m, r))
  })
  return data.map((r) => scores.get(r)!)
}

/** The lowest threshold whose scorer-alone precision on (scores, data) is >= target (with >= 3 hits). */
function chooseThreshold(data: Row[], scores: number[], rule: R, target = 0.95): number {
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0])
  let tp = 0
  let fp = 0
  let best = 1.01
  for (const [s, i] of idx) {
    if (data[i]!.y[rule]) tp++
    else fp++
    if (tp + fp >= 3 && tp / (tp + fp) >= target) best = s
    if (s < 0.05) break
  }
  return best
}

interface PR {
  tp: number
  fp: number
  fn: number
}
const pr = (): PR => ({ tp: 0, fp: 0, fn: 0 })
function add(c: PR, want: boolean, got: boolean): void {
  if (want && got) c.tp++
  else if (got) c.fp++
  else if (want) c.fn++
}
const fmt = (c: PR): string => {
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp)
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn)
  return `P ${p.toFixed(3)} R ${r.toFixed(3)} (tp ${c.tp} fp ${c.fp} fn ${c.fn})`
}

/** The best recall at precision >= p over (score, positive) pairs. */
function bestRecall(pairs: [number, boolean][], p: number): number {
  const sorted = [...pairs].sort((a, b) => b[0] - a[0])
  const pos = pairs.filter(([, y]) => y).length
  let tp = 0
  let fp = 0
  let best = 0
  for (const [, y] of sorted) {
    if (y) tp++
    else fp++
    if (tp / (tp + fp) >= p) best = Math.max(best, tp / Math.max(1, pos))
  }
  return best
}

function measure(trainRows: Row[], testRows: Row[], rule: R, seed: number): { frames: PR; scorer: PR; union: PR; threshold: number; newCatches: string[]; falseAlarms: string[]; oof: [number, boolean][] } {
  const inner = oof(trainRows, rule, 4, seed + 7)
  const threshold = chooseThreshold(trainRows, inner, rule)
  const m = train(trainRows, rule, seed)
  const out = { frames: pr(), scorer: pr(), union: pr(), threshold, newCatches: [] as string[], falseAlarms: [] as string[], oof: [] as [number, boolean][] }
  for (const r of testRows) {
    const f = r.frames.has(rule)
    const z = score(m, r)
    out.oof.push([z, r.y[rule]])
    const s = z >= threshold
    add(out.frames, r.y[rule], f)
    add(out.scorer, r.y[rule], s)
    add(out.union, r.y[rule], f || s)
    if (s && !f && r.y[rule]) out.newCatches.push(r.text)
    if (s && !f && !r.y[rule]) out.falseAlarms.push(r.text)
  }
  return out
}

const SEED = 20261202
// --cv-old-dev: the cross-validation over the old dev calls only (to choose hyper-parameters without blind2).
const cvRows = args.includes('--cv-old-dev') && oldDevList() ? rows.filter((r) => r.set === 'dev' && oldDevList()!.has(r.call.slice(4))) : rows
function oldDevList(): Set<string> | null {
  const f = argOf('--old-dev')
  return f ? new Set(readFileSync(f, 'utf8').split('\n').filter(Boolean)) : null
}
console.log(`rows ${rows.length} (agent finals of dev+blind2), frame features ${useFrames ? 'on' : 'off'}`)
for (const rule of args.includes('--only-history') ? [] : RULES) {
  const fs = folds(cvRows, 5, SEED)
  const tot = { frames: pr(), scorer: pr(), union: pr() }
  const ths: number[] = []
  let catches = 0
  let alarms = 0
  const oofAll: [number, boolean][] = []
  fs.forEach((test, i) => {
    const res = measure(fs.filter((_, j) => j !== i).flat(), test, rule, SEED + i)
    for (const key of ['frames', 'scorer', 'union'] as const) {
      tot[key].tp += res[key].tp
      tot[key].fp += res[key].fp
      tot[key].fn += res[key].fn
    }
    ths.push(res.threshold)
    oofAll.push(...res.oof)
    catches += res.newCatches.length
    alarms += res.falseAlarms.length
  })
  console.log(`\n[CV 5-fold by call] ${rule}: thresholds ${ths.map((t) => t.toFixed(4)).join(' ')}`)
  console.log(`  frames  ${fmt(tot.frames)}`)
  console.log(`  scorer  ${fmt(tot.scorer)}`)
  console.log(`  union   ${fmt(tot.union)}  (scorer adds ${catches} true, ${alarms} false)`)
  console.log(`  scorer ceiling (threshold picked on the fold-out scores themselves: optimistic): ${[0.95, 0.9, 0.8].map((p) => `R ${bestRecall(oofAll, p).toFixed(3)} at P>=${p}`).join(', ')}`)
  for (const [a, b] of args.includes('--cv-old-dev') ? [] : ([['dev', 'blind2'], ['blind2', 'dev']] as const)) {
    const res = measure(rows.filter((r) => r.set === a), rows.filter((r) => r.set === b), rule, SEED)
    console.log(`[train ${a} -> test ${b}] ${rule} threshold ${res.threshold.toFixed(2)}`)
    console.log(`  frames  ${fmt(res.frames)} (frames tuned on both sets: in-sample)`)
    console.log(`  scorer  ${fmt(res.scorer)}`)
    console.log(`  union   ${fmt(res.union)}`)
    if (args.includes('--show')) {
      for (const t of res.newCatches) console.log(`    + ${t}`)
      for (const t of res.falseAlarms) console.log(`    - ${t}`)
    }
  }
  const m = train(rows, rule, SEED)
  const top = [...m.w].sort((a, b) => b[1] - a[1]).slice(0, 30)
  console.log(`  top keys: ${top.map(([k, v]) => `${k}:${v.toFixed(2)}`).join(' ')}`)
}

// The history check: frames as they were before blind2 was read (ee5ab54, dumped by .old/dump.ts to
// --history FILE), the scorer trained on the dev calls that existed then (--old-dev FILE, one file name a
// line), both measured on blind2, which neither had seen: the nearest thing to wording nobody tuned for.
const historyFile = argOf('--history')
const oldDevFile = argOf('--old-dev')
if (historyFile && oldDevFile) {
  const old = JSON.parse(readFileSync(historyFile, 'utf8')) as Record<string, string[]>
  const oldDev = new Set(readFileSync(oldDevFile, 'utf8').split('\n').filter(Boolean))
  // Both sides see the frames of then, as the outcome (frames alone, union) and, unless --no-frames, as
  // features: today's frames were tuned on blind2 and would leak it.
  const then = (r: Row): Row => {
    const frames = new Set(old[r.id] ?? [])
    return { ...r, frames, keys: useFrames ? scorerKeys(abstracted(new UtteranceFeatures(r.text).norm.text), [...frames]) : r.keys }
  }
  const trainRows = rows.filter((r) => r.set === 'dev' && oldDev.has(r.call.slice('dev/'.length))).map(then)
  const testRows = rows.filter((r) => r.set === 'blind2').map(then)
  console.log(`\n[history] train: ${trainRows.length} agent finals of the ${oldDev.size} dev calls before blind2 was read; test: blind2 (${testRows.length}) with the frames of then`)
  for (const rule of RULES) {
    const res = measure(trainRows, testRows, rule, SEED)
    console.log(`[history] ${rule} threshold ${res.threshold.toFixed(3)}`)
    console.log(`  frames then  ${fmt(res.frames)}`)
    console.log(`  scorer       ${fmt(res.scorer)}`)
    console.log(`  union        ${fmt(res.union)}`)
    if (args.includes('--show')) {
      for (const t of res.newCatches) console.log(`    + ${t}`)
      for (const t of res.falseAlarms) console.log(`    - ${t}`)
    }
  }
}

// --bench: what the scorer would cost per agent final (keys from the normalised text, one Map lookup
// each), CPU time over every row, best of 5 rounds.
if (args.includes('--bench')) {
  const m = train(rows, 'scolding', SEED)
  const norms = rows.map((r) => new UtteranceFeatures(r.text).norm.text)
  let best = Infinity
  let sink = 0
  for (let round = 0; round < 5; round++) {
    const t0 = process.cpuUsage()
    for (let rep = 0; rep < 10; rep++) for (const n of norms) sink += score(m, { keys: scorerKeys(n, []) } as Row)
    const t = process.cpuUsage(t0)
    best = Math.min(best, (t.user + t.system) / (10 * norms.length))
  }
  console.log(`scorer: ${best.toFixed(2)} µs CPU per agent final (keys + lookups, ${m.w.size} weights unpruned; checksum ${sink.toFixed(0)})`)
}

// --corpus [DIR]: trained on all of dev+blind2 (threshold from 5-fold out-of-fold scores), what the
// scorer would flag in the real agent lines (../shared/corpus) that the frames do not: mostly polite
// 10086 speech, so these are, by and large, false alarms to read.
if (args.includes('--corpus')) {
  const dir = process.env.CALLQA_CORPUS_DIR ?? new URL('../../../../shared/corpus/', import.meta.url).pathname
  const lines = readFileSync(`${dir}real-agent-utterances.txt`, 'utf8').split('\n').filter((l) => l.trim() !== '')
  for (const rule of RULES) {
    const threshold = chooseThreshold(rows, oof(rows, rule, 5, SEED), rule)
    const m = train(rows, rule, SEED)
    let frames = 0
    let both = 0
    const extra: string[] = []
    for (const line of lines) {
      const text = maskPersonalData(line)
      const fr = new Set(detectUtterance(rulebook, { speaker: 'agent', text }).filter((f) => f.againstAgent !== false).map((f) => f.rule as string))
      const keys = scorerKeys(abstracted(new UtteranceFeatures(text).norm.text), useFrames ? [...fr] : [])
      const s = score(m, { keys } as Row) >= threshold
      if (fr.has(rule)) frames++
      if (fr.has(rule) && s) both++
      if (s && !fr.has(rule)) extra.push(line)
    }
    console.log(`[corpus] ${rule} threshold ${threshold.toFixed(4)}: ${lines.length} real agent lines, frames flag ${frames}, scorer flags ${both + extra.length} (${extra.length} the frames do not)`)
    for (const l of extra.slice(0, 12)) console.log(`    ? ${l}`)
  }
}
