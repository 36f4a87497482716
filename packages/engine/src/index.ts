/**
 * @callqa/engine: the pure compliance engine (see docs/architecture.md, "Engine API").
 * No sockets, Redis, clocks or HTTP: time comes in as data.
 */
export { parseRulebook, loadDefaultRulebook, loadRulebookFile, DEFAULT_RULEBOOK_PATH } from './rulebook/parse.js'
export type {
  Rulebook,
  RuleSet,
  PhraseRule,
  GreetingRule,
  ClosingRule,
  SpeakingRateRule,
  InterruptionRule,
  SlowResponseRule,
  PolitenessRule,
} from './rulebook/types.js'
export { CallMonitor, MAX_UTTERANCES_PER_CALL, type FeedResult, type CallSnapshot, type StoredUtterance } from './monitor/call-monitor.js'
export { checkTranscript, type CheckTranscriptOptions, type CheckTranscriptResult } from './check-transcript.js'
export { RulebookError, SnapshotError, CallTooLongError, EngineErrorCodes, ENGINE_ERRORS, type RulebookProblem, type EngineErrorCode } from './errors.js'
export { maskPersonalData, normalizeText, countSpokenChars } from './phrase-bridge.js'
export { detectUtterance } from './detect.js'
export { UtteranceFeatures, CONTEXT_FEATURES, AGENT_SELF, type ContextFeature, type Subject } from './features/utterance.js'
export { RULE_MODULES, LEXICON_MODULES, ruleModule } from './rules/index.js'
export type { Retraction } from './monitor/call-monitor.js'
