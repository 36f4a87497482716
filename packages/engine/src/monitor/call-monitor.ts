/**
 * CallMonitor: the streaming compliance check of one call, a thin dispatcher. Feed it protocol events one
 * at a time; it keeps the call's state (monitor/state.ts), builds the utterance features once per
 * utterance (features/utterance.ts) and asks each rule module (rules/) for its decision. It returns the
 * findings decidable now, and the alerts it withdraws. Pure: no clocks, no I/O; all time is the events'
 * `startMs`/`endMs`.
 *
 * Ordering. Utterances may arrive out of order (seq gaps, a long customer utterance finalised after the
 * agent's interjection inside it). Nothing waits for missing seqs: every timing rule is evaluated from the
 * utterances' own times whenever either side of a pair arrives, and finding ids are stable so a
 * re-evaluation never reports an occurrence twice. Greeting looks at the first agent utterances by start
 * time known when the Nth agent final arrives; closing and the whole-call rate wait for call.ended.
 *
 * Partials (`final:false`) are checked by the lexicon rules, and only for SETTLED occurrences (their
 * sentence has ended in the partial: nothing said later could clear them), so a forbidden phrase can be
 * alerted before the final. Such an alert is provisional: the final of its seq confirms it (same id in
 * the report) or refutes it, and then `feed` returns it in `retracted` (with the final). A customer
 * partial that already shows the agent cut in raises a provisional interruption the same way. A partial
 * whose final never arrives is taken as final at call end. The report lists the findings of the final
 * transcript only; live-only alerts (rolling speaking-rate excursions) are returned by `feed` but not scored.
 */
import { ErrorCodes, ProtocolError, severityRank, type CallEnded, type CallReport, type CallStarted, type Finding, type LiveCallMetrics, type TranscriptLine, type Utterance } from '@callqa/protocol'
import { CallTooLongError, SnapshotError } from '../errors.js'
import { UtteranceFeatures } from '../features/utterance.js'
import { countSpokenChars, maskPersonalData } from '../phrase-bridge.js'
import { PHRASE_RULE_IDS, type Rulebook } from '../rulebook/types.js'
import { decideClosing } from '../rules/closing.js'
import { decideGreeting } from '../rules/greeting.js'
import { LEXICON_MODULES } from '../rules/index.js'
import { interruptionFinding, interruptionOf, interruptionsInside, isBackchannel, startsInside } from '../rules/interruption.js'
import { decideLexicon } from '../rules/lexicon.js'
import { countPoliteness } from '../rules/politeness.js'
import { isQuestion, slowResponseOf } from '../rules/slow-response.js'
import { callRate, rollingRate } from '../rules/speaking-rate.js'
import { buildReport } from './report.js'
import { SNAPSHOT_VERSION, type CallSnapshot, type ProvisionalAlert, type StoredUtterance } from './state.js'

export type { CallSnapshot, StoredUtterance } from './state.js'
export { agentSpeech, speakerSpeech } from './state.js'

/** An alert `feed` returned earlier and now withdraws: the gateway relays it as `alert.retracted`. */
export interface Retraction {
  findingId: string
  /** `final_cleared`: the utterance's final does not confirm what its partial showed. */
  reason: 'final_cleared'
}

/** What `feed` tells the caller. */
export interface FeedResult {
  /** Findings newly decidable now; each id is returned once per call. */
  findings: Finding[]
  /** Alerts returned by an earlier `feed` (on a partial) that this event refutes; never in the report. */
  retracted: Retraction[]
  /** A final for a seq already final (or a late partial of it), or a repeated call.ended: nothing changed. */
  duplicate: boolean
  /** The utterance as it goes into a live transcript (personal data masked), with its findings. */
  line?: TranscriptLine & { final: boolean; findings: Finding[] }
  /** True once call.ended has been fed; `report()` is then final. */
  ended: boolean
}

/** Rules whose findings belong to one utterance's line in a live transcript. */
const LINE_RULES: ReadonlySet<string> = new Set<string>([...PHRASE_RULE_IDS, 'interruption', 'slow_response'])

/**
 * Utterances (finals plus pending partials) one call may have: a bound on a monitor's memory (about
 * 300 B each) whatever a client sends. A 2-hour call has about 1,500.
 */
export const MAX_UTTERANCES_PER_CALL = 10_000

