/**
 * 问候语 / 开场白: one of the agent's first N (2) final utterances (by start time) greets. Greetings are
 * matched as WORDS by the phrase layer: on word boundaries (晚上好像 is 晚上 + 好像, no greeting), with
 * ASR forms (a same-sound character, spaces or fillers inside). The agent's line checks (喂？能听到吗？)
 * are not among the N. Decided when the Nth counted agent final arrives, or at call end if the agent spoke
 * less; never if the agent never spoke.
 */
import type { Finding } from '@callqa/protocol'
import { compilePhraseMatcher, normalizeWithMap } from '../phrase-bridge.js'
import { nearKey, tonelessReadings } from '../text/pinyin.js'
import { baseOf, listOf, opt, req, ruleBase, words, type RawRule } from '../rulebook/schema.js'
import type { GreetingRule } from '../rulebook/types.js'
import type { StoredUtterance } from '../monitor/state.js'
import { labelsOf, type RuleModule } from './module.js'

/** A word list as phrase entries: every word a same-sound character allowed, even 2-character ones (在见). */
export function wordMatcher(list: string[]) {
  return compilePhraseMatcher(list.map((w) => ({ phrase: w, shortHomophones: true })))
}

// What an ASR writes for a character it could not recognise (您□, 再□, 再*).
const UNKNOWN = '[□■◻◼☐*＊�○〇_＿]'
const HAN = /[\u4e00-\u9fff]/
const escape = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * ASR forms the phrase layer does not make, as one regex over the normalised text: any one character
 * of a word replaced by an unknown mark (您□, 再□), and, for words of 3+ characters, one character
 * dropped (not the first, and not the last of a 3-character word: 祝您生活愉 cut at the end, 早好). Each form stands alone — no Han character
 * glued on either side — so a dropped form is never the inside of another word.
 */
export function asrWordForms(list: readonly string[]): RegExp {
  const forms = new Set<string>()
  for (const raw of list) {
    const w = [...raw.replace(/~/g, '')]
    if (w.length < 2 || w.some((ch) => !HAN.test(ch))) continue
    for (let i = 0; i < w.length; i++) forms.add(w.map((ch, k) => (k === i ? UNKNOWN : escape(ch))).join(''))
    // A 3-character word keeps both ends (早上好 → 早好, never 早上: a word of its own); a longer one keeps its first.
    if (w.length >= 3) for (let i = 1; i < (w.length === 3 ? 2 : w.length); i++) forms.add(w.filter((_, k) => k !== i).map(escape).join(''))
  }
  return new RegExp(`(?<![\\u4e00-\\u9fff])(${[...forms].join('|')})(?![\\u4e00-\\u9fff])`)
}

/** A near-sound character (text/pinyin.ts `nearKey`: n/l, front and back nasals, flat and retroflex initials). */
const nearSound = (heard: string, expected: string): boolean => {
  if (heard === expected) return false
  const want = tonelessReadings(expected).map(nearKey)
  return tonelessReadings(heard).some((r) => want.includes(nearKey(r)))
}

/**
 * One character of a greeting word heard as a NEAR-sound one (宁好, 林好 for 您好), the word standing
 * alone (no Han character glued before it, punctuation or the utterance's end after it, or 我/这 starting
 * the introduction): one regex per word with a capture at each position, the capture checked by sound.
 */
export function nearSoundForms(list: readonly string[]): { re: RegExp; word: string; at: number }[] {
  const out: { re: RegExp; word: string; at: number }[] = []
  for (const raw of list) {
    const w = [...raw.replace(/~/g, '')]
    if (w.length !== 2 || w.some((ch) => !HAN.test(ch))) continue
    for (let i = 0; i < w.length; i++) {
      const src = w.map((ch, k) => (k === i ? '([\\u4e00-\\u9fff])' : escape(ch))).join('')
      out.push({ re: new RegExp(`(?<![\\u4e00-\\u9fff])${src}(?=[\\s,.!?;~]|$|我|这)`, 'g'), word: raw, at: i })
    }
  }
  return out
}

