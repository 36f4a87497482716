/**
 * Who is who and the center's clock, from `GET /v1/directory`: agent and team names (roster and
 * accounts; ids when unknown), supervisors' display names (acks), and the center's time zone
 * (`CALLQA_TIMEZONE`) that every date and time on the console follows. Refreshed every minute, so a
 * roster edit shows without a reload.
 */
import { api } from './api.js'

export interface DirectoryAgent {
  agentId: string
  name?: string
  teamId?: string
  teamName?: string
}

export interface Directory {
  timeZone: string
  agents: DirectoryAgent[]
  teams: Array<{ teamId: string; name?: string }>
  users: Record<string, string>
}

const REFRESH_MS = 60_000

let current: Directory = { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, agents: [], teams: [], users: {} }
let agentsById = new Map<string, DirectoryAgent>()
let teamsById = new Map<string, string>()
let loaded = false
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | undefined

function set(next: Directory): void {
  current = next
  agentsById = new Map(next.agents.map((a) => [a.agentId, a]))
  teamsById = new Map()
  for (const t of next.teams) if (t.name) teamsById.set(t.teamId, t.name)
  for (const a of next.agents) if (a.teamId && a.teamName && !teamsById.has(a.teamId)) teamsById.set(a.teamId, a.teamName)
  loaded = true
  for (const l of listeners) l()
}

export async function loadDirectory(): Promise<void> {
  set(await api<Directory>('/v1/directory'))
}

/** Loads now (the caller awaits it before the first render of dates) and every minute after. */
export async function startDirectory(): Promise<void> {
  clearInterval(timer)
  timer = setInterval(() => void loadDirectory().catch(() => undefined), REFRESH_MS)
  await loadDirectory().catch(() => undefined)
}

export function stopDirectory(): void {
  clearInterval(timer)
  loaded = false
}

export function onDirectory(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function directory(): Directory {
  return current
}

export function directoryLoaded(): boolean {
  return loaded
}

/** The center's time zone (falls back to the browser's until the directory answers). */
export function centerTimeZone(): string {
  return current.timeZone
}

export function agentName(agentId: string): string {
  return agentsById.get(agentId)?.name ?? agentId
}

export function teamName(teamId: string): string {
  return teamsById.get(teamId) ?? teamId
}

/** A supervisor's display name (who acknowledged), else the username. */
export function userName(username: string): string {
  return current.users[username] ?? username
}

/** `外呼员小王 · 一班`: names where known, ids otherwise. */
export function who(agentId: string, teamId: string): string {
  return `${agentName(agentId)} · ${teamName(teamId)}`
}
