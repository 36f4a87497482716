/**
 * Word segmentation (jieba). We use @node-rs/jieba: the same dictionary and algorithm as nodejieba,
 * prebuilt, and in `bench/segment.bench.ts` it loads several times faster with a fraction of the memory
 * (figures in `bench/RESULTS.md`). The dictionary loads on first use, not at import, so code that
 * never segments (masking, counting) pays nothing.
 *
 * HMM is off: we only ask "is this offset a word boundary", and dictionary-only cuts are stable,
 * whereas HMM glues unknown neighbours together differently from one sentence to the next.
 * Like nodejieba, it cuts 不知道 into 不/知道 (no user dictionary needed): the phrase matcher only looks
 * at the boundaries at the two ends of a hit, never asks for the phrase to be one word.
 */
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

let jieba: Jieba | undefined
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict)
  return jieba
}

/** Words of `text`, in order; joined they give `text` back (except lone surrogates, see below). */
export function segmentWords(text: string): string[] {
  if (text.length === 0) return []
  // N-API passes strings as UTF-8: a lone surrogate would come back as U+FFFD and change the length.
  const safe = text.replace(LONE_SURROGATE, '\ufffd')
  return segmenter().cut(safe, false)
}

// The matcher asks for the boundaries of a few-character window around each candidate hit, and the same
// windows come back again and again (a scripted greeting in every call, a partial and then its final), while
// one jieba call costs about 5 µs (N-API, UTF-8 both ways, a string per word). Segmentation is
// deterministic, so a bounded cache of recent windows changes no result. Least recently used goes first.
const BOUNDARY_CACHE_SIZE = 4096
const boundaryCache = new Map<string, Uint8Array>()

/**
 * Word-boundary flags for `text`: `result[i]` is 1 when a word starts at code unit `i`
 * (`result[text.length]` is always 1). Read-only: the array may be shared with later calls.
 */
export function wordBoundaries(text: string): Uint8Array {
  const known = boundaryCache.get(text)
  if (known !== undefined) {
    boundaryCache.delete(text)
    boundaryCache.set(text, known)
    return known
  }
  const flags = new Uint8Array(text.length + 1)
  let at = 0
  for (const word of segmentWords(text)) {
    flags[at] = 1
    at += word.length
  }
  flags[text.length] = 1
  if (boundaryCache.size >= BOUNDARY_CACHE_SIZE) boundaryCache.delete(boundaryCache.keys().next().value!)
  boundaryCache.set(text, flags)
  return flags
}

/** One word with its part-of-speech tag (jieba's ICTCLAS-style tags: r pronoun, n noun, v verb, d adverb …). */
export interface TaggedWord {
  word: string
  tag: string
  /** Offset of the word in the text given. */
  start: number
}

/** Words of `text` with part-of-speech tags (dictionary only, like `segmentWords`), with their offsets. */
export function tagWords(text: string): TaggedWord[] {
  if (text.length === 0) return []
  const safe = text.replace(LONE_SURROGATE, '\ufffd')
  const out: TaggedWord[] = []
  let at = 0
  for (const t of segmenter().tag(safe, false)) {
    out.push({ word: t.word, tag: t.tag, start: at })
    at += t.word.length
  }
  return out
}
