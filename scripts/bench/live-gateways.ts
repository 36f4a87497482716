/**
 * N gateway processes on one port (node:cluster), for `pnpm bench:live --gateways N`: the same
 * layout `pnpm start` uses with CALLQA_GATEWAYS, each worker its own instance id on the same
 * Redis, so calls move and fan out between them exactly as between machines.
 * Run: node --import tsx scripts/bench/live-gateways.ts (env GATEWAYS, PORT and the gateway's settings;
 * GATEWAY_ENTRY: the server module, default services/gateway/src/server.ts; its dist/server.js with
 * --conditions=callqa-dist for the compiled gateway).
 */
import cluster from 'node:cluster'
import { resolve } from 'node:path'

const gateways = Number(process.env.GATEWAYS ?? 2)
if (!Number.isInteger(gateways) || gateways < 1 || gateways > 64) throw new Error(`GATEWAYS must be an integer 1-64, got ${process.env.GATEWAYS}`)

const entry = process.env.GATEWAY_ENTRY || resolve(import.meta.dirname, '../../services/gateway/src/server.ts')
// A compiled entry needs no tsx in the workers: every node flag but `--import tsx` is passed on
// (the resolve conditions, and bench:live's --gateway-flags such as --cpu-prof).
const execArgv = entry.endsWith('.js') ? withoutTsx(process.execArgv) : [...process.execArgv]

function withoutTsx(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--import' && argv[i + 1] === 'tsx') i++
    else if (argv[i] !== '--import=tsx') out.push(argv[i]!)
  }
  return out
}
cluster.setupPrimary({ exec: entry, execArgv })
for (let i = 0; i < gateways; i++) cluster.fork({ CALLQA_INSTANCE_ID: `bench-gw-${i}-${process.pid}` })
let stopping = false
cluster.on('exit', (worker, code) => {
  if (!stopping) console.error(`gateway worker ${worker.process.pid} exited with ${code}`)
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(stopping ? 0 : 1)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM')
  })
}
