/**
 * Where a finding becomes an alert: the one place that turns the engine's findings into
 * `alert` messages, delivers them to supervisors, stores them with the checkpoint and, once the
 * checkpoint is in Redis, enqueues their `alert.raised` webhooks. Anything new about alerts (other
 * alert messages, other webhooks) belongs here. Retractions too: an alert raised on an ASR partial that
 * the final refuted goes out as `alert.retracted` (supervisors, webhook subscribers) in the same batch
 * as the final's line, so it is withdrawn before or with the final.
 */
import type { Logger } from 'pino'
import type { Retraction } from '@callqa/engine'
import { alertFromFinding, retractionOf, type AlertMessage, type Finding } from '@callqa/protocol'
import type { WebhookOutbox } from '@callqa/store'
import type { FanoutItem } from '../fanout/wire.js'
import type { GatewayMetrics } from '../metrics.js'
import type { PendingCheckpoint } from './flush-batch.js'
import { fanoutItem, isComplaintRisk } from './messages.js'
import type { LiveCall } from './types.js'

export interface AlertsOptions {
  metrics: GatewayMetrics
  log: Logger
  /** Enqueues `alert.raised` webhooks (absent without subscribers). */
  outbox?: WebhookOutbox
}

export class Alerts {
  readonly #o: AlertsOptions

  constructor(options: AlertsOptions) {
    this.#o = options
  }

  /**
   * Raises one alert per new finding of `call`: marks the call complaint-risk when a finding says
   * so, adds the alert to the call's pending checkpoint (stored with it, and in the catch-up stream)
   * and its supervisor message to `fanout` (the caller delivers it here at once and to the other instances at the end of the turn).
   */
  raise(call: LiveCall, findings: readonly Finding[], nowMs: number, receivedAtNs: bigint, pending: PendingCheckpoint, fanout: FanoutItem[]): void {
    if (findings.length === 0) return
    const raisedAt = new Date(nowMs).toISOString()
    for (const finding of findings) {
      // Decided for the after-call report only (the whole-call speaking rate): no live alert.
      if (finding.reportOnly) continue
      const alert = alertFromFinding(call.started, finding, raisedAt)
      const json = JSON.stringify(alert)
      const complaintRisk = isComplaintRisk(finding)
      if (complaintRisk) call.complaintRisk = true
      pending.alerts.push(alert)
      pending.alertJson.push(json)
      fanout.push({ ...fanoutItem('alert', call.started, complaintRisk, alert.alertId, json), receivedAtNs })
      this.#o.metrics.alerts.inc({ rule: finding.rule, severity: finding.severity })
      this.#o.log.info({ callId: call.callId, alertId: alert.alertId, rule: finding.rule, seq: finding.seq }, 'alert raised')
    }
  }

  /** Relays the engine's retractions: `alert.retracted` to supervisors now, to webhook subscribers once stored. */
  retract(call: LiveCall, retracted: readonly Retraction[], receivedAtNs: bigint, pending: PendingCheckpoint, fanout: FanoutItem[]): void {
    for (const r of retracted) {
      const message = retractionOf(call.callId, r)
      pending.retractions.push(message)
      fanout.push({ ...fanoutItem('alert.retracted', call.started, call.complaintRisk, message.alertId, JSON.stringify(message)), receivedAtNs })
      this.#o.log.info({ callId: call.callId, alertId: message.alertId, reason: r.reason }, 'alert retracted')
    }
  }

  /** The alerts' checkpoint is in Redis: they are durable now, so their webhooks go out (raised before retracted). */
  stored(alerts: readonly AlertMessage[], retractions: PendingCheckpoint['retractions'] = []): void {
    const outbox = this.#o.outbox
    if (!outbox) return
    for (const alert of alerts) {
      outbox.alertRaised(alert).catch((err: Error) => this.#o.log.error({ alertId: alert.alertId, err: err.message }, 'alert.raised webhook not enqueued'))
    }
    for (const r of retractions) {
      outbox.alertRetracted(r).catch((err: Error) => this.#o.log.error({ alertId: r.alertId, err: err.message }, 'alert.retracted webhook not enqueued'))
    }
  }
}
