/**
 * The evaluation harness (`pnpm eval`): labelled calls (eval/data/<set>/, format in eval/FORMAT.md) run
 * through the real engine twice —
 * - batch: every final through a `CallMonitor`, the after-call report against the labels;
 * - streaming: every utterance as an ASR would send it (first third, two thirds, then the final, same
 *   seq) through a `CallMonitor`, counting the live alerts never retracted against the labels, checking
 *   every retraction came with (or before) its final, and that the report agrees with those alerts.
 * Figures are per rule, per form and per kind; `checkThresholds` says which fall below THRESHOLDS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodeJsonl, type CallEnded, type CallEvent, type CallStarted, type Finding, type Utterance } from '@callqa/protocol'
import { CallMonitor } from '../src/monitor/call-monitor.js'
import type { Rulebook } from '../src/rulebook/types.js'

/**
 * The evaluation sets `pnpm eval` and the eval test run. A held-out set is measured, never read while
 * tuning: its lines are never printed (no `--errors`), only its figures.
 */
export interface EvalSet {
  name: 'dev' | 'holdout' | 'blind2' | 'blind3' | 'blind4' | 'blind5' | 'blind6' | 'blind7' | 'blind8' | 'blind9' | 'tune8' | 'tune9' | 'tune9c' | 'tune9d' | 'tune10n' | 'tune10i' | 'tune11c' | 'tune11g' | 'tune11f' | 'tune12m' | 'tune13b' | 'tune13a' | 'tune13c' | 'samples'
  dir: string
  labelled: boolean
  heldOut: boolean
}
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
export const EVAL_SETS: readonly EvalSet[] = [
  { name: 'dev', dir: here('./data/dev/'), labelled: true, heldOut: false },
  { name: 'holdout', dir: here('./data/holdout/'), labelled: true, heldOut: true },
  // blind2 was held out until its error analysis on 2026-12-02 (session 3): tuning material since.
  { name: 'blind2', dir: here('./data/blind2/'), labelled: true, heldOut: false },
  { name: 'blind3', dir: here('./data/blind3/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-02 (session 4) before the writers' training lines were tuned on.
  { name: 'blind4', dir: here('./data/blind4/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-03 (session 7) from the handbook, FORMAT.md and issue 10 only; measured, never read.
  { name: 'blind5', dir: here('./data/blind5/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-03 (session 8) from the handbook's chapter 8 and FORMAT.md only (lines mixed
  // from pools, so some calls do not hang together as conversations); measured, never read.
  { name: 'blind6', dir: here('./data/blind6/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-07 (session 13) by a helper who read only the handbook, issue 10 and FORMAT.md, before
  // that session's tuning: 60 calls of every rule, act, form and innocent kind; measured, never read (SOURCE.md: counts only).
  { name: 'blind7', dir: here('./data/blind7/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-07 (session 13) by another helper from the same three texts, weighted to the chapter 8 and
  // chapter 10 norms (25-43 lines each) and their look-alikes (171); measured, never read.
  { name: 'blind8', dir: here('./data/blind8/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-08 (session 14) by a helper who read only the handbook, issue 10 and FORMAT.md, before
  // that session's tuning: 60 calls of every rule, act, form and innocent kind, Sichuan-flavoured speech; measured, never read.
  { name: 'blind9', dir: here('./data/blind9/'), labelled: true, heldOut: true },
  // Written blind on 2026-12-03 (session 8, prec8) before the lexicons were read: look-alikes by kind; tuning material.
  { name: 'tune8', dir: here('./data/tune8/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-03 (session 9, prec9) before the lexicons were read: 13 innocent kinds, noisy and paraphrased acts; tuning material.
  { name: 'tune9', dir: here('./data/tune9/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-03 (session 9, ch8r9) before the rules were read: chapter 8 acts and their look-alikes by kind; tuning material.
  { name: 'tune9c', dir: here('./data/tune9c/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-03 (session 9, disc9) before the rules were read: internal_disclosure and overpromise
  // with look-alikes by kind; tuning material (the tuning done on it did not land: see thresholds.ts).
  { name: 'tune9d', dir: here('./data/tune9d/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-04 (session 10, noisy10) from the handbook and issue 10 before the matcher's noise
  // handling was read: ASR-noisy forms of every lexicon phrase by noise kind, and look-alikes a looser matcher would hit.
  { name: 'tune10n', dir: here('./data/tune10n/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-04 (session 10, innoc10) from the handbook's chapter 8 and issue 10's list of the
  // innocent kinds still raising false alarms, before the features were read: look-alikes by kind (on_behalf,
  // thing_not_working, third_party, repetition_decoy, ...) beside real refusals, ignorance and reproaches; tuning material.
  { name: 'tune10i', dir: here('./data/tune10i/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-06 (session 11, closing11) from the handbook's chapter 8 (问候语, 结束语, 祝愿语) before the
  // greeting and closing rules were read: greetings (festival, after the customer's 喂, ASR-noisy, none, look-alikes, late)
  // and closings (再见 and its ASR forms, 拜拜, blessings, thanks alone, farewell mid-call, customer's farewell with and
  // without an offer before it, look-alikes, no_answer/abandoned); tuning material labelling greeted/closingOk.
  { name: 'tune11g', dir: here('./data/tune11g/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-06 (session 11, ch8r11) from the handbook's chapter 8 and issue 10 before the chapter 8
  // rules, cues and act scorer were read: pointing_out_mistake, scolding and sarcasm in many surface forms beside
  // look-alikes by kind (neutral_correction, self_blame, echo_customer, genuine_praise, polite_reminder, third_party_mistake, ...).
  { name: 'tune11c', dir: here('./data/tune11c/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-06 (session 11, forb11) from the handbook's chapter 8 and the issue's kinds before the
  // forbidden_phrase rule and features were read: 52 outbound calls in dialect, 亲 style and unpunctuated ASR wording,
  // 103 forbidden acts beside 153 look-alikes by kind; tuning material.
  { name: 'tune11f', dir: here('./data/tune11f/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-07 (session 12, lead) from the handbook's chapter 8 (严禁明确指出客户…错误) before the
  // pointing_out_mistake act was read: an account or device state explained with its remedy (没开通, 没设置, 没绑定,
  // 未生效), causes in things, reassured repeats and the agent's own errors, beside contradictions and blame; tuning material.
  { name: 'tune12m', dir: here('./data/tune12m/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-07 (session 13, fb13) from the handbook's 服务忌语 and issue 10 before the forbidden_phrase
  // rule, lexicons and features were read: 64 outbound calls, 119 forbidden acts (exact, ASR-noisy, paraphrase) beside
  // 185 look-alikes by kind (ignorance_with_way_forward, own_error_admitted, on_behalf, third_party, ...); tuning material.
  { name: 'tune13b', dir: here('./data/tune13b/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-07 (session 13, fa13) from the handbook's chapter 8 and issue 10 before the chapter 8 rules
  // and acts were read: pointing_out_mistake, scolding and sarcasm in new wording beside look-alikes by kind (offer,
  // fact_check, polite_nandao, reassurance, agent_own_mistake, soft_clarification, echo_complaint, ...); tuning material.
  { name: 'tune13a', dir: here('./data/tune13a/'), labelled: true, heldOut: false },
  // Written blind on 2026-12-07 (session 13, fc13) from the handbook (chapter 8 一.4, chapter 10 保密) and issue 10
  // before the disclosure and overpromise rules were read: internal faults, processes, prices, unpublished offers,
  // other customers' data, staff matters, outcome guarantees and promised discounts beside look-alikes by kind
  // (public notices, published offers, the customer's own data, promises within the agent's power, hedged estimates).
  { name: 'tune13c', dir: here('./data/tune13c/'), labelled: true, heldOut: false },
  { name: 'samples', dir: here('../../../samples/'), labelled: false, heldOut: false },
]

/**
 * `CALLQA_EVAL_HELD_OUT=0`: the held-out sets and the held-back writers are left out of `pnpm eval`,
 * `pnpm eval:writers` and the eval test, figures and pass/fail alike. For whoever tunes the engine: a
 * guard that fails can be bisected, so it leaks what it guards. CI and a plain `pnpm test` run them.
 */
export const HELD_OUT_HIDDEN = process.env.CALLQA_EVAL_HELD_OUT === '0'

/** Rules decided per utterance whose findings the labels name. */
export const LABELLED_RULES = ['forbidden_phrase', 'pointing_out_mistake', 'scolding', 'sarcasm', 'internal_disclosure', 'overpromise', 'complaint_risk'] as const
export type LabelledRule = (typeof LABELLED_RULES)[number]

export interface Expectation {
  rule: LabelledRule
  act?: string
  form?: 'exact' | 'noisy' | 'paraphrase'
  kind?: string
}
export interface UtteranceLabel {
  seq: number
  expect: Expectation[]
  innocent?: string
  note?: string
}
export interface CallLabels {
  callId: string
  greeted: boolean
  closingOk: boolean
  utterances: UtteranceLabel[]
}
export interface EvalCall {
  file: string
  started: CallStarted
  utterances: Utterance[]
  ended: CallEnded | null
  /** Null for an unlabelled call (the shipped samples): only the streaming checks apply. */
  labels: CallLabels | null
}

/**
 * The labels of one call, checked: the fields FORMAT.md names must be there with their types (a
 * wrong one is an error naming the file and the field); fields it does not name are allowed and
 * ignored (`callqa export-cases` adds `source`, and a `note` per expectation is fine).
 */
export function checkLabels(path: string, raw: unknown): CallLabels {
  const fail = (what: string): never => {
    throw new Error(`${path}: ${what} (format: packages/engine/eval/FORMAT.md)`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('labels must be a JSON object')
  const l = raw as Record<string, unknown>
  if (typeof l.callId !== 'string') fail('callId must be a string')
  for (const key of ['greeted', 'closingOk'] as const) if (typeof l[key] !== 'boolean') fail(`${key} must be true or false`)
  if (!Array.isArray(l.utterances)) fail('utterances must be an array')
  ;(l.utterances as unknown[]).forEach((u, i) => {
    const at = `utterances[${i}]`
    if (typeof u !== 'object' || u === null) fail(`${at} must be an object`)
    const x = u as Record<string, unknown>
    if (!Number.isInteger(x.seq)) fail(`${at}.seq must be an integer`)
    if (!Array.isArray(x.expect)) fail(`${at}.expect must be an array ([] for an innocent utterance)`)
    ;(x.expect as unknown[]).forEach((e, j) => {
      const rule = (e as { rule?: unknown } | null)?.rule
      if (typeof rule !== 'string' || !(LABELLED_RULES as readonly string[]).includes(rule)) fail(`${at}.expect[${j}].rule must be one of ${LABELLED_RULES.join(', ')}, got ${JSON.stringify(rule)}`)
    })
    if (x.innocent !== undefined && typeof x.innocent !== 'string') fail(`${at}.innocent must be a string (the kind)`)
  })
  return raw as CallLabels
}

/** Reads a set's calls (`NNN-slug.jsonl` + `NNN-slug.labels.json`). Throws naming the file and line of bad data. */
export function loadSet(dir: string, options: { labelled?: boolean } = {}): EvalCall[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()
  return files.map((file) => {
    const path = join(dir, file)
    // The evaluation format allows disposition "callback" (a call-back agreed), which protocol v1 does not
    // have: for the engine it is a call that ran its course like "success" (the agent owes a closing).
    const decoded = decodeJsonl(readFileSync(path, 'utf8').replace(/"disposition"\s*:\s*"callback"/g, '"disposition":"success"'))
    if (decoded.errors.length > 0) throw new Error(`${path}: ${decoded.errors.map((e) => e.message).join('; ')}`)
    const events: CallEvent[] = decoded.events
    const started = events.find((e): e is CallStarted => e.type === 'call.started')
    if (!started) throw new Error(`${path}: no call.started`)
    const labelsPath = path.replace(/\.jsonl$/, '.labels.json')
    let labels: CallLabels | null = null
    if (existsSync(labelsPath)) {
      let raw: unknown
      try {
        raw = JSON.parse(readFileSync(labelsPath, 'utf8'))
      } catch (e) {
        throw new Error(`${labelsPath}: ${(e as Error).message}`)
      }
      labels = checkLabels(labelsPath, raw)
    } else if (options.labelled !== false) throw new Error(`${labelsPath}: missing (every call of an evaluation set has labels)`)
    return {
      file,
      started,
      utterances: events.filter((e): e is Utterance => e.type === 'utterance'),
      ended: events.find((e): e is CallEnded => e.type === 'call.ended') ?? null,
      labels,
    }
  })
}

/** The `falsePositivesOn` keys that are not another rule's violation (every other key names the rules the line was labelled with). */
export const NOT_A_VIOLATION: ReadonlySet<string> = new Set(['innocent', 'unlisted', 'listed'])

export interface Counts {
  tp: number
  fp: number
  fn: number
}
const counts = (): Counts => ({ tp: 0, fp: 0, fn: 0 })
export const precision = (c: Counts): number => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp))
export const recall = (c: Counts): number => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn))

export interface Ratio {
  hit: number
  of: number
}
const ratio = (): Ratio => ({ hit: 0, of: 0 })
export const rate = (r: Ratio): number => (r.of === 0 ? 1 : r.hit / r.of)

/** One figure set (batch report or streamed live alerts). */
export interface Figures {
  /** Utterance-level, per rule: an utterance with a finding of the rule vs one labelled with it. */
  byRule: Record<string, Counts>
  /** forbidden_phrase recall by form (exact, noisy, paraphrase). */
  byForm: Record<string, Ratio>
  /** Recall by positive kind (any rule). */
  byKind: Record<string, Ratio>
  /** Innocent utterances (labelled tricky negatives) that got a finding of an agent rule not expected, by kind. */
  innocentFalseAlarms: Record<string, Ratio>
  /**
   * Per rule, its false positives by what the utterance was labelled: `innocent` (a labelled look-alike),
   * the rules it was labelled with (the writer listed other rules only), `listed` (listed, no finding
   * expected, no innocent kind) or `unlisted` (not listed at all).
   * Aggregate only, so a held-out set shows whether its false alarms are look-alikes or label overlaps
   * without anyone reading its lines.
   */
  falsePositivesOn: Record<string, Record<string, number>>
  /** Labelled forbidden acts found with the right act, over forbidden utterances found. */
  actAgreement: Ratio
  /** Findings on customer speech other than complaint_risk. */
  customerFindings: number
  /** Agent utterances judged (the evaluation's size). */
  agentUtterances: number
  labelledAgentUtterances: number
}

export interface StreamFigures extends Figures {
  alerts: number
  retracted: number
  /** Retractions that came after their utterance's final was fed (must be 0). */
  lateRetractions: number
  /** Calls whose report lists exactly the live alerts never retracted (scored rules). */
  agreeingCalls: Ratio
  /** Confirmed alerts raised on a partial, and how much earlier than the final (ms, by the utterance's clock). */
  earlyAlerts: number
  earlyByMs: number[]
}

export interface EvalResult {
  calls: number
  batch: Figures
  stream: StreamFigures
  greeting: Ratio
  closing: Ratio
  /**
   * Closing disagreements where the label says "not closed" and the customer hung up (the engine's
   * closedBy customer_hung_up): issue 10 excuses a customer who hangs up, some writers do not. Counted
   * apart so the label question is visible without reading the calls.
   */
  closingExcusedHangUps: number
  /** Per call and utterance, what went wrong (for the dev set only: see the CLI). */
  errors: { file: string; seq: number; speaker: string; text: string; expected: string[]; got: string[]; note?: string }[]
  /** Calls whose report disagrees with the live alerts, with the difference. */
  disagreements: { file: string; onlyLive: string[]; onlyReport: string[] }[]
}

function emptyFigures(): Figures {
  return {
    byRule: Object.fromEntries(LABELLED_RULES.map((r) => [r, counts()])),
    byForm: {},
    byKind: {},
    innocentFalseAlarms: {},
    falsePositivesOn: {},
    actAgreement: ratio(),
    customerFindings: 0,
    agentUtterances: 0,
    labelledAgentUtterances: 0,
  }
}

const bump = (m: Record<string, Ratio>, key: string, hit: boolean) => {
  const r = (m[key] ??= ratio())
  r.of++
  if (hit) r.hit++
}

/** Scores the findings of one call (by seq) against its labels, into `fig`; returns the error lines. */
function score(call: EvalCall, bySeq: Map<number, Finding[]>, fig: Figures, errors: EvalResult['errors'] | null): void {
  if (!call.labels) return
  const labels = new Map(call.labels.utterances.map((u) => [u.seq, u]))
  const finals = new Map<number, Utterance>()
  for (const u of call.utterances) if (u.final !== false) finals.set(u.seq, u)
  for (const u of finals.values()) {
    const label = labels.get(u.seq)
    const expected = label?.expect ?? []
    const found = (bySeq.get(u.seq) ?? []).filter((f) => (LABELLED_RULES as readonly string[]).includes(f.rule))
    if (u.speaker === 'agent') {
      fig.agentUtterances++
      if (label) fig.labelledAgentUtterances++
    } else fig.customerFindings += found.filter((f) => f.rule !== 'complaint_risk').length
    for (const rule of LABELLED_RULES) {
      const want = expected.some((e) => e.rule === rule)
      const got = found.some((f) => f.rule === rule)
      const c = fig.byRule[rule]!
      if (want && got) c.tp++
      else if (got) {
        c.fp++
        const on = label === undefined ? 'unlisted' : label.innocent !== undefined ? 'innocent' : [...new Set(expected.map((e) => e.rule))].sort().join('+') || 'listed'
        const by = (fig.falsePositivesOn[rule] ??= {})
        by[on] = (by[on] ?? 0) + 1
      }
      else if (want) c.fn++
    }
    for (const e of expected) {
      const got = found.some((f) => f.rule === e.rule)
      if (e.rule === 'forbidden_phrase' && e.form) bump(fig.byForm, e.form, got)
      if (e.kind) bump(fig.byKind, e.kind, got)
      if (e.rule === 'forbidden_phrase' && got && e.act) {
        fig.actAgreement.of++
        if (found.some((f) => f.rule === 'forbidden_phrase' && f.act === e.act)) fig.actAgreement.hit++
      }
    }
    if (label?.innocent) {
      const wrong = found.some((f) => f.againstAgent !== false && !expected.some((e) => e.rule === f.rule))
      bump(fig.innocentFalseAlarms, label.innocent, wrong)
    }
    if (errors) {
      const want = [...new Set(expected.map((e) => e.rule))].sort()
      const got = [...new Set(found.map((f) => f.rule))].sort()
      if (want.join() !== got.join()) {
        const err: EvalResult['errors'][number] = {
          file: call.file,
          seq: u.seq,
          speaker: u.speaker,
          text: u.text,
          expected: expected.map((e) => `${e.rule}${e.act ? `/${e.act}` : ''}${e.kind ? ` (${e.kind})` : ''}`),
          got: found.map((f) => `${f.rule}${f.act ? `/${f.act}` : ''} 「${(f.spans ?? []).map((s) => u.text.slice(s.start, s.end)).join('…')}」`),
        }
        const note = label?.note ?? label?.innocent
        if (note !== undefined) err.note = note
        errors.push(err)
      }
    }
  }
}

/** The ASR stream of a call: each final preceded by partials of its first third and two thirds (same seq). */
export function withPartials(utterances: readonly Utterance[]): { event: Utterance; arrivesAtMs: number }[] {
  const out: { event: Utterance; arrivesAtMs: number }[] = []
  for (const u of utterances) {
    if (u.final === false) {
      out.push({ event: u, arrivesAtMs: u.endMs })
      continue
    }
    const chars = [...u.text]
    for (const k of [1, 2]) {
      const n = Math.ceil((chars.length * k) / 3)
      if (n <= 0 || n >= chars.length) continue
      const endMs = u.startMs + Math.round(((u.endMs - u.startMs) * k) / 3)
      const { words: _words, ...rest } = u
      out.push({ event: { ...rest, text: chars.slice(0, n).join(''), endMs, final: false }, arrivesAtMs: endMs })
    }
    out.push({ event: u, arrivesAtMs: u.endMs })
  }
  return out
}

const scored = (f: Finding) => f.reportOnly !== true && !f.id.startsWith('speaking_rate:live:')

export function evaluate(rulebook: Rulebook, calls: readonly EvalCall[], options: { collectErrors?: boolean } = {}): EvalResult {
  const result: EvalResult = {
    calls: calls.length,
    batch: emptyFigures(),
    stream: { ...emptyFigures(), alerts: 0, retracted: 0, lateRetractions: 0, agreeingCalls: ratio(), earlyAlerts: 0, earlyByMs: [] },
    greeting: ratio(),
    closing: ratio(),
    closingExcusedHangUps: 0,
    errors: [],
    disagreements: [],
  }
  for (const call of calls) {
    const finalsOnly = call.utterances.filter((u) => u.final !== false)
    const ended: CallEnded = call.ended ?? { type: 'call.ended', callId: call.started.callId, endMs: finalsOnly.at(-1)?.endMs ?? 0, disposition: 'abandoned' }

    // Batch: the after-call report.
    const batch = new CallMonitor(rulebook, call.started)
    for (const u of finalsOnly) batch.feed(u)
    batch.feed(ended)
    const report = batch.report()
    const bySeq = new Map<number, Finding[]>()
    for (const f of report.findings) if (f.seq !== undefined) bySeq.set(f.seq, [...(bySeq.get(f.seq) ?? []), f])
    score(call, bySeq, result.batch, options.collectErrors ? result.errors : null)
    if (call.labels) {
      bump({ g: result.greeting }, 'g', report.metrics.greeted === call.labels.greeted)
      const missingClosing = report.findings.some((f) => f.rule === 'missing_closing')
      bump({ c: result.closing }, 'c', !missingClosing === call.labels.closingOk)
      if (!call.labels.closingOk && !missingClosing && report.metrics.closedBy === 'customer_hung_up') result.closingExcusedHangUps++
      if (options.collectErrors && report.metrics.greeted !== call.labels.greeted) result.errors.push({ file: call.file, seq: 0, speaker: 'agent', text: '(greeting)', expected: [`greeted=${call.labels.greeted}`], got: [`greeted=${report.metrics.greeted}`] })
      if (options.collectErrors && !missingClosing !== call.labels.closingOk) result.errors.push({ file: call.file, seq: 0, speaker: 'agent', text: '(closing)', expected: [`closingOk=${call.labels.closingOk}`], got: [`closedBy=${report.metrics.closedBy ?? 'none'}`] })
    }

    // Streaming: live alerts never retracted.
    const live = new CallMonitor(rulebook, call.started)
    const alerts = new Map<string, { finding: Finding; raisedAtMs: number; onPartial: boolean }>()
    const retracted = new Set<string>()
    const finalFed = new Set<number>()
    for (const { event, arrivesAtMs } of withPartials(call.utterances)) {
      const r = live.feed(event)
      for (const f of r.findings) alerts.set(f.id, { finding: f, raisedAtMs: arrivesAtMs, onPartial: event.final === false })
      for (const x of r.retracted) {
        retracted.add(x.findingId)
        const seq = alerts.get(x.findingId)?.finding.seq
        // Retracted with this final (same feed) is on time; after it is late.
        if (seq !== undefined && finalFed.has(seq)) result.stream.lateRetractions++
      }
      if (event.final !== false) finalFed.add(event.seq)
    }
    const end = live.feed(ended)
    for (const f of end.findings) alerts.set(f.id, { finding: f, raisedAtMs: ended.endMs, onPartial: false })
    for (const x of end.retracted) retracted.add(x.findingId)
    result.stream.alerts += alerts.size
    result.stream.retracted += retracted.size
    const kept = [...alerts.values()].filter((a) => !retracted.has(a.finding.id))
    const liveBySeq = new Map<number, Finding[]>()
    for (const a of kept) if (a.finding.seq !== undefined) liveBySeq.set(a.finding.seq, [...(liveBySeq.get(a.finding.seq) ?? []), a.finding])
    score(call, liveBySeq, result.stream, null)
    for (const a of kept) {
      if (!a.onPartial || a.finding.seq === undefined) continue
      const u = finalsOnly.find((x) => x.seq === a.finding.seq)
      if (!u) continue
      result.stream.earlyAlerts++
      result.stream.earlyByMs.push(u.endMs - a.raisedAtMs)
    }
    const liveIds = new Set(kept.filter((a) => scored(a.finding)).map((a) => a.finding.id))
    const reportIds = new Set(live.report().findings.filter(scored).map((f) => f.id))
    const onlyLive = [...liveIds].filter((id) => !reportIds.has(id))
    const onlyReport = [...reportIds].filter((id) => !liveIds.has(id))
    bump({ a: result.stream.agreeingCalls }, 'a', onlyLive.length === 0 && onlyReport.length === 0)
    if (onlyLive.length > 0 || onlyReport.length > 0) result.disagreements.push({ file: call.file, onlyLive, onlyReport })
  }
  return result
}
