/**
 * People, not ids: who agent `a-7` and team `t-1` are. Names come from a roster file
 * (`CALLQA_ROSTER_FILE`, default ./config/roster.json; JSON or CSV) and from the console accounts
 * (an agent account's displayName), the roster winning. The file is looked at again at most once a
 * second, so an edit shows without a restart; a file that fails to parse keeps the names loaded
 * before and is logged.
 *
 * - `GET /v1/directory` (any logged-in principal): the center's time zone, and the agents, teams and
 *   console users the principal may see (`canSeeAgent` / `canSeeTeam`), with names where known.
 *
 * Roster file shapes:
 *   JSON  {"agents": [{"agentId": "a-7", "name": "外呼员小王", "teamId": "t-1", "teamName": "一班"}]}
 *   CSV   agent_id,name,team_id,team_name   (header line, then one agent a line)
 */
import { readFileSync, statSync } from 'node:fs'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { canSeeAgent, canSeeTeam, type Principal } from '@callqa/protocol'

export const DEFAULT_ROSTER_FILE = './config/roster.json'
/** A roster bigger than this is a mistake (a whole CRM export), not a call center. */
export const MAX_ROSTER_AGENTS = 100_000
const MAX_NAME_CHARS = 64
const ID = /^[A-Za-z0-9._:@-]{1,128}$/

export interface RosterAgent {
  agentId: string
  name?: string
  teamId?: string
  teamName?: string
}

export class RosterError extends Error {
  readonly code = 'CQ_ERR_ROSTER'
  constructor(message: string) {
    super(message)
    this.name = 'RosterError'
  }
}

function checkedName(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string' || value.length > MAX_NAME_CHARS) throw new RosterError(`${where} must be a name of at most ${MAX_NAME_CHARS} characters, got ${JSON.stringify(value)}`)
  return value.trim() || undefined
}

function checkedAgent(raw: Record<string, unknown>, where: string): RosterAgent {
  if (typeof raw.agentId !== 'string' || !ID.test(raw.agentId)) throw new RosterError(`${where}.agentId must be an agent id (A-Z a-z 0-9 . _ : @ -), got ${JSON.stringify(raw.agentId)}`)
  const agent: RosterAgent = { agentId: raw.agentId }
  const name = checkedName(raw.name, `${where}.name`)
  if (name) agent.name = name
  if (raw.teamId !== undefined && raw.teamId !== '') {
    if (typeof raw.teamId !== 'string' || !ID.test(raw.teamId)) throw new RosterError(`${where}.teamId must be a team id, got ${JSON.stringify(raw.teamId)}`)
    agent.teamId = raw.teamId
  }
  const teamName = checkedName(raw.teamName, `${where}.teamName`)
  if (teamName) agent.teamName = teamName
  return agent
}

/** One CSV line's fields (RFC 4180 quoting; a roster has no line breaks inside fields). */
function csvFields(line: string): string[] {
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') out.push(field), (field = '')
    else field += c
  }
  out.push(field)
  return out.map((f) => f.trim())
}

/** Parses a roster (JSON, or CSV with an `agent_id,name,team_id,team_name` header); errors name the line or entry. */
export function parseRoster(text: string, sourceName: string): RosterAgent[] {
  const body = text.replace(/^\uFEFF/, '')
  let agents: RosterAgent[]
  if (/^\s*[[{]/.test(body)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch (err) {
      throw new RosterError(`${sourceName} is not valid JSON: ${(err as Error).message}`)
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { agents?: unknown } | null)?.agents
    if (!Array.isArray(list)) throw new RosterError(`${sourceName} must be {"agents": [...]} or a list of agents`)
    agents = list.map((entry, i) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new RosterError(`${sourceName}: agents[${i}] must be an object`)
      return checkedAgent(entry as Record<string, unknown>, `${sourceName}: agents[${i}]`)
    })
  } else {
    const lines = body.split(/\r?\n/)
    const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase())
    const col = (name: string) => header.indexOf(name)
    if (col('agent_id') === -1) throw new RosterError(`${sourceName}: line 1 must be a CSV header with agent_id (and name, team_id, team_name), got ${JSON.stringify(lines[0] ?? '')}`)
    agents = []
    for (let i = 1; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue
      const f = csvFields(lines[i]!)
      const at = (name: string) => (col(name) === -1 ? undefined : f[col(name)])
      agents.push(checkedAgent({ agentId: at('agent_id'), name: at('name'), teamId: at('team_id'), teamName: at('team_name') }, `${sourceName}: line ${i + 1}`))
    }
  }
  if (agents.length > MAX_ROSTER_AGENTS) throw new RosterError(`${sourceName} lists ${agents.length} agents, more than ${MAX_ROSTER_AGENTS}`)
  const seen = new Set<string>()
  for (const a of agents) {
    if (seen.has(a.agentId)) throw new RosterError(`${sourceName}: agent ${a.agentId} appears twice`)
    seen.add(a.agentId)
  }
  return agents
}

export interface RosterOptions {
  /** @defaultValue ./config/roster.json (a missing file is an empty roster) */
  file?: string
  /** Extra names (console accounts), read on every lookup refresh; the roster file wins. */
  accounts?: () => Array<{ username: string; agentId?: string; displayName?: string }>
  /** @defaultValue 1000 */
  checkEveryMs?: number
  onError?: (err: Error) => void
  now?: () => number
}

