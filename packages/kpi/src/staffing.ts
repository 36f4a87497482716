/**
 * Handbook 第三章 人员编制 第三条 1: "每个外呼服务台席日平均呼出量保持70~100起,成功数量保持在60~80起,
 * 若日平均外呼量高于此范围,则应考虑增加外呼台席数量,若日平均业务受理笔数低于此范围,则应考虑增加外呼量".
 */
export interface StaffingBand {
  /** Outbound calls per seat per day, inclusive. @defaultValue [70, 100] */
  calls: [number, number]
  /** Successful outbound calls per seat per day, inclusive. @defaultValue [60, 80] */
  successes: [number, number]
}

export const HANDBOOK_STAFFING_BAND: StaffingBand = { calls: [70, 100], successes: [60, 80] }

export type BandPosition = 'below' | 'within' | 'above'

export interface StaffingAssessment {
  /** Seat-days behind the averages: distinct (agent, day) pairs with at least one call. */
  seatDays: number
  callsPerSeatDay: number
  successesPerSeatDay: number
  band: StaffingBand
  calls: BandPosition
  successes: BandPosition
  /** above: add seats; below: raise the call volume; within; mixed: one above, one below. */
  verdict: BandPosition | 'mixed'
  advice: { zh: string; en: string }
}

function position(value: number, [low, high]: [number, number]): BandPosition {
  return value < low ? 'below' : value > high ? 'above' : 'within'
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}

/** Daily averages per seat against the band, with the handbook's advice in Chinese and English. */
export function assessStaffing(
  outboundCalls: number,
  outboundSuccesses: number,
  seatDays: number,
  band: StaffingBand = HANDBOOK_STAFFING_BAND,
): StaffingAssessment | null {
  if (seatDays <= 0) return null
  const callsPerSeatDay = outboundCalls / seatDays
  const successesPerSeatDay = outboundSuccesses / seatDays
  const calls = position(callsPerSeatDay, band.calls)
  const successes = position(successesPerSeatDay, band.successes)
  const above = calls === 'above' || successes === 'above'
  const below = calls === 'below' || successes === 'below'
  const verdict: StaffingAssessment['verdict'] = above && below ? 'mixed' : above ? 'above' : below ? 'below' : 'within'
  const c = `${fmt(callsPerSeatDay)}`
  const s = `${fmt(successesPerSeatDay)}`
  const bandZh = `标准：每台席日均呼出 ${band.calls[0]}~${band.calls[1]} 起，成功 ${band.successes[0]}~${band.successes[1]} 起`
  const bandEn = `band: ${band.calls[0]}-${band.calls[1]} calls and ${band.successes[0]}-${band.successes[1]} successful per seat per day`
  const zh: string[] = [`日均呼出 ${c} 起，成功 ${s} 起（${bandZh}）`]
  const en: string[] = [`${c} calls and ${s} successful per seat per day (${bandEn})`]
  if (above) {
    zh.push('高于此范围，应考虑增加外呼台席数量')
    en.push('above the band: consider adding outbound seats')
  }
  if (below) {
    zh.push('低于此范围，应考虑增加外呼量')
    en.push('below the band: consider raising the call volume')
  }
  if (!above && !below) {
    zh.push('处于编制范围内')
    en.push('within the band')
  }
  return {
    seatDays,
    callsPerSeatDay,
    successesPerSeatDay,
    band,
    calls,
    successes,
    verdict,
    advice: { zh: zh.join('；'), en: en.join('; ') },
  }
}
