/**
 * Prometheus metrics of one gateway instance. One registry per app (tests build several apps in one
 * process, so nothing goes into prom-client's global registry).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface GatewayMetrics {
  registry: Registry
  liveCalls: Gauge
  utterances: Counter
  events: Counter<'type'>
  frameErrors: Counter<'code'>
  alerts: Counter<'rule' | 'severity'>
  ingestToAlert: Histogram
  flushSeconds: Histogram
  checkpointBytes: Counter<'part'>
  ingestConnections: Gauge
  supervisorSockets: Gauge
  supervisorOverflows: Counter
  callsEnded: Counter<'disposition' | 'source'>
  queueDepth: Gauge<'state'>
}

export function createMetrics(options: { defaultMetrics?: boolean; instanceId?: string } = {}): GatewayMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'callqa_gateway_' })
  if (options.instanceId !== undefined) {
    // Which instance answered a scrape: several gateway processes share one port (CALLQA_GATEWAYS),
    // and bench:live reads each one's event-loop lag and GC from its own /metrics.
    new Gauge({ name: 'callqa_gateway_info', help: 'This gateway instance (value 1)', labelNames: ['instance'], registers: [registry] }).set({ instance: options.instanceId }, 1)
  }
  return {
    registry,
    liveCalls: new Gauge({ name: 'callqa_live_calls', help: 'Live calls this instance holds in memory', registers: [registry] }),
    utterances: new Counter({ name: 'callqa_utterances_total', help: 'Utterances accepted (rate() gives utterances per second)', registers: [registry] }),
    events: new Counter({ name: 'callqa_events_total', help: 'Protocol events accepted, by type', labelNames: ['type'], registers: [registry] }),
    frameErrors: new Counter({ name: 'callqa_ingest_errors_total', help: 'Coded errors sent to ingest clients', labelNames: ['code'], registers: [registry] }),
    alerts: new Counter({ name: 'callqa_alerts_total', help: 'Alerts raised by this instance, by rule', labelNames: ['rule', 'severity'], registers: [registry] }),
    ingestToAlert: new Histogram({
      name: 'callqa_ingest_to_alert_seconds',
      help: 'From receiving the frame of the offending utterance to handing the alert to local supervisor sockets',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: 'callqa_checkpoint_flush_seconds',
      help: 'One batched checkpoint round trip to Redis',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    checkpointBytes: new Counter({
      name: 'callqa_checkpoint_bytes_total',
      help: 'Characters written to call checkpoints, by part (snapshot: full engine state; log: events appended)',
      labelNames: ['part'],
      registers: [registry],
    }),
    ingestConnections: new Gauge({ name: 'callqa_ingest_connections', help: 'Open ingest sockets', registers: [registry] }),
    supervisorSockets: new Gauge({ name: 'callqa_supervisor_sockets', help: 'Open supervisor sockets', registers: [registry] }),
    supervisorOverflows: new Counter({ name: 'callqa_supervisor_overflow_total', help: 'Supervisor sockets closed with 1013 for a full send buffer', registers: [registry] }),
    callsEnded: new Counter({ name: 'callqa_calls_ended_total', help: 'Calls ended and queued for scoring', labelNames: ['disposition', 'source'], registers: [registry] }),
    queueDepth: new Gauge({ name: 'callqa_score_queue_jobs', help: 'Jobs in the score queue by state (read at scrape time)', labelNames: ['state'], registers: [registry] }),
  }
}
