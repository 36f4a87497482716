/**
 * sherpa-onnx online websocket server (k2-fsa/sherpa-onnx `online-websocket-server-impl.cc`,
 * `OnlineRecognizerResult::AsJsonString`): `{"text","tokens","timestamps","ys_probs","lm_probs",
 * "context_scores","segment","words","start_time","is_final","is_eof"}`. `segment` numbers the
 * sentence (it increments at each endpoint), `is_final` marks the endpoint, `start_time` is the
 * segment start and `timestamps[i]` the time of `tokens[i]` within the segment, both in seconds.
 * The python example server sends only `{"text","segment"}`: there a sentence is final once the
 * next segment starts or the stream ends. The text `Done!` ends the stream.
 */
import { describeValue } from '@callqa/protocol'
import type { Utterance } from '@callqa/protocol'
import { asrError, isRecord, Sentences, SENTENCES_PER_STREAM, type AsrAdapter, type AsrChannel } from './common.js'

export function createSherpaOnnxAdapter(channel: AsrChannel): AsrAdapter {
  const sentences = new Sentences(channel, 'sherpa-onnx')
  /** The segment in progress and its latest text and times. */
  let current: { segment: number; text: string; startMs?: number; endMs?: number } | null = null
  const finishCurrent = (nowMs: number): Utterance[] => {
    if (!current) return []
    const { segment, text, startMs, endMs } = current
    current = null
    if (text === '') return []
    sentences.index = sentences.first + segment
    return [sentences.final(text, nowMs, startMs, endMs)]
  }
  return {
    push(message, nowMs) {
      if (message === 'Done!') return finishCurrent(nowMs)
      if (!isRecord(message)) throw asrError('sherpa-onnx', 'a result message must be a JSON object with text and segment (or the text Done!)', channel)
      if (typeof message.text !== 'string') throw asrError('sherpa-onnx', `text must be a string, got ${describeValue(message.text)}`, channel)
      if (typeof message.segment !== 'number' || !Number.isInteger(message.segment) || message.segment < 0 || message.segment >= SENTENCES_PER_STREAM) {
        throw asrError('sherpa-onnx', `segment must be an integer from 0 to ${SENTENCES_PER_STREAM - 1}, got ${describeValue(message.segment)}`, channel)
      }
      const out: Utterance[] = []
      if (current && message.segment !== current.segment) out.push(...finishCurrent(nowMs))
      const text = message.text.trim()
      let startMs: number | undefined
      let endMs: number | undefined
      if (typeof message.start_time === 'number') {
        startMs = message.start_time * 1000
        const ts = message.timestamps
        endMs = Array.isArray(ts) && typeof ts[ts.length - 1] === 'number' ? (message.start_time + (ts[ts.length - 1] as number)) * 1000 : undefined
      }
      if (!current) {
        current = { segment: message.segment, text: '' }
        sentences.index = sentences.first + message.segment
        sentences.firstPartialMs = null
      }
      if (text === current.text && message.is_final !== true) return out
      current.text = text
      if (startMs !== undefined) current.startMs = startMs
      if (endMs !== undefined) current.endMs = endMs
      if (message.is_final === true) {
        out.push(...finishCurrent(nowMs))
      } else if (text !== '') {
        out.push(sentences.partial(text, nowMs, current.startMs, current.endMs))
      }
      return out
    },
    end: finishCurrent,
  }
}
