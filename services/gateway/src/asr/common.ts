/**
 * Shared pieces of the ASR adapters. Each adapter turns one streaming ASR server's result messages
 * (one audio channel = one speaker of one call per connection) into protocol v1 utterances: a
 * partial and the final that replaces it share a seq, so the engine raises a finding once even
 * when the sentence is corrected.
 *
 * Seq numbering: the agent and customer channels of a call arrive on two connections but share
 * the call's seq space, so sentence k of a channel gets seq `2k` (agent) or `2k + 1` (customer).
 * A channel that reconnects is a new ASR stream that counts its sentences from 0 again: stream n
 * (0-based) of a channel starts at sentence `n * SENTENCES_PER_STREAM`, so its seqs never collide
 * with an earlier stream's (which the engine would take for resends and drop).
 */
import { ErrorCodes, MAX_UTTERANCE_CHARS, ProtocolError, type Speaker, type Utterance, type Word } from '@callqa/protocol'

const MAX_SEQ = 1_000_000
/** Sentences one ASR stream may number; MAX_SEQ / 2 / this = the streams a channel may open. */
export const SENTENCES_PER_STREAM = 10_000
/** Streams (connections) one channel of a call may open. */
export const MAX_STREAMS_PER_CHANNEL = Math.floor(MAX_SEQ / 2 / SENTENCES_PER_STREAM)
const MAX_OFFSET_MS = 86_400_000

export interface AsrChannel {
  callId: string
  speaker: Speaker
  /** Where this audio stream starts in the call, ms (ASR times are relative to the stream). */
  offsetMs: number
  /** 0 for the channel's first stream, 1 after one reconnect… (numbers its seq block). @defaultValue 0 */
  stream?: number
}

export interface AsrAdapter {
  /**
   * One server message: the parsed JSON, or the raw text when it is not JSON (sherpa-onnx's
   * `Done!`). `nowMs` = ms since the stream started, used only when the server sends no times.
   * @throws ProtocolError CQ_ERR_INVALID_ASR_MESSAGE naming what is wrong.
   */
  push(message: unknown, nowMs: number): Utterance[]
  /** The stream ended: a sentence still in progress becomes final. */
  end(nowMs: number): Utterance[]
}

export const ASR_FORMATS = ['funasr', 'vosk', 'sherpa-onnx', 'wenet'] as const
export type AsrFormat = (typeof ASR_FORMATS)[number]

export function asrError(format: AsrFormat, message: string, channel: AsrChannel): ProtocolError {
  return new ProtocolError(ErrorCodes.INVALID_ASR_MESSAGE, `${format}: ${message}`, { callId: channel.callId })
}

const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef'
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g')

/** Vosk and some FunASR models put spaces between Chinese words: drop those, keep Latin spacing. */
export function joinCjk(text: string): string {
  return text.replace(SPACE_BETWEEN_CJK, '').trim()
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Sentence counter and utterance builder of one channel. */
export class Sentences {
  /** Index of this stream's first sentence (its seq block). */
  readonly first: number
  index: number
  /** When the current sentence's first partial arrived (ms from stream start), for servers without times. */
  firstPartialMs: number | null = null
  constructor(
    readonly channel: AsrChannel,
    readonly format: AsrFormat,
  ) {
    this.first = (channel.stream ?? 0) * SENTENCES_PER_STREAM
    this.index = this.first
  }

  seqOf(index: number): number {
    return index * 2 + (this.channel.speaker === 'agent' ? 0 : 1)
  }

  utterance(index: number, text: string, final: boolean, startMs: number, endMs: number, words?: Word[]): Utterance {
    const seq = this.seqOf(index)
    if (seq > MAX_SEQ || index >= this.first + SENTENCES_PER_STREAM) {
      throw asrError(this.format, `sentence ${index} is past this stream's ${SENTENCES_PER_STREAM} sentences: reconnect to open a new stream`, this.channel)
    }
    const start = this.#at(startMs, 0)
    const u: Utterance = {
      type: 'utterance',
      callId: this.channel.callId,
      seq,
      speaker: this.channel.speaker,
      text: text.length > MAX_UTTERANCE_CHARS ? text.slice(0, MAX_UTTERANCE_CHARS) : text,
      startMs: start,
      endMs: Math.max(start, this.#at(endMs, start)),
      final,
    }
    if (words && words.length > 0) {
      u.words = words.slice(0, 1000).map((w) => {
        const wordStart = this.#at(w.startMs, start)
        return { text: w.text.slice(0, 64), startMs: wordStart, endMs: Math.max(wordStart, this.#at(w.endMs, wordStart)) }
      })
    }
    return u
  }

  /** A server time (ms from stream start) as a call offset within protocol bounds; `fallback` when not a finite number. */
  #at(ms: number, fallback: number): number {
    if (!Number.isFinite(ms)) return fallback
    return Math.min(MAX_OFFSET_MS, Math.max(0, Math.round(ms) + this.channel.offsetMs))
  }

  /** A partial of the current sentence; times from the first partial to now when the server sends none. */
  partial(text: string, nowMs: number, startMs?: number, endMs?: number): Utterance {
    if (this.firstPartialMs === null) this.firstPartialMs = nowMs
    return this.utterance(this.index, text, false, startMs ?? this.firstPartialMs, endMs ?? nowMs)
  }

  /** The final of the current sentence; the next sentence gets the next seq. */
  final(text: string, nowMs: number, startMs?: number, endMs?: number, words?: Word[]): Utterance {
    const u = this.utterance(this.index, text, true, startMs ?? this.firstPartialMs ?? nowMs, endMs ?? nowMs, words)
    this.index++
    this.firstPartialMs = null
    return u
  }
}
