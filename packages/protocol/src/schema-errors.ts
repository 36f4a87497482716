/**
 * Turns a TypeBox validator's errors into one message a person can act on: the field, what was
 * expected and what arrived. Shared by every schema checked at an edge (events, reports).
 */

/** A value as it appears in a message: JSON, cut at 60 characters. */
export function describeValue(value: unknown): string {
  // Total: a value too deep, cyclic or with a throwing toJSON is still described, never thrown.
  try {
    if (value === undefined) return 'nothing'
    const json = JSON.stringify(value)
    if (json === undefined) return String(value)
    return json.length > 60 ? `${json.slice(0, 57)}...` : json
  } catch {
    return Array.isArray(value) ? 'an array' : value !== null && typeof value === 'object' ? 'an object' : typeof value
  }
}

/** "/words/2/endMs" -> "words[2].endMs" */
export function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('')
}

function readPath(value: unknown, instancePath: string): unknown {
  let at: unknown = value
  for (const part of instancePath.split('/').filter(Boolean)) {
    if (at === null || typeof at !== 'object') return undefined
    at = (at as Record<string, unknown>)[part]
  }
  return at
}

export interface SchemaError {
  keyword: string
  instancePath: string
  message: string
  params: Record<string, unknown>
}

export interface SchemaProblem {
  /** Path of the offending field, e.g. `words[2].endMs`; undefined for the value as a whole. */
  field: string | undefined
  message: string
}

/**
 * The one problem worth reporting, with `subject` naming the value (`utterance`, `report`): an
 * unknown or missing field first, else the deepest error. Unions report one error per branch, so
 * their `const` alternatives are gathered into "one of …".
 */
export function firstSchemaProblem(errors: Iterable<SchemaError>, value: unknown, subject: string): SchemaProblem {
  let best: SchemaError | undefined
  const allowed = new Map<string, unknown[]>()
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = allowed.get(e.instancePath) ?? []
      list.push(e.params.allowedValue)
      allowed.set(e.instancePath, list)
    }
    if (e.keyword === 'anyOf' || e.keyword === 'boolean') continue
    if (e.keyword === 'additionalProperties' || e.keyword === 'required') {
      const name = e.keyword === 'required'
        ? (e.params.requiredProperties as string[] | undefined)?.[0]
        : (e.params.additionalProperties as string[] | undefined)?.[0]
      const at = fieldOf(e.instancePath)
      const field = at ? `${at}.${name}` : String(name)
      const message = e.keyword === 'required' ? `${subject}.${field} is required` : `${subject} has an unknown field ${field}`
      return { field, message }
    }
    if (!best || e.instancePath.length > best.instancePath.length) best = e
  }
  if (!best) return { field: undefined, message: `${subject} is not valid` }
  const field = fieldOf(best.instancePath)
  const got = describeValue(readPath(value, best.instancePath))
  const consts = allowed.get(best.instancePath)
  const expected =
    best.keyword === 'const' && consts
      ? consts.length === 1
        ? `be ${describeValue(consts[0])}`
        : `be one of ${consts.map(describeValue).join(', ')}`
      : best.message
  const must = expected.startsWith('must') ? expected : `must ${expected}`
  return { field: field || undefined, message: `${subject}${field ? `.${field}` : ''} ${must}, got ${got}` }
}
