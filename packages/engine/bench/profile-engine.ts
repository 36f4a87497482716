/**
 * A profiling driver: the bench:engine calls through CallMonitor, `--rounds N` times (default 5) after a
 * warm-up, nothing else (no floor, latency or memory phases), so a CPU profile shows only the engine:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx packages/engine/bench/profile-engine.ts
 *   node packages/engine/bench/profile-summary.mjs /tmp/prof/*.cpuprofile
 * tsx puts each module on one line, so the profile has functions but no lines; for lines, bundle it first
 * (next to this file, so its relative paths hold; keep the bundle out of git):
 *   node_modules/.pnpm/esbuild@0.28.2/node_modules/esbuild/bin/esbuild packages/engine/bench/profile-engine.ts --bundle \
 *     --platform=node --format=esm --outfile=packages/engine/bench/.prof-bundle.mjs --external:@node-rs/jieba \
 *     --external:opencc-js --external:pinyin-pro --external:yaml --external:nodejieba
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof packages/engine/bench/.prof-bundle.mjs
 * Prints CPU µs per utterance for each round. CALLQA_CORPUS_DIR: see bench-calls.ts.
 */
import { fileURLToPath } from 'node:url'
import { loadRulebookFile } from '../src/index.js'
import { buildBenchCalls, feedCalls } from './bench-calls.js'

const args = process.argv.slice(2)
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 5
// The shipped rulebook by a path relative to this file, so the driver also runs bundled (line numbers in the profile).
const rulebook = loadRulebookFile(fileURLToPath(new URL('../rulebooks/default.yaml', import.meta.url)))
const { calls } = buildBenchCalls(Number(args[args.indexOf('--calls') + 1] ?? 0) || 2000)
const utterances = calls.reduce((n, c) => n + c.events.filter((e) => e.type === 'utterance').length, 0)

const run = (): number => feedCalls(rulebook, calls)

run()
for (let r = 0; r < ROUNDS; r++) {
  const cpu0 = process.cpuUsage()
  const findings = run()
  const cpu = process.cpuUsage(cpu0)
  const us = (cpu.user + cpu.system) / utterances
  process.stdout.write(`round ${r + 1}: ${us.toFixed(2)} CPU µs/utterance (${Math.round(1e6 / us).toLocaleString('en-US')} utt/CPU-s), ${findings} findings\n`)
}