function speechMsOf(u: Utterance): number {
  const words = u.words
  if (!words || words.length === 0) return u.endMs - u.startMs
  // Union of word intervals (ASR words may touch or overlap).
  const sorted = words.length > 1 ? [...words].sort((a, b) => a.startMs - b.startMs) : words
  let total = 0
  let curStart = -1
  let curEnd = -1
  for (const w of sorted) {
    if (w.startMs > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart
      curStart = w.startMs
      curEnd = w.endMs
    } else if (w.endMs > curEnd) curEnd = w.endMs
  }
  if (curEnd > curStart) total += curEnd - curStart
  return total
}

function copyFinding(f: Finding): Finding {
  const c: Finding = { ...f }
  if (f.span) c.span = [f.span[0], f.span[1]]
  if (f.spans) c.spans = f.spans.map((s) => ({ ...s }))
  return c
}

/** A deep copy of the state (its shape is known: much cheaper than structuredClone). */
function copyState(s: CallSnapshot): CallSnapshot {
  return {
    ...s,
    rulebook: { ...s.rulebook },
    call: { ...s.call },
    finals: s.finals.map((u) => ({ ...u })),
    pending: s.pending.map((u) => ({ ...u })),
    emitted: [...s.emitted],
    provisional: (s.provisional ?? []).map((p) => ({ ...p })),
    retracted: [...(s.retracted ?? [])],
    findings: s.findings.map(copyFinding),
    politeness: { ...s.politeness },
    ended: s.ended ? { ...s.ended } : null,
  }
}

/** Customer turns back a complaint threat still stands for a dare (`after_threat`). */
const THREAT_TURNS = 3
// Scratch for #customerThreatenedBefore (the engine is synchronous: one call at a time uses it).
const THREAT_SEQS = new Float64Array(THREAT_TURNS)

export class CallMonitor {
  readonly rulebook: Rulebook
  #s: CallSnapshot
  #emitted: Set<string>
  #finalSeqs: Set<number>

