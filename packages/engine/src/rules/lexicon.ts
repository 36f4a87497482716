/**
 * The decision shared by the lexicon rules (a phrase list in the rulebook, decided per utterance):
 * the phrase layer finds the occurrences, the utterance features clear the innocent ones (each entry's
 * `clearedBy`), and the occurrences left make ONE finding per utterance and group — the speech act for
 * forbidden_phrase, the canonical phrase for disclosure and overpromise, the utterance for the others —
 * listing every span it matched, so a word said twice or a phrase said in two clauses deducts once.
 *
 * On a partial only settled occurrences count (their sentence has ended: see `UtteranceFeatures.settled`),
 * so a partial cut before the words that clear a match raises nothing.
 */
import { isAgentViolation, type Finding } from '@callqa/protocol'
import { actCues, type ActCue, type ActKind } from '../features/acts.js'
import { NEXT_SENTENCE_FEATURES, type UtteranceFeatures } from '../features/utterance.js'
import { compilePhraseGroup, lazyPhraseMatcher } from '../phrase-bridge.js'
import { baseOf, listOf, opt, req, ruleBase, type RawRule } from '../rulebook/schema.js'
import type { LexiconEntry, PhraseRule, PhraseRuleId, PhraseSpeaker } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'
import { scorerFinding } from './scored.js'

export type GroupBy = 'act' | 'phrase' | 'utterance'

export interface LexiconModule extends RuleModule<PhraseRule> {
  id: PhraseRuleId
  groupBy: GroupBy
  /**
   * The clause-level act (features/acts.ts) whose occurrences count beside the rulebook's phrases: the
   * rulebook lists surface forms, the act generalises them (chapter 8 rules, disclosure, overpromise).
   */
  cues?: ActKind
  /**
   * A rule's own feature over the utterance (complaint_risk: features/escalation.ts): its occurrences
   * stand in for `cues`, and `clears` decides the rulebook phrases' occurrences too.
   */
  screen?: Screen
  /** The rule has a learned scorer beside its frames (rules/scored.ts): its default `scorerThreshold`. */
  scorerThreshold?: number
}

export type Screen = (rule: PhraseRule, features: UtteranceFeatures, partial: boolean) => { cues: readonly ActCue[]; clears(o: { start: number; end: number }): boolean }

export function lexiconModule(o: { id: PhraseRuleId; groupBy: GroupBy; speaker: PhraseSpeaker; cues?: ActKind; screen?: Screen; scorerThreshold?: number }): LexiconModule {
  return {
    ...(o.cues !== undefined ? { cues: o.cues } : {}),
    ...(o.screen !== undefined ? { screen: o.screen } : {}),
    ...(o.scorerThreshold !== undefined ? { scorerThreshold: o.scorerThreshold } : {}),
    id: o.id,
    label: labelsOf(o.id),
    againstAgent: isAgentViolation(o.id),
    groupBy: o.groupBy,
    fields: {
      ...ruleBase,
      speaker: opt({ kind: 'enum', values: ['agent', 'customer', 'any'] }),
      phrases: req({ kind: 'phrases' }),
      ...(o.scorerThreshold !== undefined ? { scorer: opt({ kind: 'boolean' }), scorerThreshold: opt({ kind: 'number' }) } : {}),
    },
    compile(r: RawRule): PhraseRule {
      const phrases = listOf(r.phrases)
      const compiled: PhraseRule = {
        ...baseOf(r),
        speaker: (r.speaker as PhraseSpeaker | undefined) ?? o.speaker,
        phrases,
        // Replaced by a view of its speaker's shared matcher (shareMatchers); compiled alone only if used alone.
        matcher: lazyPhraseMatcher(phrases),
        entries: phrases.map(entryOf),
      }
      ;(compiled as PhraseRule & { [LEXICON]?: true })[LEXICON] = true
      if (o.scorerThreshold !== undefined) Object.assign(compiled, scorerParams(r, phrases, compiled.entries, o.scorerThreshold))
      return compiled
    },
  }
}

