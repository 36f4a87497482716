/** The little schema language rule modules declare their rulebook fields in (validated by parse.ts). */
import { SEVERITIES, type Severity } from '@callqa/protocol'

export type Spec =
  | { kind: 'string'; nonEmpty?: boolean }
  | { kind: 'version' }
  | { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'words' }
  | { kind: 'phrases' }
  | { kind: 'object'; fields: Record<string, Field> }
  /** A mapping whose entries are checked elsewhere. */
  | { kind: 'map' }

export interface Field {
  spec: Spec
  required?: boolean
}

export const req = (spec: Spec): Field => ({ spec, required: true })
export const opt = (spec: Spec): Field => ({ spec })
export const nonNegative: Spec = { kind: 'number', min: 0 }
export const positive: Spec = { kind: 'number', min: 0, exclusiveMin: true }
export const msSpec: Spec = { kind: 'number', min: 0, integer: true }
export const words: Spec = { kind: 'words' }

/** Fields every scored rule has. */
export const ruleBase: Record<string, Field> = {
  enabled: opt({ kind: 'boolean' }),
  severity: req({ kind: 'enum', values: SEVERITIES }),
  weight: req(nonNegative),
  maxPoints: opt(nonNegative),
}

export type RawRule = Record<string, unknown>

export function baseOf(r: RawRule): { severity: Severity; weight: number; maxPoints?: number } {
  const b: { severity: Severity; weight: number; maxPoints?: number } = { severity: r.severity as Severity, weight: r.weight as number }
  if (typeof r.maxPoints === 'number') b.maxPoints = r.maxPoints
  return b
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}
