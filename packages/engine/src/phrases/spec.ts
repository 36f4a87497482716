/**
 * Phrase specs: how a rulebook lists the phrases a phrase rule looks for (forbidden_phrase,
 * complaint_risk, internal_disclosure, overpromise), and their validation.
 *
 * ## Schema (YAML), one entry per canonical phrase
 *
 * ```yaml
 * phrases:
 *   - 找领导去                    # shorthand: a bare string is { phrase: 找领导去 }
 *   - phrase: 这是规定,就不行      # canonical form: reported as written (minus `~`), and matched
 *     variants:                   # more surface forms reported under the same canonical phrase
 *       - 这是规定~不行
 *       - form: 这是~规定          # a variant may carry its own exclusions (added to the entry's)
 *         exclude: [ { regex: '规定的?[^\s,.!?;呢哦啊吧嘛呀啦]' } ]
 *     insert: [公司]              # extra words allowed at `~` (added to the defaults below)
 *     homophones: true            # allow one same-sound character (知到 for 知道); default true
 *     shortHomophones: clause-end  # also in 2-character forms: true, or only where the form ends its clause
 *     clauseGap: 8                # max characters between two clauses; default 8
 *     patterns: ['(说|讲)了?[两三四五六七八九十几]+[遍次回]']   # regex forms (grammatical frames), on the normalised text
 *     note: why this entry exists (free text, ignored)
 *     exclude:                    # an occurrence is dropped when ANY of these holds
 *       - regex: '(如果|若)[^,.!?;]{0,12}不行'   # holds if a match of `regex` overlaps the occurrence
 *         unless: '不行不行'                      #   ...and no match of `unless` overlaps it
 *       - keyword: { any: [如果, 要是], all: [], none: [] }   # SCA keyword operator
 *         within: 6               #   characters either side of the occurrence; default the whole utterance
 *       - proximity: { words: [没有, 不是], within: 4, side: before }   # word within N chars of the occurrence
 *         note: why (free text)
 * ```
 *
 * ## How a form is read
 * - Forms are normalised like utterances (traditional → simplified, full-width → half-width, Chinese
 *   punctuation → ASCII), so `這是規定，就不行` and `这是规定,就不行` are the same form.
 * - Punctuation (`, . ! ? ; :` or their Chinese forms) splits a form into CLAUSES. Between two clauses the
 *   utterance may have punctuation, spaces and fillers (up to 8) and up to `clauseGap` other characters
 *   ("这是规定,嗯,所以就不行"); inside a clause the characters must follow each other.
 * - Inside a clause, fillers and particles (嗯 呃 额 啊 吧 呢 嘛 哦 …) and spaces may be inserted anywhere
 *   (at most 3 in a row). `~` marks a point where short words may ALSO be inserted: by default 你 我 也
 *   就 这 这个 都 真的 到底 这个事 (at most 2 words), plus the entry's `insert` list. `~` is never matched.
 * - Homophones: a form of at least 3 characters may have ONE character replaced by a character with
 *   the same toneless pinyin (an ASR error: 不知到, 不只道), by its syllable spelled in Latin letters
 *   (不zhi道, bu知道), or by a mark for a syllable the ASR could not make out (不□道, 找领*去; never for a
 *   negation); one per clause of 3+, two in one of 6+. The same mishearing repeated in a clause counts once
 *   (布行布行), and a stutter of the syllables just said is heard through (我解决解决不了, 不知知道).
 *   2-character forms only with `shortHomophones` (不行 vs 步行).
 * - Loose edits: a form of 4+ characters that allows homophones may instead hold ONE of: a dropped later
 *   syllable of a word inside the clause, or a dropped particle (找领去, 着什急, 不满意到别问; never a word of its
 *   own, a negation, an insertable word or what follows 不/没 in its word: 考虑了没有 is not 考虑好了没有, 我不投诉
 *   not 我不怕投诉); an extra structural particle (的 地 得 儿; not 了/过/着: 换了运营商 is no 换运营商) or a syllable
 *   that makes a word with its neighbour (不关我们的事, 投诉又能怎么样; not a word of its own: 给您把优惠); a
 *   near-sound character (n/l, front/back nasal, flat/retroflex: 我解决不鸟). It spends one of the form's
 *   homophones, and what is still heard exactly must hold 2 characters not common in speech (1 for a
 *   near-sound one), so forms of common words only (我都说过了) take none.
 * - A hit must start and end on word boundaries (jieba), so 你问我 does not fire inside 你问我们;
 *   a word glued on the left of a leading 不/没 (并不知道, 绝不行) is allowed.
 * - Regex and keyword exclusions look at the NORMALISED utterance (simplified, half-width punctuation,
 *   lower case, one space for each whitespace run, an ellipsis as a space, fillers kept). Regexes use
 *   the `u` flag; their Han characters are folded like the text (write 規定 or 规定 alike), but write
 *   punctuation as ASCII (`[^,.!?;]` = within the clause), since `，` never occurs in normalised text.
 * - Overlapping hits (from any entries of one matcher): the longest wins (这是规定,就不行 over 不行).
 */

