import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { LABELLED_UTTERANCES, type PhraseRuleName } from '../../fixtures/labelled-utterances.js'
import { compilePhrases, PhraseSpecError, stampNearWrapForTest, type PhraseMatcher } from './matcher.js'

const rulebook = parse(readFileSync(fileURLToPath(new URL('../../rulebooks/default.yaml', import.meta.url)), 'utf8')) as {
  rules: Record<PhraseRuleName, { phrases: unknown[] }>
}
const matchers = new Map<PhraseRuleName, PhraseMatcher>()
function matcherFor(rule: PhraseRuleName): PhraseMatcher {
  let m = matchers.get(rule)
  if (m === undefined) {
    m = compilePhrases(rulebook.rules[rule].phrases)
    matchers.set(rule, m)
  }
  return m
}

/** Expected hits located left to right in the text. */
function expectedHits(text: string, hits: [string, string][]): { phrase: string; start: number; end: number }[] {
  let from = 0
  return hits.map(([phrase, said]) => {
    const start = text.indexOf(said, from)
    if (start < 0) throw new Error(`fixture error: ${JSON.stringify(said)} not in ${JSON.stringify(text)} after ${from}`)
    from = start + said.length
    return { phrase, start, end: start + said.length }
  })
}

describe('compilePhrases', () => {
  it('finds the same hits on either side of its per-utterance stamp wrapping around', () => {
    const m = compilePhrases(['不知道', { phrase: '不行', patterns: ['不行不行'] }])
    // The first texts get the first stamps; after the wrap the same stamps come round again, and what
    // was remembered under them (the pattern 不行不行 looked at, the characters seen) must not count.
    const texts = ['不行不行!', '好的。', '您好。']
    const expected = texts.map((t) => m.match(t))
    expect(expected[0]!.map((h) => [h.phrase, h.start, h.end])).toEqual([['不行', 0, 4]])
    stampNearWrapForTest(0)
    expect(texts.map((t) => m.match(t))).toEqual(expected)
  })

  it('reports one hit per occurrence, sorted by start, offsets into the original text', () => {
    const m = compilePhrases(['不行', '不知道'])
    const text = '嗯，不知道。不行！不行'
    const hits = m.match(text)
    expect(hits.map((h) => [h.phrase, text.slice(h.start, h.end)])).toEqual([['不知道', '不知道'], ['不行', '不行'], ['不行', '不行']])
    expect(hits.map((h) => h.index)).toEqual([1, 0, 0])
  })

  it('keeps only the longest of overlapping phrases, from any entries', () => {
    const m = compilePhrases(['不行', { phrase: '这是规定,就不行' }, '规定'])
    expect(m.match('这是规定就不行').map((h) => h.phrase)).toEqual(['这是规定,就不行'])
  })

  it('applies each exclusion operator: regex with unless, keyword any/all/none, proximity by side', () => {
    const m = compilePhrases([
      { phrase: '不行', exclude: [{ regex: '如果[^,]{0,6}不行', unless: '如果不行就算了' }] },
      { phrase: '保证', exclude: [{ keyword: { any: ['保证金', '押金'], none: ['我保证'] } }] },
      { phrase: '投诉', exclude: [{ proximity: { words: ['不'], within: 2, side: 'before' } }] },
    ])
    expect(m.match('如果还是不行的话')).toEqual([])
    expect(m.match('如果不行就算了').map((h) => h.phrase)).toEqual(['不行'])
    expect(m.match('需要交保证金')).toEqual([])
    expect(m.match('保证退押金')).toEqual([])
    expect(m.match('我保证会退押金').map((h) => h.phrase)).toEqual(['保证'])
    expect(m.match('我不会投诉')).toEqual([])
    expect(m.match('投诉不')).toHaveLength(1)
  })

  it('folds the Han characters of exclusion regexes like the text (traditional spec, simplified speech)', () => {
    const m = compilePhrases([{ phrase: '不行', exclude: [{ regex: '如果[^,]{0,4}不行', unless: '不行這' }] }])
    expect(m.match('如果還是不行')).toEqual([])
    expect(m.match('如果还是不行这是规定').map((h) => h.phrase)).toEqual(['不行'])
  })

  it('finds an exclusion match that starts inside an earlier, non-overlapping one', () => {
    const m = compilePhrases([{ phrase: '不行', exclude: [{ regex: '如果.|果那个不行' }] }])
    // the first match, 如果那, ends before the hit; 果那个不行 starts inside it and reaches the hit
    expect(m.match('如果那个不行')).toEqual([])
    expect(m.match('如那个不行').map((h) => h.phrase)).toEqual(['不行'])
  })

  it('honours clauseGap and homophones: false', () => {
    const gap2 = compilePhrases([{ phrase: '这是规定,就不行', clauseGap: 2 }])
    expect(gap2.match('这是规定所以就不行')).toHaveLength(1)
    expect(gap2.match('这是规定所以我们这边就不行')).toEqual([])
    expect(compilePhrases(['不知道']).match('我不知到')).toHaveLength(1)
    expect(compilePhrases([{ phrase: '不知道', homophones: false }]).match('我不知到')).toEqual([])
    expect(compilePhrases(['不行']).match('我步行过去')).toEqual([]) // 2 characters: never a homophone
  })

  it('allows the one homophone on the first character of a later clause too (ASR: 搞 for 告)', () => {
    const m = compilePhrases(['有意见,告去'])
    expect(m.match('有意见，搞去。')).toHaveLength(1)
    expect(m.match('有意见，搞去，搞去。')).toHaveLength(1)
    // still one character only: two same-sound characters are another phrase
    expect(m.match('有意剑，搞去。')).toEqual([])
    expect(compilePhrases([{ phrase: '有意见,告去', homophones: false }]).match('有意见，搞去。')).toEqual([])
  })

  it('one homophone per clause of 3 characters or more, two in a clause of 6 or more; a short clause shares the form\'s one', () => {
    const m = compilePhrases(['你问我,我问谁', '说了这么多遍还不明白', '有意见,告去', '不知道'])
    expect(m.match('你文我，我问睡')).toHaveLength(1)
    expect(m.match('数了这么多遍还不名白')).toHaveLength(1)
    expect(m.match('有以见，高去')).toEqual([])
    expect(m.match('部知到')).toEqual([])
  })

  it('a hesitation\'s pause inside a phrase (那个, 呃 before a comma) does not split it; a particle\'s comma does', () => {
    const m = compilePhrases(['找领导去', '去~联通'])
    expect(m.match('找那个，领导去。')).toHaveLength(1)
    expect(m.match('找呃，领导去吧')).toHaveLength(1)
    expect(m.match('找，领导去')).toEqual([])
    expect(m.match('去吧，联通修宽带比我们还慢')).toEqual([])
  })

  it('那个 inline, and commas either side of a hesitation, inside a word too; never right after a leading 不/没', () => {
    const m = compilePhrases(['我~解决不了', '不知道', '不行'])
    expect(m.match('我那个解决不了')).toHaveLength(1)
    expect(m.match('我解，呃，决不了')).toHaveLength(1)
    expect(m.match('不知，呃，道')).toHaveLength(1)
    expect(m.match('不，呃，行吧')).toEqual([])
    expect(m.match('不那个知道')).toEqual([])
    // In a word of two characters 那个 is the demonstrative: 你那个好了没有 asks whether the thing is ready, no 你好.
    expect(compilePhrases([{ phrase: '你好', shortHomophones: true }]).match('你那个好了没有？')).toEqual([])
  })

  it('allows words only at `~`, fillers anywhere', () => {
    const m = compilePhrases(['我~解决不了', '不行'])
    expect(m.match('我真的解决不了')).toHaveLength(1)
    expect(m.match('我解嗯决不了')).toHaveLength(1)
    expect(m.match('我解真的决不了')).toEqual([])
    expect(m.match('不就行了')).toEqual([])
  })

  it('throws a coded error naming the field for invalid specs', () => {
    expect(() => compilePhrases([{ phrase: '不行', exclude: [{ regex: '(' }] }])).toThrow(PhraseSpecError)
    try {
      compilePhrases([{ phrase: '不行', exclude: [{ regex: '(' }] }])
    } catch (error) {
      expect((error as PhraseSpecError).code).toBe('CQ_ERR_RULEBOOK')
      expect((error as PhraseSpecError).problems[0]!.path).toBe('phrases[0].exclude[0].regex')
    }
  })

  it('property: a handbook phrase said as its own sentence among neutral ones is found, and slices back to it', () => {
    const m = matcherFor('forbidden_phrase')
    const neutral = ['您好,这里是中国移动', '您的套餐是128元', '本月流量还剩3G', '宽带下周到期', '5G升级不换号', '话费余额30元', '请稍等']
    const handbook = ['不行', '不知道', '找领导去', '你懂不懂', '不知道就别说了', '这是规定,就不行', '着什么急,我正忙着', '有意见,告去',
      '刚才不是和你说过了吗,怎么还问', '你想好了没有,快点', '我就这态度', '不满意到别处问', '干什么,快点', '你问我,我问谁', '我解决不了',
      '不是告诉你了,怎么还不明白', '说了这么多遍还不明白']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...neutral), { maxLength: 3 }), fc.constantFrom(...handbook), fc.array(fc.constantFrom(...neutral), { maxLength: 3 }), fc.constantFrom('。', '！', '，', ' '), (before, phrase, after, mark) => {
        const head = before.map((x) => x + mark).join('')
        const text = `${head}${phrase}${mark}${after.join(mark)}`
        expect(m.match(text).map((h) => ({ phrase: h.phrase, said: text.slice(h.start, h.end) }))).toEqual([{ phrase, said: phrase }])
      }),
      { numRuns: 300 },
    )
  })

  it('never throws and returns in-bounds, ordered, non-overlapping offsets on arbitrary text', () => {
    const m = matcherFor('forbidden_phrase')
    const pieces = ['不', '行', '知道', '不知道', '嗯', '，', '我', '解决不了', '这是规定', '就', ' ', '\ud800', '𠀀', 'Ａ', '快点', '你问我']
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.array(fc.constantFrom(...pieces)).map((a) => a.join(''))), (text) => {
        const hits = m.match(text)
        let last = 0
        for (const h of hits) {
          expect(h.start).toBeGreaterThanOrEqual(last)
          expect(h.end).toBeGreaterThan(h.start)
          expect(h.end).toBeLessThanOrEqual(text.length)
          last = h.end
        }
      }),
      { numRuns: 400, interruptAfterTimeLimit: 10_000 },
    )
  })
})

