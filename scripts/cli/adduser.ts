/**
 * `callqa adduser --username NAME --role ROLE [--teams t-1,t-2] [--agent-id a-7] [--display-name 名字]
 *  [--file PATH] [--password-stdin]`: adds (or replaces) a console account in the accounts file with
 * an scrypt-hashed password. The password is read from standard input (first line), never from argv,
 * so it stays out of shell history and `ps`.
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createInterface } from 'node:readline'
import { ROLES, ROLE_NAMES_ZH, type Role } from '@callqa/protocol'
import {
  AccountsError,
  DEFAULT_ACCOUNTS_FILE,
  hashPassword,
  upsertAccount,
  validateAccount,
} from '@callqa/gateway/accounts'

const ROLE_LIST = ROLES.filter((r) => r !== 'admin')
  .map((r) => `${r} (${ROLE_NAMES_ZH[r]})`)
  .join(', ')

const USAGE = `usage: callqa adduser --username NAME --role ROLE [options]

Adds or replaces a console account. The password is read from standard input.

  --username NAME         login name (A-Z a-z 0-9 . _ @ -)
  --role ROLE             ${ROLE_LIST}
  --teams t-1,t-2         outbound_manager: the teams they manage (required for that role)
  --agent-id ID           agent: their own agent id (required for that role)
  --display-name NAME     shown in the console (e.g. 王班长)
  --file PATH             accounts file (default: $CALLQA_ACCOUNTS_FILE or ${DEFAULT_ACCOUNTS_FILE})
  --password-stdin        read the password from stdin without prompting (the default when stdin is not a terminal)
`

async function readPassword(prompt: boolean): Promise<string> {
  if (prompt && process.stdin.isTTY) {
    process.stderr.write('password: ')
    const rl = createInterface({ input: process.stdin, terminal: true })
    // Hide what is typed: readline echoes through _writeToOutput.
    ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
    const line = await new Promise<string>((resolve) => rl.once('line', resolve))
    rl.close()
    process.stderr.write('\n')
    return line
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size > 64 * 1024) break
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

export async function run(argv: string[]): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        username: { type: 'string' },
        role: { type: 'string' },
        teams: { type: 'string' },
        'agent-id': { type: 'string' },
        'display-name': { type: 'string' },
        file: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }))
  } catch (err) {
    process.stderr.write(`callqa adduser: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  if (!values.username || !values.role) {
    process.stderr.write(`callqa adduser: --username and --role are required\n\n${USAGE}`)
    return 2
  }
  const file = values.file ?? process.env.CALLQA_ACCOUNTS_FILE ?? DEFAULT_ACCOUNTS_FILE
  try {
    const password = await readPassword(!values['password-stdin'])
    if (password.length < 8) {
      process.stderr.write('callqa adduser: the password must be at least 8 characters (read from stdin)\n')
      return 2
    }
    const account = validateAccount(
      {
        username: values.username,
        role: values.role as Role,
        ...(values.teams !== undefined ? { teams: values.teams.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
        ...(values['agent-id'] !== undefined ? { agentId: values['agent-id'] } : {}),
        ...(values['display-name'] !== undefined ? { displayName: values['display-name'] } : {}),
        passwordHash: await hashPassword(password),
      },
      '--',
    )
    const firstAccount = !existsSync(file)
    const outcome = await upsertAccount(file, account)
    process.stdout.write(`${outcome} ${account.username} (${account.role}) in ${file}\n`)
    // A running gateway picks the file up within a second, no restart; the first real account ends the demo ones.
    if (firstAccount) process.stdout.write(`${file} is new: the DEMO console accounts (password callqa-demo) are turned off; a running gateway switches to this file within a second\n`)
    return 0
  } catch (err) {
    if (err instanceof AccountsError) {
      process.stderr.write(`callqa adduser: ${err.message.replace(/^--\./, '--')}\n`)
      return 2
    }
    throw err
  }
}