import { FORBIDDEN_ACTS, type ForbiddenAct } from '@callqa/protocol'
import { CONTEXT_FEATURES, type ContextFeature } from '../features/utterance.js'

export interface KeywordCondition {
  /** Holds only if at least one of these occurs (ignored when empty/absent). */
  any?: string[]
  /** Holds only if all of these occur. */
  all?: string[]
  /** Holds only if none of these occurs. */
  none?: string[]
}

export type ExcludeSpec =
  | { regex: string; unless?: string; note?: string }
  | { keyword: KeywordCondition; within?: number; note?: string }
  | { proximity: { words: string[]; within: number; side?: 'before' | 'after' | 'either' }; note?: string }

export type VariantSpec = string | { form: string; exclude?: ExcludeSpec[]; note?: string }

export interface PhraseEntrySpec {
  phrase: string
  variants?: VariantSpec[]
  insert?: string[]
  homophones?: boolean
  clauseGap?: number
  exclude?: ExcludeSpec[]
  note?: string
  /** forbidden_phrase: the speech act the entry's forms perform (one finding per utterance and act). */
  act?: ForbiddenAct
  /** Context features that clear an occurrence (an innocent use), see features/utterance.ts. */
  clearedBy?: ContextFeature[]
  /** Context features that must ALL hold for an occurrence to count (a dare only answers a threat). */
  requires?: ContextFeature[]
  /**
   * Regex forms: a grammatical frame rather than a string (說了三遍了: a verb of saying and a count). Each
   * match in the NORMALISED utterance is an occurrence of the entry; exclusions and the entry's context
   * features apply, word boundaries are the regex's own business. Keep them anchored on rare characters.
   */
  patterns?: string[]
  /**
   * Allow one same-sound character in forms of 2 characters too (greeting and farewell words: 在见).
   * `clause-end`: only where the form ends its clause (a predicate: 一年的不形, 也部行), and never when
   * the heard characters are one word of the dictionary (步行, 布行: the ASR heard a real word).
   */
  shortHomophones?: boolean | 'clause-end'
}

/** What a rulebook may hold in a `phrases:` list. */
export type PhraseSpec = string | PhraseEntrySpec

export interface PhraseSpecProblem {
  path: string
  message: string
}

const ENTRY_KEYS = new Set(['phrase', 'variants', 'insert', 'homophones', 'clauseGap', 'exclude', 'note', 'act', 'clearedBy', 'requires', 'shortHomophones', 'patterns'])
const VARIANT_KEYS = new Set(['form', 'exclude', 'note'])
const SIDES = new Set(['before', 'after', 'either'])

