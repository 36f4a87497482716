/**
 * The labelled utterances (fixtures/labelled-utterances.ts) through the whole per-utterance decision:
 * phrase layer, utterance features, each lexicon rule's grouping. Each line says which words of the
 * utterance are hit (every span of the findings, in text order) and under which canonical phrases.
 */
import { describe, expect, it } from 'vitest'
import { LABELLED_UTTERANCES } from '../fixtures/labelled-utterances.js'
import { detectUtterance } from './detect.js'
import { loadDefaultRulebook } from './rulebook/parse.js'

const rulebook = loadDefaultRulebook()

function expectedSaid(text: string, hits: [string, string][]): { start: number; end: number }[] {
  let from = 0
  return hits.map(([, said]) => {
    const start = text.indexOf(said, from)
    if (start < 0) throw new Error(`fixture error: ${JSON.stringify(said)} not in ${JSON.stringify(text)} after ${from}`)
    from = start + said.length
    return { start, end: start + said.length }
  })
}

describe('labelled utterances (default rulebook, whole per-utterance decision)', () => {
  it('has at least 150 labelled utterances covering every category', () => {
    expect(LABELLED_UTTERANCES.length).toBeGreaterThanOrEqual(150)
    const categories = new Set(LABELLED_UTTERANCES.map((u) => u.category))
    for (const c of ['punctuation-width-traditional', 'filler-inserted', 'homophone', 'two-clause-filler', 'overlap-longest', 'innocent-polite-question', 'innocent-condition', 'innocent-alternative-question', 'innocent-customer-subject'])
      expect(categories).toContain(c)
  })

  it.each(LABELLED_UTTERANCES.map((u) => [u.category, u.text, u] as const))('%s: %s', (_category, text, u) => {
    const rule = u.rule ?? 'forbidden_phrase'
    const findings = detectUtterance(rulebook, { speaker: rule === 'complaint_risk' ? 'customer' : 'agent', text }).filter((f) => f.rule === rule)
    const spans = findings.flatMap((f) => f.spans ?? []).sort((a, b) => a.start - b.start)
    expect(spans).toEqual(expectedSaid(text, u.hits))
    const phrases = new Set(u.hits.map((h) => h[0]))
    for (const f of findings) expect(phrases).toContain(f.phrase)
  })

  it('gives one finding per act, however often the act is said (不行 twice is one refusal)', () => {
    const findings = detectUtterance(rulebook, { speaker: 'agent', text: '不行,这个真不行。' })
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ rule: 'forbidden_phrase', act: 'refusal', spans: [{ start: 0, end: 2 }, { start: 6, end: 8 }], againstAgent: true })
  })

  it('one complaint_risk finding per customer utterance listing every trigger word', () => {
    const findings = detectUtterance(rulebook, { speaker: 'customer', text: '我要投诉,再不处理我就打12315,还要找你们领导。' })
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ rule: 'complaint_risk', againstAgent: false })
    expect(findings[0]!.spans!.length).toBeGreaterThanOrEqual(3)
  })

  it('clears innocent uses by feature, not by phrase: things, echoes, conditions, others not knowing', () => {
    for (const text of ['路由器本身不行了,我给您换一台。', '您是说家里的网络老是不行,对吧?', '要是重启了还不行,您再打给我。', '营业厅的同事可能也不知道这个活动。', '我不知道您明天上午方不方便?', '那样您就亏了,不行,我帮您换个划算的。'])
      expect(detectUtterance(rulebook, { speaker: 'agent', text }).filter((f) => f.rule === 'forbidden_phrase')).toEqual([])
  })

  it('raises the acts in other words, by frame rather than by string', () => {
    const act = (text: string) => detectUtterance(rulebook, { speaker: 'agent', text }).filter((f) => f.rule === 'forbidden_phrase').map((f) => f.act)
    const cases: [string, string][] = [
      ['不办不办,这个真的办不了。', 'refusal'], // doubled
      ['这个坚决不可以。', 'refusal'], // emphatic
      ['我跟您解释了四遍了。', 'repetition_reproach'], // a count of repetitions
      ['这都第三次问我了,您记一下吧。', 'repetition_reproach'],
      ['您别磨磨唧唧的。', 'rushing'],
      ['我这边还有好多客户排着呢。', 'rushing'],
      ['您这都不明白吗?', 'comprehension_taunt'],
      ['我都讲得这么清楚了。', 'comprehension_taunt'],
      ['想投诉就投诉呗,随便。', 'defiance'],
      ['本人暂时也不太了解。', 'professed_ignorance'], // self-reference with adverbs between
      ['这种事我哪儿晓得。', 'professed_ignorance'],
      ['规矩就放在那儿,谁来都一样。', 'refusal'], // the rule is the rule
      ['嫌贵您就换电信的呗。', 'brush_off'],
    ]
    for (const [text, want] of cases) expect(act(text), text).toContain(want)
  })

  it('clears by the new features: consequences of a bare 不行, echoes with a time word, third parties, frames of suitability, follow-up, the agent not understanding', () => {
    for (const text of [
      '您先试试,不行我再帮您报修。', // consequence after a bare 不行
      '不行也不要紧,明天师傅会上门。',
      '您昨天说晚上网速不行,现在好些了吗?', // echo with a time word
      '厂家那边也不知道具体的到货时间。', // a third party by its locative
      '对您来说这个套餐确实不行,流量太少了。', // a judgment of suitability
      '这个我也不太清楚,我帮您登记一下,明天给您回复。', // follow-up offered
      '我还不太明白,您说的是哪张卡呢?', // the agent not understanding
      '等合约到期以后就不行了,得重新办。', // a temporal condition
      '我再给您重复两遍号码。', // an offer to repeat
      '您说得很清楚,我记下了。',
    ])
      expect(detectUtterance(rulebook, { speaker: 'agent', text }).filter((f) => f.rule === 'forbidden_phrase'), text).toEqual([])
  })

  it('raises the chapter 8 norms: pointing out a mistake, scolding, sarcasm', () => {
    const rules = (text: string) => detectUtterance(rulebook, { speaker: 'agent', text }).map((f) => f.rule)
    expect(rules('您肯定是记错了,那个活动去年就结束了。')).toContain('pointing_out_mistake')
    expect(rules('你怎么连这个都不会?')).toContain('scolding')
    expect(rules('哟,您可真行。')).toContain('sarcasm')
    expect(rules('是不是我这边记错了?')).toEqual([])
  })

  it('never judges customer speech by the agent rules', () => {
    expect(detectUtterance(rulebook, { speaker: 'customer', text: '不行,我不知道,你搞错了。' })).toEqual([])
  })
})
