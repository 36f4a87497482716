/**
 * Spoken characters, the unit of the handbook's speaking rate ("每分钟应保持在120个字左右"):
 * every Han character and every digit counts one, a run of Latin letters (a word such as "5G"'s "G" or
 * "wifi") counts one; punctuation, spaces, symbols and emoji count nothing. A `*` counts one too: it is
 * what masking (mask.ts) leaves of a spoken digit, so masked text counts the same as the original and
 * a call restored from masked text keeps its speaking rate.
 */

/** True when `cp` is a Han (CJK unified or compatibility) ideograph. */
export function isHanCodePoint(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3134f)
  )
}

function isLatinLetter(cp: number): boolean {
  return (
    (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a) ||
    (cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7)
  )
}

/** Counts spoken characters in `text` (finite, ≥ 0, never throws). */
export function countSpokenChars(text: string): number {
  let count = 0
  let inWord = false
  const n = text.length
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i)
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
        i++
      }
    }
    if (isLatinLetter(cp)) {
      if (!inWord) count++
      inWord = true
      continue
    }
    inWord = false
    if (isHanCodePoint(cp) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0xff10 && cp <= 0xff19) || cp === 0x2a) count++
  }
  return count
}
