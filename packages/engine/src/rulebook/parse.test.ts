import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FORBIDDEN_ACTS, RULE_IDS } from '@callqa/protocol'
import { DEFAULT_RULEBOOK_PATH, loadDefaultRulebook, parseRulebook, RulebookError } from '../index.js'

function problemsOf(yaml: string): RulebookError {
  try {
    parseRulebook(yaml, 'mine.yaml')
  } catch (err) {
    expect(err).toBeInstanceOf(RulebookError)
    return err as RulebookError
  }
  throw new Error('expected parseRulebook to throw')
}

const HEAD = 'id: mine\nversion: "3"\nscore: {base: 100, maxBonus: 5}\n'

describe('parseRulebook', () => {
  it('loads the default rulebook with every rule of the handbook and the 16 forbidden phrases', () => {
    const rb = loadDefaultRulebook()
    expect(rb).toMatchObject({ id: 'handbook-default', version: '1', sourceName: 'default.yaml' })
    for (const id of RULE_IDS) expect(rb.rules[id]).toBeDefined()
    // The 16 handbook phrases as 25 entries: 我就这态度 / 不满意到别处问 split by act, the doubled refusal, the rival operator,
    // the dare that answers a threat, and the paraphrase frames (soft ignorance 我不清楚, taunts 听明白没有 / 我说得够清楚了,
    // repetition counts, rushing); every act of the handbook has entries.
    expect(rb.rules.forbidden_phrase!.phrases).toHaveLength(39)
    expect(new Set(rb.rules.forbidden_phrase!.entries.map((e) => e.act))).toEqual(new Set(FORBIDDEN_ACTS))
    expect(rb.rules.speaking_rate).toMatchObject({ targetCpm: 120, tolerance: 0.2, minAgentSpeechMs: 20_000, rollingWindowMs: 30_000 })
    expect(rb.rules.interruption).toMatchObject({ minRemainingMs: 500, backchannel: { maxChars: 3 } })
    expect(rb.rules.slow_response!.maxGapMs).toBe(5000)
    expect(readFileSync(DEFAULT_RULEBOOK_PATH, 'utf8')).toContain('id: handbook-default')
  })

  it('fills defaults for optional parameters and leaves out rules it does not list', () => {
    const rb = parseRulebook(HEAD + 'rules:\n  speaking_rate: {severity: warning, weight: 3, targetCpm: 150, tolerance: 0.1}\n')
    expect(rb.rules.speaking_rate).toEqual({ severity: 'warning', weight: 3, targetCpm: 150, tolerance: 0.1, minAgentSpeechMs: 20_000, rollingWindowMs: 30_000 })
    expect(Object.keys(rb.rules)).toEqual(['speaking_rate'])
    expect(rb.version).toBe('3')
  })

  it('collects every problem with file:line:column, the field and what is expected', () => {
    const error = problemsOf(
      [
        'id: mine',
        'version: "3"',
        'score: {base: 100, maxBonus: 5}',
        'rules:',
        '  forbiden_phrase: {severity: critical, weight: 10, phrases: [不行]}',
        '  speaking_rate:',
        '    severity: urgent',
        '    weight: -3',
        '    targetCpm: fast',
        '    tolerance: 0.2',
        '    colour: red',
        '  missing_greeting: {severity: major, weight: 5, greetings: [您好, 7]}',
        '  interruption: {severity: major, weight: 3, minRemainingMs: 0.5}',
      ].join('\n'),
    )
    expect(error.code).toBe('CQ_ERR_RULEBOOK')
    expect(error.problems.map((p) => [p.line, p.column, p.field])).toEqual([
      [5, 3, 'rules.forbiden_phrase'],
      [7, 15, 'rules.speaking_rate.severity'],
      [8, 13, 'rules.speaking_rate.weight'],
      [9, 16, 'rules.speaking_rate.targetCpm'],
      [11, 5, 'rules.speaking_rate.colour'],
      [12, 66, 'rules.missing_greeting.greetings[1]'],
      [13, 62, 'rules.interruption.minRemainingMs'],
    ])
    expect(error.message).toContain('mine.yaml:5:3: rules.forbiden_phrase: unknown rule "forbiden_phrase"; known rules: forbidden_phrase,')
    expect(error.message).toContain('mine.yaml:7:15: rules.speaking_rate.severity: must be one of critical, major, warning, info, got "urgent"')
    expect(error.message).toContain('mine.yaml:8:13: rules.speaking_rate.weight: must be at least 0, got -3')
    expect(error.message).toContain('rules.speaking_rate.targetCpm: must be a number, got "fast"')
    expect(error.message).toContain('unknown key "colour"; expected one of enabled, severity, weight, maxPoints, targetCpm')
    expect(error.message).toContain('must be a non-empty word, got 7')
    expect(error.message).toContain('must be a whole number, got 0.5')
    expect([error.line, error.column, error.field]).toEqual([5, 3, 'rules.forbiden_phrase'])
  })

  it('names missing keys and a missing top-level section', () => {
    const error = problemsOf('id: mine\nrules:\n  slow_response: {severity: warning}\n')
    expect(error.problems.map((p) => p.message)).toEqual([
      'missing required key "version"',
      'missing required key "score"',
      'missing required key "weight"',
      'missing required key "maxGapMs"',
      'missing required key "questionMarkers"',
    ])
    expect(error.problems[2]).toMatchObject({ line: 3, field: 'rules.slow_response' })
  })

  it('reports YAML syntax errors with their line', () => {
    const error = problemsOf('id: mine\nversion: "1"\nrules:\n  speaking_rate: {severity: warning\n')
    expect(error.line).toBeGreaterThanOrEqual(4)
    expect(error.message).toMatch(/^invalid rulebook mine\.yaml:\d+:\d+: YAML syntax/)
    expect(problemsOf('id: a\nid: b\n').message).toMatch(/mine\.yaml:2:1: YAML syntax: Map keys must be unique/)
  })

  it('passes phrase list problems from the phrase layer, located in the file (bad regex, bad entry)', () => {
    const error = problemsOf(
      HEAD +
        'rules:\n  forbidden_phrase:\n    severity: critical\n    weight: 10\n    phrases:\n      - 不行\n      - phrase: 不知道\n        exclude: [{regex: "(不知道"}]\n      - {phrase: 找领导去, colour: red}\n',
    )
    expect(error.problems.map((p) => p.field)).toEqual([
      'rules.forbidden_phrase.phrases[1].exclude[0].regex',
      expect.stringMatching(/^rules\.forbidden_phrase\.phrases\[2\]/),
    ])
    expect(error.problems[0]!.line).toBe(11)
    expect(error.problems[1]!.line).toBe(12)
  })

  it('rejects a rulebook that is not a mapping', () => {
    expect(problemsOf('- just\n- a list\n').message).toMatch(/a rulebook must be a mapping with id, version, score and rules/)
  })

  it('extends the default: lists are added to, scalars overridden, rules switched off', () => {
    const rb = parseRulebook(
      [
        'extends: handbook-default',
        'id: team-t2',
        'version: "2026.11"',
        'rules:',
        '  missing_closing: {farewells: [下次再联系]}',
        '  speaking_rate: {targetCpm: 150}',
        '  forbidden_phrase: {phrases: [你自己看着办]}',
        '  slow_response: {enabled: false}',
      ].join('\n'),
      'team-t2.yaml',
    )
    const base = loadDefaultRulebook()
    expect(rb.id).toBe('team-t2')
    expect(rb.rules.missing_closing!.farewells).toEqual([...base.rules.missing_closing!.farewells, '下次再联系'])
    expect(rb.rules.speaking_rate!.targetCpm).toBe(150)
    expect(rb.rules.speaking_rate!.tolerance).toBe(0.2)
    expect(rb.rules.forbidden_phrase!.phrases).toHaveLength(40)
    expect(rb.rules.forbidden_phrase!.matcher.match('那你自己看着办').map((h) => h.phrase)).toEqual(['你自己看着办'])
    expect(rb.rules.slow_response).toBeUndefined()
    expect(rb.score).toEqual(base.score)
  })

  it('adds an exclusion to a default phrase by naming the phrase', () => {
    const said = '这个我不知道,天气的事您得问气象台。'
    expect(loadDefaultRulebook().rules.forbidden_phrase!.matcher.match(said).map((h) => h.phrase)).toEqual(['不知道'])
    const rb = parseRulebook(
      'extends: handbook-default\nid: weather\nversion: "1"\nrules:\n  forbidden_phrase:\n    phrases:\n      - phrase: 不知道\n        exclude: [{keyword: {any: [天气]}}]\n',
    )
    expect(rb.rules.forbidden_phrase!.phrases).toHaveLength(39)
    expect(rb.rules.forbidden_phrase!.matcher.match(said)).toEqual([])
    expect(rb.rules.forbidden_phrase!.matcher.match('这个我不知道。').map((h) => h.phrase)).toEqual(['不知道'])
  })

  it('still requires id and version of a rulebook that extends the default', () => {
    expect(problemsOf('extends: handbook-default\nrules: {}\n').problems.map((p) => p.message)).toEqual([
      'missing required key "id"',
      'missing required key "version"',
    ])
  })
})
