import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidChineseId, maskPersonalData, passesLuhn } from './mask.js'
import { countSpokenChars } from './spoken-chars.js'

// 11010519491231002X is the published GB 11643 sample; the others are built with a valid check digit.
const VALID_ID = '11010519491231002X'
const VALID_ID_2 = '440308199901010012'
const VALID_CARD = '6222021234567890128' // passes Luhn (checked below)
const VALID_CARD_16 = '4111111111111111'

describe('check digits', () => {
  it('validates resident ID numbers with ISO 7064 MOD 11-2 and a plausible birth date', () => {
    expect(isValidChineseId(VALID_ID)).toBe(true)
    expect(isValidChineseId(VALID_ID.toLowerCase())).toBe(true)
    expect(isValidChineseId(VALID_ID_2)).toBe(true)
    expect(isValidChineseId('110105194912310021')).toBe(false) // wrong check digit
    expect(isValidChineseId('110105194913310026')).toBe(false) // month 13
    expect(isValidChineseId('11010519491231002')).toBe(false)
  })

  it('applies the Luhn check', () => {
    expect(passesLuhn(VALID_CARD_16)).toBe(true)
    expect(passesLuhn(VALID_CARD)).toBe(true)
    expect(passesLuhn('4111111111111112')).toBe(false)
    expect(passesLuhn('12a4')).toBe(false)
  })
})

describe('maskPersonalData', () => {
  it('masks mobile numbers, keeping 3 + 4 digits, also grouped with spaces or dashes', () => {
    expect(maskPersonalData('我的号码是13812345678,谢谢')).toBe('我的号码是138****5678,谢谢')
    expect(maskPersonalData('打138 1234 5678找我')).toBe('打138 **** 5678找我')
    expect(maskPersonalData('138-1234-5678')).toBe('138-****-5678')
    expect(maskPersonalData('１３８１２３４５６７８')).toBe('１３８****５６７８')
  })

  it('masks mobile numbers spelled in Chinese numerals by the ASR', () => {
    expect(maskPersonalData('幺三八一二三四五六七八')).toBe('幺三八****五六七八')
    expect(maskPersonalData('一二三')).toBe('一二三')
    expect(maskPersonalData('统一13812345678')).toBe('统一138****5678')
    expect(maskPersonalData('幺三八 1234 五六七八')).toBe('幺三八 **** 五六七八')
  })

  it('masks ID numbers only when the check digit is valid', () => {
    expect(maskPersonalData(`身份证${VALID_ID}`)).toBe('身份证110***********002X')
    expect(maskPersonalData('身份证110105194912310021')).toBe('身份证110105194912310021')
  })

  it('masks bank card numbers only when they pass Luhn', () => {
    expect(maskPersonalData(`卡号${VALID_CARD_16}`)).toBe('卡号4111********1111')
    expect(maskPersonalData('卡号4111 1111 1111 1111')).toBe('卡号4111 **** **** 1111')
    expect(maskPersonalData('订单号4111111111111112')).toBe('订单号4111111111111112')
  })

  it('leaves other numbers alone: amounts, short codes, numbers glued into longer digit runs', () => {
    const text = '套餐128元,流量30G,拨打10086,工单号2026112900012345678901'
    expect(maskPersonalData(text)).toBe(text)
    expect(maskPersonalData('号码138123456789')).toBe('号码138123456789') // 12 digits: no mobile number
  })

  it('masks several numbers in one utterance', () => {
    expect(maskPersonalData(`13812345678和${VALID_ID}`)).toBe('138****5678和110***********002X')
  })

  it('property: length-preserving, only digits turn into *, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(fc.constantFrom('1', '3', '8', '0', '9', ' ', '-', 'X', '幺', '三', '八', '号', VALID_CARD_16, '13812345678', VALID_ID)).map((a) => a.join('')),
        ),
        (text) => {
          const masked = maskPersonalData(text)
          expect(masked.length).toBe(text.length)
          for (let i = 0; i < text.length; i++) {
            if (masked[i] !== text[i]) {
              expect(masked[i]).toBe('*')
              expect(text[i]).toMatch(/[0-9０-９零〇洞一幺二三四五六七八九]/)
            }
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('masks numbers as an ASR renders them: groups split by ，.- or several spaces', () => {
    expect(maskPersonalData('号码是138，1234，5678')).toBe('号码是138，****，5678')
    expect(maskPersonalData('138.1234.5678')).toBe('138.****.5678')
    expect(maskPersonalData('138   1234   5678')).toBe('138   ****   5678')
    expect(maskPersonalData('138, 1234, 5678')).toBe('138, ****, 5678')
    expect(maskPersonalData('138－1234－5678')).toBe('138－****－5678')
    expect(maskPersonalData('卡号4111，1111，1111，1111')).toBe('卡号4111，****，****，1111')
    expect(maskPersonalData(`身份证${VALID_ID.slice(0, 6)} ${VALID_ID.slice(6, 14)} ${VALID_ID.slice(14)}`)).toBe('身份证110*** ******** 002X')
    // four separators in a row end the number: two numbers, neither long enough
    expect(maskPersonalData('138    12345678')).toBe('138    12345678')
  })

  it('masks numbers in Chinese and formal numerals, in any mix with digits', () => {
    expect(maskPersonalData('一三八一二三四五六七八')).toBe('一三八****五六七八')
    expect(maskPersonalData('壹叁捌壹贰叁肆伍陆柒捌')).toBe('壹叁捌****伍陆柒捌')
    expect(maskPersonalData('幺三八，一二三四，五六七八')).toBe('幺三八，****，五六七八')
    expect(maskPersonalData('1三8.壹2叁4 5六78')).toBe('1三8.**** 5六78')
    expect(maskPersonalData('幺三八两二三四五六七八')).toBe('幺三八****五六七八')
    // 两 / 壹 in words stay: a run of numerals has to be as long as a number
    expect(maskPersonalData('两个月壹佰元')).toBe('两个月壹佰元')
  })

  it('leaves amounts and lists separated by commas alone', () => {
    const text = '套餐128元，流量30G，共3.5元，1,280元'
    expect(maskPersonalData(text)).toBe(text)
  })

  it('property: masked text counts the same spoken characters, and masking it again only hides more', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', '3', '8', '5', ' ', '-', '，', '.', '幺', '三', '八', '壹', '叁', '捌', '号', '13812345678', VALID_ID, VALID_CARD_16)).map((a) => a.join('')),
        (text) => {
          const masked = maskPersonalData(text)
          expect(countSpokenChars(masked)).toBe(countSpokenChars(text))
          // A restored call re-masks masked text: it may hide a group that a masked neighbour no
          // longer claims, never reveal one.
          const again = maskPersonalData(masked)
          for (let i = 0; i < masked.length; i++) if (again[i] !== masked[i]) expect(again[i]).toBe('*')
        },
      ),
      { numRuns: 500 },
    )
  })
})
