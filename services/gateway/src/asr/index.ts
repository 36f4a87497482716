import type { AsrAdapter, AsrChannel, AsrFormat } from './common.js'
import { createFunAsrAdapter } from './funasr.js'
import { createSherpaOnnxAdapter } from './sherpa-onnx.js'
import { createVoskAdapter } from './vosk.js'
import { createWenetAdapter } from './wenet.js'

export { ASR_FORMATS, joinCjk, type AsrAdapter, type AsrChannel, type AsrFormat } from './common.js'

export const ASR_ADAPTERS: Record<AsrFormat, (channel: AsrChannel) => AsrAdapter> = {
  funasr: createFunAsrAdapter,
  vosk: createVoskAdapter,
  'sherpa-onnx': createSherpaOnnxAdapter,
  wenet: createWenetAdapter,
}
