/**
 * A realistic simulated day of a mobile operator's outbound call center (套餐, 流量, 宽带, 5G …),
 * seeded and deterministic: teams of agents, 55-110 calls each between 09:00 and 18:00 Shanghai
 * time, dispositions, greetings and closings sometimes missed, forbidden phrases, fast talkers,
 * interruptions and complaint threats. Each call comes as protocol events (for the engine and
 * `callqa kpi`) and as a `CallReport` built the way the engine scores (for storage tests that must
 * not depend on the engine's rulebook).
 */
import type { CallEvent, CallReport, CallStarted, Deduction, Disposition, Finding, TranscriptLine } from '@callqa/protocol'

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴']
const OFFERS = [
  ['5G畅享套餐', '每月128元，含30GB国内通用流量和500分钟通话'],
  ['流量加油包', '每月10元，可加10GB定向流量'],
  ['千兆宽带', '融合套餐办理后宽带免费升级到千兆，安装不收费'],
  ['家庭亲情网', '每月5元，最多添加5位家人，家庭内部通话免费'],
  ['视频彩铃', '首月免费体验，之后每月6元，可随时退订'],
  ['5G升级包', '在原有套餐上每月加20元即可升级5G网络速率'],
]
// 服务忌语 of chapter 8, each in a sentence an impatient agent might say: [canonical phrase, sentence, words said].
const FORBIDDEN: Array<[string, string, string]> = [
  ['不知道', '这个我也不知道，您到营业厅问吧。', '不知道'],
  ['找领导去', '您要是不满意就找领导去。', '找领导去'],
  ['你问我,我问谁', '你问我，我问谁啊。', '你问我，我问谁'],
  ['我~解决不了', '这个问题我解决不了。', '我解决不了'],
  ['这是规定,就不行', '这是规定，就不行。', '这是规定，就不行'],
  ['有意见,告去', '有意见，告去。', '有意见，告去'],
]
const COMPLAINT = ['我要投诉你们', '我要打12315投诉', '再打来我就投诉到工信部']

export interface SimCall {
  started: CallStarted
  lines: TranscriptLine[]
  endMs: number
  disposition: Disposition
  /** What the simulation planted, the ground truth a report must show. */
  planted: {
    greeted: boolean
    closed: boolean
    forbidden: Array<{ seq: number; phrase: string; start: number; said: string }>
    complaint: Array<{ seq: number; phrase: string; start: number }>
    fast: boolean
    interruptions: number
  }
}

export interface SimDayOptions {
  /** Local day in Asia/Shanghai. @defaultValue '2026-11-27' */
  day?: string
  teams?: number
  agentsPerTeam?: number
  seed?: number
  /** Calls per agent: [min, max]. @defaultValue [55, 110] */
  callsPerAgent?: [number, number]
  /** Prefix of call ids (unique per run). */
  callPrefix?: string
}

/** Calls of one simulated day, ordered by start time. */
export function simulateDay(options: SimDayOptions = {}): SimCall[] {
  const day = options.day ?? '2026-11-27'
  const rand = mulberry32(options.seed ?? 20261127)
  const teams = options.teams ?? 3
  const agentsPerTeam = options.agentsPerTeam ?? 8
  const [minCalls, maxCalls] = options.callsPerAgent ?? [55, 110]
  const prefix = options.callPrefix ?? `sim-${day}`
  // 09:00 Shanghai = 01:00 UTC.
  const dayStartMs = Date.parse(`${day}T01:00:00Z`)
  const calls: SimCall[] = []
  let n = 0
  for (let t = 0; t < teams; t++) {
    const teamId = `team-${String.fromCharCode(97 + t)}`
    for (let a = 0; a < agentsPerTeam; a++) {
      const agentId = `agent-${t + 1}${String(a + 1).padStart(2, '0')}`
      const careless = rand() < 0.25
      const fastTalker = rand() < 0.15
      const callCount = minCalls + Math.floor(rand() * (maxCalls - minCalls + 1))
      for (let c = 0; c < callCount; c++) {
        const at = dayStartMs + Math.floor(rand() * 9 * 3600_000)
        calls.push(simulateCall(rand, `${prefix}-${++n}`, agentId, teamId, at, careless, fastTalker))
      }
    }
  }
  return calls.sort((x, y) => Date.parse(x.started.at) - Date.parse(y.started.at))
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!
}

