/**
 * The phrase rules of the default rulebook over real customer-service text
 * (`<repo>/../shared/corpus/real-agent-utterances.txt`, 16,476 agent lines; see NOTES.md there).
 * Pins the EXACT set of agent lines flagged, each reviewed by hand, and the lines a bare substring
 * scan would flag that the matcher rightly clears. Customer-file counts are printed, not pinned.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { detectUtterance } from './detect.js'
import { compilePhrases } from './phrases/index.js'
import { loadDefaultRulebook } from './rulebook/parse.js'

const engineRulebook = loadDefaultRulebook()

// The shared folder sits beside the repo clone; CALLQA_CORPUS_DIR points elsewhere (a worktree).
const corpusDir = process.env.CALLQA_CORPUS_DIR?.replace(/\/?$/, '/') ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))
const agentFile = `${corpusDir}real-agent-utterances.txt`
const customerFile = `${corpusDir}real-customer-utterances.txt`
const rulebook = parse(readFileSync(fileURLToPath(new URL('../rulebooks/default.yaml', import.meta.url)), 'utf8')) as {
  rules: Record<string, { phrases: unknown[] }>
}

interface Reviewed {
  line: number
  rule: string
  phrase: string
  verdict: string
}

/** Every agent line flagged, reviewed. Policy for 不行: a refusal TO the customer is a violation even when softened (哦/呢/亲). */
const FLAGGED: Reviewed[] = [
  { line: 440, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: refusal 那不行, 只能终止一个服务单' },
  { line: 862, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个我们也不清楚的 (ignorance, no redirect)' },
  { line: 1101, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个妹子不了解 (self-reference 妹子, ignorance; the reason after does not redirect)' },
  { line: 2474, rule: 'forbidden_phrase', phrase: '这是规定,就不行', verdict: 'violation: policy brush-off …无法送货了, 这是规定呢' },
  { line: 2643, rule: 'forbidden_phrase', phrase: '我解决不了', verdict: 'violation: helplessness 这个小妹真没办法' },
  { line: 2851, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: refusal 这种不行哟' },
  { line: 3130, rule: 'forbidden_phrase', phrase: '不知道', verdict: 'violation: 小妹这边不知道呢 (ignorance; the reassurance after does not undo it)' },
  { line: 3449, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: bare refusal 不行的哦' },
  { line: 3450, rule: 'forbidden_phrase', phrase: '这是规定,就不行', verdict: 'violation: brush-off 公司规定哦 (right after 不行的哦)' },
  { line: 3493, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个我们不清楚的哦' },
  { line: 4666, rule: 'forbidden_phrase', phrase: '不知道', verdict: 'violation: 这个小妹也不知道呢' },
  { line: 5101, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: bare refusal 这个是不行的呢亲' },
  { line: 5153, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 小妹这边确实不清楚呢' },
  { line: 5760, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个妹妹也确实不清楚呢' },
  { line: 7189, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 是否涨价我们也不清楚' },
  { line: 7335, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个我们不是很清楚的呢 (ignorance softened, like 3493)' },
  { line: 8006, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: refusal 那个不行 (alternative given)' },
  { line: 8754, rule: 'forbidden_phrase', phrase: '不行不行', verdict: 'violation: refusal 不性哦 不行哦, the ASR-like typo and the word said twice: one doubled refusal, one finding' },
  { line: 9143, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: bare refusal 亲亲 不行的额嗯' },
  { line: 9892, rule: 'forbidden_phrase', phrase: '我不清楚', verdict: 'violation: 这个我也不清楚' },
  { line: 12830, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: 现阶段暂时不行 (refusal; 暂不支持 is the polite form)' },
  { line: 12833, rule: 'forbidden_phrase', phrase: '不行', verdict: 'violation: bare refusal 不行的.' },
  { line: 3034, rule: 'internal_disclosure', phrase: '系统故障', verdict: 'violation: 这个是我们的系统异常 (an internal fault, in other words)' },
  { line: 5683, rule: 'internal_disclosure', phrase: '系统故障', verdict: 'violation: 目前是系统异常 技术已在加急抢修' },
  { line: 10242, rule: 'internal_disclosure', phrase: '系统故障', verdict: 'violation: 由于网站服务器出现故障' },
  { line: 10555, rule: 'internal_disclosure', phrase: '系统故障', verdict: 'violation: 由于服务器故障, 暂时关闭了抢购' },
  { line: 11968, rule: 'overpromise', phrase: '保证', verdict: 'violation: 京妮儿保证可以办理 (guarantees an outcome)' },
  { line: 13251, rule: 'overpromise', phrase: '肯定没问题', verdict: 'violation (mild): 一定没问题 guarantees an outcome' },
  { line: 2721, rule: 'forbidden_phrase', phrase: '不给办', verdict: 'violation: refusal 这个开不了 (the end of the matter, no way on)' },
  { line: 9818, rule: 'forbidden_phrase', phrase: '不给办', verdict: 'violation: refusal 很抱歉了,小编做不到啊 (softened by an apology, still a refusal)' },
  { line: 4789, rule: 'forbidden_phrase', phrase: '我解决不了', verdict: 'violation: 咱们这边没有办法的 (这边没办法 with 有 said: the helplessness, flagged the same unheard; the later extension is another request)' },
  { line: 11764, rule: 'forbidden_phrase', phrase: '不给办', verdict: 'violation (mild): refusal 这个确实是做不到的. (an alternative follows in the next sentence, like 8006)' },
  { line: 1391, rule: 'pointing_out_mistake', phrase: '您的发票抬头填错', verdict: 'violation: 不是的，亲，您的发票抬头填错了 (the customer\'s error said outright)' },
  { line: 3048, rule: 'pointing_out_mistake', phrase: '您没有及时', verdict: 'violation: 配送员为您预约，您没有及时回他 (blames the customer\'s omission)' },
  { line: 7084, rule: 'pointing_out_mistake', phrase: '您号码填写错', verdict: 'violation: 亲亲 您号码填写错了 (the customer\'s error said outright)' },
  { line: 6848, rule: 'pointing_out_mistake', phrase: '是您下了订单没有付款', verdict: 'violation (mild): 是您下了订单没有付款, 您的订单就自动取消了 (the customer\'s omission named as the cause, like 3048)' },
]

/**
 * Reviewed and knowingly missed: the agent names themself by a chat nickname the self-reference list
 * does not hold (小U), so the subject reads as someone else.
 */
export const MISSED: Reviewed[] = [
  { line: 2852, rule: 'forbidden_phrase', phrase: '不行', verdict: 'refusal missed: 手机不行的 reads as a thing not working (subject 手机); only the chat before says phones are not eligible' },{ line: 13660, rule: 'forbidden_phrase', phrase: '不知道', verdict: 'violation missed: 这个！小U就不知道了. (小U is the agent)' }]

/** Lines a bare substring scan flags (16 phrases, 不清楚, 保证, 系统/服务器…故障) that the matcher rightly clears. */
const CLEARED: { line: number; why: string }[] = [
  { line: 1725, why: 'question 主机也不行吗' },
  { line: 1819, why: 'fallback 要是不行' },
  { line: 1867, why: '这个具体不清楚的 建议关注一下 (redirect)' },
  { line: 2041, why: 'condition 如您尝试后不行' },
  { line: 2817, why: 'closing template 暂时不知道您的问题我是否…' },
  { line: 2917, why: 'troubleshooting 如果还是不行' },
  { line: 3151, why: 'closing template 暂时不知道您的问题我是否…' },
  { line: 5229, why: '不需要您快点寄回 (negated; not rushing)' },
  { line: 5843, why: '这个我们暂时不清楚哦 请您关注一下商品页面 (redirect)' },
  { line: 6197, why: '不清楚您需要哪个售后电话 (asks the customer to clarify)' },
  { line: 6640, why: '这边也是不清楚的 具体会在您订单中显示 (redirect)' },
  { line: 7759, why: 'fallback 实在不行的话' },
  { line: 8536, why: '这边不清楚的哦，还请您咨询采销 (redirect)' },
  { line: 9424, why: 'troubleshooting 如果重启后依然不行' },
  { line: 9451, why: 'homophone guard: 下一步知道 is 下一步 + 知道' },
  { line: 9846, why: 'troubleshooting 如果不行' },
  { line: 10228, why: 'polite question 不知道您安装的…多少呢？' },
  { line: 10971, why: 'troubleshooting 如果不行的话' },
  { line: 11747, why: 'customer subject 如您不知道如何操作' },
  { line: 12142, why: 'describes a method 书签和百度的不行' },
  { line: 12374, why: 'polite question 不知道您是在什么程序里…呢？' },
  { line: 12685, why: 'polite question 不过不知道您一般是在什么程序里…呢？' },
  { line: 12794, why: 'condition 若不行' },
  { line: 13120, why: 'troubleshooting 如果还是不行' },
  { line: 13513, why: 'troubleshooting 如果都不行' },
  { line: 13518, why: 'troubleshooting 如果不行的话' },
  { line: 13574, why: 'fallback 实在不行' },
  { line: 13631, why: 'customer subject 在您不知道的情况下' },
  { line: 13875, why: 'advert 快点享自助' },
  { line: 13924, why: '如有不清楚的 (invitation, no subject)' },
  { line: 13934, why: 'polite question 不知道您说的mi是怎么写的？？' },
  { line: 14496, why: 'polite question 不知道是在哪些程序里卡顿呢？' },
  { line: 15097, why: 'troubleshooting 如果还是不行' },
  { line: 16104, why: 'troubleshooting 如果还是不行' },
  { line: 16121, why: 'troubleshooting 如果还是不行' },
  { line: 16255, why: 'polite question 不知道能否远程协助' },
]

const AGENT_RULES = ['forbidden_phrase', 'internal_disclosure', 'overpromise'] as const

// Absent corpus: a skipped test whose name says so, listed in the run's summary (not only a warning scrolled away).
if (!existsSync(agentFile)) {
  it.skip(`CORPUS ABSENT: ${agentFile} not found, the real-utterance checks did not run (clone the shared folder beside the repo; README "Tests")`, () => {})
}

describe.skipIf(!existsSync(agentFile))('real agent utterances (../shared/corpus)', () => {
  if (!existsSync(agentFile)) console.warn(`corpus test skipped: ${agentFile} is absent (the shared folder sits beside the repo clone)`)
  const lines = existsSync(agentFile) ? readFileSync(agentFile, 'utf8').split('\n') : []

  it('flags exactly the reviewed lines, with the reviewed phrase', () => {
    const got: { line: number; rule: string; phrase: string }[] = []
    // The whole per-utterance decision (phrase layer + utterance features + each rule's grouping).
    lines.forEach((text, i) => {
      for (const f of detectUtterance(engineRulebook, { speaker: 'agent', text })) got.push({ line: i + 1, rule: f.rule, phrase: f.phrase! })
    })
    const key = (r: { line: number; rule: string }): string => `${r.rule}:${String(r.line).padStart(6, '0')}`
    got.sort((a, b) => key(a).localeCompare(key(b)))
    const want = FLAGGED.map(({ line, rule, phrase }) => ({ line, rule, phrase })).sort((a, b) => key(a).localeCompare(key(b)))
    expect(got).toEqual(want)
  })

  it('clears every innocent line a bare substring scan would flag', () => {
    const flagged = new Set(FLAGGED.map((f) => f.line))
    for (const { line } of CLEARED) expect(flagged.has(line)).toBe(false)
    // the cleared lines really do contain a listed phrase's characters
    for (const { line } of CLEARED) expect(lines[line - 1]).toMatch(/不行|不知道|不清楚|快点|知道/)
  })
})

describe.skipIf(!existsSync(customerFile))('real customer utterances (../shared/corpus), for information', () => {
  it('counts customer lines each phrase rule would flag (not pinned: customer speech is only checked for complaint_risk)', () => {
    const lines = readFileSync(customerFile, 'utf8').split('\n')
    const counts: Record<string, number> = {}
    for (const rule of ['complaint_risk', ...AGENT_RULES]) {
      const matcher = compilePhrases(rulebook.rules[rule]!.phrases)
      counts[rule] = lines.filter((text) => matcher.match(text).length > 0).length
    }
    console.info(`customer file (${lines.length} lines), lines flagged per rule: ${JSON.stringify(counts)}`)
    expect(counts.complaint_risk).toBeGreaterThan(0)
  })
})
