/**
 * The phrase matcher against its floor: a bare indexOf scan of the raw text for the 16 forbidden
 * phrases (no normalisation, no variants, no exclusions), on the same realistic lines, in one run.
 * Also: normalisation alone, and all four phrase rules of the default rulebook.
 *
 *   pnpm bench:phrases          (from the repo root; add --no-write to leave bench/RESULTS.md alone)
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { compilePhrases } from '../src/phrases/index.js'
import { normalizeWithMap } from '../src/text/index.js'
import { benchLines, latencyPercentiles, linesPerSecond, machine, writeResultsSection } from './bench-text.js'

const HANDBOOK_16 = [
  '不行', '不知道', '找领导去', '你懂不懂', '不知道就别说了', '这是规定,就不行', '着什么急,我正忙着', '有意见,告去',
  '刚才不是和你说过了吗,怎么还问', '你想好了没有,快点', '我就这态度,不满意到别处问', '干什么,快点', '你问我,我问谁',
  '我解决不了', '不是告诉你了,怎么还不明白', '说了这么多遍还不明白',
]

const rulebook = parse(readFileSync(fileURLToPath(new URL('../rulebooks/default.yaml', import.meta.url)), 'utf8')) as {
  rules: Record<string, { phrases: unknown[] }>
}
const { lines, source } = benchLines()
const chars = lines.reduce((n, l) => n + l.length, 0)

function bareScan(text: string): number {
  let hits = 0
  for (const phrase of HANDBOOK_16) {
    let at = text.indexOf(phrase)
    while (at >= 0) {
      hits++
      at = text.indexOf(phrase, at + phrase.length)
    }
  }
  return hits
}

const t0 = performance.now()
const forbidden = compilePhrases(rulebook.rules.forbidden_phrase!.phrases)
const compileMs = performance.now() - t0
const all = ['forbidden_phrase', 'complaint_risk', 'internal_disclosure', 'overpromise'].map((id) => compilePhrases(rulebook.rules[id]!.phrases))
forbidden.match('预热: 不知道') // loads the jieba dictionary outside the timed runs

const rows: [string, number][] = []
const best = (fn: (line: string) => unknown): number => Math.max(...[0, 1, 2].map(() => linesPerSecond(lines, fn, 1000)))
rows.push(['floor: bare indexOf scan, 16 phrases', best(bareScan)])
rows.push(['normalizeWithMap alone', best((l) => normalizeWithMap(l).text.length)])
rows.push(['forbidden_phrase matcher (normalise + match)', best((l) => forbidden.match(l).length)])
rows.push(['all four phrase rules (normalise once, 4 matchers)', best((l) => {
  const norm = normalizeWithMap(l)
  let n = 0
  for (const m of all) n += m.matchNormalized(norm).length
  return n
})])
const latency = latencyPercentiles(lines, (l) => forbidden.match(l))
const floor = rows[0]![1]

console.log(`phrase bench on ${source} (${(chars / lines.length).toFixed(1)} chars a line), ${machine()}`)
for (const [name, perSecond] of rows) {
  console.log(`${name.padEnd(52)} ${Math.round(perSecond).toLocaleString('en').padStart(11)} lines/s  ${(floor / perSecond).toFixed(1).padStart(6)}× the floor's time`)
}
console.log(`forbidden_phrase matcher per line: p50 ${latency.p50.toFixed(1)} µs, p99 ${latency.p99.toFixed(1)} µs, max ${(latency.max / 1000).toFixed(2)} ms; compile ${compileMs.toFixed(0)} ms`)

if (!process.argv.includes('--no-write')) {
  writeResultsSection(
    'engine-phrases:phrases',
    [
      '## Phrase matcher vs bare scan (`pnpm bench:phrases`)',
      '',
      `${machine()}; ${source}, ${(chars / lines.length).toFixed(1)} chars a line; best of 3 rounds.`,
      '',
      '| what | lines/s | time vs floor |',
      '| --- | --- | --- |',
      ...rows.map(([name, perSecond]) => `| ${name} | ${Math.round(perSecond).toLocaleString('en')} | ${(floor / perSecond).toFixed(1)}× |`),
      '',
      `forbidden_phrase matcher per line: p50 ${latency.p50.toFixed(1)} µs, p99 ${latency.p99.toFixed(1)} µs, max ${(latency.max / 1000).toFixed(2)} ms (the max is a cold path: first pinyin/segmentation of a window). Compile: ${compileMs.toFixed(0)} ms.`,
      '',
      'The floor finds only literal phrases: no traditional/full-width forms, fillers, inserted words, homophones, clauses, and no exclusions, so on this corpus it would raise dozens of false alarms (see src/corpus.test.ts).',
    ].join('\n'),
  )
}