function simulateCall(
  rand: () => number,
  callId: string,
  agentId: string,
  teamId: string,
  atMs: number,
  careless: boolean,
  fastTalker: boolean,
): SimCall {
  const started: CallStarted = {
    type: 'call.started',
    callId,
    agentId,
    teamId,
    direction: rand() < 0.95 ? 'outbound' : 'inbound',
    at: new Date(atMs).toISOString(),
  }
  const surname = pick(rand, SURNAMES)
  const title = rand() < 0.5 ? '先生' : '女士'
  const lines: TranscriptLine[] = []
  const planted: SimCall['planted'] = { greeted: true, closed: true, forbidden: [], complaint: [], fast: fastTalker && rand() < 0.7, interruptions: 0 }
  let ms = 800
  const say = (speaker: 'agent' | 'customer', text: string): number => {
    // Handbook 8: about 120 characters a minute; fast talkers run well over the band.
    const cpm = speaker === 'agent' ? (planted.fast ? 175 + rand() * 25 : 108 + rand() * 30) : 160
    const durationMs = Math.max(600, Math.round((text.length / cpm) * 60_000))
    // Now and then the agent starts before the customer has finished.
    let startMs = ms
    if (speaker === 'agent' && lines.length > 0 && lines.at(-1)!.speaker === 'customer' && rand() < (careless ? 0.12 : 0.03)) {
      startMs = Math.max(lines.at(-1)!.startMs + 200, ms - 900)
      planted.interruptions++
    }
    const seq = lines.length
    lines.push({ seq, speaker, text, startMs, endMs: startMs + durationMs })
    ms = startMs + durationMs + 300 + Math.floor(rand() * 900)
    return seq
  }

  const answered = rand() < 0.9
  if (!answered) {
    // No answer: ringing, maybe a voicemail greeting, no conversation.
    return { started, lines, endMs: 25_000 + Math.floor(rand() * 20_000), disposition: 'no_answer', planted: { ...planted, greeted: false, closed: false, fast: false } }
  }
  if (careless && rand() < 0.3) {
    planted.greeted = false
    say('agent', `喂，${surname}${title}是吧，跟您说个事。`)
  } else {
    say('agent', `您好，我是中国移动客服代表，工号${1000 + Math.floor(rand() * 900)}，请问是${surname}${title}吗？`)
  }
  say('customer', pick(rand, ['是我，什么事？', '对，你说。', '嗯，哪位？']))
  const rounds = 2 + Math.floor(rand() * 4)
  let complained = false
  for (let r = 0; r < rounds; r++) {
    const [offer, detail] = pick(rand, OFFERS)
    say('agent', `${surname}${title}，根据您近三个月的话费和流量使用情况，我们为您推荐${offer}，${detail}，请问您有兴趣了解一下吗？`)
    const question = pick(rand, ['那我现在的套餐怎么办？', '流量用不完可以结转吗？', '宽带什么时候能装？', '合约期是多久？', '会不会多扣我话费？'])
    say('customer', question)
    if (careless && rand() < 0.12) {
      const [phrase, text, said] = pick(rand, FORBIDDEN)
      const seq = say('agent', text)
      planted.forbidden.push({ seq, phrase, start: text.indexOf(said), said })
      if (!complained && rand() < 0.35) {
        const c = pick(rand, COMPLAINT)
        const cseq = say('customer', `你这什么态度，${c}！`)
        planted.complaint.push({ seq: cseq, phrase: c, start: `你这什么态度，`.length })
        complained = true
      }
    } else {
      say('agent', pick(rand, ['请您放心，原套餐内容不变，办理后次月生效。', '可以的，当月没用完的流量可以结转到下个月。', '合约期十二个月，不会额外扣费。', '宽带预约后四十八小时内上门安装。']))
      if (rand() < 0.6) say('customer', pick(rand, ['嗯，明白了。', '那取消麻烦吗？', '好的。']))
      if (rand() < 0.5) say('agent', '不麻烦的，发短信或者拨打10086都可以办理。')
    }
  }
  const successful = !complained && rand() < 0.82
  if (successful) {
    say('customer', '好的，那就帮我办理吧。')
    say('agent', '好的，已经为您提交办理，稍后会有短信通知，请注意查收。')
  } else {
    say('customer', pick(rand, ['不用了，我再考虑一下。', '算了，没兴趣。', '我先挂了。']))
  }
  if (careless && rand() < 0.35) {
    planted.closed = false
    say('agent', '行，那就这样。')
  } else {
    say('agent', `感谢您的接听，祝您生活愉快，再见！`)
  }
  const disposition: Disposition = successful ? 'success' : rand() < 0.1 ? 'abandoned' : 'failed'
  return { started, lines, endMs: ms + 500, disposition, planted }
}

