/**
 * Who may see what (handbook 第四章 organisation). The one place scope rules live; the gateway's
 * routes and sockets and the console all ask these functions.
 */
export const ROLES = ['shift_lead', 'outbound_manager', 'complaint_manager', 'agent', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES_ZH: Record<Role, string> = {
  shift_lead: '话务班长',
  outbound_manager: '外呼管理员',
  complaint_manager: '投诉管理员',
  agent: '外呼员',
  admin: '系统管理员',
}

export interface Principal {
  username: string
  role: Role
  /** outbound_manager: the teams they manage. */
  teams?: string[]
  /** agent: their own agent id. */
  agentId?: string
}

/** What a record must tell about itself to be checked. */
export interface Scoped {
  agentId: string
  teamId: string
  /** True for complaint_risk alerts and for calls that raised one. */
  complaintRisk?: boolean
}

export function canSee(principal: Principal, item: Scoped): boolean {
  switch (principal.role) {
    case 'admin':
    case 'shift_lead':
      return true
    case 'outbound_manager':
      return principal.teams?.includes(item.teamId) ?? false
    case 'complaint_manager':
      return item.complaintRisk === true
    case 'agent':
      return principal.agentId === item.agentId
  }
}

/** Whether a principal may read a team's KPIs. */
export function canSeeTeam(principal: Principal, teamId: string): boolean {
  if (principal.role === 'admin' || principal.role === 'shift_lead') return true
  if (principal.role === 'outbound_manager') return principal.teams?.includes(teamId) ?? false
  return false
}

/** Whether a principal may read an agent's KPIs (their team's managers, or the agent). */
export function canSeeAgent(principal: Principal, agentId: string, teamId: string | undefined): boolean {
  if (principal.role === 'agent') return principal.agentId === agentId
  if (principal.role === 'complaint_manager') return false
  return teamId === undefined ? principal.role !== 'outbound_manager' : canSeeTeam(principal, teamId)
}

/** Whether a principal sees live call tiles and transcripts at all (agents do not). */
export function watchesLiveCalls(principal: Principal): boolean {
  return principal.role !== 'agent'
}
