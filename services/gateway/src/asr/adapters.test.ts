import { describe, expect, it } from 'vitest'
import { decodeEvent, ErrorCodes, type Utterance } from '@callqa/protocol'
import { createFunAsrAdapter } from './funasr.js'
import { createSherpaOnnxAdapter } from './sherpa-onnx.js'
import { createVoskAdapter } from './vosk.js'
import { createWenetAdapter } from './wenet.js'
import { joinCjk, type AsrAdapter } from './common.js'

const agent = { callId: 'c-asr', speaker: 'agent' as const, offsetMs: 0 }
const customer = { callId: 'c-asr', speaker: 'customer' as const, offsetMs: 1000 }

/** Feeds messages (with the time each arrives) and checks every output is a valid protocol event. */
function run(adapter: AsrAdapter, messages: [unknown, number][]): Utterance[] {
  const out: Utterance[] = []
  for (const [m, at] of messages) out.push(...adapter.push(m, at))
  for (const u of out) expect(decodeEvent(u)).toEqual(u)
  return out
}

describe('FunASR adapter', () => {
  it('turns 2pass-online chunks into growing partials replaced by the 2pass-offline sentence (issue #2396 stream)', () => {
    const out = run(createFunAsrAdapter(agent), [
      [{ is_final: false, mode: '2pass-online', text: '请问', wav_name: 'h5' }, 600],
      [{ is_final: false, mode: '2pass-online', text: '有什么', wav_name: 'h5' }, 1200],
      [{ is_final: false, mode: '2pass-offline', text: '请问有什么事', wav_name: 'h5', timestamp: '[[380,620],[620,860],[860,1100],[1100,1340],[1340,1580],[1580,1820]]' }, 1900],
      [{ is_final: false, mode: '2pass-online', text: '呃', wav_name: 'h5' }, 2500],
      [{ is_final: true, mode: '2pass-offline', text: '呃，是不是那个的呢个', wav_name: 'h5' }, 3100],
    ])
    expect(out.map((u) => [u.seq, u.final, u.text])).toEqual([
      [0, false, '请问'],
      [0, false, '请问有什么'],
      [0, true, '请问有什么事'],
      [2, false, '呃'],
      [2, true, '呃，是不是那个的呢个'],
    ])
    expect(out[2]).toMatchObject({ startMs: 380, endMs: 1820 })
    // No timestamp model: times run from the first chunk to the corrected sentence.
    expect(out[4]).toMatchObject({ startMs: 2500, endMs: 3100, speaker: 'agent' })
  })

  it('uses stamp_sents times and gives the customer channel odd seqs shifted by the offset', () => {
    const out = run(createFunAsrAdapter(customer), [
      [{ mode: '2pass-offline', text: '我的流量怎么又超了', wav_name: 'c', is_final: false, stamp_sents: [{ text_seg: '我 的 流 量', punc: '', start: 430, end: 1130, ts_list: [[430, 670]] }, { text_seg: '怎 么 又 超 了', punc: '', start: 1130, end: 2210, ts_list: [] }] }, 2300],
    ])
    expect(out).toEqual([{ type: 'utterance', callId: 'c-asr', seq: 1, speaker: 'customer', text: '我的流量怎么又超了', startMs: 1430, endMs: 3210, final: true }])
  })

  it('finalises pure online mode at the end of the stream and refuses an unknown mode', () => {
    const adapter = createFunAsrAdapter(agent)
    expect(run(adapter, [[{ mode: 'online', text: '您好', wav_name: 'x', is_final: false }, 500]])).toHaveLength(1)
    expect(adapter.end(900)).toMatchObject([{ seq: 0, final: true, text: '您好' }])
    expect(() => adapter.push({ mode: '3pass', text: 'x' }, 0)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ASR_MESSAGE }))
    expect(() => adapter.push({ mode: 'online' }, 0)).toThrow(/text must be a string/)
  })
})

describe('Vosk adapter', () => {
  it('maps partial / result (seconds) to partials and a final with word times, without the spaces between Chinese words', () => {
    const out = run(createVoskAdapter(agent), [
      [{ partial: '' }, 100],
      [{ partial: '您好' }, 700],
      [{ partial: '您好 这里 是' }, 1100],
      [{ partial: '您好 这里 是' }, 1200],
      [
        {
          result: [
            { conf: 1.0, end: 0.72, start: 0.3, word: '您好' },
            { conf: 0.98, end: 1.02, start: 0.72, word: '这里' },
            { conf: 1.0, end: 1.2, start: 1.02, word: '是' },
            { conf: 0.87, end: 1.86, start: 1.2, word: '中国移动' },
          ],
          text: '您好 这里 是 中国移动',
        },
        1900,
      ],
      [{ text: '' }, 2500],
      [{ partial: 'ok 好的' }, 3000],
    ])
    expect(out.map((u) => [u.seq, u.final, u.text])).toEqual([
      [0, false, '您好'],
      [0, false, '您好这里是'],
      [0, true, '您好这里是中国移动'],
      [2, false, 'ok 好的'],
    ])
    expect(out[2]).toMatchObject({ startMs: 300, endMs: 1860 })
    expect(out[2]!.words).toEqual([
      { text: '您好', startMs: 300, endMs: 720 },
      { text: '这里', startMs: 720, endMs: 1020 },
      { text: '是', startMs: 1020, endMs: 1200 },
      { text: '中国移动', startMs: 1200, endMs: 1860 },
    ])
  })

  it('takes the best of alternatives', () => {
    const out = run(createVoskAdapter(agent), [[{ alternatives: [{ confidence: 218.1, text: '不 知道' }, { confidence: 210.2, text: '不 知 到' }] }, 900]])
    expect(out).toMatchObject([{ seq: 0, final: true, text: '不知道' }])
    expect(joinCjk('查询 5G 套餐 的 流量')).toBe('查询 5G 套餐的流量')
  })
})

