/**
 * WeNet runtime websocket server (wenet-e2e/wenet `runtime/core/websocket/websocket_server.cc`).
 * `{"status":"ok","type":"server_ready"}`, `{"status":"ok","type":"partial_result","nbest":"<json>"}`,
 * `{"status":"ok","type":"final_result","nbest":"<json>"}`, `{"status":"ok","type":"speech_end"}`,
 * errors `{"status":"failed","message":…}`. `nbest` is a JSON string (double encoded):
 * `[{"sentence":"…","word_pieces":[{"word","start","end"}]}]`, word pieces (ms) on finals only.
 */
import { describeValue, jsonDepthOver, MAX_JSON_DEPTH } from '@callqa/protocol'
import type { Word } from '@callqa/protocol'
import { asrError, isRecord, joinCjk, Sentences, type AsrAdapter, type AsrChannel } from './common.js'

function bestOf(nbest: unknown, channel: AsrChannel): { sentence: string; words?: Word[] } {
  if (typeof nbest !== 'string') throw asrError('wenet', `nbest must be a JSON string, got ${describeValue(nbest)}`, channel)
  let list: unknown
  if (jsonDepthOver(nbest)) throw asrError('wenet', `nbest nests deeper than ${MAX_JSON_DEPTH} levels`, channel)
  try {
    list = JSON.parse(nbest)
  } catch {
    throw asrError('wenet', `nbest is not valid JSON: ${nbest.slice(0, 40)}`, channel)
  }
  if (!Array.isArray(list)) throw asrError('wenet', 'nbest must decode to an array of {sentence}', channel)
  if (list.length === 0) return { sentence: '' }
  const best = list[0] as unknown
  if (!isRecord(best) || typeof best.sentence !== 'string') throw asrError('wenet', 'nbest[0].sentence must be a string', channel)
  let words: Word[] | undefined
  if (Array.isArray(best.word_pieces)) {
    words = []
    for (const p of best.word_pieces) {
      if (!isRecord(p) || typeof p.word !== 'string' || typeof p.start !== 'number' || typeof p.end !== 'number') {
        words = undefined
        break
      }
      words.push({ text: p.word, startMs: p.start, endMs: p.end })
    }
  }
  return words ? { sentence: best.sentence, words } : { sentence: best.sentence }
}

export function createWenetAdapter(channel: AsrChannel): AsrAdapter {
  const sentences = new Sentences(channel, 'wenet')
  let lastPartial = ''
  return {
    push(message, nowMs) {
      if (!isRecord(message)) throw asrError('wenet', 'a message must be a JSON object with status and type', channel)
      if (message.status === 'failed') {
        throw asrError('wenet', `the ASR server reported a failure: ${typeof message.message === 'string' ? message.message : 'no message'}`, channel)
      }
      if (message.status !== 'ok') throw asrError('wenet', `status must be ok or failed, got ${describeValue(message.status)}`, channel)
      switch (message.type) {
        case 'server_ready':
        case 'speech_end':
          return []
        case 'partial_result': {
          const text = joinCjk(bestOf(message.nbest, channel).sentence)
          if (text === '' || text === lastPartial) return []
          lastPartial = text
          return [sentences.partial(text, nowMs)]
        }
        case 'final_result': {
          lastPartial = ''
          const best = bestOf(message.nbest, channel)
          const text = joinCjk(best.sentence)
          if (text === '') {
            sentences.firstPartialMs = null
            return []
          }
          const words = best.words
          return [sentences.final(text, nowMs, words?.[0]?.startMs, words?.[words.length - 1]?.endMs, words)]
        }
        default:
          throw asrError('wenet', `type must be server_ready, partial_result, final_result or speech_end, got ${describeValue(message.type)}`, channel)
      }
    },
    end() {
      return []
    },
  }
}