/** Marks a rule compiled here (a symbol key: it survives a module's `{ ...compiled, more }`). */
const LEXICON = Symbol('lexicon rule')

/**
 * Gives the lexicon rules of a rulebook that judge the same speaker one shared matcher
 * (phrase-bridge.ts `compilePhraseGroup`): each utterance is indexed once, not once per rule. Called by
 * the rulebook compiler with every compiled rule; rules of other kinds are left alone.
 */
export function shareMatchers(rules: readonly unknown[]): void {
  const bySpeaker = new Map<PhraseSpeaker, PhraseRule[]>()
  for (const r of rules) {
    if (typeof r !== 'object' || r === null || !(LEXICON in r)) continue
    const rule = r as unknown as PhraseRule
    const list = bySpeaker.get(rule.speaker)
    if (list) list.push(rule)
    else bySpeaker.set(rule.speaker, [rule])
  }
  for (const group of bySpeaker.values()) {
    const views = compilePhraseGroup(group.map((rule) => rule.phrases))
    group.forEach((rule, i) => (rule.matcher = views[i]!))
  }
}

/** The scorer's parameters (rules/scored.ts): its threshold, and the exclusions and features it defers to. */
function scorerParams(r: RawRule, phrases: unknown[], entries: LexiconEntry[], dflt: number): Pick<PhraseRule, 'scorerThreshold' | 'scorerExclusions' | 'scorerClearedBy'> {
  const exclusions: { regex: RegExp; unless?: RegExp }[] = []
  for (const spec of phrases) {
    if (typeof spec !== 'object' || spec === null) continue
    for (const x of ((spec as { exclude?: unknown[] }).exclude ?? []) as { regex?: string; unless?: string }[]) {
      if (typeof x.regex !== 'string') continue
      exclusions.push(x.unless !== undefined ? { regex: new RegExp(x.regex, 'u'), unless: new RegExp(x.unless, 'u') } : { regex: new RegExp(x.regex, 'u') })
    }
  }
  return {
    // `scorer: false` switches the scorer off (the frames alone decide).
    scorerThreshold: r.scorer === false ? Number.POSITIVE_INFINITY : typeof r.scorerThreshold === 'number' ? r.scorerThreshold : dflt,
    scorerExclusions: exclusions,
    scorerClearedBy: [...new Set(entries.flatMap((e) => e.clearedBy))],
  }
}

function entryOf(spec: unknown): LexiconEntry {
  if (typeof spec === 'string') return { phrase: spec.replace(/~/g, ''), clearedBy: [], requires: [] }
  const e = spec as { phrase: string; act?: LexiconEntry['act']; clearedBy?: LexiconEntry['clearedBy']; requires?: LexiconEntry['requires'] }
  const entry: LexiconEntry = { phrase: e.phrase.replace(/~/g, ''), clearedBy: e.clearedBy ?? [], requires: e.requires ?? [] }
  if (e.act !== undefined) entry.act = e.act
  return entry
}

// What most utterances give, shared (callers copy the findings they keep; frozen so a writer fails loudly).
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[]
const NO_CUES: readonly ActCue[] = Object.freeze([])

