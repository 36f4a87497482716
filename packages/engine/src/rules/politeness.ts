/** 礼貌用语: each kind the agent uses at least once earns bonusPerKind points (capped by score.maxBonus). Not a finding. */
import { normalizeText } from '../phrase-bridge.js'
import { listOf, nonNegative, opt, req, words, type RawRule } from '../rulebook/schema.js'
import { POLITENESS_KINDS, type PolitenessKind, type PolitenessRule } from '../rulebook/types.js'
import { labelsOf, type RuleModule } from './module.js'

const prepared = new WeakMap<PolitenessRule, [PolitenessKind, string[]][]>()

export const politeness: RuleModule<PolitenessRule> = {
  id: 'politeness',
  label: labelsOf('politeness'),
  againstAgent: false,
  fields: {
    enabled: opt({ kind: 'boolean' }),
    bonusPerKind: req(nonNegative),
    words: req({ kind: 'object', fields: Object.fromEntries(POLITENESS_KINDS.map((k) => [k, opt(words)])) }),
  },
  compile(r: RawRule): PolitenessRule {
    const w = (r.words ?? {}) as Record<string, unknown>
    return {
      bonusPerKind: r.bonusPerKind as number,
      words: Object.fromEntries(POLITENESS_KINDS.map((k) => [k, listOf(w[k]) as string[]])) as Record<PolitenessKind, string[]>,
    }
  },
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0
  let at = haystack.indexOf(needle)
  while (at >= 0) {
    n++
    at = haystack.indexOf(needle, at + needle.length)
  }
  return n
}

/** Adds the polite expressions of one agent utterance (normalised text) to `counts`. */
export function countPoliteness(rule: PolitenessRule, normalized: string, counts: Record<PolitenessKind, number>): void {
  let lists = prepared.get(rule)
  if (!lists) {
    lists = POLITENESS_KINDS.map((k) => [k, [...new Set(rule.words[k].map(normalizeText).filter(Boolean))]])
    prepared.set(rule, lists)
  }
  for (const [kind, list] of lists) {
    let n = 0
    for (const w of list) n += countOccurrences(normalized, w)
    counts[kind] += n
  }
}

export const POLITENESS_LABELS: Record<PolitenessKind, string> = {
  您好: '您好',
  请: '请',
  谢谢: '谢谢',
  对不起: '对不起/抱歉',
  address: '称呼(先生/女士)',
}
