import { UnrecoverableError, type Job } from 'bullmq'
import { Webhook } from 'standardwebhooks'
import type { WebhookJobData, WebhookSubscriber } from '@callqa/store'

/** What one delivery attempt got back. */
export interface DeliveryResult {
  status: number
}

/**
 * One signed delivery attempt (Standard Webhooks 1.0): 2xx is done; 410 Gone means the endpoint
 * asked to stop (no retry); anything else, a timeout or a refused connection throws and BullMQ
 * retries with exponential backoff until the job's attempts run out. Redirects are not followed.
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
    throw new Error(`webhook ${messageId} to ${url} (attempt ${job.attemptsMade + 1}): ${reason}`, { cause: err })
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined)
  if (response.status >= 200 && response.status < 300) return { status: response.status }
  if (response.status === 410) {
    throw new UnrecoverableError(`webhook ${messageId} to ${url}: 410 Gone, the endpoint asked to stop deliveries`)
  }
  throw new Error(`webhook ${messageId} to ${url} (attempt ${job.attemptsMade + 1}): HTTP ${response.status}`)
}
