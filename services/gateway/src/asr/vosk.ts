/**
 * Vosk server (alphacep/vosk-server `websocket/asr_server.py`; JSON from vosk-api `recognizer.cc`).
 * Partial: `{"partial":"…"}` (plus `partial_result` words when enabled). Final:
 * `{"result":[{"conf","end","start","word"}…],"text":"…"}`, or with alternatives
 * `{"alternatives":[{"text","confidence","result"?}]}`; an empty `text` is silence. Times are
 * seconds (float). Chinese models put spaces between words; they are removed.
 */
import { describeValue } from '@callqa/protocol'
import type { Word } from '@callqa/protocol'
import { asrError, isRecord, joinCjk, Sentences, type AsrAdapter, type AsrChannel } from './common.js'

function wordsOf(result: unknown): Word[] | undefined {
  if (!Array.isArray(result) || result.length === 0) return undefined
  const words: Word[] = []
  for (const w of result) {
    if (!isRecord(w) || typeof w.word !== 'string' || typeof w.start !== 'number' || typeof w.end !== 'number') return undefined
    words.push({ text: w.word, startMs: Math.round(w.start * 1000), endMs: Math.round(w.end * 1000) })
  }
  return words
}

export function createVoskAdapter(channel: AsrChannel): AsrAdapter {
  const sentences = new Sentences(channel, 'vosk')
  let lastPartial = ''
  return {
    push(message, nowMs) {
      if (!isRecord(message)) throw asrError('vosk', 'a result message must be a JSON object with partial, text or alternatives', channel)
      if ('partial' in message) {
        if (typeof message.partial !== 'string') throw asrError('vosk', `partial must be a string, got ${describeValue(message.partial)}`, channel)
        const text = joinCjk(message.partial)
        if (text === '' || text === lastPartial) return []
        lastPartial = text
        const words = wordsOf(message.partial_result)
        return [sentences.partial(text, nowMs, words?.[0]?.startMs, words?.[words.length - 1]?.endMs)]
      }
      let text: unknown = message.text
      let result: unknown = message.result
      if (Array.isArray(message.alternatives)) {
        const best = message.alternatives[0] as unknown
        if (!isRecord(best)) throw asrError('vosk', 'alternatives[0] must be an object with text', channel)
        text = best.text
        result = best.result
      }
      if (typeof text !== 'string') throw asrError('vosk', `a final result needs text (a string), got ${describeValue(text)}`, channel)
      lastPartial = ''
      const clean = joinCjk(text)
      if (clean === '') {
        sentences.firstPartialMs = null
        return []
      }
      const words = wordsOf(result)
      return [sentences.final(clean, nowMs, words?.[0]?.startMs, words?.[words.length - 1]?.endMs, words)]
    },
    end() {
      // Vosk sends the last sentence as a final result after {"eof":1}; nothing is pending here.
      return []
    },
  }
}
