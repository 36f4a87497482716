/**
 * The error catalogues and docs/errors.md agree, and every `CQ_ERR_*` the code sends is in a
 * catalogue. On a failure the message lists exactly what is missing where (after a merge: add the
 * line to the package's errors.ts, then `pnpm docs:errors`).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CATALOGUES, renderErrorsDoc, row } from '../scripts/docs/error-catalogues.js'

const ROOT = resolve(import.meta.dirname, '..')

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) sourceFiles(path, out)
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

describe('error catalogues', () => {
  it('each code is well formed and appears once in its catalogue', () => {
    const problems: string[] = []
    for (const { name, catalogue } of CATALOGUES) {
      const seen = new Set<string>()
      for (const [key, spec] of Object.entries(catalogue)) {
        if (!/^CQ_ERR_[A-Z0-9_]+$/.test(spec.code)) problems.push(`${name} ${key}: code ${spec.code} is not CQ_ERR_*`)
        if (seen.has(spec.code)) problems.push(`${name}: ${spec.code} twice`)
        seen.add(spec.code)
        if (!(spec.statusCode >= 400 && spec.statusCode <= 599)) problems.push(`${name} ${spec.code}: HTTP status ${spec.statusCode}`)
        if (!(spec.closeCode === 0 || (spec.closeCode >= 1000 && spec.closeCode <= 4999))) problems.push(`${name} ${spec.code}: close code ${spec.closeCode}`)
        if (spec.message.trim().length < 10) problems.push(`${name} ${spec.code}: message too short to tell anyone what to fix`)
      }
    }
    expect(problems).toEqual([])
  })

  it('a code shared by two catalogues means the same there (status and close code)', () => {
    const first = new Map<string, { name: string; statusCode: number; closeCode: number }>()
    const problems: string[] = []
    for (const { name, catalogue } of CATALOGUES) {
      for (const spec of Object.values(catalogue)) {
        const other = first.get(spec.code)
        if (other && (other.statusCode !== spec.statusCode || other.closeCode !== spec.closeCode)) {
          problems.push(`${spec.code}: ${other.name} says ${other.statusCode}/${other.closeCode}, ${name} says ${spec.statusCode}/${spec.closeCode}`)
        }
        if (!other) first.set(spec.code, { name, statusCode: spec.statusCode, closeCode: spec.closeCode })
      }
    }
    expect(problems).toEqual([])
  })

  it('docs/errors.md lists every code of every catalogue and nothing else (run `pnpm docs:errors`)', () => {
    const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')
    const docRows = new Set(doc.split('\n').filter((l) => l.startsWith('| `CQ_ERR_')))
    const codeRows = new Set(CATALOGUES.flatMap(({ catalogue }) => Object.values(catalogue).map(row)))
    const missingFromDoc = [...codeRows].filter((r) => !docRows.has(r))
    const notInCode = [...docRows].filter((r) => !codeRows.has(r))
    expect({ missingFromDoc, notInCode }).toEqual({ missingFromDoc: [], notInCode: [] })
    expect(doc).toBe(renderErrorsDoc())
  })

  it('every CQ_ERR_* code the source uses is in a catalogue', () => {
    const known = new Set(CATALOGUES.flatMap(({ catalogue }) => Object.values(catalogue).map((s) => s.code)))
    const missing: string[] = []
    const dirs = ['packages', 'services', 'scripts'].map((d) => join(ROOT, d))
    for (const file of dirs.flatMap((d) => sourceFiles(d))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/CQ_ERR_[A-Z0-9_]*[A-Z0-9]/g)) {
        if (!known.has(m[0])) missing.push(`${m[0]} in ${file.slice(ROOT.length + 1)}`)
      }
    }
    expect([...new Set(missing)]).toEqual([])
  })
})
