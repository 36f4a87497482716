/**
 * The gateway's shared machinery, decorated on the app as `app.callqa` (fastify-plugin, so every
 * route plugin sees it): Redis connections, the score queue, metrics, supervisor hub, fan-out bus,
 * live-call registry and the idle sweep. Everything is closed in `onClose`, in reverse order.
 */
import fp from 'fastify-plugin'
import { Queue } from 'bullmq'
import type { Logger } from 'pino'
import { CallMonitor, loadDefaultRulebook, loadRulebookFile, type Rulebook } from '@callqa/engine'
import { connectRedis, redisKeys, WebhookOutbox, type RedisConnection, type RedisKeys, type ScoreJobData } from '@callqa/store'
import type { GatewayConfig } from './config.js'
import { FanoutBus } from './fanout/bus.js'
import { SupervisorHub } from './fanout/hub.js'
import { CallRegistry } from './live/registry.js'
import { createMetrics, type GatewayMetrics } from './metrics.js'

export interface Callqa {
  config: GatewayConfig
  keys: RedisKeys
  /** Command connection (fails fast while Redis is down); an ioredis Cluster with CALLQA_REDIS_CLUSTER. */
  redis: RedisConnection
  queue: Queue<ScoreJobData>
  metrics: GatewayMetrics
  hub: SupervisorHub
  bus: FanoutBus
  registry: CallRegistry
  rulebook: Rulebook
}

declare module 'fastify' {
  interface FastifyInstance {
    callqa: Callqa
  }
}

export interface CoreOptions {
  config: GatewayConfig
  /** A rulebook already parsed (tests, benches); else CALLQA_RULEBOOK or the engine's default. */
  rulebook?: Rulebook
  /** The registry's wall clock (tests); default `Date.now`. */
  clock?: () => number
}

export const corePlugin = fp(
  async function core(app, options: CoreOptions) {
    const { config } = options
    const log = app.log as unknown as Logger
    const rulebook = options.rulebook ?? (config.rulebookPath ? loadRulebookFile(config.rulebookPath) : loadDefaultRulebook())
    warmUp(rulebook)
    const keys = redisKeys(config.keyPrefix)
    const target = { url: config.redisUrl, clusterNodes: config.redisClusterNodes }
    const redis = connectRedis(target, { maxRetriesPerRequest: 2, connectionName: `callqa-gateway-${config.instanceId}` })
    const subscriber = connectRedis(target, { maxRetriesPerRequest: null })
    const queueConnection = connectRedis(target, { maxRetriesPerRequest: null })
    for (const [name, c] of [['commands', redis], ['subscriber', subscriber], ['queue', queueConnection]] as const) {
      c.on('error', (err: Error) => log.warn({ err: err.message, connection: name }, 'redis connection error'))
    }
    const queue = new Queue<ScoreJobData>(config.scoreQueue, { connection: queueConnection, prefix: config.bullPrefix })
    queue.on('error', (err) => log.error({ err: err.message }, 'score queue error'))
    const webhookConfig = config.webhooks
    const outbox = webhookConfig.subscribers.length > 0 ? new WebhookOutbox({ connection: queueConnection, config: webhookConfig, bullPrefix: config.bullPrefix }) : undefined

    const metrics = createMetrics({ instanceId: config.instanceId })
    metrics.queueDepth.reset()
    // Queue depth is read when Prometheus scrapes, not on the hot path.
    ;(metrics.queueDepth as unknown as { collect?: () => Promise<void> }).collect = async function collect() {
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')
        for (const [state, n] of Object.entries(counts)) metrics.queueDepth.set({ state }, n)
      } catch {
        // Redis down: /readyz says so; the gauge keeps its last value.
      }
    }

    const hub = new SupervisorHub({ maxBufferBytes: config.supervisorMaxBufferBytes, pushWindowMs: config.supervisorPushWindowMs, metrics })
    let registry: CallRegistry | undefined
    const bus = new FanoutBus({
      redis,
      subscriber,
      channel: keys.fanout,
      instanceId: config.instanceId,
      hub,
      log,
      onHandover: (callId) => registry?.handover(callId),
      peerTimeoutMs: config.fanoutPeerTimeoutMs,
    })
    registry = new CallRegistry({ redis, keys, queue, bus, rulebook, config, metrics, log, ...(outbox ? { outbox } : {}), ...(options.clock ? { clock: options.clock } : {}) })
    await bus.start()
    // The API answers 503 while the command connection is not ready (app.ts): be ready before listening.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve))

    let sweeping = false
    const sweepTimer = setInterval(() => {
      if (sweeping) return
      sweeping = true
      registry!
        .sweepIdle()
        .catch((err: Error) => log.warn({ err: err.message }, 'idle sweep failed'))
        .finally(() => {
          sweeping = false
        })
    }, config.sweepIntervalMs)
    sweepTimer.unref()

    app.decorate('callqa', { config, keys, redis, queue, metrics, hub, bus, registry, rulebook })

    // Shutdown must finish even when Redis went away: each step that talks to Redis gets a
    // deadline, and connections that are not up are dropped rather than politely quit (a QUIT
    // would wait in the offline queue for a Redis that never comes back).
    app.addHook('onClose', async () => {
      clearInterval(sweepTimer)
      bus.close()
      await within(registry!.close(), CLOSE_STEP_MS, 'flushing live checkpoints', log)
      await within(outbox?.close() ?? Promise.resolve(), CLOSE_STEP_MS, 'closing the webhook outbox', log)
      await within(queue.close(), CLOSE_STEP_MS, 'closing the score queue', log)
      await Promise.allSettled(
        [redis, subscriber, queueConnection].map((c) => (c.status === 'ready' ? within(c.quit(), 1000, 'quitting Redis', log).finally(() => c.disconnect()) : (c.disconnect(), Promise.resolve()))),
      )
    })
  },
  { name: 'callqa-core', fastify: '5.x' },
)

