/**
 * Rulebook loader: YAML text → validated, compiled `Rulebook`. Every mistake is collected (not only the
 * first) and located by line and column in the source, with the field path and what is expected.
 *
 * A rulebook may start with `extends: handbook-default`: it then inherits every rule of the default
 * rulebook; scalars it gives override, lists it gives (phrases, greetings, farewells, words…) are added
 * to the default lists, and `enabled: false` switches a rule off.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml'
import { RULE_IDS } from '@callqa/protocol'
import { RulebookError, type RulebookProblem } from '../errors.js'
import { checkPhraseSpecs } from '../phrase-bridge.js'
import { RULE_MODULES } from '../rules/index.js'
import { shareMatchers } from '../rules/lexicon.js'
import { opt, req, nonNegative, positive, type Field, type Spec } from './schema.js'
import type { Rulebook, RuleSet } from './types.js'

/** packages/engine/rulebooks/default.yaml: the handbook's chapter 8 and 10 norms. */
export const DEFAULT_RULEBOOK_PATH: string = fileURLToPath(new URL('../../rulebooks/default.yaml', import.meta.url))
const DEFAULT_ID = 'handbook-default'

type Path = (string | number)[]
interface Problem {
  path: Path
  message: string
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean
}

const RULE_SPECS: Record<string, Spec> = Object.fromEntries(RULE_MODULES.map((m) => [m.id, { kind: 'object', fields: m.fields } satisfies Spec]))

const TOP: Record<string, Field> = {
  extends: opt({ kind: 'enum', values: [DEFAULT_ID] }),
  id: req({ kind: 'string', nonEmpty: true }),
  version: req({ kind: 'version' }),
  name: opt({ kind: 'string' }),
  description: opt({ kind: 'string' }),
  score: req({ kind: 'object', fields: { base: req(positive), maxBonus: req(nonNegative) } }),
  rules: req({ kind: 'map' }),
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null (an empty value)'
  const json = JSON.stringify(value)
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}

function pathText(path: Path): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part
  return out
}

/** `rules.x.phrases[3].phrase` → ['rules','x','phrases',3,'phrase'] */
function parsePath(text: string): Path {
  const out: Path = []
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!)
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function check(value: unknown, spec: Spec, path: Path, problems: Problem[], partial: boolean): void {
  const at = pathText(path)
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') problems.push({ path, message: `must be a string, got ${show(value)}` })
      else if (spec.nonEmpty && !value.trim()) problems.push({ path, message: 'must not be empty' })
      return
    case 'version':
      if (typeof value !== 'string' && typeof value !== 'number')
        problems.push({ path, message: `must be a version string such as "1", got ${show(value)}` })
      return
    case 'boolean':
      if (typeof value !== 'boolean') problems.push({ path, message: `must be true or false, got ${show(value)}` })
      return
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value))
        problems.push({ path, message: `must be one of ${spec.values.join(', ')}, got ${show(value)}` })
      return
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push({ path, message: `must be a number, got ${show(value)}` })
        return
      }
      const range =
        spec.max !== undefined
          ? `between ${spec.min ?? '-∞'} and ${spec.max}`
          : spec.exclusiveMin
            ? `greater than ${spec.min}`
            : `at least ${spec.min}`
      if (spec.integer && !Number.isInteger(value)) problems.push({ path, message: `must be a whole number, got ${value}` })
      else if (spec.min !== undefined && (value < spec.min || (spec.exclusiveMin && value === spec.min)))
        problems.push({ path, message: `must be ${range}, got ${value}` })
      else if (spec.max !== undefined && value > spec.max) problems.push({ path, message: `must be ${range}, got ${value}` })
      return
    }
    case 'words':
      if (!Array.isArray(value)) {
        problems.push({ path, message: `must be a list of words, e.g. [您好, 你好], got ${show(value)}` })
        return
      }
      value.forEach((w, i) => {
        if (typeof w !== 'string' || !w.trim())
          problems.push({ path: [...path, i], message: `must be a non-empty word, got ${show(w)}` })
      })
      return
    case 'phrases':
      for (const p of checkPhraseSpecs(value, at)) problems.push({ path: parsePath(p.path), message: p.message })
      return
    case 'map':
      if (!isRecord(value)) problems.push({ path, message: `must be a mapping (key: value), got ${show(value)}` })
      return
    case 'object': {
      if (!isRecord(value)) {
        problems.push({ path, message: `must be a mapping (key: value), got ${show(value)}` })
        return
      }
      const known = Object.keys(spec.fields)
      for (const [key, child] of Object.entries(value)) {
        const field = spec.fields[key]
        if (!field) {
          problems.push({ path: [...path, key], atKey: true, message: `unknown key "${key}"; expected one of ${known.join(', ')}` })
          continue
        }
        check(child, field.spec, [...path, key], problems, partial)
      }
      const disabled = value.enabled === false
      if (!partial && !disabled)
        for (const [key, field] of Object.entries(spec.fields))
          if (field.required && !(key in value)) problems.push({ path, message: `missing required key "${key}"` })
      return
    }
  }
}

function validate(raw: unknown, partial: boolean): Problem[] {
  const problems: Problem[] = []
  if (!isRecord(raw)) {
    problems.push({ path: [], message: `a rulebook must be a mapping with id, version, score and rules, got ${show(raw)}` })
    return problems
  }
  check(raw, { kind: 'object', fields: TOP }, [], problems, partial)
  // A rulebook that extends the default inherits score and rules, but names itself.
  if (partial) for (const key of ['id', 'version']) if (!(key in raw)) problems.push({ path: [], message: `missing required key "${key}"` })
  const rules = raw.rules
  if (isRecord(rules)) {
    const known = [...RULE_IDS, 'politeness']
    for (const [ruleId, rule] of Object.entries(rules)) {
      const spec = RULE_SPECS[ruleId]
      if (!spec) {
        problems.push({ path: ['rules', ruleId], atKey: true, message: `unknown rule "${ruleId}"; known rules: ${known.join(', ')}` })
        continue
      }
      check(rule, spec, ['rules', ruleId], problems, partial)
    }
  }
  return problems
}

