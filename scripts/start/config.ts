/**
 * `pnpm start`'s own settings, also used by the CLI (the gateways and workers it runs read theirs in their config
 * modules, from the same environment): where Redis is.
 */
import { DEFAULT_REDIS_URL, parseRedisClusterNodes, type RedisTarget } from '@callqa/store'

/** `REDIS_URL`, or the `CALLQA_REDIS_CLUSTER` seed nodes (then no private Redis is ever started). */
export function loadRedisTarget(env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL
  if (!env.CALLQA_REDIS_CLUSTER) return { url, clusterNodes: [] }
  const parsed = parseRedisClusterNodes(env.CALLQA_REDIS_CLUSTER)
  if ('problem' in parsed) throw new Error(`CALLQA_REDIS_CLUSTER ${parsed.problem}`)
  return { url, clusterNodes: parsed.nodes }
}
