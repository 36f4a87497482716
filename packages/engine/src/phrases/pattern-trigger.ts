/**
 * A cheap necessary condition for a pattern form (`patterns:` in a phrase entry): per top-level
 * alternative, sets of characters of which every match contains one of EACH. The matcher skips a pattern
 * none of whose alternatives has all its sets in the utterance, so most patterns cost a few array lookups
 * instead of a regex scan.
 *
 * Reads the subset of regex syntax the rulebook uses: literals, groups with alternatives, character
 * classes, quantifiers, lookarounds and backreferences (zero-width or unconstrained: skipped). Returns
 * undefined when it cannot tell (then the pattern always runs).
 */

// Characters so common that a set holding them filters little: avoided when a rarer atom is mandatory.
// The 150 characters found in the most lines of real agent chat (../shared/corpus), Han only.
export const COMMON_CHARS: ReadonlySet<string> = new Set([
  ...'您的请好是可以问有我呢下不这哦到一在亲为会给帮还了吗谢们后系信个号提单联小题用时理查么机数电务服要便手订如歉供字客带关来看抱等反通什快边已处方话询情其需进中人解他对感能使核作商私点建前员妹支心况发持户议常上馈工很网品地意爱码和实送再否行过果出正开收经没于稍也现接新烦京东货待复',
  ...'你就说都那吧啊',
])

type CharSet = Set<string> | undefined

function cost(set: Set<string>): number {
  let c = 0
  for (const ch of set) c += COMMON_CHARS.has(ch) ? 20 : 1
  return c
}

function better(a: CharSet, b: CharSet): CharSet {
  if (a === undefined) return b
  if (b === undefined) return a
  return cost(b) < cost(a) ? b : a
}

class Reader {
  i = 0
  constructor(readonly src: string) {}
  peek(): string | undefined {
    return this.src[this.i]
  }
}

/** Parses alternatives until `)` or the end: per alternative, the sets of its mandatory atoms. */
function alternatives(r: Reader): Set<string>[][] {
  const alts: Set<string>[][] = [sequence(r)]
  while (r.peek() === '|') {
    r.i++
    alts.push(sequence(r))
  }
  return alts
}

/** The set every match of a group contains one of: the union of each alternative's cheapest atom set. */
function alternation(r: Reader): CharSet {
  const alts = alternatives(r)
  const out = new Set<string>()
  for (const sets of alts) {
    let best: CharSet
    for (const set of sets) best = better(best, set)
    if (best === undefined) return undefined
    for (const ch of best) out.add(ch)
  }
  return out
}

/** The character sets of a sequence's mandatory atoms (every match holds a character of EACH). */
function sequence(r: Reader): Set<string>[] {
  const sets: Set<string>[] = []
  for (;;) {
    const ch = r.peek()
    if (ch === undefined || ch === '|' || ch === ')') return sets
    const atom = atomSet(r)
    const mandatory = quantifier(r)
    if (mandatory && atom.set !== undefined) sets.push(atom.set)
  }
}

/** Consumes a quantifier after an atom; true when the atom must occur at least once. */
function quantifier(r: Reader): boolean {
  const ch = r.peek()
  if (ch === '?' || ch === '*') {
    r.i++
    if (r.peek() === '?') r.i++
    return false
  }
  if (ch === '+') {
    r.i++
    if (r.peek() === '?') r.i++
    return true
  }
  if (ch === '{') {
    const m = /^\{(\d*)(,\d*)?\}\??/.exec(r.src.slice(r.i))
    if (m) {
      r.i += m[0].length
      return Number(m[1] || '0') >= 1
    }
  }
  return true
}

