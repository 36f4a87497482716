/**
 * Test support: a database of its own for each test file (CREATE DATABASE with a random name,
 * schema migrated, dropped after), on the real PostgreSQL at TEST_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { migrateReportsSchema } from './migrate.js'

/** The server tests create their databases on (its database is only used to run CREATE/DROP). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  name: string
  url: string
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>
}

export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function createTestDatabase(options: { migrate?: boolean; serverUrl?: string } = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? TEST_DATABASE_URL
  const name = `test_${randomUUID().replace(/-/g, '')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined })
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = databaseUrlFor(serverUrl, name)
  if (options.migrate !== false) await migrateReportsSchema(url)
  return {
    name,
    url,
    async drop() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => undefined })
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await sql.end()
      }
    },
  }
}
