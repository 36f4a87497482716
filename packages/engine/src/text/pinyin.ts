/**
 * Toneless pinyin for homophone matching (ASR writes 知到 for 知道, 不只道 for 不知道).
 * pinyin-pro is slow per call (≈35 µs a sentence), so readings are computed once per character and
 * kept; the matcher only asks on candidate windows, never for every character of every utterance.
 */
import { pinyin } from 'pinyin-pro'

// Indexed by UTF-16 code unit: filled lazily, one pinyin-pro call per character ever.
const readingsTable: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(0x10000)
const NONE: readonly string[] = []

/** Every toneless reading of one Han character (polyphones have several); [] for anything else. */
export function tonelessReadings(ch: string): readonly string[] {
  if (ch.length !== 1) return NONE
  const code = ch.charCodeAt(0)
  let readings = readingsTable[code]
  if (readings === undefined) {
    if (code < 0x3400 || (code >= 0xd800 && code <= 0xdfff)) readings = NONE
    else {
      const list = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' }) as string[]
      readings = list.filter((r) => /^[a-zü]+$/.test(r))
    }
    readingsTable[code] = readings
  }
  return readings
}

/** The toneless reading of each character of `phrase` in context (行 in 不行 is xing, not hang). */
export function contextualReadings(phrase: string): string[] {
  const chars = [...phrase]
  const list = pinyin(phrase, { toneType: 'none', type: 'array' }) as string[]
  return chars.map((ch, i) => (list.length === chars.length ? list[i]! : tonelessReadings(ch)[0] ?? ''))
}

// Homophone questions are answered from one table for the main Han block (U+3400-U+9FFF): each character's
// readings as small ids (up to 3; a character with more asks its list). Every form character of every
// matcher asks the same few table entries per utterance (its characters), so they stay in cache; a table
// per reading (about 120 of 27 KB) missed it at almost every question.
const HAN_FIRST = 0x3400
const HAN_END = 0xa000
const IDS_PER_CHAR = 3
const readingIds = new Map<string, number>()
/** 0: not looked up yet; 1: ids hold every reading; 2: more than IDS_PER_CHAR readings. */
const filled = new Uint8Array(HAN_END - HAN_FIRST)
const idsOf = new Uint16Array((HAN_END - HAN_FIRST) * IDS_PER_CHAR)

function idOf(reading: string): number {
  let id = readingIds.get(reading)
  if (id === undefined) {
    id = readingIds.size + 1
    readingIds.set(reading, id)
  }
  return id
}

function fill(c: number): number {
  const readings = tonelessReadings(String.fromCharCode(c + HAN_FIRST))
  if (readings.length > IDS_PER_CHAR) return (filled[c] = 2)
  for (let k = 0; k < readings.length; k++) idsOf[c * IDS_PER_CHAR + k] = idOf(readings[k]!)
  return (filled[c] = 1)
}

/** Whether the character `code` can be read as the reading with id `id` (`reading` itself for the rare cases). */
function readsAs(code: number, id: number, reading: string): boolean {
  if (code < HAN_FIRST) return false
  if (code >= HAN_END) return tonelessReadings(String.fromCharCode(code)).includes(reading)
  const c = code - HAN_FIRST
  let state = filled[c]!
  if (state === 0) state = fill(c)
  if (state === 2) return tonelessReadings(String.fromCharCode(code)).includes(reading)
  const at = c * IDS_PER_CHAR
  return idsOf[at] === id || idsOf[at + 1] === id || idsOf[at + 2] === id
}

/**
 * `soundsLike(·, reading)` as a function of the heard character's UTF-16 code unit alone, for a caller that
 * asks about the same reading many times (the matcher keeps one per character of its forms): no lookup by
 * reading, no one-character string per question.
 */
export function homophoneTest(reading: string): (heard: number) => boolean {
  if (reading === '') return () => false
  const id = idOf(reading)
  return (code: number): boolean => readsAs(code, id, reading)
}

/** True when `heard` can be read as `reading` (toneless): a homophone of the expected character. */
export function soundsLike(heard: string, reading: string): boolean {
  if (reading === '' || heard.charCodeAt(0) < HAN_FIRST) return false
  if (heard.length !== 1) return tonelessReadings(heard).includes(reading)
  return readsAs(heard.charCodeAt(0), idOf(reading), reading)
}

/**
 * The near-sound key of a toneless reading: what an ASR (or a regional accent: this handbook's call centre is in
 * Hunan) confuses beyond exact homophones: n/l (林好 for 您好, 不鸟 for 不了), front and back nasals (宁好, 信/行),
 * flat and retroflex initials (缩 for 说). Readings with one key are near-homophones. Greetings and closings
 * (rules/greeting.ts) and the phrase matcher's one loose edit (phrases/matcher.ts) both read sound so.
 */
export function nearKey(reading: string): string {
  return reading.replace(/^l/, 'n').replace(/^zh/, 'z').replace(/^ch/, 'c').replace(/^sh/, 's').replace(/ng$/, 'n')
}

// Near-sound keys as small ids per character of the main Han block, like `idsOf` for readings (0: not looked up; a
// character with more than IDS_PER_CHAR distinct keys asks its list). A copy of the readings' table on purpose: one
// class serving both (a key function per table) cost the engine 1.5 % (bench:engine-ab, three runs, session 10).
const nearKeyIds = new Map<string, number>()
const nearFilled = new Uint8Array(HAN_END - HAN_FIRST)
const nearIdsOf = new Uint16Array((HAN_END - HAN_FIRST) * IDS_PER_CHAR)
function nearIdOf(key: string): number {
  let id = nearKeyIds.get(key)
  if (id === undefined) {
    id = nearKeyIds.size + 1
    nearKeyIds.set(key, id)
  }
  return id
}

/** `heard` (a UTF-16 code unit) has a reading whose `nearKey` is the reading's: a near-sound character. */
export function nearHomophoneTest(reading: string): (heard: number) => boolean {
  if (reading === '') return () => false
  const key = nearKey(reading)
  const id = nearIdOf(key)
  return (code: number): boolean => {
    if (code < HAN_FIRST || code >= HAN_END) return code >= HAN_END && code < 0xd800 ? tonelessReadings(String.fromCharCode(code)).some((r) => nearKey(r) === key) : false
    const c = code - HAN_FIRST
    let state = nearFilled[c]!
    if (state === 0) {
      const keys = [...new Set(tonelessReadings(String.fromCharCode(code)).map(nearKey))]
      if (keys.length > IDS_PER_CHAR) state = 2
      else {
        for (let k = 0; k < keys.length; k++) nearIdsOf[c * IDS_PER_CHAR + k] = nearIdOf(keys[k]!)
        state = 1
      }
      nearFilled[c] = state
    }
    if (state === 2) return tonelessReadings(String.fromCharCode(code)).some((r) => nearKey(r) === key)
    const at = c * IDS_PER_CHAR
    return nearIdsOf[at] === id || nearIdsOf[at + 1] === id || nearIdsOf[at + 2] === id
  }
}
