/**
 * `pnpm eval [--set NAME] [--dir DIR] [--errors] [--corpus]`: precision and recall per rule, form and kind on the
 * evaluation sets (EVAL_SETS in harness.ts: dev, the tuning sets, the held-out sets) and the shipped samples (streaming
 * checks only), each rule's false positives by what the line was labelled, and a closing table of every set's headline
 * figures side by side; exit 1 when a figure falls below THRESHOLDS.
 * `pnpm eval --dir DIR [--errors]`: the same on a folder in the set format, e.g. the cases
 * `callqa export-cases` wrote (each dismissed finding an innocent utterance), held to the Done-when
 * figures (THRESHOLDS.dev); `--errors` lists what the engine still gets wrong there.
 * `--errors` lists every wrong utterance of the DEV set (never a held-out set's: they stay unseen).
 * `--corpus` prints the real corpus lines (../shared/corpus) each rule flags, for review.
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { detectUtterance } from '../src/detect.js'
import { loadDefaultRulebook } from '../src/rulebook/parse.js'
import { checkThresholds } from './check.js'
import { EVAL_SETS, HELD_OUT_HIDDEN, NOT_A_VIOLATION, evaluate, loadSet, precision, rate, recall, type EvalResult, type Figures } from './harness.js'
import { THRESHOLDS } from './thresholds.js'

const args = process.argv.slice(2)
const only = args.includes('--set') ? args[args.indexOf('--set') + 1] : undefined
const showErrors = args.includes('--errors')
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
const SETS: { name: string; dir: string; labelled: boolean; heldOut: boolean }[] = [...EVAL_SETS]
const dirArg = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : undefined
if (args.includes('--dir') && !dirArg) {
  console.error('pnpm eval: --dir needs a folder of NNN-slug.jsonl + NNN-slug.labels.json (packages/engine/eval/FORMAT.md)')
  process.exit(2)
}
/** A folder given with --dir: the Done-when figures (the dev set's), and its errors may be listed. */
const DIR_SET = 'dir'
if (dirArg) {
  // pnpm runs the script from the workspace root; a relative folder is the caller's (INIT_CWD).
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), dirArg)
  if (!existsSync(dir)) {
    console.error(`pnpm eval: ${dir} does not exist`)
    process.exit(2)
  }
  // A held-out set stays unseen when named by its folder too.
  const heldOut = EVAL_SETS.some((set) => set.heldOut && resolve(set.dir) === resolve(dir))
  SETS.splice(0, SETS.length, { name: `${DIR_SET} ${basename(dir)}`, dir, labelled: true, heldOut })
}
const rulebook = loadDefaultRulebook()
const f2 = (x: number) => x.toFixed(3)
const CHAPTER8_RULES = ['pointing_out_mistake', 'scolding', 'sarcasm'] as const
const CHAPTER10_RULES = ['internal_disclosure', 'overpromise'] as const

function printFigures(title: string, fig: Figures): void {
  console.log(`  ${title}: ${fig.agentUtterances} agent utterances (${fig.labelledAgentUtterances} labelled)`)
  for (const [rule, c] of Object.entries(fig.byRule)) {
    if (c.tp + c.fp + c.fn === 0) continue
    console.log(`    ${rule.padEnd(22)} P ${f2(precision(c))}  R ${f2(recall(c))}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`)
  }
  for (const [form, r] of Object.entries(fig.byForm)) console.log(`    form ${form.padEnd(17)} R ${f2(rate(r))}  (${r.hit}/${r.of})`)
  for (const [kind, r] of Object.entries(fig.byKind).sort()) console.log(`    kind ${kind.padEnd(22)} R ${f2(rate(r))}  (${r.hit}/${r.of})`)
  for (const [kind, r] of Object.entries(fig.innocentFalseAlarms).sort()) console.log(`    innocent ${kind.padEnd(18)} false alarms ${r.hit}/${r.of}`)
  for (const [rule, by] of Object.entries(fig.falsePositivesOn).sort()) {
    // Lines the writer labelled as another rule's violation: an alert there flags a real violation under
    // another rule's name (many writers list one rule where two apply). A second lens, not the Done-when figure.
    const onOtherRules = Object.entries(by).reduce((n, [on, k]) => (NOT_A_VIOLATION.has(on) ? n : n + k), 0)
    const c = fig.byRule[rule]!
    const lenient = onOtherRules > 0 ? `; P counting those on another rule's violation as flagged violations ${f2(precision({ ...c, fp: c.fp - onOtherRules }))}` : ''
    console.log(`    ${rule} false positives on: ${Object.entries(by).sort((a, b) => b[1] - a[1]).map(([on, n]) => `${on} ${n}`).join(', ')}${lenient}`)
  }
  console.log(`    forbidden act agreement ${f2(rate(fig.actAgreement))} (${fig.actAgreement.hit}/${fig.actAgreement.of}); findings on customer speech: ${fig.customerFindings}`)
}

/** One line of the closing summary: a set's headline figures (after-call report), to read the sets side by side. */
interface SummaryRow {
  set: string
  heldOut: boolean
  result: EvalResult
  failures: number
}
const summary: SummaryRow[] = []

