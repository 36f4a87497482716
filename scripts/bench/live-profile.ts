#!/usr/bin/env tsx
/**
 * Sums a V8 CPU profile (`.cpuprofile`, from `pnpm bench:live --gateway-flags=--cpu-prof`) by
 * self time: per part of the gateway (engine, protocol, each gateway folder, ioredis, ws, GC, …)
 * and per function. Samples before `--from` seconds (start-up and the ramp) are left out.
 *
 * V8 samples wall time on the thread: on a loaded box a process preempted inside a syscall is
 * counted there, so `writev` grows with the box's load, not with the work. It is listed apart,
 * and the shares are given of the time without it; compare parts of one profile (the engine is a
 * good yardstick: it does the same work per utterance whatever the gateway around it does).
 *
 * `--stalls 50`: also the event-loop turns that ran longer than 50 ms (runs of samples with no idle
 * sample between them): how many, how long, and what their time went to. A latency tail at low
 * average CPU comes from those, not from the average.
 *
 * Run: tsx scripts/bench/live-profile.ts PROFILE.cpuprofile [--from 17] [--top 40] [--stalls 50]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string', default: '0' }, top: { type: 'string', default: '40' }, stalls: { type: 'string' } },
})
if (positionals.length !== 1) throw new Error('usage: tsx scripts/bench/live-profile.ts PROFILE.cpuprofile [--from seconds] [--top n]')
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile
const fromUs = Number(values.from) * 1e6
const nodes = new Map(profile.nodes.map((n) => [n.id, n]))

const selfUs = new Map<number, number>()
let atUs = 0
for (let i = 0; i < profile.samples.length; i++) {
  atUs += profile.timeDeltas[i] ?? 0
  if (atUs < fromUs) continue
  selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0))
}

const SYSCALL = 'writev (syscall; wall time, grows with the load)'
function part(frame: ProfileNode['callFrame']): string {
  const { url, functionName: f } = frame
  if (f === '(idle)') return 'idle'
  if (f === 'writev' || f === 'writevGeneric' || f === 'writeBuffer') return SYSCALL
  if (f === '(garbage collector)') return 'GC'
  if (f === 'writeUtf8String' || f === 'utf8Write') return 'UTF-8 encoding'
  for (const pkg of ['engine', 'protocol', 'store']) if (url.includes(`packages/${pkg}/`)) return pkg
  const gateway = /services\/gateway\/(?:dist|src)\/([^/]+)\//.exec(url)
  if (gateway) return `gateway ${gateway[1]}`
  if (url.includes('services/gateway/')) return 'gateway'
  const dep = /node_modules\/\.pnpm\/(@?[^@/]+(?:\+[^@/]+)?)@/.exec(url)
  if (dep) return dep[1]!.replace('+', '/')
  if (url.startsWith('node:')) return `node ${url.slice(5).split('/').pop()}`
  return f || '(native)'
}

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/(services|packages)\//, '$1/')
const byPart = new Map<string, number>()
const byFunction = new Map<string, number>()
for (const [id, us] of selfUs) {
  const frame = nodes.get(id)!.callFrame
  const p = part(frame)
  byPart.set(p, (byPart.get(p) ?? 0) + us)
  if (p === 'idle') continue
  const key = `${frame.functionName || '(anonymous)'}  ${short(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + us)
}
const idle = byPart.get('idle') ?? 0
byPart.delete('idle')
const busy = [...byPart.values()].reduce((a, b) => a + b, 0)
const syscall = byPart.get(SYSCALL) ?? 0
const base = busy - syscall
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`
const pct = (us: number) => `${((100 * us) / base).toFixed(1).padStart(5)} %`
console.log(`from ${values.from} s: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s; shares are of the ${(base / 1e6).toFixed(2)} s without writev`)
console.log('\nby part')
for (const [k, v] of [...byPart].sort((a, b) => b[1] - a[1])) if (v >= base / 1000) console.log(`${pct(v)} ${ms(v)}  ${k}`)
console.log(`\nby function (top ${values.top})`)
for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pct(v)} ${ms(v)}  ${k}`)

if (values.stalls !== undefined) {
  // A run of busy samples (no idle sample between them) is one stretch the event loop did not come
  // back to poll: a timer or a socket read due in it waited until its end.
  const stallUs = Number(values.stalls) * 1000
  const runs: { startUs: number; us: number; samples: number[] }[] = []
  let run: { startUs: number; us: number; samples: number[] } | undefined
  let at = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0
    at += dt
    if (at < fromUs) continue
    const id = profile.samples[i]!
    if (nodes.get(id)!.callFrame.functionName === '(idle)') {
      if (run && run.us >= stallUs) runs.push(run)
      run = undefined
      continue
    }
    run ??= { startUs: at, us: 0, samples: [] }
    run.us += dt
    run.samples.push(id)
  }
  if (run && run.us >= stallUs) runs.push(run)
  const total = runs.reduce((a, r) => a + r.us, 0)
  const stallParts = new Map<string, number>()
  const stallFunctions = new Map<string, number>()
  for (const r of runs) {
    for (const id of r.samples) {
      const frame = nodes.get(id)!.callFrame
      const p = part(frame)
      // Per sample, roughly the mean interval (the deltas of one run are close to it).
      const us = r.us / r.samples.length
      stallParts.set(p, (stallParts.get(p) ?? 0) + us)
      const key = `${frame.functionName || '(anonymous)'}  ${short(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
      stallFunctions.set(key, (stallFunctions.get(key) ?? 0) + us)
    }
  }
  const lengths = runs.map((r) => r.us / 1000).sort((a, b) => b - a)
  console.log(`\nturns longer than ${values.stalls} ms: ${runs.length}, ${(total / 1e6).toFixed(2)} s in all; longest (ms): ${lengths.slice(0, 15).map((l) => l.toFixed(0)).join(', ')}`)
  console.log(`at (s from profile start): ${runs
    .sort((a, b) => b.us - a.us)
    .slice(0, 15)
    .map((r) => (r.startUs / 1e6).toFixed(1))
    .join(', ')}`)
  const pctOf = (us: number) => `${((100 * us) / Math.max(1, total)).toFixed(1).padStart(5)} %`
  console.log('their time by part')
  for (const [k, v] of [...stallParts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pctOf(v)} ${ms(v)}  ${k}`)
  console.log('their time by function')
  for (const [k, v] of [...stallFunctions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pctOf(v)} ${ms(v)}  ${k}`)
}
