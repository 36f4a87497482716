import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Queue, type JobsOptions } from 'bullmq'
import type { RedisConnection } from './redis.js'
import type { AlertMessage, AlertRetractedMessage, CallReport } from '@callqa/protocol'
import { QUEUES } from './keys.js'
import { summarizeReport, type ReportSummary } from './summary.js'

/**
 * Outbound webhooks (Standard Webhooks 1.0): a center's CRM or workforce system subscribes to
 * `call.scored` and `alert.raised`. Producers (score workers, gateway) enqueue one `webhooks` job
 * per subscriber and event; the webhook workers sign and deliver. Secrets never go into Redis: a
 * job names its subscriber, and the delivering worker looks the secret up in its own config.
 */
export const WEBHOOK_EVENTS = ['call.scored', 'alert.raised', 'alert.retracted'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export interface WebhookSubscriber {
  /** Stable id (jobs and logs name it); no `:`. Defaults to a hash of the url. */
  id: string
  url: string
  /** `whsec_` + base64 of at least 24 random bytes. */
  secret: string
  events: WebhookEvent[]
}

export interface WebhookConfig {
  subscribers: WebhookSubscriber[]
  /** Delivery attempts before giving up. @defaultValue 10 */
  attempts: number
  /** First retry delay, doubled each attempt (with jitter). @defaultValue 5000 */
  backoffMs: number
  /** Request timeout per attempt. @defaultValue 15000 */
  timeoutMs: number
}

export class WebhookConfigError extends Error {
  readonly code = 'CQ_ERR_WEBHOOK_CONFIG'
}

/** The body of every delivery: `{type, timestamp, data}` as the spec recommends. */
export interface WebhookPayload<T = unknown> {
  type: WebhookEvent
  /** When the event happened, ISO 8601. */
  timestamp: string
  data: T
}

export interface CallScoredData extends ReportSummary {
  /** Path of the full report on the gateway's API. */
  reportPath: string
}

/** The `webhooks` job: everything but the secret. */
export interface WebhookJobData {
  subscriberId: string
  url: string
  event: WebhookEvent
  /** `webhook-id`: the same for every attempt, the subscriber's idempotency key. */
  messageId: string
  /** Exactly the bytes to send and sign. */
  body: string
}

/**
 * Reads subscribers from a JSON array: `[{"url", "secret", "events": ["call.scored"], "id"?}]`.
 * @throws WebhookConfigError naming the entry and field.
 */
export function parseWebhookSubscribers(json: string, source = 'CALLQA_WEBHOOK_SUBSCRIBERS'): WebhookSubscriber[] {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (err) {
    throw new WebhookConfigError(`${source} is not valid JSON: ${(err as Error).message}`)
  }
  if (!Array.isArray(value)) throw new WebhookConfigError(`${source} must be a JSON array of subscribers`)
  const ids = new Set<string>()
  return value.map((entry: unknown, i: number) => {
    const at = `${source}[${i}]`
    if (entry === null || typeof entry !== 'object') throw new WebhookConfigError(`${at} must be an object {url, secret, events}`)
    const { url, secret, events, id } = entry as Record<string, unknown>
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw new WebhookConfigError(`${at}.url must be an http(s) URL, got ${JSON.stringify(url)}`)
    }
    if (typeof secret !== 'string' || !secret.startsWith('whsec_') || Buffer.from(secret.slice(6), 'base64').length < 24) {
      throw new WebhookConfigError(`${at}.secret must be "whsec_" + base64 of at least 24 random bytes`)
    }
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e))) {
      throw new WebhookConfigError(`${at}.events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}, got ${JSON.stringify(events)}`)
    }
    const subscriberId = id === undefined ? createHash('sha256').update(url).digest('hex').slice(0, 12) : id
    if (typeof subscriberId !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(subscriberId)) {
      throw new WebhookConfigError(`${at}.id must be 1-64 of A-Z a-z 0-9 . _ -, got ${JSON.stringify(id)}`)
    }
    if (ids.has(subscriberId)) throw new WebhookConfigError(`${at}.id ${subscriberId} is used twice`)
    ids.add(subscriberId)
    return { id: subscriberId, url, secret, events: [...new Set(events as WebhookEvent[])] }
  })
}

function intFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new WebhookConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`)
  return n
}

/**
 * Webhook settings from the environment variables in `env`: `CALLQA_WEBHOOK_SUBSCRIBERS` (JSON) or
 * `CALLQA_WEBHOOK_SUBSCRIBERS_FILE` (path to the same JSON), `CALLQA_WEBHOOK_ATTEMPTS`,
 * `CALLQA_WEBHOOK_BACKOFF_MS`, `CALLQA_WEBHOOK_TIMEOUT_MS`. Shared by the gateway's and the workers'
 * config modules, which pass their environment in: the store itself never reads process.env.
 */
export function loadWebhookConfig(env: Readonly<Record<string, string | undefined>>): WebhookConfig {
  let subscribers: WebhookSubscriber[] = []
  if (env.CALLQA_WEBHOOK_SUBSCRIBERS) {
    subscribers = parseWebhookSubscribers(env.CALLQA_WEBHOOK_SUBSCRIBERS)
  } else if (env.CALLQA_WEBHOOK_SUBSCRIBERS_FILE) {
    const file = env.CALLQA_WEBHOOK_SUBSCRIBERS_FILE
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new WebhookConfigError(`CALLQA_WEBHOOK_SUBSCRIBERS_FILE ${file} cannot be read: ${(err as Error).message}`)
    }
    subscribers = parseWebhookSubscribers(text, file)
  }
  return {
    subscribers,
    attempts: intFromEnv(env, 'CALLQA_WEBHOOK_ATTEMPTS', 10, 1),
    backoffMs: intFromEnv(env, 'CALLQA_WEBHOOK_BACKOFF_MS', 5000, 1),
    timeoutMs: intFromEnv(env, 'CALLQA_WEBHOOK_TIMEOUT_MS', 15_000, 1),
  }
}

/** A `webhook-id`: stable for an event, no `.` (the spec's signed content is `id.timestamp.body`). */
export function webhookMessageId(event: WebhookEvent, key: string): string {
  return `msg_${createHash('sha256').update(`${event}\n${key}`).digest('base64url').slice(0, 27)}`
}

export interface WebhookOutboxOptions {
  /** Producer connection (shared, not closed by the outbox); a single Redis or a cluster. */
  connection: RedisConnection
  config: WebhookConfig
  /** BullMQ key prefix. @defaultValue BullMQ's own, 'bull' (callqa's deployables pass DEFAULT_BULL_PREFIX or CALLQA_BULL_PREFIX) */
  bullPrefix?: string
  /** @defaultValue QUEUES.webhooks */
  queueName?: string
}

/**
 * Enqueues webhook deliveries. Enqueueing is one Redis round trip and never waits for a
 * subscriber, so a slow or failing endpoint cannot delay scoring or alerting.
 */
export class WebhookOutbox {
  readonly queue: Queue<WebhookJobData> | null
  readonly #config: WebhookConfig
  #closing: Promise<void> | undefined

  constructor(options: WebhookOutboxOptions) {
    this.#config = options.config
    this.queue =
      options.config.subscribers.length > 0
        ? new Queue<WebhookJobData>(options.queueName ?? QUEUES.webhooks, {
            connection: options.connection,
            ...(options.bullPrefix ? { prefix: options.bullPrefix } : {}),
          })
        : null
  }

  /** `call.scored` to every subscriber of it. Returns the number of deliveries enqueued. */
  callScored(report: CallReport, scoredAt: string = new Date().toISOString()): Promise<number> {
    const data: CallScoredData = { ...summarizeReport(report), reportPath: `/v1/calls/${encodeURIComponent(report.callId)}/report` }
    return this.#enqueue('call.scored', report.callId, { type: 'call.scored', timestamp: report.endedAt ?? scoredAt, data })
  }

  /** `alert.raised` to every subscriber of it (the gateway calls this as it raises an alert). */
  alertRaised(alert: AlertMessage): Promise<number> {
    return this.#enqueue('alert.raised', alert.alertId, { type: 'alert.raised', timestamp: alert.raisedAt, data: alert })
  }

  /** `alert.retracted` to every subscriber of it: an alert raised earlier that the engine withdrew. */
  alertRetracted(message: AlertRetractedMessage, at: string = new Date().toISOString()): Promise<number> {
    return this.#enqueue('alert.retracted', `retracted:${message.alertId}`, { type: 'alert.retracted', timestamp: at, data: message })
  }

  async #enqueue(event: WebhookEvent, key: string, payload: WebhookPayload): Promise<number> {
    if (!this.queue) return 0
    const targets = this.#config.subscribers.filter((s) => s.events.includes(event))
    if (targets.length === 0) return 0
    const messageId = webhookMessageId(event, key)
    const body = JSON.stringify(payload)
    const opts: JobsOptions = {
      attempts: this.#config.attempts,
      // The webhook workers' strategy: exponential with jitter, never sooner than a Retry-After.
      backoff: { type: 'webhook', delay: this.#config.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    }
    await this.queue.addBulk(
      targets.map((s) => ({
        name: event,
        data: { subscriberId: s.id, url: s.url, event, messageId, body },
        // Deterministic: a retried score job or a resent alert does not deliver twice.
        opts: { ...opts, jobId: `${s.id}-${messageId}` },
      })),
    )
    return targets.length
  }

  close(): Promise<void> {
    this.#closing ??= this.queue ? this.queue.close() : Promise.resolve()
    return this.#closing
  }
}
