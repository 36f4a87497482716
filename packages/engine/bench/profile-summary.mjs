// Sums self time per function (name + file:line) over V8 .cpuprofile files; prints the top N (default 40)
// and the share per file. Usage: node profile-summary.mjs FILE.cpuprofile... [--top N]
import { readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 40
const files = args.filter((a, i) => a.endsWith('.cpuprofile') && args[i - 1] !== '--top')
const byFn = new Map()
const byFile = new Map()
let total = 0
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'))
  const self = new Map()
  const dt = p.timeDeltas
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0))
  for (const n of p.nodes) {
    const us = self.get(n.id) ?? 0
    if (us === 0) continue
    const f = n.callFrame
    const url = f.url.replace(/^.*\/(packages|node_modules)\//, '$1/')
    const key = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + us)
    byFile.set(url || f.functionName, (byFile.get(url || f.functionName) ?? 0) + us)
    total += us
  }
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5)
console.log(`total ${(total / 1e3).toFixed(0)} ms sampled`)
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`)
console.log('\nby file')
for (const [k, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(us)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`)
