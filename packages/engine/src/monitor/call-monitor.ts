/**
 * CallMonitor: the streaming compliance check of one call. Feed it protocol events one at a time; it
 * returns the findings decidable now. Pure: no clocks, no I/O; all time is the events' `startMs`/`endMs`.
 *
 * Ordering. Utterances may arrive out of order (seq gaps, a long customer utterance finalised after the
 * agent's interjection inside it). Nothing waits for missing seqs: every timing rule is evaluated from the
 * utterances' own times whenever either side of a pair arrives (interruption: the agent's or the
 * customer's utterance; slow_response: the agent's answer or a late question), and finding ids are stable
 * so a re-evaluation never reports an occurrence twice. Greeting looks at the first agent utterances by
 * start time known when the Nth agent final arrives; closing and the whole-call rate wait for call.ended.
 *
 * Partials (`final:false`) are checked for phrases only, so a forbidden phrase can be alerted early; the
 * final with the same seq is the one that counts (timing rules, report). A partial whose final never
 * arrives is promoted to final at call end. The report lists the findings of the final transcript; live-only
 * alerts (a partial's phrase the final does not contain, rolling speaking-rate excursions) are returned by
 * `feed` but not scored.
 */
import { ErrorCodes, ProtocolError, severityRank, type CallEnded, type CallReport, type CallStarted, type Finding, type LiveCallMetrics, type Severity, type TranscriptLine, type Utterance } from '@callqa/protocol'
import { CallTooLongError, SnapshotError } from '../errors.js'
import { countSpokenChars, maskPersonalData, normalizeText, normalizeWithMap, type NormalizedText } from '../phrase-bridge.js'
import { PHRASE_RULE_IDS, POLITENESS_KINDS, type PolitenessKind, type Rulebook } from '../rulebook/types.js'
import { buildReport } from './report.js'
import { speakerSpeech } from './speech.js'

/** What `feed` tells the caller. */
export interface FeedResult {
  /** Findings newly decidable now; each id is returned once per call. */
  findings: Finding[]
  /** A final for a seq already final (or a late partial of it), or a repeated call.ended: nothing changed. */
  duplicate: boolean
  /** The utterance as it goes into a live transcript (personal data masked), with its findings. */
  line?: TranscriptLine & { final: boolean; findings: Finding[] }
  /** True once call.ended has been fed; `report()` is then final. */
  ended: boolean
}

/** Rules whose findings belong to one utterance's line in a live transcript. */
const LINE_RULES: ReadonlySet<string> = new Set<string>([...PHRASE_RULE_IDS, 'interruption', 'slow_response'])

/** An utterance as the monitor keeps it (text already masked). */
export interface StoredUtterance {
  seq: number
  speaker: 'agent' | 'customer'
  text: string
  startMs: number
  endMs: number
  /** Spoken characters (Han, digits, Latin words), counted before masking. */
  chars: number
  /** Speaking time: union of word timings when given, else endMs - startMs. */
  speechMs: number
  /** Customer: contains a question. Agent: is a back-channel (嗯, 对 …). */
  flag: boolean
}

/** Plain-JSON state of a call; `CallMonitor.restore` continues from it exactly. */
export interface CallSnapshot {
  v: 1
  rulebook: { id: string; version: string }
  call: { callId: string; agentId: string; teamId: string; direction: 'outbound' | 'inbound'; startedAt: string }
  /** Final utterances sorted by (startMs, seq). */
  finals: StoredUtterance[]
  /** Latest partial of each seq whose final has not arrived. */
  pending: StoredUtterance[]
  /** Ids of every finding `feed` has returned. */
  emitted: string[]
  /** Severity of the worst finding returned so far. */
  worst: Severity | null
  /** Findings of the final transcript (what the report lists). */
  findings: Finding[]
  greeted: boolean | null
  /** Whether one of the agent's last utterances said farewell (decided at call end). */
  closed: boolean | null
  politeness: Record<PolitenessKind, number>
  /** Live speaking-rate excursion in progress (one alert per excursion). */
  excursion: 'fast' | 'slow' | null
  excursions: number
  rollingCpm: number | null
  lastMs: number
  ended: { endMs: number; disposition: CallEnded['disposition']; at?: string } | null
}