function atomSet(r: Reader): { set: CharSet } {
  const ch = r.peek()!
  if (ch === '(') {
    r.i++
    let zeroWidth = false
    if (r.src.startsWith('?:', r.i)) r.i += 2
    else if (/^\?<?[=!]/.test(r.src.slice(r.i))) {
      r.i += r.src[r.i + 1] === '<' ? 3 : 2
      zeroWidth = true
    } else if (r.src.startsWith('?<', r.i)) r.i = r.src.indexOf('>', r.i) + 1
    const set = alternation(r)
    if (r.peek() === ')') r.i++
    return { set: zeroWidth ? undefined : set }
  }
  if (ch === '[') {
    const end = findClassEnd(r.src, r.i)
    const body = r.src.slice(r.i + 1, end)
    r.i = end + 1
    if (body.startsWith('^')) return { set: undefined }
    return { set: classChars(body) }
  }
  if (ch === '\\') return { set: escapeSet(r) }
  r.i++
  if (ch === '.' || ch === '^' || ch === '$') return { set: undefined }
  return { set: new Set([ch]) }
}

/**
 * Consumes an escape at `r.i` (the backslash) WHOLE, so no part of it is read as a literal: a named
 * backreference `\k<name>`, `\u{…}`, `\uXXXX`, `\xXX`, `\p{…}`/`\P{…}`, `\cX` and a numbered backreference's
 * digits. Returns the one character it stands for, or undefined (a class, a backreference, a boundary:
 * nothing certain).
 */
function escapeSet(r: Reader): CharSet {
  const m = ESCAPE.exec(r.src.slice(r.i))
  if (m === null) {
    r.i += 1
    return undefined
  }
  r.i += m[0].length
  const body = m[0].slice(1)
  if (body.length === 1) {
    if (body in CONTROL) return new Set([CONTROL[body]!])
    return /[sSdDwWbB0-9]/.test(body) ? undefined : new Set([body])
  }
  const hex = /^u\{([0-9a-fA-F]+)\}$|^u([0-9a-fA-F]{4})$|^x([0-9a-fA-F]{2})$/.exec(body)
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16)
    // Outside the BMP a character is two code units; the trigger tables index single units.
    return code <= 0xffff ? new Set([String.fromCharCode(code)]) : undefined
  }
  return undefined
}

const CONTROL: Record<string, string> = { f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' }

// An escape as the regex reads it (u flag): the longest form first.
const ESCAPE = /^\\(?:k<[^>]*>|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[pP]\{[^}]*\}|c[A-Za-z]|[1-9][0-9]*|[\s\S])/

function findClassEnd(src: string, start: number): number {
  for (let k = start + 1; k < src.length; k++) {
    if (src[k] === '\\') k++
    else if (src[k] === ']') return k
  }
  return src.length
}

function classChars(body: string): CharSet {
  const out = new Set<string>()
  for (let k = 0; k < body.length; k++) {
    let ch = body[k]!
    if (ch === '\\') {
      const next = body[k + 1]
      if (next === undefined || /[sSdDwWbBupPkx]/.test(next)) return undefined
      ch = next
      k++
    }
    if (body[k + 1] === '-' && k + 2 < body.length) {
      const to = body[k + 2]!
      const a = ch.charCodeAt(0)
      const b = to.charCodeAt(0)
      if (b - a > 64) return undefined
      for (let c = a; c <= b; c++) out.add(String.fromCharCode(c))
      k += 2
      continue
    }
    out.add(ch)
  }
  return out
}

const MAX_SETS = 3

/**
 * The trigger of a regex source, per top-level alternative: up to MAX_SETS character sets (UTF-16 code
 * units), the rarest first, such that every match of that alternative holds a character of each. A
 * pattern can match only where some alternative has all its sets present. Undefined when nothing is certain.
 */
export function patternTrigger(source: string): Uint16Array[][] | undefined {
  try {
    const r = new Reader(source)
    const alts = alternatives(r)
    if (r.i < source.length) return undefined
    const out: Uint16Array[][] = []
    for (const alt of alts) {
      const sets = [...alt].sort((x, y) => cost(x) - cost(y)).slice(0, MAX_SETS)
      if (sets.length === 0 || sets.some((x) => x.size === 0)) return undefined
      out.push(sets.map((set) => Uint16Array.from([...set].map((c) => c.charCodeAt(0)))))
    }
    return out
  } catch {
    return undefined
  }
}
