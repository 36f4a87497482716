/**
 * `pnpm eval` inside `pnpm test`: the evaluation sets and the shipped samples through the engine
 * (batch and streamed with partials), every figure against THRESHOLDS. Fails naming the figures
 * below their threshold. A held-out set's utterances are never printed, only its figures.
 */
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadDefaultRulebook } from '../src/rulebook/parse.js'
import { checkThresholds } from './check.js'
import { EVAL_SETS, HELD_OUT_HIDDEN, evaluate, loadSet } from './harness.js'
import { THRESHOLDS } from './thresholds.js'

describe('evaluation (pnpm eval)', () => {
  const rulebook = loadDefaultRulebook()
  for (const set of EVAL_SETS) {
    it.skipIf(!existsSync(set.dir) || (set.heldOut && HELD_OUT_HIDDEN))(`${set.name}: every figure meets its threshold`, () => {
      const result = evaluate(rulebook, loadSet(set.dir, { labelled: set.labelled }))
      const failing = checkThresholds(result, THRESHOLDS[set.name as keyof typeof THRESHOLDS], set.labelled).filter((c) => !c.ok)
      expect(failing.map((c) => `${c.name}: ${c.value.toFixed(3)} (want ${c.want})`)).toEqual([])
    })
  }
})