describe('ASR noise: a syllable in Latin letters, the same mishearing twice, one loose edit in a long form', () => {
  const said = (m: PhraseMatcher, text: string): string[] => m.match(text).map((h) => text.slice(h.start, h.end))

  it('reads a syllable spelled in pinyin as that character, at the start of a form too, never inside a longer spelling', () => {
    const m = compilePhrases(['不知道', '我~解决不了', '找领导去'])
    expect(said(m, '这个我不zhi道。')).toEqual(['不zhi道'])
    expect(said(m, 'bu知道啊,你问别人吧')).toEqual(['bu知道'])
    expect(said(m, '明天上门?我解决bu了。')).toEqual(['我解决bu了'])
    expect(said(m, '找ling导去。')).toEqual(['找ling导去'])
    // zhidao is two syllables, not 知; abu is not bu
    expect(m.match('我不zhidao。')).toEqual([])
    expect(m.match('abu知道')).toEqual([])
  })

  it('reads a mark for a syllable the ASR could not make out (□, *) as one homophone in a form of 3+, never for a negation', () => {
    const m = compilePhrases(['不知道', '找领导去', '不行'])
    expect(said(m, '这个我不□道。')).toEqual(['不□道'])
    expect(said(m, '找领*去。')).toEqual(['找领*去'])
    expect(said(m, '找领导□去。')).toEqual(['找领导□去'])
    // 不 may be anything: □知道 is not 不知道; a 2-character form is too short to guess
    expect(m.match('我□知道了。')).toEqual([])
    expect(m.match('这个不□。')).toEqual([])
  })

  it('lets a clause hear one syllable the same wrong way each time it is said (布行布行), not two different ones', () => {
    const m = compilePhrases(['不行不行'])
    expect(said(m, '布行布行,合约没到期。')).toEqual(['布行布行'])
    expect(m.match('布行部行,合约没到期。')).toEqual([])
  })

  it('hears through a stutter of the one to three syllables just said, right before the next one', () => {
    const m = compilePhrases(['我~解决不了', '不知道', '不行不行'])
    expect(said(m, '这个我解决解决不了。')).toEqual(['我解决解决不了'])
    expect(said(m, '不知知道,我刚来的。')).toEqual(['不知知道'])
    // not a stutter: what repeats is not followed by the phrase's next syllable
    expect(m.match('不知不觉就用完了。')).toEqual([])
  })

  it('finds a long form with one syllable of a word dropped (找领去, 着什急, 不满意到别问)', () => {
    const m = compilePhrases(['找领导去', '着什么急,我正忙着', '不满意到别处问', '别拖拖拉拉的'])
    expect(said(m, '这事找领去。')).toEqual(['找领去'])
    expect(said(m, '着什急,我正忙着。')).toEqual(['着什急,我正忙着'])
    expect(said(m, '不满意到别问。')).toEqual(['不满意到别问'])
    expect(said(m, '别拖拉拉的,快说。')).toEqual(['别拖拉拉的'])
    // one edit only: two syllables dropped is something else
    expect(m.match('不满意到问。')).toEqual([])
  })

  it('never drops a word of its own, a negation, an insertable word, or the syllable a word opens with', () => {
    // 好 of 考虑好了没有: 考虑了没有 asks whether one thought of it at all
    expect(compilePhrases(['考虑好了没有']).match('你好好考虑了没有?')).toEqual([])
    // 部 of 内部 at the form's edge: 内申请 is 申请 within (订单详情内申请退款)
    expect(compilePhrases(['内部申请']).match('可以直接在订单详情内申请退款的哦')).toEqual([])
    // 可 opens 可真: 您真会挑 is a compliment
    expect(compilePhrases(['您可真会挑']).match('您真会挑,这个是我们最划算的套餐。')).toEqual([])
    // 都 may be inserted at a ~ elsewhere: 我说过了 without it is a plain statement
    expect(compilePhrases(['我都说过了']).match('我说过了会给您回电话的。')).toEqual([])
    expect(compilePhrases(['说了这么多遍还不明白']).match('说了这么多遍还明白。')).toEqual([])
    // 怕 of 不怕, right after the negation: 我不投诉 says the opposite of 我不怕投诉
    expect(compilePhrases(['我不怕投诉']).match('我不投诉就没人理我。')).toEqual([])
  })

  it('takes one extra syllable that joins its neighbour into a word or is a structural particle, not a word of its own, an aspect particle or a negation', () => {
    const m = compilePhrases(['投诉又能怎样', '你耳朵没问题吧', '给您优惠', '我说得够清楚了'])
    expect(said(m, '投诉又能怎么样。')).toEqual(['投诉又能怎么样'])
    expect(said(m, '你耳朵没有问题吧?')).toEqual(['你耳朵没有问题吧'])
    // an aspect particle is no noise: 换了运营商 tells what was done, 换运营商 tells the customer to
    expect(compilePhrases(['换运营商']).match('自从换了运营商,网页就不跳广告了。')).toEqual([])
    // 把 is a word of its own: 我给您把优惠保留到明年 promises nothing new
    expect(m.match('我给您把优惠保留到明年三月。')).toEqual([])
    // 不够清楚 owns the fault
    expect(m.match('不好意思,我说得不够清楚了。')).toEqual([])
  })

  it('takes one near-homophone (n/l, front/back nasal, flat/retroflex) in a form of 4 or more, never on a negation or in a short form', () => {
    const m = compilePhrases(['不满意到别处问', '听明白没有', '刚才不是和你说过了吗'])
    expect(said(m, '不满意到别醋问。')).toEqual(['不满意到别醋问'])
    expect(said(m, '听民白没有?')).toEqual(['听民白没有'])
    expect(said(m, '刚才不四和你说过了吗?')).toEqual(['刚才不四和你说过了吗'])
    // one loose edit: a near-homophone and a dropped syllable together are too far
    expect(m.match('不满意到醋问。')).toEqual([])
    // its last character too (了 is liao in 解决不了)
    expect(said(compilePhrases(['我~解决不了']), '我解决不鸟。')).toEqual(['我解决不鸟'])
    // 你 (ni) is no near-sound of 您 (nin): which the agent says is a word, listed where it matters
    expect(compilePhrases(['不能给您退']).match('不能给你退。')).toEqual([])
    // a negation is heard or the phrase is not there: 我解决得了 says the opposite
    expect(compilePhrases(['我~解决不了']).match('这个我解决得了。')).toEqual([])
    expect(compilePhrases(['给您办']).match('给你办。')).toEqual([])
    expect(compilePhrases([{ phrase: '听明白没有', homophones: false }]).match('听民白没有?')).toEqual([])
    expect(compilePhrases(['说得够清楚了']).match('说得不够清楚了')).toEqual([])
  })
})

