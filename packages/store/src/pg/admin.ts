/** Server-level helpers for start scripts and the CLI: is PostgreSQL there, make the database. */
import postgres from 'postgres'

function quiet(url: string, timeoutSeconds: number): postgres.Sql {
  return postgres(url, { max: 1, connect_timeout: timeoutSeconds, onnotice: () => undefined })
}

/** Whether a server answers a query at `url` (its database included) within `timeoutSeconds`. */
export async function postgresAnswers(url: string, timeoutSeconds = 1): Promise<boolean> {
  const sql = quiet(url, timeoutSeconds)
  try {
    await sql`SELECT 1`
    return true
  } catch {
    return false
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}

/**
 * Creates the database `url` names, through the server's `postgres` database, unless it exists.
 * Returns false when the server does not answer at all.
 */
export async function ensureDatabase(url: string, timeoutSeconds = 1): Promise<boolean> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  const adminUrl = new URL(url)
  adminUrl.pathname = '/postgres'
  const sql = quiet(adminUrl.toString(), timeoutSeconds)
  try {
    const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`
    if (rows.length === 0) {
      try {
        await sql.unsafe(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err // created meanwhile by another process
      }
    }
    return true
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('42')) throw err
    return false
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined)
  }
}