/** Names by agent and team id, reloaded when the file changes. */
export class Roster {
  readonly #options: RosterOptions
  #agents = new Map<string, RosterAgent>()
  #fileKey = ''
  #checkedAtMs = -Infinity

  constructor(options: RosterOptions = {}) {
    this.#options = options
  }

  #refresh(): void {
    const now = (this.#options.now ?? Date.now)()
    if (now - this.#checkedAtMs < (this.#options.checkEveryMs ?? 1000)) return
    this.#checkedAtMs = now
    const file = this.#options.file ?? DEFAULT_ROSTER_FILE
    let key = 'missing'
    try {
      const st = statSync(file)
      key = `${st.mtimeMs}:${st.size}:${st.ino}`
    } catch {}
    if (key === this.#fileKey) return
    this.#fileKey = key
    try {
      const agents = key === 'missing' ? [] : parseRoster(readFileSync(file, 'utf8'), file)
      this.#agents = new Map(agents.map((a) => [a.agentId, a]))
    } catch (err) {
      this.#options.onError?.(err as Error)
    }
  }

  /** Every agent the roster or an account knows. */
  agents(): RosterAgent[] {
    this.#refresh()
    const out = new Map(this.#agents)
    for (const account of this.#options.accounts?.() ?? []) {
      if (!account.agentId) continue
      const known = out.get(account.agentId)
      if (!known) out.set(account.agentId, { agentId: account.agentId, ...(account.displayName ? { name: account.displayName } : {}) })
      else if (!known.name && account.displayName) out.set(account.agentId, { ...known, name: account.displayName })
    }
    return [...out.values()]
  }

  agent(agentId: string): RosterAgent | undefined {
    this.#refresh()
    const known = this.#agents.get(agentId)
    if (known?.name) return known
    const account = this.#options.accounts?.().find((a) => a.agentId === agentId && a.displayName)
    return account ? { ...known, agentId, name: account.displayName! } : known
  }

  agentName(agentId: string): string | undefined {
    return this.agent(agentId)?.name
  }

  /** A team's name: the first roster entry of the team that names it. */
  teamName(teamId: string): string | undefined {
    this.#refresh()
    for (const a of this.#agents.values()) if (a.teamId === teamId && a.teamName) return a.teamName
    return undefined
  }

  teams(): Array<{ teamId: string; name?: string }> {
    this.#refresh()
    const out = new Map<string, { teamId: string; name?: string }>()
    for (const a of this.#agents.values()) {
      if (!a.teamId) continue
      const known = out.get(a.teamId)
      if (!known || (!known.name && a.teamName)) out.set(a.teamId, { teamId: a.teamId, ...(a.teamName ? { name: a.teamName } : {}) })
    }
    return [...out.values()]
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    callqaRoster?: Roster
  }
}

/** Names for the report page of one call (empty without the roster plugin). */
export function namesOf(app: FastifyInstance, report: { agentId: string; teamId: string }): { agentName?: string; teamName?: string } {
  const roster = app.callqaRoster
  if (!roster) return {}
  const agentName = roster.agentName(report.agentId)
  const teamName = roster.teamName(report.teamId)
  return { ...(agentName ? { agentName } : {}), ...(teamName ? { teamName } : {}) }
}

/** Name lookups for a CSV (none without the roster plugin). */
export function csvNamesOf(app: FastifyInstance): { agentName?: (id: string) => string | undefined; teamName?: (id: string) => string | undefined } {
  const roster = app.callqaRoster
  if (!roster) return {}
  return { agentName: (id) => roster.agentName(id), teamName: (id) => roster.teamName(id) }
}

export interface RosterPluginOptions {
  file?: string
  /** The center's time zone, told to the console (`/v1/directory`). */
  timeZone: string
}

interface AccountLike {
  username: string
  role: string
  teams?: string[]
  agentId?: string
  displayName?: string
}

export const rosterPlugin = fp(
  async function roster(app: FastifyInstance, options: RosterPluginOptions) {
    const book = (app as FastifyInstance & { accountBook?: { list(): AccountLike[] } }).accountBook
    const roster = new Roster({
      ...(options.file ? { file: options.file } : {}),
      accounts: () => book?.list() ?? [],
      onError: (err) => app.log.error({ err: err.message }, 'roster file not reloaded: keeping the names loaded before'),
    })
    app.decorate('callqaRoster', roster)

    app.get('/v1/directory', { preHandler: app.requirePrincipal }, async (request) => {
      const principal = request.principal as Principal
      const teams = roster.teams().filter((t) => canSeeTeam(principal, t.teamId))
      // A manager's own teams are listed even before the roster names them.
      for (const teamId of principal.teams ?? []) if (!teams.some((t) => t.teamId === teamId)) teams.push({ teamId })
      const agents = roster.agents().filter((a) => canSeeAgent(principal, a.agentId, a.teamId))
      if (principal.role === 'agent' && principal.agentId && !agents.some((a) => a.agentId === principal.agentId)) agents.push({ agentId: principal.agentId })
      // Who acknowledged an alert is a supervisor's username: their display names (not to agents).
      const users =
        principal.role === 'agent'
          ? {}
          : Object.fromEntries((book?.list() ?? []).filter((a) => a.displayName).map((a) => [a.username, a.displayName!]))
      return { timeZone: options.timeZone, agents, teams, users }
    })
  },
  { name: 'callqa-roster', decorators: { fastify: ['requirePrincipal'] } },
)