describe('pattern forms (patterns:)', () => {
  const m = compilePhrases([
    { phrase: '说了三遍了', patterns: ['(说|讲)(了|过)[^,.!?;]{0,3}?([两三四五]|好几)(遍|次|回)'], exclude: [{ regex: '再[^,.!?;]{0,3}(说|讲)' }] },
    '我说了',
  ])

  it('reports a match as an occurrence of its entry, on the normalised text, offsets into the original', () => {
    const text = '這個我給您講了三回了。'
    expect(m.match(text).map((h) => [h.phrase, h.index, text.slice(h.start, h.end)])).toEqual([['说了三遍了', 0, '講了三回']])
  })

  it('applies the entry exclusions, and the longest hit wins over a literal form', () => {
    expect(m.match('我再给您讲了两遍。')).toEqual([])
    expect(m.match('我说了好几遍了').map((h) => h.phrase)).toEqual(['说了三遍了'])
    expect(m.match('我说了,您记一下').map((h) => h.phrase)).toEqual(['我说了'])
  })

  it('rejects a pattern that is not a regular expression, naming its path', () => {
    expect(() => compilePhrases([{ phrase: 'x', patterns: ['(说'] }])).toThrow(PhraseSpecError)
    try {
      compilePhrases([{ phrase: 'x', patterns: ['ok', '(说'] }])
    } catch (e) {
      expect((e as PhraseSpecError).problems.map((p) => p.path)).toEqual(['phrases[0].patterns[1]'])
    }
    expect(() => compilePhrases([{ phrase: 'x', patterns: 'not a list' }])).toThrow(/must be a list of regular expressions/)
  })
})