function locate(doc: Document, lineCounter: LineCounter, problem: Problem): { line: number; column: number } {
  let node: unknown = doc.contents
  let best: [number, number, number] | undefined = (doc.contents as YamlNode | null)?.range ?? undefined
  for (let i = 0; i < problem.path.length; i++) {
    const part = problem.path[i]!
    const last = i === problem.path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part)
      if (!pair) break
      const key = pair.key as YamlNode | null
      if (last && problem.atKey && key?.range) {
        best = key.range
        break
      }
      node = pair.value
      const range = (pair.value as YamlNode | null)?.range ?? key?.range
      if (range) best = range
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as YamlNode | undefined
      if (!item) break
      node = item
      if (item.range) best = item.range
    } else break
  }
  if (!best) return { line: 0, column: 0 }
  const pos = lineCounter.linePos(best[0])
  return { line: pos.line, column: pos.col }
}

function phraseOf(entry: unknown): string | undefined {
  return typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.phrase === 'string' ? entry.phrase : undefined
}

/**
 * Adds lists, overrides scalars: how a rulebook that `extends` the default combines with it. A phrase entry
 * naming a phrase the default lists is merged into that entry (its variants and exclusions are added), so a
 * rulebook can add an exclusion to a default phrase.
 */
function mergeOver(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) {
    const out = [...base]
    for (const item of over) {
      const phrase = isRecord(item) ? phraseOf(item) : undefined
      const at = phrase === undefined ? -1 : out.findIndex((b) => phraseOf(b) === phrase)
      if (at >= 0) out[at] = mergeOver(typeof out[at] === 'string' ? { phrase: out[at] } : out[at], item)
      else if (!out.some((b) => JSON.stringify(b) === JSON.stringify(item))) out.push(item)
    }
    return out
  }
  if (isRecord(base) && isRecord(over)) {
    const out: Record<string, unknown> = { ...base }
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeOver(base[k], v) : v
    return out
  }
  return over
}

let defaultRaw: Record<string, unknown> | undefined
function defaultRulebookRaw(): Record<string, unknown> {
  defaultRaw ??= parseDocument(readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8')).toJS() as Record<string, unknown>
  return defaultRaw
}

function compile(raw: Record<string, unknown>, sourceName: string): Rulebook {
  const rules = (raw.rules ?? {}) as Record<string, Record<string, unknown>>
  const out: Record<string, unknown> = {}
  for (const m of RULE_MODULES) {
    const r = rules[m.id]
    if (r === undefined || r.enabled === false) continue
    out[m.id] = m.compile(r)
  }
  shareMatchers(Object.values(out))
  const score = raw.score as { base: number; maxBonus: number }
  return {
    id: String(raw.id),
    version: String(raw.version),
    name: typeof raw.name === 'string' ? raw.name : String(raw.id),
    sourceName,
    score: { base: score.base, maxBonus: score.maxBonus },
    rules: out as RuleSet,
  }
}

/**
 * Parses and validates a rulebook.
 * @throws RulebookError (code CQ_ERR_RULEBOOK) listing every problem as `sourceName:line:column: field: message`.
 */
export function parseRulebook(yamlText: string, sourceName = 'rulebook.yaml'): Rulebook {
  const lineCounter = new LineCounter()
  const doc = parseDocument(yamlText, { lineCounter, keepSourceTokens: true })
  if (doc.errors.length > 0) {
    throw new RulebookError(
      sourceName,
      doc.errors.map((e) => ({
        line: e.linePos?.[0].line ?? 0,
        column: e.linePos?.[0].col ?? 0,
        field: '',
        message: `YAML syntax: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    )
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown
  const extending = isRecord(raw) && raw.extends === DEFAULT_ID
  const problems = validate(raw, extending)
  if (problems.length > 0) {
    const located: RulebookProblem[] = problems.map((p) => ({ ...locate(doc, lineCounter, p), field: pathText(p.path), message: p.message }))
    located.sort((a, b) => a.line - b.line || a.column - b.column)
    throw new RulebookError(sourceName, located)
  }
  let merged = raw as Record<string, unknown>
  if (extending) {
    const base = defaultRulebookRaw()
    merged = mergeOver(base, raw) as Record<string, unknown>
    merged.id = (raw as Record<string, unknown>).id
    merged.version = (raw as Record<string, unknown>).version
    const mergedProblems = validate(merged, false)
    if (mergedProblems.length > 0) {
      throw new RulebookError(
        sourceName,
        mergedProblems.map((p) => ({ line: 0, column: 0, field: pathText(p.path), message: `${p.message} (after extending ${DEFAULT_ID})` })),
      )
    }
  }
  return compile(merged, sourceName)
}

let defaultRulebook: Rulebook | undefined
/** The handbook rulebook shipped in packages/engine/rulebooks/default.yaml (parsed once, then shared). */
export function loadDefaultRulebook(): Rulebook {
  defaultRulebook ??= parseRulebook(readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8'), 'default.yaml')
  return defaultRulebook
}

/** Reads and parses a rulebook file. @throws RulebookError */
export function loadRulebookFile(path: string): Rulebook {
  return parseRulebook(readFileSync(path, 'utf8'), path)
}
