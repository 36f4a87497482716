import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('.', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  )
}

// The engine is pure: no sockets, Redis, HTTP, clocks or randomness (time comes in as data). Files are
// read only to load a rulebook (rulebook/parse.ts) or a dictionary.
const ALLOWED_PACKAGES = new Set(['@callqa/protocol', 'yaml', 'opencc-js', 'pinyin-pro', '@node-rs/jieba', '@node-rs/jieba/dict.js', 'nodejieba', '@monyone/aho-corasick', 'node:fs', 'node:url', 'node:path', 'node:module'])

describe('engine purity', () => {
  const files = sources(SRC)

  it('imports only its own modules and the expected libraries', () => {
    const imported = new Set<string>()
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!
        if (!spec.startsWith('.')) imported.add(spec.startsWith('natural/') ? 'natural/*' : spec)
      }
    }
    const unexpected = [...imported].filter((s) => !ALLOWED_PACKAGES.has(s) && s !== 'natural/*')
    expect(unexpected).toEqual([])
  })

  it('reads no clock and draws no random numbers', () => {
    const offenders = files.filter((f) => /\bDate\.now\(|new Date\(\)|performance\.now\(|Math\.random\(|setTimeout\(|setInterval\(/.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})
