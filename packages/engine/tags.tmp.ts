import { UtteranceFeatures } from './src/features/utterance.js'
for (const t of process.argv.slice(2)) { const f = new UtteranceFeatures(t); console.log(f.text, '|', f.sentenceWords(0).map((w) => `${w.word}/${w.tag}`).join(' ')) }
