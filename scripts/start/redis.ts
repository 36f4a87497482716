/**
 * `pnpm start`'s Redis: the one at REDIS_URL, or, when nothing answers there, the URL is local and
 * `redis-server` is installed, a private one (data under ./data, append-only file on) so a first
 * run works. Otherwise it says how to get Redis and exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { Redis } from 'ioredis'
import { connectRedis, type RedisTarget } from '@callqa/store'

export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

async function startPrivateRedis(url: URL, dir: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true })
  const port = url.port || '6379'
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--logfile', 'redis.log'], { stdio: 'ignore' })
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url.toString())) return child
    if (child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error(`redis-server did not start on port ${port} (see ${dir}/redis.log)`)
}

export interface StartedRedis {
  url: string
  /** Stops the private redis-server, if one was started (a no-op otherwise). */
  stop(): void
}

/** REDIS_URL answering, or a private Redis started for it; exits the process with advice when neither. */
export async function ensureRedis(redisUrl: string, dataDir = resolve(process.cwd(), 'data')): Promise<StartedRedis> {
  if (await redisAnswers(redisUrl)) return { url: redisUrl, stop: () => {} }
  const url = new URL(redisUrl)
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)
  if (local && hasRedisServer()) {
    console.error(`callqa: nothing answers at ${redisUrl}; starting a private redis-server (data in ./data, append-only)`)
    const child = await startPrivateRedis(url, dataDir)
    return { url: redisUrl, stop: () => void child.kill('SIGTERM') }
  }
  console.error(
    `callqa: Redis does not answer at ${redisUrl}.\n` +
      '  Install and start it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis && brew services start redis),\n' +
      '  or run `docker compose up redis`, or point REDIS_URL at a Redis 7 you have.',
  )
  process.exit(1)
}

/**
 * A Redis Cluster named by CALLQA_REDIS_CLUSTER must answer with `cluster_state:ok`; `pnpm start`
 * never starts one of its own. Exits the process with advice otherwise.
 */
export async function ensureRedisCluster(target: RedisTarget): Promise<StartedRedis> {
  const seeds = target.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')
  const cluster = connectRedis(target, { maxRetriesPerRequest: 1, lazyConnect: true })
  cluster.on('error', () => {})
  let state = 'no answer'
  try {
    await cluster.connect()
    const info = String(await cluster.cluster('INFO'))
    state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown'
  } catch (err) {
    state = (err as Error).message
  } finally {
    cluster.disconnect()
  }
  if (state === 'ok') return { url: seeds, stop: () => {} }
  console.error(
    `callqa: the Redis Cluster at CALLQA_REDIS_CLUSTER=${seeds} is not ready (${state}).\n` +
      '  Check that its masters run and cover all 16384 slots (redis-cli --cluster check HOST:PORT), or unset CALLQA_REDIS_CLUSTER to use REDIS_URL.',
  )
  process.exit(1)
}
