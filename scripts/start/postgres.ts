/**
 * A private PostgreSQL cluster: what `pnpm start` runs when nothing answers at DATABASE_URL and
 * PostgreSQL is installed (data under ./data/postgres), and what tests restart on purpose (a temp
 * dir, a free port). initdb refuses to run as root, so as root the cluster belongs to the
 * `postgres` user and its commands run through `runuser`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ensureDatabase, postgresAnswers } from '@callqa/store'

/** Debian's layout first (/usr/lib/postgresql/N/bin is not on PATH), then PATH. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0]) return join(root, versions[0], 'bin')
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' })
  const found = which.status === 0 ? which.stdout.trim() : ''
  return found ? resolve(found, '..') : null
}

function owner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

export interface PrivatePostgresOptions {
  /** The cluster's directory (created; initdb'd when empty). */
  dir: string
  port: number
  /** Database created after start when missing. @defaultValue 'callqa' */
  database?: string
}

export class PrivatePostgres {
  readonly dir: string
  readonly port: number
  readonly database: string
  readonly #bin: string
  readonly #owner: { uid: number; gid: number } | null

  constructor(options: PrivatePostgresOptions) {
    const bin = findPostgresBin()
    if (!bin) throw new Error('PostgreSQL is not installed (no initdb): apt-get install -y postgresql')
    this.#bin = bin
    this.dir = resolve(options.dir)
    this.port = options.port
    this.database = options.database ?? 'callqa'
    this.#owner = owner()
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${this.database}`
  }

  #run(command: string, args: string[]): void {
    const file = join(this.#bin, command)
    const [exe, argv] = this.#owner ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
    const result = spawnSync(exe, argv, { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`)
  }

  /** Creates the cluster if needed, starts it and creates the database. */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true })
    if (this.#owner) chownSync(this.dir, this.#owner.uid, this.#owner.gid)
    chmodSync(this.dir, 0o700)
    if (!existsSync(join(this.dir, 'PG_VERSION'))) {
      this.#run('initdb', ['-D', this.dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'])
    }
    // The socket goes in the cluster's own directory, so nothing outside it is needed.
    this.#run('pg_ctl', ['-D', this.dir, '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, '-l', join(this.dir, 'log'), '-w', 'start'])
    if (!(await ensureDatabase(this.url, 5))) throw new Error(`PostgreSQL started in ${this.dir} but does not answer on port ${this.port} (see ${join(this.dir, 'log')})`)
  }

  /** Stops the server. `immediate` is a crash: no checkpoint; the WAL replays on the next start. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    if (!existsSync(join(this.dir, 'postmaster.pid'))) return
    this.#run('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop'])
  }
}

/**
 * `pnpm start`'s step: when nothing answers at `databaseUrl`, the URL is local and PostgreSQL is
 * installed, starts a private cluster under `dataDir` on the URL's port. Returns it (to stop on
 * exit), or null when a server answers. Throws, saying how to get PostgreSQL, otherwise.
 */
export async function ensurePostgres(databaseUrl: string, dataDir: string): Promise<PrivatePostgres | null> {
  if (await postgresAnswers(databaseUrl)) return null
  // A server that answers without the database: create the database there.
  if (await ensureDatabase(databaseUrl)) return null
  const url = new URL(databaseUrl)
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)
  if (!local || !findPostgresBin()) {
    throw new Error(
      `PostgreSQL does not answer at ${url.host} (DATABASE_URL).\n` +
        '  Install it (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql),\n' +
        '  or run `docker compose up postgres`, or point DATABASE_URL at a PostgreSQL 15+ you have.',
    )
  }
  const server = new PrivatePostgres({ dir: join(dataDir, 'postgres'), port: Number(url.port || 5432), database: decodeURIComponent(url.pathname.slice(1)) || 'callqa' })
  console.error(`callqa: nothing answers at ${url.host}; starting a private PostgreSQL (data in ${server.dir})`)
  await server.start()
  return server
}
