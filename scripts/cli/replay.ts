/**
 * `callqa replay --rulebook NEW.yaml --since 30d [--local] [--json]`: re-checks the transcripts
 * stored since then with a candidate rulebook and reports what would change: findings appearing
 * and disappearing per rule (with examples), the score shift per team, and agreement with the
 * reviewers (dismissed findings it removes, confirmed ones it would lose). Runs as jobs on the
 * workers' `replay` queue (REDIS_URL; one per day of the range, shared by every worker process,
 * apart from live scoring) and prints their summed progress; `--local` runs it in this process instead.
 *
 * Exit codes: 0 done; 1 the replay job failed; 2 bad usage, a bad rulebook, or a store does not answer.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { QueueEvents } from 'bullmq'
import { parseRulebook, RulebookError } from '@callqa/engine'
import { REPLAY_QUEUE, startReplay, type ReplayRequest } from '@callqa/aggregator'
import { RULE_ZH, type ReplaySummary } from '@callqa/review'
import { replayStoredCalls } from '@callqa/review/pg'
import { connectRedis, DEFAULT_BULL_PREFIX, DEFAULT_DATABASE_URL, ReportStore } from '@callqa/store'
import { DEFAULT_TIME_ZONE } from '@callqa/kpi'
import { loadRedisTarget } from '../start/config.js'
import { parseSince } from './export-cases.js'
import { parseCommandLine, UsageError } from './transcripts.js'

const USAGE = `usage: callqa replay --rulebook FILE --since 30d|YYYY-MM-DD [--local] [--json]

Re-checks stored transcripts with a candidate rulebook and reports what would change.

  --rulebook FILE   the candidate rulebook (YAML)
  --since S         calls started since S: Nd or Nh ago, or a day YYYY-MM-DD
  --local           run here instead of as a job on the workers' replay queue
  --json            print the summary as JSON

settings: DATABASE_URL, REDIS_URL or CALLQA_REDIS_CLUSTER, CALLQA_BULL_PREFIX, CALLQA_TIMEZONE
exit codes: 0 done, 1 the replay job failed, 2 bad usage, a bad rulebook or a store does not answer
`

interface Options {
  rulebook: string
  since: string
  local: boolean
  json: boolean
}

function parse(argv: string[]): Options {
  const o: Partial<Options> & { local: boolean; json: boolean } = { local: false, json: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--local') o.local = true
    else if (arg === '--json') o.json = true
    else if (arg === '--rulebook' || arg === '--since') {
      const value = argv[++i]
      if (!value) throw new UsageError(`${arg} needs a value`)
      if (arg === '--rulebook') o.rulebook = value
      else o.since = value
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`)
  }
  if (!o.rulebook) throw new UsageError('--rulebook is required')
  if (!o.since) throw new UsageError('--since is required')
  return o as Options
}

export function formatSummary(s: ReplaySummary): string {
  const lines = [`replayed ${s.calls} calls`, '', 'findings per rule (appear / disappear):']
  for (const r of s.rules) {
    lines.push(`  ${RULE_ZH[r.rule]} ${r.rule}: +${r.appeared} / -${r.disappeared}`)
    for (const e of r.examplesAppeared.slice(0, 2)) lines.push(`    + ${e.callId}${e.seq !== undefined ? ` #${e.seq}` : ''} ${e.text ?? ''}`)
    for (const e of r.examplesDisappeared.slice(0, 2)) lines.push(`    - ${e.callId}${e.seq !== undefined ? ` #${e.seq}` : ''} ${e.text ?? ''}`)
  }
  if (s.rules.length === 0) lines.push('  (no change)')
  lines.push('', 'score per team (average before -> after):')
  for (const t of s.teams) lines.push(`  ${t.teamId}: ${t.averageScoreBefore} -> ${t.averageScoreAfter} over ${t.calls} calls; findings ${t.findingsBefore} -> ${t.findingsAfter}`)
  const a = s.agreement
  lines.push('', `agreement with reviews: removes ${a.dismissedRemoved} of ${a.dismissedRemoved + a.dismissedKept} dismissed findings; loses ${a.confirmedLost} of ${a.confirmedLost + a.confirmedKept} confirmed ones`)
  return lines.join('\n') + '\n'
}

export async function run(argv: string[]): Promise<number> {
  const options = parseCommandLine('replay', USAGE, argv, parse)
  if (typeof options === 'number') return options
  const timeZone = process.env.CALLQA_TIMEZONE || DEFAULT_TIME_ZONE
  let data: ReplayRequest
  try {
    const yaml = readFileSync(options.rulebook, 'utf8')
    const name = basename(options.rulebook)
    parseRulebook(yaml, name) // refuse a bad candidate here, before any store is asked (startReplay checks it too)
    const nowMs = Date.now()
    data = { rulebookYaml: yaml, rulebookName: name, fromMs: parseSince(options.since, nowMs, timeZone), toMs: nowMs + 1 }
  } catch (err) {
    const message = err instanceof RulebookError || err instanceof UsageError ? err.message : `cannot read ${options.rulebook}: ${(err as Error).message}`
    process.stderr.write(`callqa replay: ${message}\n`)
    return 2
  }
  let summary: ReplaySummary
  const progress = (done: number) => process.stderr.write(`callqa replay: ${done} calls\r`)
  if (options.local) {
    const store = new ReportStore({ databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL, maxConnections: 2, timeZone })
    try {
      summary = await replayStoredCalls(store, parseRulebook(data.rulebookYaml, data.rulebookName), data, (p) => {
        progress(p.done)
      })
    } catch (err) {
      process.stderr.write(`callqa replay: ${(err as Error).message}\n`)
      return 2
    } finally {
      await store.close()
    }
  } else {
    const target = loadRedisTarget(process.env)
    const connection = connectRedis(target, { maxRetriesPerRequest: null })
    // QueueEvents blocks on a connection of its own; every connection made here is quit below, or the process stays.
    const eventsConnection = connectRedis(target, { maxRetriesPerRequest: null })
    const prefix = process.env.CALLQA_BULL_PREFIX || DEFAULT_BULL_PREFIX
    const events = new QueueEvents(REPLAY_QUEUE, { connection: eventsConnection, prefix })
    try {
      await events.waitUntilReady()
      const { merge, chunkIds } = await startReplay(connection, prefix, data)
      // Each chunk reports its own count: the replay's progress is their sum.
      const done = new Map<string, number>(chunkIds.map((id) => [id, 0]))
      events.on('progress', ({ jobId, data: p }) => {
        if (!done.has(jobId)) return
        done.set(jobId, (p as { done: number }).done)
        progress([...done.values()].reduce((a, b) => a + b, 0))
      })
      process.stderr.write(`callqa replay: ${chunkIds.length} jobs (one per day) queued on ${REPLAY_QUEUE}, merged by job ${merge.id}\n`)
      try {
        summary = (await merge.waitUntilFinished(events)) as ReplaySummary
      } catch (err) {
        process.stderr.write(`callqa replay: job ${merge.id} failed: ${(err as Error).message}\n`)
        return 1
      }
    } finally {
      await events.close().catch(() => undefined)
      await Promise.all([connection, eventsConnection].map((c) => c.quit().catch(() => undefined)))
    }
  }
  process.stderr.write('\n')
  process.stdout.write(options.json ? JSON.stringify(summary) + '\n' : formatSummary(summary))
  return 0
}
