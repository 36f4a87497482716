import type { ForbiddenAct, RuleId, Severity } from '@callqa/protocol'
import type { ContextFeature } from '../features/utterance.js'
import type { PhraseMatcher } from '../phrase-bridge.js'

/** Who a phrase rule listens to. */
export type PhraseSpeaker = 'agent' | 'customer' | 'any'

/** Parameters every rule has. */
export interface RuleBase {
  severity: Severity
  /** Points deducted from the score per finding. */
  weight: number
  /** Cap on the points one call can lose to this rule (no cap when absent). */
  maxPoints?: number
}

/** What a lexicon rule knows of each of its phrase entries (by entry index). */
export interface LexiconEntry {
  phrase: string
  act?: ForbiddenAct
  clearedBy: ContextFeature[]
  requires: ContextFeature[]
}

/** The lexicon rules: forbidden_phrase, complaint_risk, internal_disclosure, overpromise and the chapter 8 norms. */
export interface PhraseRule extends RuleBase {
  speaker: PhraseSpeaker
  /** Phrase entries as written in the rulebook (format owned by the phrase layer). */
  phrases: unknown[]
  matcher: PhraseMatcher
  entries: LexiconEntry[]
  /**
   * The chapter 8 rules with a learned scorer beside their frames (features/act-scorer.ts): the score
   * (log-odds) at or above which the scorer alone raises the rule. Absent for the lexicon rules
   * without a scorer. @defaultValue the threshold chosen in the scorer's training data (log-odds; the scorer is off when absent)
   */
  scorerThreshold?: number
  /** The rule's regex exclusions (its entries' `exclude`), which the scorer defers to as the phrases do. */
  scorerExclusions?: { regex: RegExp; unless?: RegExp }[]
  /** Every context feature some entry of the rule is cleared by: the scorer defers to them as well. */
  scorerClearedBy?: ContextFeature[]
}

export interface GreetingRule extends RuleBase {
  /** The greeting must come within the agent's first N utterances. @defaultValue 2 */
  withinAgentUtterances: number
  greetings: string[]
  /** The greetings as words (word boundaries, ASR forms), compiled by the phrase layer. */
  matcher: PhraseMatcher
  /** ASR forms the phrase layer does not make: an unknown mark for a character, a dropped character (rules/greeting.ts). */
  asrForms: RegExp
}

export interface ClosingRule extends RuleBase {
  /** The farewell must come within the agent's last N utterances. @defaultValue 2 */
  withinLastAgentUtterances: number
  farewells: string[]
  matcher: PhraseMatcher
  /** ASR forms of the farewells (rules/greeting.ts `asrWordForms`). */
  asrForms: RegExp
  /** The agent offering further help (还有其他问题吗): a customer's farewell right after it closes the call. */
  offers: string[]
  offerMatcher: PhraseMatcher
}

export interface SpeakingRateRule extends RuleBase {
  /** @defaultValue 120 */
  targetCpm: number
  /** Band is targetCpm × (1 ± tolerance). @defaultValue 0.2 */
  tolerance: number
  /** Below this much agent speech the whole-call rate is not judged (agentCpm is null). @defaultValue 20000 */
  minAgentSpeechMs: number
  /** Live alerts look at the last this-many ms of agent speech. @defaultValue 30000 */
  rollingWindowMs: number
}

export interface InterruptionRule extends RuleBase {
  /** The agent must start at least this long before the customer's utterance ends. @defaultValue 500 */
  minRemainingMs: number
  backchannel: { maxChars: number; words: string[] }
}

export interface SlowResponseRule extends RuleBase {
  /** @defaultValue 5000 */
  maxGapMs: number
  /** A customer utterance containing one of these (or ?/？) is a question. */
  questionMarkers: string[]
}

export const POLITENESS_KINDS = ['您好', '请', '谢谢', '对不起', 'address'] as const
export type PolitenessKind = (typeof POLITENESS_KINDS)[number]

export interface PolitenessRule {
  /** Bonus points per kind of polite expression the agent used at least once. */
  bonusPerKind: number
  words: Record<PolitenessKind, string[]>
}

export interface RuleSet {
  forbidden_phrase?: PhraseRule
  missing_greeting?: GreetingRule
  missing_closing?: ClosingRule
  speaking_rate?: SpeakingRateRule
  interruption?: InterruptionRule
  slow_response?: SlowResponseRule
  complaint_risk?: PhraseRule
  internal_disclosure?: PhraseRule
  overpromise?: PhraseRule
  pointing_out_mistake?: PhraseRule
  scolding?: PhraseRule
  sarcasm?: PhraseRule
  politeness?: PolitenessRule
}

/** The lexicon rules (phrase lists in the rulebook, decided per utterance). */
export const PHRASE_RULE_IDS = ['forbidden_phrase', 'complaint_risk', 'internal_disclosure', 'overpromise', 'pointing_out_mistake', 'scolding', 'sarcasm'] as const
export type PhraseRuleId = (typeof PHRASE_RULE_IDS)[number]

/** A validated, compiled rulebook. Rules that are absent or `enabled: false` are not checked. */
export interface Rulebook {
  id: string
  version: string
  name: string
  /** Where it was read from (file name or label), for messages. */
  sourceName: string
  score: { base: number; maxBonus: number }
  rules: RuleSet
}

export type { RuleId }
