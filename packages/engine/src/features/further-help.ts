/**
 * The agent offering further help (还有什么需要我帮您的吗, 您看还有什么不清楚的吗, 还有别的吗): a question about
 * what else the customer may need. Shared by the closing rule (a customer farewell right after an offer closes the
 * call, issue 10) and the chapter 8 acts (an offer is a question the agent means, never a reproach: 还有什么不清楚的吗
 * has the 不…的吗 of 您平时都不看短信的吗, but asks about anything left, with 还有 and an indefinite 什么/哪里).
 *
 * Runs on normalised text (ASCII punctuation, as `normalizeWithMap` gives it).
 */
import { clauseEnd, clauseStart } from './bounds.js'

// 还有/另外/其他/别的 + what may be left (问题, 需要, 不清楚 …), or a bare 还有什么/别的 + 吗 (还有别的吗).
const OFFER = /(还有|另外|其他|其它|别的)[^,.!?;]{0,6}(问题|需要|业务|事|疑问|需求|可以帮|要帮|能帮|帮到|帮忙|咨询|了解|要问|想问|问的|不清楚|不明白|办理|要办)|(还有|其他还有)(什么|别的|其他|其它)?的?(吗|么|没有|没)(?=[\s,.!?;]|$)/
const OFFER_G = new RegExp(OFFER.source, 'g')

/** Whether `text` (normalised) offers further help anywhere. */
export function offersFurtherHelp(text: string): boolean {
  return OFFER.test(text)
}

/**
 * Whether the clauses of `text` holding [start, end) offer further help (clauses end at , : . ! ? ;): what the
 * agent asks there is about anything left, not a reproach. Offsets into `text`.
 */
export function furtherHelpAt(text: string, start: number, end: number): boolean {
  const clause = text.slice(clauseStart(text, start), Math.min(text.length, clauseEnd(text, Math.max(start, end - 1)) + 1))
  OFFER_G.lastIndex = 0
  for (let m = OFFER_G.exec(clause); m; m = OFFER_G.exec(clause)) {
    // 这还有什么不明白的 asks back what could be unclear (a reproach), it offers nothing.
    if (!/[这那]$/.test(clause.slice(0, m.index))) return true
  }
  return false
}