function show(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkForm(form: unknown, path: string, problems: PhraseSpecProblem[]): void {
  if (typeof form !== 'string') {
    problems.push({ path, message: `must be a string (a phrase form), got ${show(form)}` })
    return
  }
  const bare = form.replace(/[~\s]/g, '')
  if (!/[\p{L}\p{N}]/u.test(bare)) {
    problems.push({ path, message: `must contain at least one character or digit to match, got ${show(form)}` })
    return
  }
  if (/^\s*~|~\s*$/.test(form)) problems.push({ path, message: `\`~\` marks an insertion point between characters; it cannot start or end a form (${show(form)})` })
  if (/~\s*~/.test(form)) problems.push({ path, message: `two \`~\` in a row in ${show(form)}: write one` })
}

function checkStringList(value: unknown, path: string, problems: PhraseSpecProblem[], what: string): void {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be a list of ${what}, got ${show(value)}` })
    return
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') problems.push({ path: `${path}[${i}]`, message: `must be a non-empty string, got ${show(item)}` })
  })
}

function checkRegex(value: unknown, path: string, problems: PhraseSpecProblem[]): void {
  if (typeof value !== 'string' || value === '') {
    problems.push({ path, message: `must be a non-empty regular expression string, got ${show(value)}` })
    return
  }
  try {
    new RegExp(value, 'gu')
  } catch (error) {
    problems.push({ path, message: `is not a valid regular expression (${(error as Error).message})` })
  }
}

function checkNonNegativeInt(value: unknown, path: string, problems: PhraseSpecProblem[], max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    problems.push({ path, message: `must be a whole number of characters from 0 to ${max}, got ${show(value)}` })
  }
}

function checkExcludes(value: unknown, path: string, problems: PhraseSpecProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be a list of exclusions ({regex}, {keyword}, {proximity}), got ${show(value)}` })
    return
  }
  value.forEach((item, i) => {
    const at = `${path}[${i}]`
    if (!isPlainObject(item)) {
      problems.push({ path: at, message: `must be an object with one of regex, keyword, proximity; got ${show(item)}` })
      return
    }
    const kinds = ['regex', 'keyword', 'proximity'].filter((k) => k in item)
    if (kinds.length !== 1) {
      problems.push({ path: at, message: `must have exactly one of regex, keyword, proximity; got ${kinds.length ? kinds.join(' and ') : 'none'}` })
      return
    }
    const kind = kinds[0]!
    const allowed = kind === 'regex' ? ['regex', 'unless', 'note'] : kind === 'keyword' ? ['keyword', 'within', 'note'] : ['proximity', 'note']
    for (const key of Object.keys(item)) {
      if (!allowed.includes(key)) problems.push({ path: `${at}.${key}`, message: `unknown field for a ${kind} exclusion (allowed: ${allowed.join(', ')})` })
    }
    if (item.note !== undefined && typeof item.note !== 'string') problems.push({ path: `${at}.note`, message: `must be a string, got ${show(item.note)}` })
    if (kind === 'regex') {
      checkRegex(item.regex, `${at}.regex`, problems)
      if (item.unless !== undefined) checkRegex(item.unless, `${at}.unless`, problems)
    } else if (kind === 'keyword') {
      const cond = item.keyword
      if (!isPlainObject(cond)) {
        problems.push({ path: `${at}.keyword`, message: `must be an object {any?, all?, none?}, got ${show(cond)}` })
      } else {
        const lists = ['any', 'all', 'none'].filter((k) => k in cond)
        if (lists.length === 0) problems.push({ path: `${at}.keyword`, message: 'needs at least one of any, all, none' })
        for (const key of Object.keys(cond)) {
          if (!['any', 'all', 'none'].includes(key)) problems.push({ path: `${at}.keyword.${key}`, message: 'unknown field (allowed: any, all, none)' })
          else checkStringList(cond[key], `${at}.keyword.${key}`, problems, 'words')
        }
      }
      if (item.within !== undefined) checkNonNegativeInt(item.within, `${at}.within`, problems, 1000)
    } else {
      const prox = item.proximity
      if (!isPlainObject(prox)) {
        problems.push({ path: `${at}.proximity`, message: `must be an object {words, within, side?}, got ${show(prox)}` })
        return
      }
      for (const key of Object.keys(prox)) {
        if (!['words', 'within', 'side'].includes(key)) problems.push({ path: `${at}.proximity.${key}`, message: 'unknown field (allowed: words, within, side)' })
      }
      checkStringList(prox.words, `${at}.proximity.words`, problems, 'words')
      if (Array.isArray(prox.words) && prox.words.length === 0) problems.push({ path: `${at}.proximity.words`, message: 'must list at least one word' })
      checkNonNegativeInt(prox.within, `${at}.proximity.within`, problems, 1000)
      if (prox.side !== undefined && !SIDES.has(prox.side as string)) {
        problems.push({ path: `${at}.proximity.side`, message: `must be before, after or either; got ${show(prox.side)}` })
      }
    }
  })
}

/**
 * Validates a `phrases:` list. Returns every problem found (empty when valid), each with the path of
 * the offending field below `path` (e.g. `rules.forbidden_phrase.phrases[3].exclude[0].regex`).
 */
