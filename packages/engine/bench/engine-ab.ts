/**
 * `pnpm bench:engine-ab [REV] [--rounds N]`: the whole engine at git revision REV (default HEAD) against the
 * working tree, in one process, rounds alternating, on the bench:engine calls. On a shared, noisy machine
 * two separate runs differ by ±15 %; alternating rounds in one process puts both under the same load, so
 * the ratio is the figure to read. Also checks that both give the same number of findings (a speed-up
 * must not change a decision; a detection change shows here as different counts).
 *
 * REV's packages/engine/src and rulebooks are extracted with `git archive` into packages/engine/.ab-<rev>/
 * (inside the package, so its imports resolve to the same node_modules), removed afterwards.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { buildBenchCalls, feedCalls, type MonitorClass } from './bench-calls.js'

const args = process.argv.slice(2)
const rev = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds') ?? 'HEAD'
const ROUNDS = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 8
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const sha = execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim()
const dir = fileURLToPath(new URL(`../.ab-${sha}/`, import.meta.url))
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
execFileSync('sh', ['-c', `git archive ${sha} packages/engine/src packages/engine/rulebooks | tar -x -C '${dir}' --strip-components=2`], { cwd: ROOT })

interface Engine {
  CallMonitor: MonitorClass
  loadRulebookFile(path: string): unknown
}
try {
  const old = (await import(`${dir}src/index.ts`)) as Engine
  const now = (await import('../src/index.js')) as unknown as Engine
  const engines = [
    { name: `${sha} (REV)`, e: old, rulebook: old.loadRulebookFile(`${dir}rulebooks/default.yaml`) },
    { name: 'working tree', e: now, rulebook: now.loadRulebookFile(fileURLToPath(new URL('../rulebooks/default.yaml', import.meta.url))) },
  ]
  const { calls } = buildBenchCalls(2000)
  const utterances = calls.reduce((n, c) => n + c.events.filter((e) => e.type === 'utterance').length, 0)
  const feed = ({ e, rulebook }: (typeof engines)[number]): number => feedCalls(rulebook as Parameters<typeof feedCalls>[0], calls, e.CallMonitor)
  const load0 = loadavg()[0]!
  for (const x of engines) feed(x) // warm-up
  const best = engines.map(() => Infinity)
  const findings = engines.map(() => 0)
  for (let r = 0; r < ROUNDS; r++) {
    engines.forEach((x, i) => {
      const cpu0 = process.cpuUsage()
      findings[i] = feed(x)
      const cpu = process.cpuUsage(cpu0)
      best[i] = Math.min(best[i]!, (cpu.user + cpu.system) / utterances)
    })
  }
  console.log(`bench:engine-ab: ${utterances.toLocaleString('en')} utterances, best of ${ROUNDS} alternating rounds, 1-minute load ${load0.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}`)
  engines.forEach((x, i) => console.log(`  ${x.name.padEnd(16)} ${best[i]!.toFixed(2)} CPU µs/utterance (${Math.round(1e6 / best[i]!).toLocaleString('en')}/CPU-s), ${findings[i]} findings`))
  console.log(`  working tree / REV: ${(best[1]! / best[0]!).toFixed(3)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