  constructor(rulebook: Rulebook, callStarted: CallStarted)
  /** @internal used by `restore`. */
  constructor(rulebook: Rulebook, callStarted: CallStarted | null, snapshot?: CallSnapshot)
  constructor(rulebook: Rulebook, callStarted: CallStarted | null, snapshot?: CallSnapshot) {
    this.rulebook = rulebook
    if (snapshot) {
      this.#s = snapshot
    } else {
      const c = callStarted!
      this.#s = {
        v: SNAPSHOT_VERSION,
        rulebook: { id: rulebook.id, version: rulebook.version },
        call: { callId: c.callId, agentId: c.agentId, teamId: c.teamId, direction: c.direction, startedAt: c.at },
        finals: [],
        pending: [],
        emitted: [],
        provisional: [],
        retracted: [],
        worst: null,
        findings: [],
        greeted: null,
        closed: null,
        closedBy: null,
        politeness: { 您好: 0, 请: 0, 谢谢: 0, 对不起: 0, address: 0 },
        excursion: null,
        excursions: 0,
        rollingCpm: null,
        lastMs: 0,
        ended: null,
      }
    }
    this.#s.provisional ??= []
    this.#s.retracted ??= []
    this.#emitted = new Set(this.#s.emitted)
    this.#finalSeqs = new Set(this.#s.finals.map((u) => u.seq))
  }

  /**
   * Continues a call from `snapshot()` output (after a JSON round-trip, on another instance).
   * @throws SnapshotError (CQ_ERR_SNAPSHOT) when the snapshot is not one this engine wrote.
   */
  static restore(rulebook: Rulebook, snapshot: CallSnapshot): CallMonitor {
    const s = snapshot as Partial<CallSnapshot> | null
    if (!s || typeof s !== 'object' || s.v !== SNAPSHOT_VERSION || !s.call || !Array.isArray(s.finals) || !Array.isArray(s.emitted)) {
      throw new SnapshotError(`snapshot must be a CallMonitor snapshot version ${SNAPSHOT_VERSION}, got ${JSON.stringify(s)?.slice(0, 60)}`)
    }
    return new CallMonitor(rulebook, null, copyState(snapshot))
  }

  get callId(): string {
    return this.#s.call.callId
  }

  get ended(): boolean {
    return this.#s.ended !== null
  }

  /** The latest offset (ms) any event has reached. */
  get lastMs(): number {
    return this.#s.lastMs
  }

  /** Plain JSON (a copy): `CallMonitor.restore(rulebook, JSON.parse(JSON.stringify(snapshot)))` continues exactly. */
  snapshot(): CallSnapshot {
    return copyState(this.#s)
  }

  live(): LiveCallMetrics {
    return {
      rollingCpm: this.#s.rollingCpm,
      greeted: this.#s.greeted,
      findings: this.#emitted.size - this.#s.retracted!.length,
      worstSeverity: this.#s.worst,
      lastMs: this.#s.lastMs,
    }
  }

  /**
   * Feeds one utterance or the call's end.
   * @throws ProtocolError CQ_ERR_INVALID_EVENT for an event of another call, CQ_ERR_CALL_ENDED for an
   *   utterance after call.ended; CallTooLongError CQ_ERR_CALL_TOO_LONG past MAX_UTTERANCES_PER_CALL.
   */
  feed(event: Utterance | CallEnded): FeedResult {
    if (event.callId !== this.#s.call.callId) {
      throw new ProtocolError(ErrorCodes.INVALID_EVENT, `${event.type}.callId must be ${this.#s.call.callId} for this monitor, got ${JSON.stringify(event.callId)}`, {
        field: 'callId',
        callId: event.callId,
      })
    }
    if (event.type === 'call.ended') return this.#end(event)
    if (this.#s.ended) {
      throw new ProtocolError(ErrorCodes.CALL_ENDED, `call ${event.callId} has ended; utterance seq ${event.seq} is not checked`, {
        callId: event.callId,
        seq: event.seq,
      })
    }
    if (this.#finalSeqs.has(event.seq)) return { findings: [], retracted: [], duplicate: true, ended: false }
    const s = this.#s
    if (s.finals.length + s.pending.length >= MAX_UTTERANCES_PER_CALL && !s.pending.some((p) => p.seq === event.seq)) {
      throw new CallTooLongError(s.call.callId, event.seq, MAX_UTTERANCES_PER_CALL)
    }
    if (event.endMs > s.lastMs) s.lastMs = event.endMs
    const stored: StoredUtterance = {
      seq: event.seq,
      speaker: event.speaker,
      text: maskPersonalData(event.text),
      startMs: event.startMs,
      endMs: event.endMs,
      chars: countSpokenChars(event.text),
      speechMs: speechMsOf(event),
      flag: false,
    }
    const features = new UtteranceFeatures(stored.text)
    if (event.final === false) {
      const lineFindings = this.#lexicon(stored, features, true)
      const pending = s.pending
      const at = pending.findIndex((p) => p.seq === stored.seq)
      if (at >= 0) pending[at] = stored
      else pending.push(stored)
      const fresh = this.#emit(lineFindings, stored.seq)
      // A customer partial already proves the customer was still talking when the agent cut in.
      const interruption = this.rulebook.rules.interruption
      if (stored.speaker === 'customer' && interruption) fresh.push(...this.#emit(interruptionsInside(interruption, s.finals, stored), stored.seq))
      return { findings: fresh, retracted: [], duplicate: false, line: this.#line(stored, false, lineFindings), ended: false }
    }
    const lineFindings: Finding[] = []
    const other: Finding[] = []
    const early: Finding[] = []
    const earlySeq = this.#acceptFinal(stored, features, lineFindings, other, early)
    const fresh = this.#emit(lineFindings)
    if (other.length > 0) this.#emit(other, undefined, fresh)
    if (early.length > 0) this.#emit(early, earlySeq, fresh)
    return { findings: fresh, retracted: this.#settle(stored.seq), duplicate: false, line: this.#line(stored, true, early.length > 0 ? [...lineFindings, ...early] : lineFindings), ended: false }
  }

  /**
   * The live transcript so far, as `feed` returned its lines (personal data masked), in seq order:
   * every final, and the latest partial of each seq whose final has not arrived. A final carries
   * the findings of the report that sit on it (lexicon rules, and the interruption or slow response of
   * that utterance, including ones a later utterance revealed); a partial its settled lexicon findings.
   * For a supervisor who starts following a call mid-way.
   */
  transcript(): (TranscriptLine & { final: boolean; findings: Finding[] })[] {
    const s = this.#s
    const bySeq = new Map<number, Finding[]>()
    for (const f of s.findings) {
      if (f.seq === undefined || !LINE_RULES.has(f.rule)) continue
      const list = bySeq.get(f.seq)
      if (list) list.push(f)
      else bySeq.set(f.seq, [f])
    }
    const lines = s.finals.map((u) => this.#line(u, true, bySeq.get(u.seq) ?? []))
    for (const p of s.pending) lines.push(this.#line(p, false, this.#lexicon(p, new UtteranceFeatures(p.text), true)))
    return lines.sort((a, b) => a.seq - b.seq)
  }

  /** The report as it stands (final once `ended`). */
  report(): CallReport {
    return buildReport(this.rulebook, this.#s)
  }

  #line(u: StoredUtterance, final: boolean, findings: Finding[]): TranscriptLine & { final: boolean; findings: Finding[] } {
    return { seq: u.seq, speaker: u.speaker, text: u.text, startMs: u.startMs, endMs: u.endMs, final, findings }
  }

  /**
   * Returns the findings not returned before (appended to `fresh`), and remembers them; `provisionalOn` is
   * the seq whose final decides findings raised before it was final.
   */
  #emit(findings: Finding[], provisionalOn?: number, fresh: Finding[] = []): Finding[] {
    const s = this.#s
    for (const f of findings) {
      if (this.#emitted.has(f.id)) continue
      this.#emitted.add(f.id)
      s.emitted.push(f.id)
      if (provisionalOn !== undefined) s.provisional!.push({ id: f.id, seq: provisionalOn })
      if (s.worst === null || severityRank(f.severity) < severityRank(s.worst)) s.worst = f.severity
      fresh.push(f)
    }
    return fresh
  }

  /** The final of `seq` (or call end, `seq` undefined) decides the provisional alerts waiting on it. */
  #settle(seq: number | undefined): Retraction[] {
    const s = this.#s
    const waiting = s.provisional!
    if (waiting.length === 0) return []
    const out: Retraction[] = []
    const keep: ProvisionalAlert[] = []
    for (const p of waiting) {
      if (seq !== undefined && p.seq !== seq) keep.push(p)
      else if (!s.findings.some((f) => f.id === p.id)) {
        out.push({ findingId: p.id, reason: 'final_cleared' })
        s.retracted!.push(p.id)
      }
    }
    s.provisional = keep
    return out
  }

  /** Adds a finding of the final transcript to the report (once per id). */
  #record(f: Finding): void {
    const findings = this.#s.findings
    for (let k = 0; k < findings.length; k++) if (findings[k]!.id === f.id) return
    findings.push(f)
  }

  #lexicon(u: StoredUtterance, features: UtteranceFeatures, partial: boolean): Finding[] {
    const out: Finding[] = []
    if (u.speaker === 'agent') {
      features.afterThreat = this.#customerThreatenedBefore(u)
      features.customerBefore = this.#customerFinalBefore(u)
    }
    const rules = this.rulebook.rules
    for (const m of LEXICON_MODULES) {
      const rule = rules[m.id]
      if (!rule) continue
      const found = decideLexicon(m, rule, u, features, partial)
      for (let k = 0; k < found.length; k++) out.push(found[k]!)
    }
    return out
  }

  /**
   * The text of the customer's last final before agent utterance `u` (the agent's own finals in between do not
   * count: the customer's turn is what the agent answers); read only by a feature that asks (customer_declined).
   */
  #customerFinalBefore(u: StoredUtterance): string | undefined {
    const finals = this.#s.finals
    for (let j = finals.length - 1; j >= 0; j--) {
      const f = finals[j]!
      if (f.speaker === 'customer' && f.startMs < u.startMs) return f.text
    }
    return undefined
  }

  /**
   * Whether one of the customer's last three finals before agent utterance `u` raised complaint_risk: a
   * dare (我等着呢) may answer the threat after one more exchange (客户 我去告你们 … 你等着 → 行, 我等着呢).
   */
  #customerThreatenedBefore(u: StoredUtterance): boolean {
    const finals = this.#s.finals
    const findings = this.#s.findings
    // The seqs of those customer finals, then one pass over the call's findings (not one per final).
    let turns = 0
    for (let j = finals.length - 1; j >= 0 && turns < THREAT_TURNS; j--) {
      const f = finals[j]!
      if (f.speaker === 'customer' && f.startMs < u.startMs) THREAT_SEQS[turns++] = f.seq
    }
    for (let k = 0; k < findings.length && turns > 0; k++) {
      const f = findings[k]!
      if (f.rule !== 'complaint_risk') continue
      for (let t = 0; t < turns; t++) if (THREAT_SEQS[t] === f.seq) return true
    }
    return false
  }

  /**
   * Takes final `u` into the transcript and runs the rules it can decide. Returns the seq of a customer
   * partial that `early` (an interruption alerted before that customer's final) depends on.
   */
  #acceptFinal(u: StoredUtterance, features: UtteranceFeatures, lineFindings: Finding[], other: Finding[], early: Finding[]): number | undefined {
    const normalized = features.text
    const s = this.#s
    const rules = this.rulebook.rules
    for (let k = 0; k < s.pending.length; k++) {
      if (s.pending[k]!.seq === u.seq) {
        s.pending.splice(k, 1)
        break
      }
    }

    for (const f of this.#lexicon(u, features, false)) {
      lineFindings.push(f)
      this.#record(f)
    }
    if (u.speaker === 'agent' && rules.interruption) u.flag = isBackchannel(rules.interruption, normalized, u.chars)
    else if (u.speaker === 'customer' && rules.slow_response) u.flag = isQuestion(rules.slow_response, u.text, normalized)
    // Insert keeping (startMs, seq) order.
    const finals = s.finals
    let i = finals.length
    while (i > 0 && (finals[i - 1]!.startMs > u.startMs || (finals[i - 1]!.startMs === u.startMs && finals[i - 1]!.seq > u.seq))) i--
    if (i === finals.length) finals.push(u)
    else finals.splice(i, 0, u)
    this.#finalSeqs.add(u.seq)

    const add = (f: Finding | null, onLine: boolean) => {
      if (!f) return
      this.#record(f)
      ;(onLine ? lineFindings : other).push(f)
    }
    let earlySeq: number | undefined
    if (u.speaker === 'agent') {
      if (rules.politeness) countPoliteness(rules.politeness, normalized, s.politeness)
      if (s.greeted === null && rules.missing_greeting) {
        const agents = finals.filter((f) => f.speaker === 'agent')
        if (agents.length >= rules.missing_greeting.withinAgentUtterances) {
          const g = decideGreeting(rules.missing_greeting, agents, false)
          if (g.greeted !== null) {
            s.greeted = g.greeted
            add(g.finding, false)
          }
        }
      }
      if (rules.interruption) {
        const found = interruptionOf(rules.interruption, finals, i)
        if (found) add(found, true)
        else {
          // Alerted now on the customer's partial; recorded when the customer's final confirms it.
          for (const c of s.pending) {
            if (c.speaker === 'customer' && startsInside(rules.interruption, u, c)) {
              early.push(interruptionFinding(rules.interruption, u, c))
              earlySeq = c.seq
              break
            }
          }
        }
      }
      if (rules.slow_response) add(slowResponseOf(rules.slow_response, finals, i), true)
      // A live rate alert is not recorded: the whole-call rate is what the report scores.
      if (rules.speaking_rate) other.push(...rollingRate(rules.speaking_rate, s, u))
    } else {
      // A late customer utterance can reveal an interruption or a slow answer after the fact.
      if (rules.interruption) {
        for (let j = i + 1; j < finals.length; j++) {
          const a = finals[j]!
          if (a.startMs > u.endMs) break
          if (a.speaker === 'agent') add(interruptionOf(rules.interruption, finals, j), false)
        }
      }
      if (u.flag && rules.slow_response) {
        for (let j = i + 1; j < finals.length; j++) {
          const a = finals[j]!
          if (a.speaker === 'agent' && !a.flag && a.startMs >= u.endMs) {
            add(slowResponseOf(rules.slow_response, finals, j), false)
            break
          }
        }
      }
    }
    return earlySeq
  }

  #end(event: CallEnded): FeedResult {
    const s = this.#s
    if (s.ended) return { findings: [], retracted: [], duplicate: true, ended: true }
    const rules = this.rulebook.rules
    const found: Finding[] = []
    // A partial whose final never came is the best transcript we have.
    const pending = [...s.pending].sort((a, b) => a.seq - b.seq)
    for (const p of pending) {
      const line: Finding[] = []
      const early: Finding[] = []
      this.#acceptFinal(p, new UtteranceFeatures(p.text), line, found, early)
      found.push(...line)
    }
    s.pending = []
    s.ended = { endMs: event.endMs, disposition: event.disposition }
    if (event.at !== undefined) s.ended.at = event.at
    if (event.hungUpBy !== undefined) s.ended.hungUpBy = event.hungUpBy
    if (event.endMs > s.lastMs) s.lastMs = event.endMs
    const agents = s.finals.filter((f) => f.speaker === 'agent')
    const record = (f: Finding | null) => {
      if (!f) return
      this.#record(f)
      found.push(f)
    }
    if (s.greeted === null && rules.missing_greeting) {
      const g = decideGreeting(rules.missing_greeting, agents)
      s.greeted = g.greeted ?? false
      record(g.finding)
    }
    if (rules.missing_closing) {
      const c = decideClosing(rules.missing_closing, s.finals, s.ended)
      if (agents.length > 0) s.closed = c.closed
      s.closedBy = c.closedBy
      record(c.finding)
    }
    if (rules.speaking_rate) record(callRate(rules.speaking_rate, s.finals, event.endMs))
    const fresh = this.#emit(found)
    return { findings: fresh, retracted: this.#settle(undefined), duplicate: false, ended: true }
  }
}
