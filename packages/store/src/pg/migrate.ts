/**
 * Schema migrations: the SQL files in packages/store/migrations, applied in order by
 * node-pg-migrate (its advisory lock makes a gateway and several workers starting at once take
 * turns; each file runs in its own transaction). `pnpm callqa migrate` and every worker at
 * startup call this; it is a no-op when the schema is current.
 */
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { runner } from 'node-pg-migrate'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url))
export const MIGRATIONS_TABLE = 'callqa_migrations'

export interface MigrationResult {
  /** Names of the migrations this call applied (empty when the schema was current). */
  applied: string[]
}

export async function migrateReportsSchema(databaseUrl: string): Promise<MigrationResult> {
  const silent = () => undefined
  // node-pg-migrate speaks through node-postgres; the store itself uses postgres.js (README).
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const applied = await runner({
    dbClient: client,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: { debug: silent, info: silent, warn: silent, error: silent },
  }).finally(() => client.end())
  return { applied: applied.map((m) => m.name) }
}
