/**
 * The console's login settings travel from the environment through config.ts (the gateway's one
 * reader of process.env) into the auth plugin as options: the accounts file, the session lifetime
 * and the login back-off take effect in a real gateway, and a bad value names its variable.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.js'
import { cleanupRedis, startGateway, testEnv, type TestGateway } from '../testing.js'
import { DEFAULT_LOGIN_LIMITS, hashPassword, SESSION_COOKIE, upsertAccount } from './index.js'

const PASSWORD = 'correct horse 外呼'

describe('login settings from the gateway config', () => {
  let dir: string
  let env: Record<string, string>
  let gw: TestGateway

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callqa-settings-'))
    const accountsFile = join(dir, 'accounts.json')
    await upsertAccount(accountsFile, { username: 'wang', role: 'shift_lead', displayName: '王班长', passwordHash: await hashPassword(PASSWORD) })
    env = testEnv({ CALLQA_ACCOUNTS_FILE: accountsFile, CALLQA_SESSION_TTL_SECONDS: '600', CALLQA_LOGIN_MAX_FAILURES_PER_PAIR: '1', CALLQA_LOGIN_BASE_DELAY_MS: '60000' })
    gw = await startGateway(env)
  })
  afterAll(async () => {
    await gw?.close()
    await cleanupRedis(env)
    await rm(dir, { recursive: true, force: true })
  })

  const login = (password: string) =>
    fetch(`${gw.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wang', password }) })

  it('logs in from CALLQA_ACCOUNTS_FILE with a session of CALLQA_SESSION_TTL_SECONDS', async () => {
    const res = await login(PASSWORD)
    expect(res.status).toBe(200)
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=600$/)
  })

  it('backs off after CALLQA_LOGIN_MAX_FAILURES_PER_PAIR failures (1 here, 3 by default)', async () => {
    expect(DEFAULT_LOGIN_LIMITS.maxFailuresPerPair).toBeGreaterThan(1)
    expect((await login('wrong')).status).toBe(401)
    const second = await login('wrong')
    expect(second.status).toBe(429)
    expect(await second.json()).toMatchObject({ code: 'CQ_ERR_RATE_LIMITED' })
  })

  it('refuses a bad value naming the variable', () => {
    expect(() => loadConfig({ CALLQA_LOGIN_WINDOW_MS: 'soon' })).toThrow(/CALLQA_LOGIN_WINDOW_MS must be an integer >= 1, got "soon"/)
    expect(() => loadConfig({ CALLQA_SESSION_TTL_SECONDS: '5' })).toThrow(/CALLQA_SESSION_TTL_SECONDS must be an integer >= 60/)
    expect(loadConfig({ CALLQA_DEMO_ACCOUNTS: '1' }).demoAccounts).toBe(true)
    expect(loadConfig({}).demoAccounts).toBe(false)
  })
})
