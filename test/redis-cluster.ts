/**
 * A real local Redis Cluster for tests: three masters from `redis-server --cluster-enabled yes` on
 * free ports (client and bus ports both picked free), data in a temp dir, joined with
 * `redis-cli --cluster create … --cluster-yes`; ready once every node says `cluster_state:ok`.
 * `useRedisCluster()` starts one for a describe block (beforeAll) and stops it after (afterAll):
 * the servers are this process's children, killed by their pid, and the dir is removed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { Redis } from 'ioredis'
import { connectRedis, type RedisConnection, type RedisNode } from '@callqa/store'
import { freePort, until } from './aggregator-helpers.js'

export class LocalRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'callqa-cluster-'))
  readonly nodes: RedisNode[] = []
  readonly #servers: ChildProcess[] = []

  /** `CALLQA_REDIS_CLUSTER` for gateways and workers. */
  get seeds(): string {
    return this.nodes.map((n) => `${n.host}:${n.port}`).join(',')
  }

  async start(masters = 3): Promise<void> {
    for (let i = 0; i < masters; i++) {
      const port = await freePort()
      // The bus port is normally port + 10000, which may be taken or past 65535: pick it free too.
      let busPort = await freePort()
      while (busPort === port) busPort = await freePort()
      const dir = join(this.dir, String(port))
      mkdirSync(dir)
      const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')]
      args.push('--cluster-node-timeout', '5000', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', join(dir, 'redis.log'))
      this.#servers.push(spawn('redis-server', args, { stdio: 'ignore' }))
      this.nodes.push({ host: '127.0.0.1', port })
    }
    for (const node of this.nodes) await until(`redis-server on ${node.port}`, () => this.#ping(node), 10_000)
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...this.nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 })
    if (created.status !== 0 || !/All 16384 slots covered/.test(created.stdout)) {
      throw new Error(`redis-cli --cluster create failed (${created.status}):\n${created.stdout}\n${created.stderr}`)
    }
    await until('cluster_state:ok on every node', async () => {
      for (const node of this.nodes) if (!/cluster_state:ok/.test(await this.#info(node))) return false
      return true
    }, 30_000)
  }

  /** A cluster connection for the test's own reads (quit it). */
  connect(): RedisConnection {
    return connectRedis({ url: 'redis://127.0.0.1', clusterNodes: this.nodes }, { maxRetriesPerRequest: null })
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#servers.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGKILL')
          }),
      ),
    )
    rmSync(this.dir, { recursive: true, force: true })
  }

  async #ping(node: RedisNode): Promise<boolean> {
    const probe = new Redis(node.port, node.host, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      return (await probe.ping()) === 'PONG'
    } catch {
      return false
    } finally {
      probe.disconnect()
    }
  }

  async #info(node: RedisNode): Promise<string> {
    const probe = new Redis(node.port, node.host, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      return String(await probe.cluster('INFO'))
    } catch {
      return ''
    } finally {
      probe.disconnect()
    }
  }
}

/** A three-master cluster for the enclosing describe block; read its fields inside tests. */
export function useRedisCluster(masters = 3): LocalRedisCluster {
  const cluster = new LocalRedisCluster()
  beforeAll(() => cluster.start(masters), 60_000)
  afterAll(() => cluster.stop())
  return cluster
}
