/**
 * The Redis the tests use: `REDIS_URL` like the app (default redis://127.0.0.1:6379), so the suite
 * runs against a Redis on another port or host. Tests still use a unique key prefix each.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'

/** The same Redis as ioredis options (for BullMQ `connection` objects). */
export function testRedisOptions(): { host: string; port: number; db?: number; username?: string; password?: string } {
  const url = new URL(TEST_REDIS_URL)
  const db = Number(url.pathname.slice(1))
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port) || 6379,
    ...(db ? { db } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  }
}
