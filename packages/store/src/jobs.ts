import type { JobsOptions } from 'bullmq'

/**
 * Options for every `score` job (the gateway adds them with these). Attempts with exponential
 * backoff ride out a Redis failover or restart (1 s, 2 s, 4 s … about 17 minutes in all); a bad
 * payload fails at once through `UnrecoverableError`. A completed job (it holds the whole report,
 * about 3-4 KB) is kept an hour, at most 10,000 of them: a re-added callId is ignored by BullMQ
 * meanwhile, and after that the stored report itself stops a second count. Failed jobs stay 30
 * days for inspection.
 */
export const SCORE_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const satisfies JobsOptions

/**
 * The BullMQ job id of a call's score job: the callId itself, except where BullMQ refuses it
 * (ids with `:` or that read as an integer). `~` never occurs in a callId, so the mapping is one-to-one.
 */
export function scoreJobId(callId: string): string {
  const escaped = callId.replace(/~/g, '~~').replace(/:/g, '~c')
  return `${Number.parseInt(escaped, 10)}` === escaped ? `~n${escaped}` : escaped
}

/** The data of a `score` job. */
export interface ScoreJobData {
  report: import('@callqa/protocol').CallReport
}
