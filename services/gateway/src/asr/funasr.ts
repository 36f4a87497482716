/**
 * FunASR runtime websocket server (modelscope/FunASR `runtime/docs/websocket_protocol.md`).
 * Messages: `{"mode":"2pass-online"|"2pass-offline"|"online"|"offline","text","wav_name","is_final",
 * "timestamp"?: "[[startMs,endMs],…]" (a string), "stamp_sents"?: [{text_seg,punc,start,end,ts_list}]}`.
 * `2pass-online` results are incremental chunks of the sentence in progress; the `2pass-offline`
 * message is the corrected sentence that replaces them. `is_final` is not a sentence end (the
 * python server even puts `is_speaking` there), so the adapter keys on `mode`. Pure `online` mode
 * has no corrected sentence: its chunks become final when the stream ends (`is_final: true`).
 */
import { describeValue } from '@callqa/protocol'
import type { Utterance } from '@callqa/protocol'
import { asrError, isRecord, joinCjk, Sentences, type AsrAdapter, type AsrChannel } from './common.js'

function sentenceTimes(message: Record<string, unknown>): { startMs: number; endMs: number } | undefined {
  if (typeof message.timestamp === 'string' && message.timestamp.trim() !== '') {
    try {
      const pairs = JSON.parse(message.timestamp) as unknown
      if (Array.isArray(pairs) && pairs.length > 0) {
        const first = pairs[0] as unknown
        const last = pairs[pairs.length - 1] as unknown
        if (Array.isArray(first) && Array.isArray(last) && typeof first[0] === 'number' && typeof last[1] === 'number') {
          return { startMs: first[0], endMs: last[1] }
        }
      }
    } catch {
      // A malformed timestamp string only costs the times; the text still counts.
    }
  }
  if (Array.isArray(message.stamp_sents) && message.stamp_sents.length > 0) {
    const first = message.stamp_sents[0] as unknown
    const last = message.stamp_sents[message.stamp_sents.length - 1] as unknown
    if (isRecord(first) && isRecord(last) && typeof first.start === 'number' && typeof last.end === 'number') {
      return { startMs: first.start, endMs: last.end }
    }
  }
  return undefined
}

export function createFunAsrAdapter(channel: AsrChannel): AsrAdapter {
  const sentences = new Sentences(channel, 'funasr')
  let chunks = ''
  const flush = (nowMs: number): Utterance[] => {
    if (chunks === '') return []
    const text = chunks
    chunks = ''
    return [sentences.final(text, nowMs)]
  }
  return {
    push(message, nowMs) {
      if (!isRecord(message)) throw asrError('funasr', 'a result message must be a JSON object with mode and text', channel)
      const { mode, text } = message
      if (typeof text !== 'string') throw asrError('funasr', `text must be a string, got ${describeValue(text)}`, channel)
      const clean = joinCjk(text)
      switch (mode) {
        case '2pass-online':
        case 'online': {
          const out: Utterance[] = []
          if (clean !== '') {
            chunks += clean
            out.push(sentences.partial(chunks, nowMs))
          }
          if (mode === 'online' && message.is_final === true) out.push(...flush(nowMs))
          return out
        }
        case '2pass-offline':
        case 'offline': {
          chunks = ''
          if (clean === '') {
            sentences.firstPartialMs = null
            return []
          }
          const times = sentenceTimes(message)
          return [sentences.final(clean, nowMs, times?.startMs, times?.endMs)]
        }
        default:
          throw asrError('funasr', `mode must be one of 2pass-online, 2pass-offline, online, offline, got ${describeValue(mode)}`, channel)
      }
    },
    end: flush,
  }
}
