import { UtteranceFeatures } from './packages/engine/src/index.ts'
const t = process.argv[2]!; const s = Number(process.argv[3]); const e = Number(process.argv[4])
const f = new UtteranceFeatures(t); const o = { start: s, end: e }
console.log(f.text.slice(s, e), 'q', f.question(o), 'c', f.condition(o), 'r', f.reported(o), 's', f.subject(o))
