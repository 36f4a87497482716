/**
 * For `train-acts.ts --history`: the lexicon rules' findings on the agent finals of dev and blind2 as an
 * OLDER engine decided them (the frames before blind2 was read), written as JSON {"set/file#seq": [rules]}.
 *
 *   git archive ee5ab54 packages/engine/src packages/engine/rulebooks | tar -x -C packages/engine/.old --strip-components=2
 *   npx tsx packages/engine/eval/old-frames.ts packages/engine/.old /tmp/oldframes.json
 *
 * (.old must sit inside packages/engine so that its imports resolve; delete it afterwards.)
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { EVAL_SETS, loadSet } from './harness.js'

const [dir, outFile] = process.argv.slice(2)
if (!dir || !outFile) throw new Error('usage: old-frames.ts OLD_ENGINE_DIR OUT.json')
const at = (p: string) => pathToFileURL(resolve(dir, p)).href
const { detectUtterance } = (await import(at('src/detect.ts'))) as typeof import('../src/detect.js')
const { loadDefaultRulebook } = (await import(at('src/rulebook/parse.ts'))) as typeof import('../src/rulebook/parse.js')
const rulebook = loadDefaultRulebook()
const out: Record<string, string[]> = {}
for (const name of ['dev', 'blind2'] as const) {
  for (const call of loadSet(EVAL_SETS.find((s) => s.name === name)!.dir)) {
    for (const u of call.utterances) {
      if (u.final === false || u.speaker !== 'agent') continue
      const found = detectUtterance(rulebook, { speaker: 'agent', text: u.text })
      out[`${name}/${call.file}#${u.seq}`] = [...new Set(found.filter((f) => f.againstAgent !== false).map((f) => f.rule as string))]
    }
  }
}
writeFileSync(outFile, JSON.stringify(out))
console.log(`${Object.keys(out).length} agent finals -> ${outFile}`)
