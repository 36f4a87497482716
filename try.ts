import { loadDefaultRulebook, detectUtterance, UtteranceFeatures } from './packages/engine/src/index.ts'
import { normalizeWithMap } from './packages/engine/src/text/normalize.ts'
const rb = loadDefaultRulebook()
for (const t of process.argv.slice(2)) {
  const f = detectUtterance(rb, { speaker: 'agent', text: t })
  console.log(t, JSON.stringify(f.map((x) => [x.rule, x.act, x.spans])))
  const hits = rb.rules.forbidden_phrase!.matcher.matchNormalized(normalizeWithMap(t))
  const feats = new UtteranceFeatures(t)
  for (const h of hits) { const o = { start: h.nStart, end: h.nEnd }; console.log('  hit', h.phrase, 'q', feats.question(o), 'c', feats.condition(o), 'r', feats.reported(o), 's', feats.subject(o), 'b', feats.onBehalf(o), 'w', feats.wonderWhether(o)) }
}
