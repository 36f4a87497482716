/**
 * The console's window on `@callqa/protocol`: types from the package, and the few runtime values it
 * needs straight from their source files, so the bundle does not pull in the server-side validators.
 */
export type {
  AlertMessage,
  AlertAckMessage,
  CallUpdateMessage,
  TranscriptMessage,
  SupervisorMessage,
  LiveCallMetrics,
} from '../../../packages/protocol/src/messages.js'
export type { Principal, Role } from '../../../packages/protocol/src/access.js'
export type { RuleId, Severity, Finding, CallReport } from '../../../packages/protocol/src/report.js'
export { ROLE_NAMES_ZH, canSee, canSeeTeam, canSeeAgent, watchesLiveCalls } from '../../../packages/protocol/src/access.js'
export { RULE_IDS, SEVERITIES, severityRank } from '../../../packages/protocol/src/report.js'
export {
  ruleLabel,
  severityLabel,
  dispositionLabel,
  speakerLabel,
  roleLabel,
  isAgentViolation,
  type Lang,
} from '../../../packages/protocol/src/labels.js'
