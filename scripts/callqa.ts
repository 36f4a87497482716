#!/usr/bin/env tsx
/**
 * The callqa command line: `pnpm --silent callqa <command> [options] FILE...`.
 * Each command lives in scripts/cli/<command>.ts and exports `run(argv): Promise<number>` (exit code).
 */
const USAGE = `usage: callqa <command> [options] FILE...

commands:
  check [--json] [--lang zh|en] [--rulebook FILE] FILE...    check JSONL transcript files against the rulebook
  kpi [--json|--csv] [--lang zh|en] [--rulebook FILE] FILE... KPIs per agent and team over transcript files
  adduser                                     add a console account (see --help)
  migrate-reports [--delete-from-redis]       move reports and KPIs kept in Redis into PostgreSQL
  export-cases [--dismissed] --since 30d      reviewed calls as JSONL transcripts with eval labels
  replay --rulebook NEW.yaml --since 30d      what a candidate rulebook would change on stored calls
`

const commands: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  check: () => import('./cli/check.js'),
  kpi: () => import('./cli/kpi.js'),
  adduser: () => import('./cli/adduser.js'),
  'migrate-reports': () => import('./cli/migrate-reports.js'),
  'export-cases': () => import('./cli/export-cases.js'),
  replay: () => import('./cli/replay.js'),
}

const [name, ...rest] = process.argv.slice(2)
if (!name || name === '--help' || name === '-h') {
  process.stdout.write(USAGE)
  process.exit(name ? 0 : 2)
}
const load = commands[name]
if (!load) {
  process.stderr.write(`callqa: unknown command "${name}"\n\n${USAGE}`)
  process.exit(2)
}
const command = await load()
process.exitCode = await command.run(rest)
