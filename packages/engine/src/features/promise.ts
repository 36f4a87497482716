/**
 * Whether a guarantee is one the agent can give (不向客户承诺无法实现的服务): two context features of a certainty word's
 * occurrence, read in its own sentence (so a partial is settled at that sentence's end).
 *
 * - `own_act`: what is guaranteed is the agent's own doing — reporting, recording, calling back, texting, following the
 *   case through (我能保证的是,一有结果我马上给您发短信; 我向您保证,您的问题由我一个人跟到底) — and no outcome the
 *   agent does not control is named beside it (修好, 到账, 退, 免, 批下来, 不会再…).
 * - `disowned`: the guarantee is named only to be disowned (现在就打包票是对您不负责; 一定能减免这句话我说了不算).
 */
import { sentenceEnd } from './bounds.js'

// The agent's own acts: what a guarantee of the agent's may honestly cover.
const OWN_ACT = /(记录|记下|反映|反馈|上报|转给|转交|转达|提交|登记|跟进|跟到底|负责到底|盯着|催办|回电|回个?电话|打电话|打个电话|发短信|发个短信|告诉(您|你)|通知(您|你)|联系(您|你)|答复(您|你)|给(您|你)(一个)?(答复|回复|回话)|说清楚|写进|写清楚|核实|如实)/
// An outcome beyond the agent's power named beside it: then the guarantee covers that too.
const OUTCOME = /(修好|弄好|搞好|办好|办成|到账|退(?!订)|免|减|赔|补偿|批(下来|准|了)|通过|恢复|开通|生效|解决|不会再|(不会|不再)[^,.!?;]{0,2}(扣|断|掉|涨|停|卡)|再也不|永远|百分|满意|没问题|一定(能|会|可以)|肯定(能|会|可以))/
const AGENT = /(我|我们|本人|小妹)/

/** The guarantee at [start, end) covers only the agent's own acts, in the rest of its sentence. */
export function ownActGuarantee(t: string, start: number, end: number): boolean {
  const rest = t.slice(end, sentenceEnd(t, end))
  const act = OWN_ACT.exec(rest)
  if (act === null) return false
  // The agent as the doer, in the guarantee itself (我保证) or before the act (一有结果我马上给您发短信).
  if (!AGENT.test(t.slice(Math.max(0, start - 6), end)) && !AGENT.test(rest.slice(0, act.index))) return false
  return !OUTCOME.test(rest)
}

// A guarantee disowned after it is named: it is not given.
const DISOWNED = /((对(您|你))?不负责(任)?|说了不算|不现实|不靠谱|说不准|不好说|打不了包票|保证不了|不敢(说|讲|保证|打包票))/

/** The guarantee at [start, end) is named only to be disowned later in its sentence. */
export function disownedGuarantee(t: string, end: number): boolean {
  return DISOWNED.test(t.slice(end, sentenceEnd(t, end)))
}