describe('sherpa-onnx adapter', () => {
  it('reads the C++ server results: segment = sentence, is_final = endpoint, times in seconds from start_time', () => {
    const base = { tokens: [], ys_probs: [], lm_probs: [], context_scores: [], words: [], is_eof: false }
    const out = run(createSherpaOnnxAdapter(agent), [
      [{ ...base, text: '', timestamps: [], segment: 0, start_time: 0.0, is_final: false }, 200],
      [{ ...base, text: '您好', tokens: ['您', '好'], timestamps: [0.32, 0.48], segment: 0, start_time: 0.0, is_final: false }, 600],
      [{ ...base, text: '您好请问', tokens: ['您', '好', '请', '问'], timestamps: [0.32, 0.48, 0.8, 0.96], segment: 0, start_time: 0.0, is_final: false }, 1000],
      [{ ...base, text: '您好请问是王先生吗', tokens: [], timestamps: [0.32, 0.48, 0.8, 0.96, 1.6], segment: 0, start_time: 0.0, is_final: true }, 1800],
      [{ ...base, text: '您好请问是王先生吗', timestamps: [], segment: 1, start_time: 2.4, is_final: false }, 1900],
      [{ ...base, text: '好的', timestamps: [0.2, 0.36], segment: 1, start_time: 2.4, is_final: false }, 2900],
    ])
    expect(out.map((u) => [u.seq, u.final, u.text])).toEqual([
      [0, false, '您好'],
      [0, false, '您好请问'],
      [0, true, '您好请问是王先生吗'],
      [2, false, '您好请问是王先生吗'],
      [2, false, '好的'],
    ])
    expect(out[2]).toMatchObject({ startMs: 0, endMs: 1600 })
    expect(out[4]).toMatchObject({ startMs: 2400, endMs: 2760 })
  })

  it('finalises the python server ({text, segment} only) when the next segment starts or on Done!', () => {
    const adapter = createSherpaOnnxAdapter(customer)
    const out = run(adapter, [
      [{ text: '我想', segment: 0 }, 500],
      [{ text: '我想办宽带', segment: 0 }, 1200],
      [{ text: '', segment: 1 }, 1500],
      [{ text: '多少钱', segment: 1 }, 2000],
      ['Done!', 2600],
    ])
    expect(out.map((u) => [u.seq, u.final, u.text])).toEqual([
      [1, false, '我想'],
      [1, false, '我想办宽带'],
      [1, true, '我想办宽带'],
      [3, false, '多少钱'],
      [3, true, '多少钱'],
    ])
    expect(() => adapter.push({ text: 'x', segment: -1 }, 0)).toThrow(/segment must be an integer/)
  })
})

describe('WeNet adapter', () => {
  it('decodes the JSON-in-a-string nbest of partial_result and final_result (word pieces in ms)', () => {
    const out = run(createWenetAdapter(agent), [
      [{ status: 'ok', type: 'server_ready' }, 0],
      [{ status: 'ok', type: 'partial_result', nbest: JSON.stringify([{ sentence: '这个我也' }]) }, 800],
      [{ status: 'ok', type: 'partial_result', nbest: JSON.stringify([{ sentence: '这个我也不知道' }]) }, 1400],
      [
        {
          status: 'ok',
          type: 'final_result',
          nbest: JSON.stringify([
            {
              sentence: '这个我也不知道',
              word_pieces: [
                { word: '这', start: 120, end: 280 },
                { word: '个', start: 280, end: 440 },
                { word: '我', start: 440, end: 600 },
                { word: '也', start: 600, end: 760 },
                { word: '不', start: 760, end: 920 },
                { word: '知', start: 920, end: 1080 },
                { word: '道', start: 1080, end: 1320 },
              ],
            },
            { sentence: '这个我也不知到' },
          ]),
        },
        1500,
      ],
      [{ status: 'ok', type: 'speech_end' }, 1600],
    ])
    expect(out.map((u) => [u.seq, u.final, u.text])).toEqual([
      [0, false, '这个我也'],
      [0, false, '这个我也不知道'],
      [0, true, '这个我也不知道'],
    ])
    expect(out[2]).toMatchObject({ startMs: 120, endMs: 1320 })
    expect(out[2]!.words).toHaveLength(7)
  })

  it('reports a failed status and a broken nbest as coded errors', () => {
    const adapter = createWenetAdapter(agent)
    expect(() => adapter.push({ status: 'failed', message: 'decoder error' }, 0)).toThrow(/decoder error/)
    expect(() => adapter.push({ status: 'ok', type: 'final_result', nbest: '[{"sentence"' }, 0)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_ASR_MESSAGE }))
  })
})
