/**
 * A cheap necessary condition for a pattern form (`patterns:` in a phrase entry): a set of characters
 * of which every match of the regex contains at least one. The matcher skips a pattern whose set has no
 * character in the utterance, so most patterns cost a few array lookups instead of a regex scan.
 *
 * Reads the subset of regex syntax the rulebook uses: literals, groups with alternatives, character
 * classes, quantifiers, lookarounds and backreferences (zero-width or unconstrained: skipped). Returns
 * undefined when it cannot tell (then the pattern always runs).
 */

// Characters so common that a set holding them filters nothing: avoided when a rarer atom is mandatory.
const COMMON = new Set([...'我你您的了是不这就也都有在人么吗呢吧啊个说要还一那'])

type CharSet = Set<string> | undefined

function cost(set: Set<string>): number {
  let c = 0
  for (const ch of set) c += COMMON.has(ch) ? 20 : 1
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

/** Parses alternatives until `)` or the end; the set every match of the whole contains one of. */
function alternation(r: Reader): CharSet {
  const alts: CharSet[] = [sequence(r)]
  while (r.peek() === '|') {
    r.i++
    alts.push(sequence(r))
  }
  if (alts.some((a) => a === undefined)) return undefined
  const out = new Set<string>()
  for (const a of alts) for (const ch of a!) out.add(ch)
  return out
}

function sequence(r: Reader): CharSet {
  let best: CharSet
  for (;;) {
    const ch = r.peek()
    if (ch === undefined || ch === '|' || ch === ')') return best
    const atom = atomSet(r)
    const mandatory = quantifier(r)
    if (mandatory && atom.set !== undefined) best = better(best, atom.set)
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
  if (ch === '\\') {
    const next = r.src[r.i + 1]
    r.i += 2
    // \s \d \w, backreferences, \u escapes: no single known character.
    if (next === undefined || /[sSdDwWbB0-9upPkx]/.test(next)) return { set: undefined }
    return { set: new Set([next]) }
  }
  r.i++
  if (ch === '.' || ch === '^' || ch === '$') return { set: undefined }
  return { set: new Set([ch]) }
}

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

/** The trigger characters of a regex source (UTF-16 code units), or undefined when unknown. */
export function patternTrigger(source: string): Uint16Array | undefined {
  try {
    const r = new Reader(source)
    const set = alternation(r)
    if (set === undefined || set.size === 0 || r.i < source.length) return undefined
    return Uint16Array.from([...set].map((c) => c.charCodeAt(0)))
  } catch {
    return undefined
  }
}