function nearSoundGreeting(forms: readonly { re: RegExp; word: string; at: number }[], text: string): boolean {
  for (const f of forms) {
    f.re.lastIndex = 0
    for (let m = f.re.exec(text); m; m = f.re.exec(text)) if (nearSound(m[1]!, [...f.word][f.at]!)) return true
  }
  return false
}

export const greeting: RuleModule<GreetingRule> = {
  id: 'missing_greeting',
  label: labelsOf('missing_greeting'),
  againstAgent: true,
  fields: { ...ruleBase, withinAgentUtterances: opt({ kind: 'number', min: 1, integer: true }), greetings: req(words) },
  compile(r: RawRule): GreetingRule {
    const greetings = listOf(r.greetings) as string[]
    return { ...baseOf(r), withinAgentUtterances: (r.withinAgentUtterances as number | undefined) ?? 2, greetings, matcher: wordMatcher(greetings), asrForms: asrWordForms(greetings) }
  },
}

/**
 * A festival or seasonal greeting beyond the listed words: any festival (…节, or a festival named without
 * 节: 中秋, 国庆, 端午) or solar term (立冬, 冬至 …) followed by 快乐/安康/愉快/大吉/吉祥 (感恩节快乐, 立冬快乐,
 * 中秋愉快, 新春大吉), whatever the festival, or the handbook's "XX节日好" (中秋节好, 重阳节好) standing as a
 * word (中秋节好多人 is 好多, no greeting).
 */
const FESTIVAL = /(节|节日|新年|新春|春节|小年|除夕)好(?=[\s,.!?;~呀啊哈]|$|我|您|各位|先生|女士|阿姨|大爷|叔叔)|(节|节日|立春|雨水|惊蛰|春分|清明|谷雨|立夏|小满|芒种|夏至|小暑|大暑|立秋|处暑|白露|秋分|寒露|霜降|立冬|小雪|大雪|冬至|小寒|大寒|新年|新春|元旦|周末|小年|除夕|元宵|腊八|中秋|国庆|端午|七夕|重阳|圣诞|五一)\s?(快乐|安康|愉快|大吉|吉祥)/g

// The colloquial morning greeting as a clause of its own (早啊, 早, 您早, 李阿姨早), not 早点/早上/还早 (other words).
const MORNING = /(^|[\s,.!;?])(喂[,\s]*)?([\u4e00-\u9fff]{0,3}(先生|女士|小姐|阿姨|叔叔|大爷|大姐|大哥|姐|哥|老师|经理|师傅|同学))?(您|你)?早[啊呀哈~]*(?=[\s,.!;]|$)/

// 好 said to the person addressed, standing as a word (王先生好, 阿姨好, 你们好): 王先生好像, 阿姨好些了 are other words.
const ADDRESSED = /(先生|女士|小姐|阿姨|叔叔|大爷|大妈|大姐|大哥|姐姐|哥哥|老师|经理|师傅|老板|同学|爷爷|奶奶|伯伯|您们|你们|各位)好(?=[\s,.!?;~呀啊哈]|$|我|这|您)/

/**
 * A greeting word that is no greeting for what follows it: its 好 the degree adverb "quite, so" before a
 * quantity or an adjective, glued on (晚上好几次掉线, 您好长时间没充, 你好厉害, 你好烦啊; where the segmenter
 * cuts 你好/烦 it does not see it), a 好 doubled into the adverb 好好 before a verb (你好好看一下, 您好好休息),
 * or the greeting used as a modifier, quoted (中秋节快乐的短信, 新年好那条祝福, 您好这句). 您好大哥 is an address.
 */
