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

// soundsLike answers by reading, then by character of the main Han block (U+3400-U+9FFF, 27 KB a reading,
// about 120 readings asked on the bench calls): 0 not asked yet, 1 yes, 2 no. The matcher asks the same
// few readings at almost every character of an utterance.
const HAN_FIRST = 0x3400
const HAN_END = 0xa000
const answers = new Map<string, Uint8Array>()

/**
 * `soundsLike(·, reading)` as a function of the heard character's UTF-16 code unit alone, for a caller that
 * asks about the same reading many times (the matcher keeps one per character of its forms): no lookup by
 * reading, no one-character string per question.
 */
export function homophoneTest(reading: string): (heard: number) => boolean {
  if (reading === '') return () => false
  let table = answers.get(reading)
  if (table === undefined) {
    table = new Uint8Array(HAN_END - HAN_FIRST)
    answers.set(reading, table)
  }
  const answered = table
  return (code: number): boolean => {
    if (code < HAN_FIRST) return false
    if (code >= HAN_END) return tonelessReadings(String.fromCharCode(code)).includes(reading)
    const known = answered[code - HAN_FIRST]!
    if (known !== 0) return known === 1
    const yes = tonelessReadings(String.fromCharCode(code)).includes(reading)
    answered[code - HAN_FIRST] = yes ? 1 : 2
    return yes
  }
}

/** True when `heard` can be read as `reading` (toneless): a homophone of the expected character. */
export function soundsLike(heard: string, reading: string): boolean {
  const code = heard.charCodeAt(0)
  if (reading === '' || code < HAN_FIRST) return false
  if (code >= HAN_END || heard.length !== 1) return tonelessReadings(heard).includes(reading)
  let table = answers.get(reading)
  if (table === undefined) {
    table = new Uint8Array(HAN_END - HAN_FIRST)
    answers.set(reading, table)
  }
  const known = table[code - HAN_FIRST]!
  if (known !== 0) return known === 1
  const yes = tonelessReadings(heard).includes(reading)
  table[code - HAN_FIRST] = yes ? 1 : 2
  return yes
}
