/**
 * The one Redis connection factory of callqa: a single Redis at `REDIS_URL`, or, when a
 * deployable's config names seed nodes (`CALLQA_REDIS_CLUSTER=host:port,…`), an ioredis Cluster.
 * Gateways, workers, queues and the CLI all connect through `connectRedis`, so the choice is made
 * once, in each deployable's config module, and nothing else reads the environment for it.
 *
 * On a cluster a Lua script, a MULTI and (in ioredis) a pipeline may only touch keys of one hash
 * slot (pipelines: of one node). keys.ts tags every key accordingly; `groupBySlot` splits a batch
 * of calls into script runs that respect it, and `scanKeys` walks every master.
 */
import calculateSlot from 'cluster-key-slot'
import { Cluster, Redis } from 'ioredis'
import { DEFAULT_BULL_PREFIX } from './keys.js'

/** A connection to either kind of deployment; the commands callqa uses exist on both. */
export type RedisConnection = Redis | Cluster

export interface RedisNode {
  host: string
  port: number
}

/** Where Redis is: `url` for a single Redis, or the seed nodes of a cluster (then `url` only lends its credentials). */
export interface RedisTarget {
  /** `REDIS_URL`. @defaultValue 'redis://127.0.0.1:6379' */
  url: string
  /** `CALLQA_REDIS_CLUSTER` seed nodes; empty for a single Redis. @defaultValue [] */
  clusterNodes: readonly RedisNode[]
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

/**
 * The Redis settings every deployable shares, from its environment: the `CALLQA_REDIS_CLUSTER` seed
 * nodes (none: a single Redis) and `CALLQA_BULL_PREFIX`, which must carry a hash tag on a cluster.
 * Returns the problem in words, naming the variable, for the config module to raise as its error.
 */
export function redisSettingsOf(env: Record<string, string | undefined>): { redisClusterNodes: RedisNode[]; bullPrefix: string } | { problem: string } {
  let redisClusterNodes: RedisNode[] = []
  if (env.CALLQA_REDIS_CLUSTER) {
    const parsed = parseRedisClusterNodes(env.CALLQA_REDIS_CLUSTER)
    if ('problem' in parsed) return { problem: `CALLQA_REDIS_CLUSTER ${parsed.problem}` }
    redisClusterNodes = parsed.nodes
  }
  const bullPrefix = env.CALLQA_BULL_PREFIX || DEFAULT_BULL_PREFIX
  if (redisClusterNodes.length > 0 && !hasHashTag(bullPrefix)) {
    return { problem: `CALLQA_BULL_PREFIX must carry a hash tag on a Redis Cluster (CALLQA_REDIS_CLUSTER is set), e.g. {callqa}; got ${JSON.stringify(bullPrefix)}` }
  }
  return { redisClusterNodes, bullPrefix }
}

/**
 * Parses `host:port,host:port,…` (IPv6 as `[::1]:7000`). Returns the nodes, or the problem in
 * words for the config module to report under the variable's name.
 */
export function parseRedisClusterNodes(raw: string): { nodes: RedisNode[] } | { problem: string } {
  const nodes: RedisNode[] = []
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(entry)
    const port = m ? Number(m[2]) : 0
    if (!m || port < 1 || port > 65535) return { problem: `must list seed nodes as host:port separated by commas (e.g. 10.0.0.1:7000,10.0.0.2:7000), got ${JSON.stringify(entry)}` }
    nodes.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port })
  }
  if (nodes.length === 0) return { problem: 'is set but names no node: give host:port of at least one master, or unset it to use REDIS_URL' }
  return { nodes }
}

/**
 * Whether `prefix` carries a Redis Cluster hash tag (a non-empty `{…}`), so that every key a
 * BullMQ queue builds from it lands in one slot, as BullMQ requires on a cluster.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{')
  if (open < 0) return false
  const close = prefix.indexOf('}', open + 1)
  return close > open + 1
}

export interface ConnectOptions {
  /** `null` for BullMQ workers, blocking commands and subscribers (BullMQ requires it); a small number fails commands fast while Redis is away. */
  maxRetriesPerRequest: number | null
  /** CLIENT SETNAME on every node connection. */
  connectionName?: string
  /** Connect on first command instead of at once. @defaultValue false */
  lazyConnect?: boolean
}

/** A new connection to `target`; the caller owns it (`quit()` it, or the process never exits). */
export function connectRedis(target: RedisTarget, options: ConnectOptions): RedisConnection {
  const common = {
    maxRetriesPerRequest: options.maxRetriesPerRequest,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  }
  if (target.clusterNodes.length === 0) return new Redis(target.url, { ...common, ...(options.lazyConnect ? { lazyConnect: true } : {}) })
  const url = new URL(target.url)
  return new Cluster([...target.clusterNodes], {
    redisOptions: {
      ...common,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    },
    // No auto-pipelining: it routes a script by its first argument, which for a variadic script
    // is numkeys, not a key. Batches are pipelined per node explicitly (`byNode`).
    ...(options.lazyConnect ? { lazyConnect: true } : {}),
  })
}

export function isCluster(connection: RedisConnection): connection is Cluster {
  return (connection as Cluster).isCluster === true
}

/** The hash slot of a key (Redis Cluster's CRC16 of its hash tag, or of the whole key). */
export function keySlot(key: string): number {
  return calculateSlot(key)
}

/**
 * Splits `items` into groups whose keys (`keyOf`, one key per item that carries its hash tag)
 * share one slot, so each group can be one script run. On a single Redis every slot is on the one
 * server and any script may touch any key: the whole batch is one group (one run, as measured in
 * services/gateway/BENCH.md).
 */
export function groupBySlot<T>(connection: RedisConnection, items: readonly T[], keyOf: (item: T) => string): T[][] {
  if (items.length === 0) return []
  if (!isCluster(connection)) return [[...items]]
  const bySlot = new Map<number, T[]>()
  for (const item of items) {
    const slot = calculateSlot(keyOf(item))
    const group = bySlot.get(slot)
    if (group) group.push(item)
    else bySlot.set(slot, [item])
  }
  return [...bySlot.values()]
}

/**
 * Splits `items` by the node that serves their key's slot (an ioredis Cluster pipeline must go to
 * one node), so that each part can be one pipeline. On a single Redis: one part.
 */
export function byNode<T>(connection: RedisConnection, items: readonly T[], keyOf: (item: T) => string): T[][] {
  if (items.length === 0) return []
  if (!isCluster(connection)) return [[...items]]
  const parts = new Map<string, T[]>()
  for (const item of items) {
    const node = connection.slots[calculateSlot(keyOf(item))]?.join(',') ?? ''
    const part = parts.get(node)
    if (part) part.push(item)
    else parts.set(node, [item])
  }
  return [...parts.values()]
}

/**
 * Every key matching `pattern`, in batches. A cluster's SCAN only sees the node it runs on, so
 * each master is scanned in turn.
 */
export async function* scanKeys(connection: RedisConnection, pattern: string, count = 1000): AsyncGenerator<string[]> {
  const nodes: Redis[] = isCluster(connection) ? connection.nodes('master') : [connection]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count)
      cursor = next
      if (keys.length > 0) yield keys
    } while (cursor !== '0')
  }
}

/** UNLINKs `keys` (any slots: on a cluster one command per key, pipelined per node). */
export async function unlinkKeys(connection: RedisConnection, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  if (isCluster(connection)) await Promise.all(keys.map((k) => connection.unlink(k)))
  else await connection.unlink(...keys)
}