const DEGREE = /^(几|多|长|久|像|些|一阵|半天|大(?![哥姐爷妈叔家伯娘])|烦|厉害|奇怪|过分|点了)/
const QUOTED = /^\s?["']?(的|[那这][条句])/
const HAN_CHAR = /[\u4e00-\u9fff]/
function saidAt(norm: string, end: number, word: string): boolean {
  if (word.endsWith('好') && (DEGREE.test(norm.slice(end)) || (norm[end] === '好' && HAN_CHAR.test(norm[end + 1] ?? '')))) return false
  return !QUOTED.test(norm.slice(end))
}

const nearForms = new WeakMap<GreetingRule, ReturnType<typeof nearSoundForms>>()
function nearFormsOf(rule: GreetingRule): ReturnType<typeof nearSoundForms> {
  let f = nearForms.get(rule)
  if (!f) nearForms.set(rule, (f = nearSoundForms(rule.greetings)))
  return f
}

function festival(norm: string): boolean {
  FESTIVAL.lastIndex = 0
  for (let m = FESTIVAL.exec(norm); m; m = FESTIVAL.exec(norm)) if (saidAt(norm, m.index + m[0].length, m[0])) return true
  return false
}

export function greets(rule: GreetingRule, text: string): boolean {
  const norm = normalizeWithMap(text)
  const t = norm.text
  return (
    rule.matcher.matchNormalized(norm).some((h) => saidAt(t, h.nEnd, t.slice(h.nStart, h.nEnd))) ||
    festival(t) ||
    rule.asrForms.test(t) ||
    MORNING.test(t) ||
    ADDRESSED.test(t) ||
    nearSoundGreeting(nearFormsOf(rule), t)
  )
}

// A line check, on either side, before a call is a conversation: a hello, asking whether the other hears
// (喂, 能听到吗, 您还在吗; the customer's 哪位, 听不清). Each clause one of these, particles aside.
const LINE_CHECK = /^(喂|哎|诶|啊|嗯|哦|噢|hello|hi|哪位|谁|谁啊|什么|啥|(你|您)说什么|听不太?(清|见|到)(楚)?|信号不好|(你|您)?(能|可以)?听(到|见|得到|得见)(我说话|我的声音)?(吗|没)|(你|您)?听到了吗|(你|您)还在吗)+[啊呀吗了啦哈]*$/

/** The clauses of a normalised text (its punctuation is ASCII), spaces inside dropped. */
export const clausesOf = (norm: string): string[] =>
  norm
    .split(/[,.!?;:~]+/)
    .map((c) => c.replace(/\s+/g, ''))
    .filter((c) => c.length > 0)

/** Whether an utterance is only line checks (喂？喂？听不清……, 喂，能听到吗？). */
export function lineCheckOnly(text: string): boolean {
  const clauses = clausesOf(normalizeWithMap(text).text)
  return clauses.length > 0 && clauses.every((c) => LINE_CHECK.test(c))
}

/**
 * Agent finals the live decision looks at beyond the N counted ones: line checks past these decide
 * nonetheless, so an agent who only ever says 喂 costs a bounded look per final, not the whole call.
 */
const MAX_LINE_CHECKS = 6

/**
 * The decision over the agent's first finals: `greeted` and the finding when none greets. The agent's
 * line checks before the opening (喂？… 喂，能听到吗？) are not counted among the N (at most MAX_LINE_CHECKS of
 * them). `greeted` is null while fewer than N counted utterances have come and `atEnd` is false (the call may
 * still open with a greeting).
 */
export function decideGreeting(rule: GreetingRule, agents: readonly StoredUtterance[], atEnd = true): { greeted: boolean | null; finding: Finding | null } {
  const looked = agents.slice(0, rule.withinAgentUtterances + MAX_LINE_CHECKS)
  let counted = 0
  for (const a of looked) {
    if (greets(rule, a.text)) return { greeted: true, finding: null }
    if (lineCheckOnly(a.text)) continue
    if (++counted >= rule.withinAgentUtterances) break
  }
  if (counted < rule.withinAgentUtterances && !atEnd && agents.length < rule.withinAgentUtterances + MAX_LINE_CHECKS) return { greeted: null, finding: null }
  const first = agents[0]
  if (!first) return { greeted: false, finding: null }
  return {
    greeted: false,
    finding: { id: 'missing_greeting', rule: 'missing_greeting', severity: rule.severity, seq: first.seq, text: first.text, atMs: first.startMs, againstAgent: true },
  }
}