export function decideLexicon(m: LexiconModule, rule: PhraseRule, u: StoredUtterance, features: UtteranceFeatures, partial: boolean): Finding[] {
  if (rule.speaker !== 'any' && rule.speaker !== u.speaker) return NO_FINDINGS
  const hits = rule.matcher.matchRanked(features.norm)
  const screen = m.screen?.(rule, features, partial)
  const cues = screen !== undefined ? screen.cues : m.cues !== undefined ? actCues(features, m.cues) : NO_CUES
  if (hits.length === 0 && cues.length === 0) return scored(m, rule, u, features, partial)
  const groups = new Map<string, Finding>()
  // A frame occurrence its context cleared: the scorer defers to it (rules/scored.ts).
  let cleared = false
  const span = u.endMs - u.startMs
  const len = u.text.length || 1
  // Longest first (matchRanked): an occurrence inside or across a longer one that stands, or that is
  // not settled yet, is the same words and adds nothing; one inside a longer one its context cleared
  // is judged on its own (不行 may still be a refusal where the doubled 不行不行 was an echo).
  const taken: { start: number; end: number }[] = []
  const standing: typeof hits = []
  for (const h of hits) {
    const o = { start: h.nStart, end: h.nEnd }
    if (taken.some((t) => o.start < t.end && t.start < o.end)) continue
    const entry = rule.entries[h.index]!
    if (partial && !features.settled(o, entry.clearedBy.some((f) => NEXT_SENTENCE_FEATURES.has(f)))) {
      taken.push(o)
      continue
    }
    if (entry.clearedBy.some((feature) => features.holds(feature, o)) || (screen !== undefined && screen.clears(o)) || !entry.requires.every((feature) => features.holds(feature, o))) {
      cleared = true
      continue
    }
    taken.push(o)
    standing.push(h)
  }
  if (standing.length > 1) standing.sort((a, b) => a.nStart - b.nStart)
  for (const h of standing) {
    const entry = rule.entries[h.index]!
    const key = m.groupBy === 'utterance' ? '' : m.groupBy === 'act' && entry.act !== undefined ? `:${entry.act}` : `:p${h.index}`
    const found = groups.get(key)
    if (found) {
      found.spans!.push({ start: h.start, end: h.end })
      continue
    }
    const f: Finding = {
      id: `${m.id}:seq${u.seq}${key}`,
      rule: m.id,
      severity: rule.severity,
      seq: u.seq,
      phrase: h.phrase,
      text: u.text,
      span: [h.start, h.end],
      spans: [{ start: h.start, end: h.end }],
      atMs: u.startMs + Math.round((span * h.start) / len),
      againstAgent: m.againstAgent,
    }
    if (m.groupBy === 'act' && entry.act !== undefined) f.act = entry.act
    groups.set(key, f)
  }
  // The act's own occurrences: one group with the phrases' (utterance) or their own (':act').
  const norm = features.norm
  for (const c of cues) {
    if (partial && !features.settled(c)) continue
    const start = norm.starts[c.start]!
    const end = norm.ends[c.end - 1]!
    const key = m.groupBy === 'utterance' ? '' : ':act'
    const found = groups.get(key) ?? [...groups.values()].find((g) => g.spans!.some((x) => x.start < end && start < x.end))
    if (found) {
      // A listed phrase already marks these words: the phrase's span stands (the act adds no second one).
      if (!found.spans!.some((x) => x.start < end && start < x.end)) found.spans!.push({ start, end })
      continue
    }
    groups.set(key, {
      id: `${m.id}:seq${u.seq}${key}`,
      rule: m.id,
      severity: rule.severity,
      seq: u.seq,
      phrase: c.phrase,
      text: u.text,
      span: [start, end],
      spans: [{ start, end }],
      atMs: u.startMs + Math.round((span * start) / len),
      againstAgent: m.againstAgent,
    })
  }
  if (cues.length > 0) for (const f of groups.values()) f.spans!.sort((a, b) => a.start - b.start)
  if (groups.size === 0 && !cleared) return scored(m, rule, u, features, partial)
  return [...groups.values()]
}

/** The learned scorer, where the frames found nothing (and cleared nothing): agent finals of the chapter 8 rules only. */
function scored(m: LexiconModule, rule: PhraseRule, u: StoredUtterance, features: UtteranceFeatures, partial: boolean): Finding[] {
  if (partial || rule.scorerThreshold === undefined) return NO_FINDINGS
  const f = scorerFinding(m, rule, u, features)
  return f === undefined ? NO_FINDINGS : [f]
}