/** Longest one shutdown step waits for Redis. */
const CLOSE_STEP_MS = 2000

async function within(promise: Promise<unknown>, ms: number, what: string, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  try {
    const outcome = await Promise.race([promise.then(() => 'done' as const), timeout])
    if (outcome === 'timeout') log.warn({ step: what, waitedMs: ms }, 'shutdown step gave up waiting for Redis')
  } catch (err) {
    log.warn({ step: what, err: err instanceof Error ? err.message : String(err) }, 'shutdown step failed')
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Runs one throwaway call through the engine before the first real one: the engine loads its
 * dictionaries lazily (about 0.7 s on first use), which would otherwise land on the first live
 * utterance as latency.
 */
function warmUp(rulebook: Rulebook): void {
  const monitor = new CallMonitor(rulebook, { type: 'call.started', callId: 'warm-up', agentId: 'warm-up', teamId: 'warm-up', direction: 'outbound', at: new Date(0).toISOString() })
  const lines: [string, 'agent' | 'customer'][] = [
    ['您好，这里是中国移动客服中心，请问是李先生吗？', 'agent'],
    ['我上个月话费怎么多扣了三十块？我要投诉！', 'customer'],
    ['这个我不知道，系统故障，我保证百分之百给您解决。', 'agent'],
    ['好的，感谢您的来电，再见。', 'agent'],
  ]
  lines.forEach(([text, speaker], seq) => {
    monitor.feed({ type: 'utterance', callId: 'warm-up', seq, speaker, text, startMs: seq * 4000, endMs: seq * 4000 + 3000, final: seq !== 1 })
  })
  monitor.feed({ type: 'call.ended', callId: 'warm-up', endMs: 20_000, disposition: 'success' })
  CallMonitor.restore(rulebook, JSON.parse(JSON.stringify(monitor.snapshot())) as ReturnType<CallMonitor['snapshot']>).report()
}
