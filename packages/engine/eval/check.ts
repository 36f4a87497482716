/** Figures of an evaluation against THRESHOLDS: one line per figure, and whether it passes. */
import { precision, rate, recall, type EvalResult, type Ratio } from './harness.js'
import type { Thresholds } from './thresholds.js'

export interface Check {
  name: string
  value: number
  want: string
  ok: boolean
}

const sum = (rs: Ratio[]): Ratio => rs.reduce((a, r) => ({ hit: a.hit + r.hit, of: a.of + r.of }), { hit: 0, of: 0 })

export function checkThresholds(r: EvalResult, t: Thresholds, labelled: boolean): Check[] {
  const out: Check[] = []
  const atLeast = (name: string, value: number, min: number, applies = true) => applies && out.push({ name, value, want: `≥ ${min}`, ok: value >= min })
  const atMost = (name: string, value: number, max: number, applies = true) => applies && out.push({ name, value, want: `≤ ${max}`, ok: value <= max })
  if (labelled) {
    for (const [label, fig] of [['report', r.batch], ['live', r.stream]] as const) {
      const c = fig.byRule.forbidden_phrase!
      atLeast(`${label} forbidden_phrase precision`, precision(c), t.forbiddenPrecision)
      atLeast(`${label} forbidden_phrase recall`, recall(c), t.forbiddenRecall)
    }
    const form = (f: string) => r.batch.byForm[f]
    atLeast('forbidden exact recall', rate(form('exact') ?? { hit: 0, of: 0 }), t.exactRecall, form('exact') !== undefined)
    atLeast('forbidden noisy recall', rate(form('noisy') ?? { hit: 0, of: 0 }), t.noisyRecall, form('noisy') !== undefined)
    atLeast('forbidden paraphrase recall', rate(form('paraphrase') ?? { hit: 0, of: 0 }), t.paraphraseRecall, form('paraphrase') !== undefined)
    atMost('innocent false-alarm rate', rate(sum(Object.values(r.batch.innocentFalseAlarms))), t.innocentFalseAlarmRate)
    for (const rule of ['pointing_out_mistake', 'scolding', 'sarcasm']) {
      const c = r.batch.byRule[rule]!
      if (c.tp + c.fn === 0 && c.fp === 0) continue
      atLeast(`${rule} recall`, recall(c), t.chapter8Recall)
      atLeast(`${rule} precision`, precision(c), t.chapter8Precision)
    }
    for (const rule of ['internal_disclosure', 'overpromise']) {
      const c = r.batch.byRule[rule]!
      if (c.tp + c.fn === 0 && c.fp === 0) continue
      atLeast(`${rule} recall`, recall(c), t.chapter10Recall)
      atLeast(`${rule} precision`, precision(c), t.chapter10Precision)
    }
    atLeast('greeting accuracy', rate(r.greeting), t.greetingAccuracy)
    atLeast('closing accuracy', rate(r.closing), t.closingAccuracy)
    atMost('findings on customer speech', r.batch.customerFindings, t.customerFindings)
  }
  atMost('calls whose report disagrees with live alerts', r.stream.agreeingCalls.of - r.stream.agreeingCalls.hit, t.disagreeingCalls)
  atMost('retractions after their final', r.stream.lateRetractions, t.lateRetractions)
  return out
}
