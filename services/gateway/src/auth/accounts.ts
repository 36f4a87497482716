/**
 * Console accounts: a JSON file of users with scrypt-hashed passwords (never plain text).
 *
 * File shape (`CALLQA_ACCOUNTS_FILE`, default `./config/accounts.json`):
 *   { "accounts": [ { "username": "wang", "role": "shift_lead", "passwordHash": "scrypt$..." },
 *                   { "username": "li", "role": "outbound_manager", "teams": ["t-1"], "passwordHash": "..." },
 *                   { "username": "a7", "role": "agent", "agentId": "a-7", "passwordHash": "..." } ] }
 *
 * Hash format: `scrypt$<N>$<r>$<p>$<salt base64>$<key base64>` so the cost can be raised later
 * without invalidating old hashes.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ROLES, type Principal, type Role } from '@callqa/protocol'

export const DEFAULT_ACCOUNTS_FILE = './config/accounts.json'

/** scrypt cost: N=2^15, r=8, p=1 (OWASP's floor for scrypt); 32 MiB of memory per hash. */
const SCRYPT_N = 1 << 15
const SCRYPT_R = 8
const SCRYPT_P = 1
const KEY_BYTES = 32
const SALT_BYTES = 16
const MAX_PASSWORD_CHARS = 1024

export interface Account {
  username: string
  role: Role
  /** outbound_manager: the teams they manage. */
  teams?: string[]
  /** agent: their own agent id. */
  agentId?: string
  /** Shown in the console instead of the username. */
  displayName?: string
  passwordHash: string
}

export class AccountsError extends Error {
  readonly code = 'CQ_ERR_ACCOUNTS'
  constructor(message: string) {
    super(message)
    this.name = 'AccountsError'
  }
}

function scrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

const scryptOptions = (N: number, r: number, p: number): ScryptOptions => ({ N, r, p, maxmem: 128 * N * r * p * 2 })

export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new AccountsError('password must not be empty')
  if (password.length > MAX_PASSWORD_CHARS) throw new AccountsError(`password is longer than ${MAX_PASSWORD_CHARS} characters`)
  const salt = randomBytes(SALT_BYTES)
  const key = await scrypt(password, salt, KEY_BYTES, scryptOptions(SCRYPT_N, SCRYPT_R, SCRYPT_P))
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** Constant-time check of a password against a stored hash; false (never throws) on a malformed hash. */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  const parts = passwordHash.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt' || password.length > MAX_PASSWORD_CHARS) return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false
  const salt = Buffer.from(parts[4]!, 'base64')
  const expected = Buffer.from(parts[5]!, 'base64')
  if (expected.length === 0) return false
  const key = await scrypt(password, salt, expected.length, scryptOptions(N, r, p))
  return timingSafeEqual(key, expected)
}

/**
 * A valid hash of a password nobody knows: checked when the username does not exist, so a login
 * for an unknown user costs the same time as one for a known user.
 */
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return decoyHash
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/
const ID = /^[A-Za-z0-9._:@-]{1,128}$/

/** Validates one account record; the message names the entry and the field. */
export function validateAccount(value: unknown, where: string): Account {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AccountsError(`${where} must be an object`)
  }
  const a = value as Record<string, unknown>
  if (typeof a.username !== 'string' || !USERNAME.test(a.username)) {
    throw new AccountsError(`${where}.username must be 1-64 characters of A-Z a-z 0-9 . _ @ -, got ${JSON.stringify(a.username)}`)
  }
  if (typeof a.role !== 'string' || !(ROLES as readonly string[]).includes(a.role) || a.role === 'admin') {
    throw new AccountsError(
      `${where}.role must be one of ${ROLES.filter((r) => r !== 'admin').join(', ')}, got ${JSON.stringify(a.role)}`,
    )
  }
  if (typeof a.passwordHash !== 'string' || !a.passwordHash.startsWith('scrypt$')) {
    throw new AccountsError(`${where}.passwordHash must be a scrypt hash (use \`callqa adduser\`)`)
  }
  const account: Account = { username: a.username, role: a.role as Role, passwordHash: a.passwordHash }
  if (a.teams !== undefined) {
    if (!Array.isArray(a.teams) || !a.teams.every((t) => typeof t === 'string' && ID.test(t))) {
      throw new AccountsError(`${where}.teams must be a list of team ids, got ${JSON.stringify(a.teams)}`)
    }
    account.teams = a.teams as string[]
  }
  if (account.role === 'outbound_manager' && (account.teams ?? []).length === 0) {
    throw new AccountsError(`${where}.teams is required for an outbound_manager (the teams they manage)`)
  }
  if (a.agentId !== undefined) {
    if (typeof a.agentId !== 'string' || !ID.test(a.agentId)) {
      throw new AccountsError(`${where}.agentId must be an agent id, got ${JSON.stringify(a.agentId)}`)
    }
    account.agentId = a.agentId
  }
  if (account.role === 'agent' && account.agentId === undefined) {
    throw new AccountsError(`${where}.agentId is required for an agent (their own agent id)`)
  }
  if (a.displayName !== undefined) {
    if (typeof a.displayName !== 'string' || a.displayName.length > 64) {
      throw new AccountsError(`${where}.displayName must be a string of at most 64 characters`)
    }
    account.displayName = a.displayName
  }
  return account
}

