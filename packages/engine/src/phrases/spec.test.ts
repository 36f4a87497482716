import { describe, expect, it } from 'vitest'
import { checkPhraseSpecs } from './spec.js'

const at = 'rules.forbidden_phrase.phrases'

describe('checkPhraseSpecs', () => {
  it('accepts strings, full entries and every exclusion operator', () => {
    expect(
      checkPhraseSpecs(
        [
          '找领导去',
          {
            phrase: '这是规定,就不行',
            variants: ['这是~规定,~不行', { form: '这是~规定', exclude: [{ regex: '规定的', note: 'explains' }] }],
            insert: ['公司'],
            homophones: false,
            clauseGap: 6,
            note: 'why',
            exclude: [
              { regex: '如果.{0,6}不行', unless: '如果不行就算了' },
              { keyword: { any: ['如果'], all: ['的话'], none: ['就算了'] }, within: 6 },
              { proximity: { words: ['没有'], within: 4, side: 'before' } },
            ],
          },
        ],
        at,
      ),
    ).toEqual([])
  })

  it('names the path of every problem, down to the field', () => {
    const problems = checkPhraseSpecs(
      [
        '',
        { phrase: '不行', exclude: [{ regex: '(' }, { regex: 'a', keyword: { any: ['x'] } }, { keyword: {} }, { proximity: { words: [], within: -1, side: 'up' } }] },
        { variants: ['x'] },
        { phrase: '不知道', variants: [3, { form: '~不知道' }], clauseGap: 1.5, homophones: 'yes', colour: 'red' },
        42,
      ],
      at,
    )
    expect(problems.map((p) => p.path)).toEqual([
      `${at}[0]`,
      `${at}[1].exclude[0].regex`,
      `${at}[1].exclude[1]`,
      `${at}[1].exclude[2].keyword`,
      `${at}[1].exclude[3].proximity.words`,
      `${at}[1].exclude[3].proximity.within`,
      `${at}[1].exclude[3].proximity.side`,
      `${at}[2].phrase`,
      `${at}[3].colour`,
      `${at}[3].variants[0]`,
      `${at}[3].variants[1].form`,
      `${at}[3].homophones`,
      `${at}[3].clauseGap`,
      `${at}[4]`,
    ])
    expect(problems.find((p) => p.path.endsWith('exclude[0].regex'))!.message).toMatch(/not a valid regular expression/)
    expect(problems.find((p) => p.path.endsWith('exclude[1]'))!.message).toMatch(/exactly one of regex, keyword, proximity; got regex and keyword/)
  })

  it('rejects something that is not a list', () => {
    expect(checkPhraseSpecs({ phrase: '不行' }, at)).toEqual([{ path: at, message: expect.stringMatching(/must be a list/) }])
  })
})
