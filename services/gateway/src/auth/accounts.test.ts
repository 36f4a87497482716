import { describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { AccountBook, AccountsError, hashPassword, parseAccounts, readAccountsFile, upsertAccount, verifyPassword } from './accounts.js'
import { run as adduser } from '../../../../scripts/cli/adduser.js'

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one, with a fresh salt each time', async () => {
    const a = await hashPassword('外呼中心2026')
    const b = await hashPassword('外呼中心2026')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('外呼中心2026', a)).toBe(true)
    expect(await verifyPassword('外呼中心2025', a)).toBe(false)
  })

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'scrypt$nope')).toBe(false)
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false)
  })
})

describe('accounts file', () => {
  const hash = 'scrypt$32768$8$1$AAAA$BBBB'

  it('names the entry and field of a bad account', () => {
    const text = JSON.stringify({ accounts: [{ username: 'li', role: 'outbound_manager', passwordHash: hash }] })
    expect(() => parseAccounts(text, 'accounts.json')).toThrow(/accounts\.json: accounts\[0\]\.teams is required for an outbound_manager/)
    const agent = JSON.stringify({ accounts: [{ username: 'a7', role: 'agent', passwordHash: hash }] })
    expect(() => parseAccounts(agent, 'f')).toThrow(/accounts\[0\]\.agentId is required/)
    const admin = JSON.stringify({ accounts: [{ username: 'x', role: 'admin', passwordHash: hash }] })
    expect(() => parseAccounts(admin, 'f')).toThrow(AccountsError)
    const twice = JSON.stringify({ accounts: [{ username: 'w', role: 'shift_lead', passwordHash: hash }, { username: 'w', role: 'shift_lead', passwordHash: hash }] })
    expect(() => parseAccounts(twice, 'f')).toThrow(/"w" appears twice/)
    expect(() => parseAccounts('{', 'f')).toThrow(/f is not valid JSON/)
  })

  it('authenticates only a known user with the right password', async () => {
    const book = new AccountBook([{ username: 'wang', role: 'shift_lead', passwordHash: await hashPassword('班长密码123') }])
    expect((await book.authenticate('wang', '班长密码123'))?.username).toBe('wang')
    expect(await book.authenticate('wang', 'wrong')).toBeUndefined()
    expect(await book.authenticate('nobody', '班长密码123')).toBeUndefined()
  })
})

describe('callqa adduser', () => {
  it('adds and replaces accounts in a 0600 file, reading the password from stdin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callqa-accounts-'))
    const file = join(dir, 'config', 'accounts.json')
    try {
      const feed = (password: string) => {
        const stdin = Readable.from([Buffer.from(`${password}\n`)])
        Object.defineProperty(process, 'stdin', { value: stdin, configurable: true })
      }
      const original = process.stdin
      const out = process.stdout.write
      process.stdout.write = (() => true) as typeof process.stdout.write
      try {
        feed('经理密码12345')
        expect(await adduser(['--file', file, '--username', 'li', '--role', 'outbound_manager', '--teams', 't-1,t-2', '--password-stdin'])).toBe(0)
        feed('外呼员密码999')
        expect(await adduser(['--file', file, '--username', 'a7', '--role', 'agent', '--agent-id', 'a-7', '--password-stdin'])).toBe(0)
        feed('新密码新密码新密码')
        expect(await adduser(['--file', file, '--username', 'li', '--role', 'outbound_manager', '--teams', 't-3', '--password-stdin'])).toBe(0)
      } finally {
        Object.defineProperty(process, 'stdin', { value: original, configurable: true })
        process.stdout.write = out
      }
      const accounts = await readAccountsFile(file)
      expect(accounts.map((a) => [a.username, a.role, a.teams ?? a.agentId])).toEqual([
        ['li', 'outbound_manager', ['t-3']],
        ['a7', 'agent', 'a-7'],
      ])
      expect(await verifyPassword('新密码新密码新密码', accounts[0]!.passwordHash)).toBe(true)
      expect(await readFile(file, 'utf8')).not.toContain('新密码')
      expect((await stat(file)).mode & 0o777).toBe(0o600)
      await upsertAccount(file, { username: 'zhao', role: 'complaint_manager', passwordHash: accounts[0]!.passwordHash })
      expect((await readAccountsFile(file)).map((a) => a.username)).toEqual(['li', 'a7', 'zhao'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('account book reloading', () => {
  const hash = 'scrypt$32768$8$1$AAAA$BBBB'
  it('picks up a new account without a restart, turns the demo accounts off, and keeps the old ones on a bad edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callqa-accounts-'))
    try {
      const path = join(dir, 'accounts.json')
      const demoFile = join(dir, 'demo.json')
      await upsertAccount(demoFile, { username: 'demo', role: 'shift_lead', passwordHash: hash })
      let now = 0
      const events: unknown[] = []
      const book = new AccountBook(await readAccountsFile(demoFile), { path, demoFile, now: () => now, onReload: (e) => events.push(e) })
      expect(book.demo).toBe(true)
      expect(book.get('demo')).toBeDefined()
      await upsertAccount(path, { username: 'wang', role: 'shift_lead', passwordHash: hash })
      // Not looked at again within the check interval.
      expect(book.get('wang')).toBeUndefined()
      now += 1500
      expect(book.get('wang')?.role).toBe('shift_lead')
      expect(book.get('demo')).toBeUndefined()
      expect(book.demo).toBe(false)
      expect(events).toEqual([{ path, accounts: 1, demo: false }])
      const { writeFile } = await import('node:fs/promises')
      await writeFile(path, '{"accounts": [')
      now += 1500
      expect(book.get('wang')).toBeDefined()
      expect(events[1]).toMatchObject({ path, error: expect.any(Error) })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
