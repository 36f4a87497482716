/**
 * Toneless pinyin for homophone matching (ASR writes 知到 for 知道, 不只道 for 不知道).
 * pinyin-pro is slow per call (≈35 µs a sentence), so readings are computed once per character and
 * kept; the matcher only asks on candidate windows, never for every character of every utterance.
 */
import { pinyin } from 'pinyin-pro'

const readingsCache = new Map<string, readonly string[]>()
const NONE: readonly string[] = []

/** Every toneless reading of one Han character (polyphones have several); [] for anything else. */
export function tonelessReadings(ch: string): readonly string[] {
  let readings = readingsCache.get(ch)
  if (readings === undefined) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp < 0x3400 || ch.length > 2) readings = NONE
    else {
      const list = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' }) as string[]
      readings = list.filter((r) => /^[a-zü]+$/.test(r))
    }
    readingsCache.set(ch, readings)
  }
  return readings
}

/** The toneless reading of each character of `phrase` in context (行 in 不行 is xing, not hang). */
export function contextualReadings(phrase: string): string[] {
  const chars = [...phrase]
  const list = pinyin(phrase, { toneType: 'none', type: 'array' }) as string[]
  return chars.map((ch, i) => (list.length === chars.length ? list[i]! : tonelessReadings(ch)[0] ?? ''))
}

/** True when `heard` can be read as `reading` (toneless): a homophone of the expected character. */
export function soundsLike(heard: string, reading: string): boolean {
  if (reading === '' || heard.charCodeAt(0) < 0x3400) return false
  return tonelessReadings(heard).includes(reading)
}
