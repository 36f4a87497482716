import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { detectUtterance } from './src/detect.js'
import { loadDefaultRulebook } from './src/rulebook/parse.js'
import { compilePhrases } from './src/phrases/matcher.js'
import { UtteranceFeatures, CONTEXT_FEATURES } from './src/features/utterance.js'
const rb = loadDefaultRulebook()
const y = parse(readFileSync('rulebooks/default.yaml', 'utf8')) as any
const specs = y.rules.forbidden_phrase.phrases
const m = compilePhrases(specs)
const verbose = process.argv.includes('-v')
const lines = readFileSync(process.argv[2]!, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'))
let bad = 0
for (const line of lines) {
  const [want, text] = line.includes('\t') ? line.split('\t') as [string, string] : ['?', line]
  const fs = detectUtterance(rb, { speaker: 'agent', text }).map((f) => `${f.rule}${f.act ? '/' + f.act : ''}「${(f.spans ?? []).map((s) => text.slice(s.start, s.end)).join('|')}」`)
  const fired = fs.some((x) => x.startsWith('forbidden'))
  const mark = want === '?' ? ' ' : (want === 'v') === fired ? ' ' : 'X'
  if (mark === 'X') bad++
  console.log(`${mark} ${want} ${text}  => ${fs.join(' ') || '-'}`)
  if (verbose || mark === 'X') {
    const f = new UtteranceFeatures(text)
    for (const h of m.matchRanked(f.norm)) {
      const o = { start: h.nStart, end: h.nEnd }
      const cb: string[] = specs[h.index].clearedBy ?? []
      const hold = CONTEXT_FEATURES.filter((x) => { try { return f.holds(x, o) } catch { return false } })
      console.log(`      ${h.phrase}@${f.text.slice(o.start, o.end)} subj=${f.subject(o)} holds=[${hold.join(',')}] clearedBy∩=[${hold.filter((x) => cb.includes(x)).join(',')}]`)
    }
  }
}
console.log('wrong', bad, 'of', lines.length)
