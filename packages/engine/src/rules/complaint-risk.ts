/**
 * The customer threatens a complaint or escalation (投诉, 12315, 工信部, 找你们领导 …). Not the agent's
 * violation: a routing signal for complaint managers (`againstAgent: false`, never deducted). One
 * finding per customer utterance listing every trigger word as a span (one alert per utterance).
 */
import { lexiconModule } from './lexicon.js'

export const complaintRisk = lexiconModule({
  id: 'complaint_risk',
  groupBy: 'utterance',
  speaker: 'customer',
})
