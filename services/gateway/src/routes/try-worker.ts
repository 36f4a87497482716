/**
 * A rulebook try worker thread: loads the rulebook once, then answers `{id, text, nowIso}` with
 * `{id, json}` (the answer already serialized, so the gateway thread only forwards a string) or
 * `{id, error: {code, statusCode, message}}`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { loadDefaultRulebook, loadRulebookFile } from '@callqa/engine'
import { gatewayError } from '../errors.js'
import { checkPastedTranscript, MAX_TRY_ANSWER_CHARS } from './try-check.js'

const { rulebookPath } = workerData as { rulebookPath: string }
const rulebook = rulebookPath ? loadRulebookFile(rulebookPath) : loadDefaultRulebook()

parentPort!.on('message', (task: { id: number; text: string; nowIso: string }) => {
  try {
    const json = JSON.stringify(checkPastedTranscript(rulebook, task.text, task.nowIso))
    if (json.length > MAX_TRY_ANSWER_CHARS) {
      throw gatewayError('TRANSCRIPT_TOO_LARGE', `the answer would be ${Math.round(json.length / 1024)} KiB, over the limit of ${MAX_TRY_ANSWER_CHARS / 1024} KiB: check a shorter part`)
    }
    parentPort!.postMessage({ id: task.id, json })
  } catch (err) {
    const e = err as { code?: string; statusCode?: number; message?: string }
    const coded = typeof e.code === 'string' && e.code.startsWith('CQ_ERR_')
    parentPort!.postMessage({ id: task.id, error: { code: coded ? e.code : 'CQ_ERR_INTERNAL', statusCode: coded ? (e.statusCode ?? 400) : 500, message: coded ? e.message : `the check failed: ${e.message ?? String(err)}` } })
  }
})
parentPort!.postMessage({ ready: true })
