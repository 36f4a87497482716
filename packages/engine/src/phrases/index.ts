export { compilePhrases, PhraseSpecError, DEFAULT_INSERT_WORDS, type PhraseMatch, type PhraseMatcher } from './matcher.js'
export {
  checkPhraseSpecs,
  type PhraseSpec,
  type PhraseEntrySpec,
  type VariantSpec,
  type ExcludeSpec,
  type KeywordCondition,
  type PhraseSpecProblem,
} from './spec.js'
