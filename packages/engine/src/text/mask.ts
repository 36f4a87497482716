/**
 * Masking of personal data in transcript text (handbook chapter 10: customer data must not leak).
 *
 * Masked: mainland mobile numbers (11 digits, 1[3-9]…), 18-digit resident ID numbers whose check digit
 * is valid (GB 11643 / ISO 7064 MOD 11-2) and whose birth date is plausible, and bank card numbers of
 * 13-19 digits passing the Luhn check. Digits may be ASCII, full-width, spoken Chinese numerals as an
 * ASR writes them (幺三八…, 一三八…, 两), formal numerals (壹贰叁…), in any mix, and may be grouped with
 * separators an ASR or a person puts between digit groups: up to three of space, ideographic space,
 * `-` `－` `.` `．` `,` `，` `、` ("138 1234 5678", "138，1234，5678", "138.  1234.5678").
 *
 * Masking is length-preserving (each hidden digit becomes `*`, separators stay), so offsets computed on
 * the unmasked text stay valid on the masked one. A few edge digits stay visible so a person can still
 * tell two numbers apart: mobile 138****5678, ID 110***********123X, card 6222***********0123.
 */

const CHINESE_DIGITS: Record<string, string> = {
  零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 拐: '7', 八: '8', 九: '9', 勾: '9',
  // formal numerals (大写数字), simplified and traditional
  壹: '1', 贰: '2', 貳: '2', 叁: '3', 參: '3', 肆: '4', 伍: '5', 陆: '6', 陸: '6', 柒: '7', 捌: '8', 玖: '9',
}

/**
 * Every character the mask may read as a digit: callers can skip the mask for text with fewer than
 * 11 of them (no maskable number has fewer digits).
 */
export const DIGIT_CHARS = `0123456789０１２３４５６７８９${Object.keys(CHINESE_DIGITS).join('')}`

/** Characters that may separate digit groups of one number. */
const SEPARATORS: ReadonlySet<string> = new Set([' ', '\u3000', '-', '－', '.', '．', ',', '，', '、'])
/** A longer run of separators ends the number. */
const MAX_SEPARATOR_RUN = 3

// A run of spoken Chinese numerals shorter than this is left alone: 一/二/三 are everywhere in words.
const MIN_CHINESE_RUN = 11

/** Digit value of one code unit ('0'-'9', full-width, Chinese numeral if allowed), or '' when it is no digit. */
function digitOf(ch: string, chinese: boolean): string {
  const c = ch.charCodeAt(0)
  if (c >= 0x30 && c <= 0x39) return ch
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(c - 0xff10 + 0x30)
  return chinese ? (CHINESE_DIGITS[ch] ?? '') : ''
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** True for an 18-character resident ID (17 digits + digit or X) with a valid MOD 11-2 check digit. */
export function isValidChineseId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  if (ID_CHECK[sum % 11] !== id[17]!.toUpperCase()) return false
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31
}

/** True when the digit string passes the Luhn check (bank card numbers). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

type Kind = 'mobile' | 'id' | 'card'

function classify(digits: string): Kind | undefined {
  if (digits.length === 11 && /^1[3-9]\d{9}$/.test(digits)) return 'mobile'
  if (digits.length === 18 && isValidChineseId(digits)) return 'id'
  if (digits.length >= 13 && digits.length <= 19 && /^\d+$/.test(digits) && passesLuhn(digits)) return 'card'
  return undefined
}

const KEEP: Record<Kind, [head: number, tail: number]> = { mobile: [3, 4], id: [3, 4], card: [4, 4] }

/** One group of adjacent digit characters: positions in the text and their digit values. */
interface DigitGroup {
  positions: number[]
  digits: string
}

/** Returns `text` with personal numbers masked (length-preserving; see the module comment). */
export function maskPersonalData(text: string): string {
  // Arabic digits first, so a numeral word glued to a number (统一13812345678) cannot hide it;
  // then runs that include spoken Chinese numerals.
  return maskPass(maskPass(text, false), true)
}

function maskPass(text: string, chinese: boolean): string {
  let chars: string[] | undefined
  const n = text.length
  let i = 0
  while (i < n) {
    if (digitOf(text[i]!, chinese) === '') {
      i++
      continue
    }
    // Collect a run of digit groups separated by single spaces or dashes.
    const groups: DigitGroup[] = []
    let current: DigitGroup = { positions: [], digits: '' }
    let j = i
    while (j < n) {
      const ch = text[j]!
      let d = digitOf(ch, chinese)
      // a trailing X/x closes an 18-digit ID
      if (d === '' && (ch === 'X' || ch === 'x' || ch === 'Ｘ') && current.digits.length > 0) d = 'X'
      if (d !== '') {
        current.positions.push(j)
        current.digits += d
        j++
        if (d === 'X') break
        continue
      }
      if (SEPARATORS.has(ch) && current.digits.length > 0) {
        let k = j + 1
        while (k < n && k - j < MAX_SEPARATOR_RUN && SEPARATORS.has(text[k]!)) k++
        if (k < n && digitOf(text[k]!, chinese) !== '') {
          groups.push(current)
          current = { positions: [], digits: '' }
          j = k
          continue
        }
      }
      break
    }
    if (current.digits.length > 0) groups.push(current)
    const runEnd = j
    // Greedy: the longest span of consecutive groups that is a personal number wins.
    let g = 0
    while (g < groups.length) {
      let matched = false
      for (let h = groups.length - 1; h >= g; h--) {
        let digits = ''
        const positions: number[] = []
        for (let k = g; k <= h; k++) {
          digits += groups[k]!.digits
          positions.push(...groups[k]!.positions)
        }
        if (digits.length < 11 || digits.length > 19) continue
        const isChinese = positions.some((p) => /[^\d０-９XxＸ]/.test(text[p]!))
        if (isChinese && digits.length < MIN_CHINESE_RUN) continue
        const kind = classify(digits)
        if (kind === undefined) continue
        chars ??= text.split('') // code units, like the positions
        const [head, tail] = KEEP[kind]
        for (let k = head; k < positions.length - tail; k++) chars[positions[k]!] = '*'
        g = h + 1
        matched = true
        break
      }
      if (!matched) g++
    }
    i = runEnd > i ? runEnd : i + 1
  }
  return chars === undefined ? text : chars.join('')
}