/** The call as protocol v1 events (what telephony and ASR send, what JSONL files hold). */
export function simEvents(call: SimCall): CallEvent[] {
  const events: CallEvent[] = [call.started]
  for (const line of call.lines) {
    events.push({ type: 'utterance', callId: call.started.callId, seq: line.seq, speaker: line.speaker, text: line.text, startMs: line.startMs, endMs: line.endMs, final: true })
  }
  events.push({
    type: 'call.ended',
    callId: call.started.callId,
    endMs: call.endMs,
    disposition: call.disposition,
    at: new Date(Date.parse(call.started.at) + call.endMs).toISOString(),
  })
  return events
}

/** A CallReport scored like the engine's default rulebook would (deterministic). */
export function simReport(call: SimCall): CallReport {
  const { started, lines, planted } = call
  const callId = started.callId
  const findings: Finding[] = []
  const deductions: Deduction[] = []
  const add = (f: Omit<Finding, 'id'>, points: number, reason: string): void => {
    const id = `${f.rule}-${f.seq ?? 0}-${findings.length}`
    findings.push({ id, ...f })
    deductions.push({ rule: f.rule, findingId: id, points, reason })
  }
  const answered = lines.length > 0
  if (answered && !planted.greeted) add({ rule: 'missing_greeting', severity: 'major', seq: 0, atMs: lines[0]!.startMs }, 5, '未使用标准问候语')
  for (const f of planted.forbidden) {
    const line = lines[f.seq]!
    add({ rule: 'forbidden_phrase', severity: 'critical', seq: f.seq, phrase: f.phrase, text: line.text, span: [f.start, f.start + f.said.length], atMs: line.startMs }, 10, `服务忌语「${f.phrase}」`)
  }
  for (const f of planted.complaint) {
    const line = lines[f.seq]!
    add({ rule: 'complaint_risk', severity: 'critical', seq: f.seq, phrase: f.phrase, text: line.text, span: [f.start, f.start + f.phrase.length], atMs: line.startMs }, 0, '客户表达投诉意向')
  }
  let agentChars = 0
  let agentSpeechMs = 0
  let customerSpeechMs = 0
  for (const l of lines) {
    if (l.speaker === 'agent') {
      agentChars += l.text.replace(/[，。？！、,.?!\s]/g, '').length
      agentSpeechMs += l.endMs - l.startMs
    } else customerSpeechMs += l.endMs - l.startMs
  }
  const agentCpm = agentSpeechMs >= 10_000 ? Math.round((agentChars / agentSpeechMs) * 60_000 * 10) / 10 : null
  if (agentCpm !== null && agentCpm > 144) add({ rule: 'speaking_rate', severity: 'warning', direction: 'fast', cpm: agentCpm, atMs: 0 }, 5, `语速过快：${agentCpm}字/分`)
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1]!
    const line = lines[i]!
    if (line.speaker === 'agent' && prev.speaker === 'customer' && line.startMs < prev.endMs) {
      add({ rule: 'interruption', severity: 'warning', seq: line.seq, durationMs: prev.endMs - line.startMs, atMs: line.startMs }, 2, '抢话：客户未说完即插话')
    }
  }
  if (answered && !planted.closed) add({ rule: 'missing_closing', severity: 'warning', seq: lines.at(-1)!.seq, atMs: lines.at(-1)!.startMs }, 5, '未使用标准结束语')
  const lost = deductions.reduce((s, d) => s + d.points, 0)
  const interruptions = findings.filter((f) => f.rule === 'interruption').length
  const report: CallReport = {
    callId,
    agentId: started.agentId,
    teamId: started.teamId,
    direction: started.direction,
    startedAt: started.at,
    endedAt: new Date(Date.parse(started.at) + call.endMs).toISOString(),
    endMs: call.endMs,
    disposition: call.disposition,
    score: Math.max(0, 100 - lost),
    deductions,
    strengths: answered && planted.greeted ? [{ kind: 'greeting', points: 0, reason: '使用标准问候语' }] : [],
    findings,
    metrics: {
      agentCpm,
      agentSpeechMs,
      agentChars,
      customerSpeechMs,
      utterances: lines.length,
      greeted: answered && planted.greeted,
      closed: answered && planted.closed,
      interruptions,
      slowResponses: 0,
      complaintRisk: planted.complaint.length > 0,
      politeness: {
        您好: lines.filter((l) => l.speaker === 'agent' && l.text.includes('您好')).length,
        请: lines.filter((l) => l.speaker === 'agent' && l.text.includes('请')).length,
        谢谢: 0,
        对不起: 0,
        address: lines.filter((l) => l.speaker === 'agent' && /先生|女士/.test(l.text)).length,
      },
    },
    transcript: lines,
    rulebook: { id: 'sim', version: '1' },
  }
  return report
}
