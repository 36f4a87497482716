import { loadDefaultRulebook } from './packages/engine/src/index.ts'
const rb = loadDefaultRulebook()
for (const t of process.argv.slice(2)) console.log(t, JSON.stringify(rb.rules.pointing_out_mistake!.matcher.match(t)))