let failed = false
for (const set of SETS) {
  if (only !== undefined && only !== set.name && !dirArg) continue
  if (!existsSync(set.dir)) {
    console.log(`${set.name}: ${set.dir} is absent, skipped`)
    continue
  }
  if (set.heldOut && HELD_OUT_HIDDEN) {
    console.log(`${set.name}: held out, skipped (CALLQA_EVAL_HELD_OUT=0)`)
    continue
  }
  let calls
  try {
    calls = loadSet(set.dir, { labelled: set.labelled })
  } catch (err) {
    console.error(`pnpm eval: ${(err as Error).message}`)
    process.exit(2)
  }
  const thresholds = THRESHOLDS[(set.name.startsWith(DIR_SET) ? 'dev' : set.name) as keyof typeof THRESHOLDS]
  const result: EvalResult = evaluate(rulebook, calls, { collectErrors: showErrors && !set.heldOut })
  console.log(`\n${set.name}: ${result.calls} calls`)
  if (set.labelled) {
    printFigures('after-call report', result.batch)
    printFigures('live alerts never retracted (streamed with partials)', result.stream)
    console.log(`  greeting accuracy ${f2(rate(result.greeting))} (${result.greeting.hit}/${result.greeting.of}), closing accuracy ${f2(rate(result.closing))} (${result.closing.hit}/${result.closing.of}${result.closingExcusedHangUps > 0 ? `; ${result.closingExcusedHangUps} of the ${result.closing.of - result.closing.hit} disagreements are customer hang-ups the label charges and issue 10 excuses` : ''})`)
  }
  const s = result.stream
  const sorted = [...s.earlyByMs].sort((a, b) => a - b)
  const median = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : 0
  console.log(
    `  streaming: ${s.alerts} alerts, ${s.retracted} retracted (${s.lateRetractions} after their final); ${s.agreeingCalls.hit}/${s.agreeingCalls.of} calls' reports agree with the live alerts; ` +
      `${s.earlyAlerts} alerts raised on a partial, median ${median} ms before the final (max ${sorted.at(-1) ?? 0} ms)`,
  )
  for (const d of result.disagreements) console.log(`    disagrees: ${d.file} only live ${d.onlyLive.join(',')} only report ${d.onlyReport.join(',')}`)
  if (showErrors && set.heldOut) console.log('    (a held-out set: its errors are not listed, so that nobody tunes on it)')
  if (showErrors && !set.heldOut) {
    for (const e of result.errors) console.log(`    ✗ ${e.file} #${e.seq} ${e.speaker}: ${e.text}\n        want [${e.expected.join('; ')}] got [${e.got.join('; ')}]${e.note ? ` — ${e.note}` : ''}`)
  }
  let failures = 0
  for (const c of checkThresholds(result, thresholds, set.labelled)) {
    if (!c.ok) {
      failed = true
      failures++
    }
    console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${Number.isInteger(c.value) ? c.value : f2(c.value)} (want ${c.want})`)
  }
  if (set.labelled) summary.push({ set: set.name, heldOut: set.heldOut, result, failures })
}

if (summary.length > 1) {
  // Chapter 8 and chapter 10 rules: the weakest rule's recall and precision (the Done-when holds each rule), over
  // the rules the set labels (a set without positives of a rule says nothing of it: '-').
  const weakest = (fig: Figures, rules: readonly string[], of: (c: Figures['byRule'][string]) => number) => {
    const values = rules.map((r) => fig.byRule[r]!).filter((c) => c.tp + c.fn > 0).map(of)
    return values.length === 0 ? '-' : f2(Math.min(...values))
  }
  const innocent = (fig: Figures) => {
    const all = Object.values(fig.innocentFalseAlarms).reduce((n, r) => ({ hit: n.hit + r.hit, of: n.of + r.of }), { hit: 0, of: 0 })
    return all.of === 0 ? '-' : `${(100 * rate(all)).toFixed(1)} %`
  }
  const form = (fig: Figures, f: string) => (fig.byForm[f] ? f2(rate(fig.byForm[f]!)) : '-')
  console.log('\nsummary (after-call report; chapter 8 and 10: the weakest rule)')
  console.log('| set | forbidden P / R | exact / noisy / paraphrase R | innocent uses flagged | chapter 8 R / P | chapter 10 R / P | greeting / closing | failed checks |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const row of summary) {
    const fig = row.result.batch
    const fp = fig.byRule.forbidden_phrase!
    const forbidden = fp.tp + fp.fn > 0 ? `${f2(precision(fp))} / ${f2(recall(fp))}` : '-'
    console.log(
      `| ${row.set}${row.heldOut ? ' (held out)' : ''} | ${forbidden} | ${form(fig, 'exact')} / ${form(fig, 'noisy')} / ${form(fig, 'paraphrase')} | ${innocent(fig)} | ` +
        `${weakest(fig, CHAPTER8_RULES, recall)} / ${weakest(fig, CHAPTER8_RULES, precision)} | ${weakest(fig, CHAPTER10_RULES, recall)} / ${weakest(fig, CHAPTER10_RULES, precision)} | ` +
        `${f2(rate(row.result.greeting))} / ${f2(rate(row.result.closing))} | ${row.failures} |`,
    )
  }
}

if (args.includes('--corpus')) {
  const dir = process.env.CALLQA_CORPUS_DIR?.replace(/\/?$/, '/') ?? here('../../../../shared/corpus/')
  for (const [file, speaker] of [['real-agent-utterances.txt', 'agent'], ['real-customer-utterances.txt', 'customer']] as const) {
    if (!existsSync(dir + file)) continue
    const lines = readFileSync(dir + file, 'utf8').split('\n')
    const perRule: Record<string, number> = {}
    lines.forEach((text, i) => {
      for (const f of detectUtterance(rulebook, { speaker, text })) {
        perRule[f.rule] = (perRule[f.rule] ?? 0) + 1
        if (speaker === 'agent') console.log(`${file}:${i + 1} ${f.rule}${f.act ? `/${f.act}` : ''} 「${(f.spans ?? []).map((x) => text.slice(x.start, x.end)).join('…')}」 ${text}`)
      }
    })
    console.log(`${file}: ${lines.length} lines, findings per rule ${JSON.stringify(perRule)}`)
  }
}
process.exitCode = failed ? 1 : 0