export function checkPhraseSpecs(value: unknown, path: string): PhraseSpecProblem[] {
  const problems: PhraseSpecProblem[] = []
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be a list of phrase entries (strings or {phrase, variants, exclude, ...}), got ${show(value)}` })
    return problems
  }
  value.forEach((entry, i) => {
    const at = `${path}[${i}]`
    if (typeof entry === 'string') {
      checkForm(entry, at, problems)
      return
    }
    if (!isPlainObject(entry)) {
      problems.push({ path: at, message: `must be a phrase string or an object with \`phrase\`, got ${show(entry)}` })
      return
    }
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) problems.push({ path: `${at}.${key}`, message: `unknown field (allowed: ${[...ENTRY_KEYS].join(', ')})` })
    }
    if (!('phrase' in entry)) problems.push({ path: `${at}.phrase`, message: 'is required (the canonical phrase)' })
    else checkForm(entry.phrase, `${at}.phrase`, problems)
    if (entry.variants !== undefined) {
      if (!Array.isArray(entry.variants)) problems.push({ path: `${at}.variants`, message: `must be a list of forms, got ${show(entry.variants)}` })
      else {
        entry.variants.forEach((variant, k) => {
          const vat = `${at}.variants[${k}]`
          if (typeof variant === 'string') checkForm(variant, vat, problems)
          else if (isPlainObject(variant)) {
            for (const key of Object.keys(variant)) {
              if (!VARIANT_KEYS.has(key)) problems.push({ path: `${vat}.${key}`, message: `unknown field (allowed: ${[...VARIANT_KEYS].join(', ')})` })
            }
            checkForm(variant.form, `${vat}.form`, problems)
            if (variant.exclude !== undefined) checkExcludes(variant.exclude, `${vat}.exclude`, problems)
          } else problems.push({ path: vat, message: `must be a form string or {form, exclude}, got ${show(variant)}` })
        })
      }
    }
    if (entry.insert !== undefined) checkStringList(entry.insert, `${at}.insert`, problems, 'words')
    if (entry.homophones !== undefined && typeof entry.homophones !== 'boolean') {
      problems.push({ path: `${at}.homophones`, message: `must be true or false, got ${show(entry.homophones)}` })
    }
    if (entry.clauseGap !== undefined) checkNonNegativeInt(entry.clauseGap, `${at}.clauseGap`, problems, 40)
    if (entry.note !== undefined && typeof entry.note !== 'string') problems.push({ path: `${at}.note`, message: `must be a string, got ${show(entry.note)}` })
    if (entry.exclude !== undefined) checkExcludes(entry.exclude, `${at}.exclude`, problems)
    if (entry.act !== undefined && !(FORBIDDEN_ACTS as readonly unknown[]).includes(entry.act)) {
      problems.push({ path: `${at}.act`, message: `must be one of ${FORBIDDEN_ACTS.join(', ')}, got ${show(entry.act)}` })
    }
    if (entry.patterns !== undefined) {
      if (!Array.isArray(entry.patterns)) problems.push({ path: `${at}.patterns`, message: `must be a list of regular expressions, got ${show(entry.patterns)}` })
      else entry.patterns.forEach((source, k) => checkRegex(source, `${at}.patterns[${k}]`, problems))
    }
    if (entry.shortHomophones !== undefined && typeof entry.shortHomophones !== 'boolean' && entry.shortHomophones !== 'clause-end') {
      problems.push({ path: `${at}.shortHomophones`, message: `must be true, false or clause-end, got ${show(entry.shortHomophones)}` })
    }
    for (const key of ['clearedBy', 'requires'] as const) {
      const list = entry[key]
      if (list === undefined) continue
      if (!Array.isArray(list)) problems.push({ path: `${at}.${key}`, message: `must be a list of context features (${CONTEXT_FEATURES.join(', ')}), got ${show(list)}` })
      else
        list.forEach((f, k) => {
          if (!(CONTEXT_FEATURES as readonly unknown[]).includes(f)) problems.push({ path: `${at}.${key}[${k}]`, message: `must be one of ${CONTEXT_FEATURES.join(', ')}, got ${show(f)}` })
        })
    }
  })
  return problems
}