const SNAPSHOT_VERSION = 1

/**
 * Utterances (finals plus pending partials) one call may have: a bound on a monitor's memory (about
 * 300 B each) whatever a client sends. A 2-hour call has about 1,500.
 */
export const MAX_UTTERANCES_PER_CALL = 10_000

/** No single utterance is longer (an ASR segments long before); bounds backward scans. */
const MAX_UTTERANCE_MS = 600_000

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

/** A deep copy of the state (its shape is known: much cheaper than structuredClone). */
function copyState(s: CallSnapshot): CallSnapshot {
  const copy: CallSnapshot = {
    ...s,
    rulebook: { ...s.rulebook },
    call: { ...s.call },
    finals: s.finals.map((u) => ({ ...u })),
    pending: s.pending.map((u) => ({ ...u })),
    emitted: [...s.emitted],
    findings: s.findings.map((f) => (f.span ? { ...f, span: [f.span[0], f.span[1]] } : { ...f })),
    politeness: { ...s.politeness },
    ended: s.ended ? { ...s.ended } : null,
  }
  return copy
}

function includesAny(haystack: string, needles: readonly string[]): boolean {
  for (const n of needles) if (haystack.includes(n)) return true
  return false
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0
  let at = haystack.indexOf(needle)
  while (at >= 0) {
    n++
    at = haystack.indexOf(needle, at + needle.length)
  }
  return n
}

/** Per-rulebook precomputed word lists (normalised once, not per utterance). */
interface Prepared {
  greetings: string[]
  farewells: string[]
  backchannel: string[]
  questionMarkers: string[]
  politeness: [PolitenessKind, string[]][]
}
const prepared = new WeakMap<Rulebook, Prepared>()
function prepare(rulebook: Rulebook): Prepared {
  let p = prepared.get(rulebook)
  if (!p) {
    const norm = (list: string[] | undefined) => [...new Set((list ?? []).map(normalizeText).filter(Boolean))]
    const r = rulebook.rules
    p = {
      greetings: norm(r.missing_greeting?.greetings),
      farewells: norm(r.missing_closing?.farewells),
      backchannel: norm(r.interruption?.backchannel.words).sort((a, b) => b.length - a.length),
      questionMarkers: norm(r.slow_response?.questionMarkers),
      politeness: r.politeness ? POLITENESS_KINDS.map((k) => [k, norm(r.politeness!.words[k])]) : [],
    }
    prepared.set(rulebook, p)
  }
  return p
}

function isBackchannel(normalized: string, chars: number, maxChars: number, words: string[]): boolean {
  if (chars > maxChars) return false
  let rest = normalized.replace(/[\s\p{P}\p{S}]+/gu, '')
  if (rest.length === 0) return false
  outer: while (rest.length > 0) {
    for (const w of words) {
      if (rest.startsWith(w)) {
        rest = rest.slice(w.length)
        continue outer
      }
    }
    return false
  }
  return true
}

function rateBand(rulebook: Rulebook): [number, number] | null {
  const r = rulebook.rules.speaking_rate
  return r ? [r.targetCpm * (1 - r.tolerance), r.targetCpm * (1 + r.tolerance)] : null
}

function cpmOf(chars: number, speechMs: number): number {
  return Math.round((chars * 60_000) / speechMs)
}

export class CallMonitor {
  readonly rulebook: Rulebook
  #s: CallSnapshot
  #emitted: Set<string>
  #finalSeqs: Set<number>
  #prep: Prepared

