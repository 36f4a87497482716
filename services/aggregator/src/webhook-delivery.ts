import { UnrecoverableError, type Job, type MinimalJob } from 'bullmq'
import { Webhook } from 'standardwebhooks'
import type { WebhookJobData, WebhookSubscriber } from '@callqa/store'

/** A failed attempt; `retryAfterMs` when the endpoint said when to come back (`Retry-After`). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DeliveryError'
  }
}

/** Longest wait a `Retry-After` may ask for before the next attempt. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3), as ms from `nowMs`. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined
}

/**
 * BullMQ backoff strategy of webhook jobs (type `webhook`): exponential from the job's `delay`
 * with ±20% jitter, but never sooner than the endpoint's `Retry-After` (capped at a day).
 */
export function webhookBackoff(attemptsMade: number, type?: string, err?: Error, job?: MinimalJob): number {
  const backoff = job?.opts.backoff
  const delay = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : typeof backoff === 'number' ? backoff : 5000
  const exponential = delay * 2 ** Math.max(0, attemptsMade - 1) * (0.8 + Math.random() * 0.4)
  const asked = err instanceof DeliveryError ? err.retryAfterMs : undefined
  return Math.round(asked === undefined ? exponential : Math.max(exponential, Math.min(asked, MAX_RETRY_AFTER_MS)))
}

/** What one delivery attempt got back. */
export interface DeliveryResult {
  status: number
}

/**
 * One signed delivery attempt (Standard Webhooks 1.0): 2xx is done; 410 Gone means the endpoint
 * asked to stop (no retry); anything else, a timeout or a refused connection throws and BullMQ
 * retries with exponential backoff (not sooner than a `Retry-After`) until the job's attempts run
 * out. Redirects are not followed.
 */
export async function deliverWebhook(
  job: Job<WebhookJobData>,
  subscribers: ReadonlyMap<string, WebhookSubscriber>,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const { subscriberId, url, messageId, body } = job.data
  const subscriber = subscribers.get(subscriberId)
  if (!subscriber) {
    throw new UnrecoverableError(`webhook subscriber ${subscriberId} is not configured on this worker (CALLQA_WEBHOOK_SUBSCRIBERS)`)
  }
  const now = new Date()
  const signature = new Webhook(subscriber.secret).sign(messageId, now, body)
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'callqa-webhooks/1',
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message
    throw new DeliveryError(`webhook ${messageId} to ${url} (attempt ${job.attemptsMade + 1}): ${reason}`, undefined, { cause: err })
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined)
  if (response.status >= 200 && response.status < 300) return { status: response.status }
  if (response.status === 410) {
    throw new UnrecoverableError(`webhook ${messageId} to ${url}: 410 Gone, the endpoint asked to stop deliveries`)
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now())
  throw new DeliveryError(
    `webhook ${messageId} to ${url} (attempt ${job.attemptsMade + 1}): HTTP ${response.status}${retryAfterMs !== undefined ? `, retry after ${retryAfterMs} ms` : ''}`,
    retryAfterMs,
  )
}
