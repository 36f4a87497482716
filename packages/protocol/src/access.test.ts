import { describe, expect, it } from 'vitest'
import { canSee, canSeeAgent, canSeeTeam, type Principal } from './access.js'

const lead: Principal = { username: 'wang', role: 'shift_lead' }
const manager: Principal = { username: 'li', role: 'outbound_manager', teams: ['t-1'] }
const complaints: Principal = { username: 'zhao', role: 'complaint_manager' }
const agent: Principal = { username: 'a7', role: 'agent', agentId: 'a-7' }

describe('access rules', () => {
  it('lets a shift lead see every team', () => {
    expect(canSee(lead, { agentId: 'a-9', teamId: 't-2' })).toBe(true)
    expect(canSeeTeam(lead, 't-2')).toBe(true)
  })

  it('limits an outbound manager to their teams', () => {
    expect(canSee(manager, { agentId: 'a-7', teamId: 't-1' })).toBe(true)
    expect(canSee(manager, { agentId: 'a-9', teamId: 't-2' })).toBe(false)
    expect(canSeeTeam(manager, 't-2')).toBe(false)
    expect(canSeeAgent(manager, 'a-9', 't-2')).toBe(false)
  })

  it('shows a complaint manager only complaint-risk items', () => {
    expect(canSee(complaints, { agentId: 'a-7', teamId: 't-1', complaintRisk: true })).toBe(true)
    expect(canSee(complaints, { agentId: 'a-7', teamId: 't-1' })).toBe(false)
    expect(canSeeTeam(complaints, 't-1')).toBe(false)
  })

  it('shows an agent only their own calls', () => {
    expect(canSee(agent, { agentId: 'a-7', teamId: 't-1' })).toBe(true)
    expect(canSee(agent, { agentId: 'a-8', teamId: 't-1' })).toBe(false)
    expect(canSeeAgent(agent, 'a-7', 't-1')).toBe(true)
    expect(canSeeTeam(agent, 't-1')).toBe(false)
  })
})