/** Parses an accounts file's text; every error names the file and the entry. */
export function parseAccounts(text: string, sourceName: string): Account[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new AccountsError(`${sourceName} is not valid JSON: ${(err as Error).message}`)
  }
  const list = (parsed as { accounts?: unknown } | null)?.accounts
  if (!Array.isArray(list)) throw new AccountsError(`${sourceName} must be {"accounts": [...]}`)
  const seen = new Set<string>()
  return list.map((entry, i) => {
    const account = validateAccount(entry, `${sourceName}: accounts[${i}]`)
    if (seen.has(account.username)) {
      throw new AccountsError(`${sourceName}: accounts[${i}].username "${account.username}" appears twice`)
    }
    seen.add(account.username)
    return account
  })
}

/** Reads an accounts file; a missing file gives an empty list. */
export async function readAccountsFile(path: string): Promise<Account[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  return parseAccounts(text, path)
}

/** Adds or replaces an account, writing the file atomically (temp file + rename), mode 0600. */
export async function upsertAccount(path: string, account: Account): Promise<'added' | 'replaced'> {
  const accounts = await readAccountsFile(path)
  const index = accounts.findIndex((a) => a.username === account.username)
  const outcome = index === -1 ? 'added' : 'replaced'
  if (index === -1) accounts.push(account)
  else accounts[index] = account
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify({ accounts }, null, 2)}\n`, { mode: 0o600 })
  await rename(tmp, path)
  return outcome
}

/** The principal an account logs in as (no password hash). */
export function principalOf(account: Account): Principal {
  const principal: Principal = { username: account.username, role: account.role }
  if (account.teams) principal.teams = [...account.teams]
  if (account.agentId) principal.agentId = account.agentId
  return principal
}

/**
 * Where an account book reloads from: `path`, looked at again at most every `checkEveryMs`; while
 * `path` does not exist, `demoFile` (the demo accounts) if given. A file that fails to parse keeps
 * the accounts already loaded (and is reported), so a half-written edit cannot lock everyone out.
 */
export interface AccountSource {
  path: string
  demoFile?: string
  /** @defaultValue 1000 */
  checkEveryMs?: number
  /** Told after every reload (what changed) or failed read. */
  onReload?: (event: { path: string; accounts: number; demo: boolean } | { path: string; error: Error }) => void
  now?: () => number
}

/**
 * Accounts by username. With a source, a new or changed account (`callqa adduser`) is picked up by
 * the running gateway without a restart, and the demo accounts stop working once the real file exists.
 */
export class AccountBook {
  #byName: Map<string, Account>
  readonly #source: AccountSource | undefined
  #fileKey: string
  #checkedAtMs = 0
  constructor(accounts: Account[], source?: AccountSource) {
    this.#byName = new Map(accounts.map((a) => [a.username, a]))
    this.#source = source
    this.#fileKey = source ? AccountBook.#keyOf(source.path) : ''
    if (source) this.#checkedAtMs = (source.now ?? Date.now)()
  }
  static #keyOf(path: string): string {
    try {
      const st = statSync(path)
      return `${st.mtimeMs}:${st.size}:${st.ino}`
    } catch {
      return 'missing'
    }
  }
  /** Whether the book serves the demo accounts (no real accounts file yet). */
  get demo(): boolean {
    return this.#source?.demoFile !== undefined && this.#fileKey === 'missing'
  }
  #refresh(): void {
    const source = this.#source
    if (!source) return
    const now = (source.now ?? Date.now)()
    if (now - this.#checkedAtMs < (source.checkEveryMs ?? 1000)) return
    this.#checkedAtMs = now
    const key = AccountBook.#keyOf(source.path)
    if (key === this.#fileKey) return
    try {
      let accounts: Account[]
      if (key === 'missing') accounts = source.demoFile ? parseAccounts(readFileSync(source.demoFile, 'utf8'), source.demoFile) : []
      else accounts = parseAccounts(readFileSync(source.path, 'utf8'), source.path)
      this.#byName = new Map(accounts.map((a) => [a.username, a]))
      this.#fileKey = key
      source.onReload?.({ path: source.path, accounts: accounts.length, demo: this.demo })
    } catch (err) {
      // Keep the accounts we have; try again when the file changes once more.
      this.#fileKey = key
      source.onReload?.({ path: source.path, error: err as Error })
    }
  }
  get size(): number {
    this.#refresh()
    return this.#byName.size
  }
  get(username: string): Account | undefined {
    this.#refresh()
    return this.#byName.get(username)
  }
  /** Every account (the roster's names come partly from here). */
  list(): Account[] {
    this.#refresh()
    return [...this.#byName.values()]
  }
  /** The account when the password is right; constant work whether or not the user exists. */
  async authenticate(username: string, password: string): Promise<Account | undefined> {
    const account = this.get(username)
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyPasswordHash()))
    return ok && account ? account : undefined
  }
}