  constructor(rulebook: Rulebook, callStarted: CallStarted)
  /** @internal used by `restore`. */
  constructor(rulebook: Rulebook, callStarted: CallStarted | null, snapshot?: CallSnapshot)
  constructor(rulebook: Rulebook, callStarted: CallStarted | null, snapshot?: CallSnapshot) {
    this.rulebook = rulebook
    this.#prep = prepare(rulebook)
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
        worst: null,
        findings: [],
        greeted: null,
        closed: null,
        politeness: { 您好: 0, 请: 0, 谢谢: 0, 对不起: 0, address: 0 },
        excursion: null,
        excursions: 0,
        rollingCpm: null,
        lastMs: 0,
        ended: null,
      }
    }
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
      findings: this.#emitted.size,
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
    if (this.#finalSeqs.has(event.seq)) return { findings: [], duplicate: true, ended: false }
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
    const norm = normalizeWithMap(stored.text)
    if (event.final === false) {
      const lineFindings = this.#phraseFindings(stored, norm)
      const pending = this.#s.pending
      const at = pending.findIndex((p) => p.seq === stored.seq)
      if (at >= 0) pending[at] = stored
      else pending.push(stored)
      // A customer partial already proves the customer was still talking when the agent cut in.
      const early = stored.speaker === 'customer' ? this.#interruptionsInside(stored) : []
      return { findings: this.#emit([...lineFindings, ...early]), duplicate: false, line: this.#line(stored, false, lineFindings), ended: false }
    }
    const lineFindings: Finding[] = []
    const other: Finding[] = []
    this.#acceptFinal(stored, norm, lineFindings, other)
    const fresh = this.#emit([...lineFindings, ...other])
    return { findings: fresh, duplicate: false, line: this.#line(stored, true, lineFindings), ended: false }
  }

  /**
   * The live transcript so far, as `feed` returned its lines (personal data masked), in seq order:
   * every final, and the latest partial of each seq whose final has not arrived. A final carries
   * the findings of the report that sit on it (phrases, and the interruption or slow response of
   * that utterance, including ones a later utterance revealed); a partial its phrase findings.
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
    for (const p of s.pending) lines.push(this.#line(p, false, this.#phraseFindings(p, normalizeWithMap(p.text))))
    return lines.sort((a, b) => a.seq - b.seq)
  }

  /** The report as it stands (final once `ended`). */
  report(): CallReport {
    return buildReport(this.rulebook, this.#s)
  }

  #line(u: StoredUtterance, final: boolean, findings: Finding[]): TranscriptLine & { final: boolean; findings: Finding[] } {
    return { seq: u.seq, speaker: u.speaker, text: u.text, startMs: u.startMs, endMs: u.endMs, final, findings }
  }

  /** Returns the findings not returned before, and remembers them. */
  #emit(findings: Finding[]): Finding[] {
    const fresh: Finding[] = []
    for (const f of findings) {
      if (this.#emitted.has(f.id)) continue
      this.#emitted.add(f.id)
      this.#s.emitted.push(f.id)
      if (this.#s.worst === null || severityRank(f.severity) < severityRank(this.#s.worst)) this.#s.worst = f.severity
      fresh.push(f)
    }
    return fresh
  }

  /** Adds a finding of the final transcript to the report (once per id). */
  #record(f: Finding): void {
    if (!this.#s.findings.some((g) => g.id === f.id)) this.#s.findings.push(f)
  }

  #phraseFindings(u: StoredUtterance, norm: NormalizedText): Finding[] {
    const out: Finding[] = []
    const rules = this.rulebook.rules
    for (const id of PHRASE_RULE_IDS) {
      const rule = rules[id]
      if (!rule || (rule.speaker !== 'any' && rule.speaker !== u.speaker)) continue
      const hits = rule.matcher.matchNormalized(norm)
      if (hits.length === 0) continue
      const occurrences = new Map<number, number>()
      const span = u.endMs - u.startMs
      const len = u.text.length || 1
      for (const h of hits) {
        const k = occurrences.get(h.index) ?? 0
        occurrences.set(h.index, k + 1)
        out.push({
          id: `${id}:seq${u.seq}:${h.index}:${k}`,
          rule: id,
          severity: rule.severity,
          seq: u.seq,
          phrase: h.phrase,
          text: u.text,
          span: [h.start, h.end],
          atMs: u.startMs + Math.round((span * h.start) / len),
        })
      }
    }
    return out
  }

  #acceptFinal(u: StoredUtterance, norm: NormalizedText, lineFindings: Finding[], other: Finding[]): void {
    const normalized = norm.text
    const s = this.#s
    const rules = this.rulebook.rules
    const pendingAt = s.pending.findIndex((p) => p.seq === u.seq)
    if (pendingAt >= 0) s.pending.splice(pendingAt, 1)

    for (const f of this.#phraseFindings(u, norm)) {
      lineFindings.push(f)
      this.#record(f)
    }
    if (u.speaker === 'agent' && rules.interruption) {
      const bc = rules.interruption.backchannel
      u.flag = isBackchannel(normalized, u.chars, bc.maxChars, this.#prep.backchannel)
    } else if (u.speaker === 'customer' && rules.slow_response) {
      u.flag = /[?？]/.test(u.text) || includesAny(normalized, this.#prep.questionMarkers)
    }
    // Insert keeping (startMs, seq) order.
    const finals = s.finals
    let i = finals.length
    while (i > 0 && (finals[i - 1]!.startMs > u.startMs || (finals[i - 1]!.startMs === u.startMs && finals[i - 1]!.seq > u.seq))) i--
    finals.splice(i, 0, u)
    this.#finalSeqs.add(u.seq)

    const add = (f: Finding | null, onLine: boolean) => {
      if (!f) return
      this.#record(f)
      ;(onLine ? lineFindings : other).push(f)
    }
    if (u.speaker === 'agent') {
      for (const [kind, words] of this.#prep.politeness) {
        let n = 0
        for (const w of words) n += countOccurrences(normalized, w)
        s.politeness[kind] += n
      }
      if (s.greeted === null && rules.missing_greeting) {
        const agents = finals.filter((f) => f.speaker === 'agent')
        if (agents.length >= rules.missing_greeting.withinAgentUtterances) add(this.#decideGreeting(agents), false)
      }
      const interruption = this.#interruptionOf(u, i)
      if (interruption) add(interruption, true)
      else {
        // Alerted now on the customer's partial; recorded when the customer's final confirms it.
        const early = this.#interruptionByPartial(u)
        if (early) lineFindings.push(early)
      }
      add(this.#slowResponseOf(i), true)
      // A live rate alert is not recorded: the whole-call rate is what the report scores.
      other.push(...this.#rollingRate(u))
    } else {
      // A late customer utterance can reveal an interruption or a slow answer after the fact.
      for (let j = i + 1; j < finals.length; j++) {
        const a = finals[j]!
        if (a.startMs > u.endMs) break
        if (a.speaker === 'agent') add(this.#interruptionOf(a, j), false)
      }
      if (u.flag) {
        for (let j = i + 1; j < finals.length; j++) {
          const a = finals[j]!
          if (a.speaker === 'agent' && !a.flag && a.startMs >= u.endMs) {
            add(this.#slowResponseOf(j), false)
            break
          }
        }
      }
    }
  }

  #decideGreeting(agents: StoredUtterance[]): Finding | null {
    const rule = this.rulebook.rules.missing_greeting!
    const first = agents.slice(0, rule.withinAgentUtterances)
    const greeted = first.some((a) => includesAny(normalizeText(a.text), this.#prep.greetings))
    this.#s.greeted = greeted
    if (greeted || first.length === 0) return null
    return {
      id: 'missing_greeting',
      rule: 'missing_greeting',
      severity: rule.severity,
      seq: first[0]!.seq,
      text: first[0]!.text,
      atMs: first[0]!.startMs,
    }
  }

  /** Agent utterance `a` at index `ai` of finals: does it start inside a customer utterance? */
  #interruptionOf(a: StoredUtterance, ai: number): Finding | null {
    const finals = this.#s.finals
    // Finals are sorted by start; no utterance lasts longer than MAX_UTTERANCE_MS.
    for (let j = ai - 1; j >= 0 && finals[j]!.startMs >= a.startMs - MAX_UTTERANCE_MS; j--) {
      const c = finals[j]!
      if (c.speaker === 'customer' && this.#startsInside(a, c)) return this.#interruptionFinding(a, c)
    }
    return null
  }

  #interruptionFinding(a: StoredUtterance, c: StoredUtterance): Finding {
    return {
      id: `interruption:seq${a.seq}`,
      rule: 'interruption',
      severity: this.rulebook.rules.interruption!.severity,
      seq: a.seq,
      text: a.text,
      atMs: a.startMs,
      durationMs: Math.min(a.endMs, c.endMs) - a.startMs,
    }
  }

  /** Whether agent utterance `a` starts inside customer utterance `c` (after its start, ≥ minRemainingMs before its end). */
  #startsInside(a: StoredUtterance, c: StoredUtterance): boolean {
    const rule = this.rulebook.rules.interruption
    return rule !== undefined && a.speaker === 'agent' && !a.flag && c.startMs < a.startMs && a.startMs <= c.endMs - rule.minRemainingMs
  }

  /** Agent finals that start inside the customer's (partial) utterance `c`. */
  #interruptionsInside(c: StoredUtterance): Finding[] {
    const out: Finding[] = []
    const finals = this.#s.finals
    for (let j = finals.length - 1; j >= 0 && finals[j]!.startMs > c.startMs; j--) {
      if (this.#startsInside(finals[j]!, c)) out.push(this.#interruptionFinding(finals[j]!, c))
    }
    return out.reverse()
  }

  /** Agent final `a` starting inside a customer utterance known so far only as a partial. */
  #interruptionByPartial(a: StoredUtterance): Finding | null {
    for (const c of this.#s.pending) if (c.speaker === 'customer' && this.#startsInside(a, c)) return this.#interruptionFinding(a, c)
    return null
  }

  /**
   * Agent utterance at index `ai`: did the customer ask a question in the turn before it and wait more than
   * maxGapMs? The customer's turn is their utterances since the agent's previous (non-back-channel) utterance
   * that ended before this one started. The wait after a question is the silence from its end to this utterance's start: the
   * customer's own speech in between does not count (elaborating is not waiting), but a customer who has to
   * prompt (喂? 你还在吗?) does not reset it. The longest wait over the turn's questions is reported.
   */
  #slowResponseOf(ai: number): Finding | null {
    const rule = this.rulebook.rules.slow_response
    const finals = this.#s.finals
    const a = finals[ai]!
    // A back-channel (嗯, 好的) keeps the customer company but answers nothing: it neither ends their turn
    // nor counts as the answer.
    if (!rule || a.speaker !== 'agent' || a.flag) return null
    let first = ai
    for (let j = ai - 1; j >= 0; j--) {
      const u = finals[j]!
      if (u.speaker === 'agent' && !u.flag) break
      first = j
    }
    let waitMs = -1
    for (let j = first; j < ai; j++) {
      const q = finals[j]!
      if (q.speaker !== 'customer' || !q.flag || q.endMs > a.startMs) continue
      let silence = a.startMs - q.endMs
      for (let k = j + 1; k < ai; k++) {
        const u = finals[k]!
        if (u.speaker !== 'customer' || u.endMs > a.startMs || u.startMs < q.endMs) continue
        silence -= u.endMs - u.startMs
      }
      if (silence > waitMs) waitMs = silence
    }
    if (waitMs <= rule.maxGapMs) return null
    return {
      id: `slow_response:seq${a.seq}`,
      rule: 'slow_response',
      severity: rule.severity,
      seq: a.seq,
      text: a.text,
      atMs: a.startMs,
      durationMs: waitMs,
    }
  }

  /** Rolling rate over the last rollingWindowMs of agent speech; one alert per excursion out of the band. */
  #rollingRate(u: StoredUtterance): Finding[] {
    const rule = this.rulebook.rules.speaking_rate
    const s = this.#s
    if (!rule) return []
    let speechMs = 0
    let chars = 0
    let latest: StoredUtterance | null = null
    const finals = s.finals
    for (let j = finals.length - 1; j >= 0 && speechMs < rule.rollingWindowMs; j--) {
      const f = finals[j]!
      if (f.speaker !== 'agent' || f.speechMs <= 0) continue
      latest ??= f
      const take = Math.min(f.speechMs, rule.rollingWindowMs - speechMs)
      speechMs += take
      chars += (f.chars * take) / f.speechMs
    }
    // Only react to the newest agent speech; an old utterance arriving late does not move the live window.
    if (latest !== u) return []
    if (speechMs < Math.min(rule.minAgentSpeechMs, rule.rollingWindowMs)) {
      s.rollingCpm = null
      return []
    }
    const cpm = cpmOf(chars, speechMs)
    s.rollingCpm = cpm
    const [low, high] = rateBand(this.rulebook)!
    const direction = cpm > high ? 'fast' : cpm < low ? 'slow' : null
    if (direction === null || direction === s.excursion) {
      s.excursion = direction
      return []
    }
    s.excursion = direction
    const n = s.excursions++
    return [
      {
        id: `speaking_rate:live:${n}`,
        rule: 'speaking_rate',
        severity: rule.severity,
        seq: u.seq,
        text: u.text,
        atMs: u.startMs,
        direction,
        cpm,
      },
    ]
  }

  #end(event: CallEnded): FeedResult {
    const s = this.#s
    if (s.ended) return { findings: [], duplicate: true, ended: true }
    const rules = this.rulebook.rules
    const found: Finding[] = []
    // A partial whose final never came is the best transcript we have.
    const pending = [...s.pending].sort((a, b) => a.seq - b.seq)
    for (const p of pending) {
      const line: Finding[] = []
      this.#acceptFinal(p, normalizeWithMap(p.text), line, found)
      found.push(...line)
    }
    s.pending = []
    s.ended = { endMs: event.endMs, disposition: event.disposition }
    if (event.at !== undefined) s.ended.at = event.at
    if (event.endMs > s.lastMs) s.lastMs = event.endMs
    const agents = s.finals.filter((f) => f.speaker === 'agent')
    if (s.greeted === null && rules.missing_greeting) {
      const f = this.#decideGreeting(agents)
      if (f) {
        this.#record(f)
        found.push(f)
      }
    }
    // Closing is the agent's to say only when the call ran its course (not abandoned, not unanswered).
    if (rules.missing_closing && agents.length > 0) {
      const last = agents.slice(-rules.missing_closing.withinLastAgentUtterances)
      s.closed = last.some((a) => includesAny(normalizeText(a.text), this.#prep.farewells))
    }
    if (rules.missing_closing && agents.length > 0 && (event.disposition === 'success' || event.disposition === 'failed')) {
      const last = agents.slice(-rules.missing_closing.withinLastAgentUtterances)
      if (!s.closed) {
        const at = last[last.length - 1]!
        const f: Finding = {
          id: 'missing_closing',
          rule: 'missing_closing',
          severity: rules.missing_closing.severity,
          seq: at.seq,
          text: at.text,
          atMs: at.startMs,
        }
        this.#record(f)
        found.push(f)
      }
    }
    const rate = rules.speaking_rate
    if (rate) {
      const { chars, speechMs } = agentSpeech(s.finals)
      if (speechMs >= rate.minAgentSpeechMs && speechMs > 0) {
        const cpm = cpmOf(chars, speechMs)
        const [low, high] = rateBand(this.rulebook)!
        if (cpm > high || cpm < low) {
          const f: Finding = {
            id: 'speaking_rate:call',
            rule: 'speaking_rate',
            severity: rate.severity,
            atMs: event.endMs,
            direction: cpm > high ? 'fast' : 'slow',
            cpm,
          }
          this.#record(f)
          found.push(f)
        }
      }
    }
    return { findings: this.#emit(found), duplicate: false, ended: true }
  }
}

/**
 * Agent characters and speaking time. Time is the union of the agent's utterance intervals; an utterance
 * that overlaps no other agent utterance counts its own speechMs (word timings), overlapping ones count
 * the union of their intervals.
 */
export function agentSpeech(finals: readonly StoredUtterance[]): { chars: number; speechMs: number } {
  return speakerSpeech(finals, 'agent')
}

// Lives in speech.ts so report.ts can use it without importing this module (no import cycle).
export { speakerSpeech } from './speech.js'
