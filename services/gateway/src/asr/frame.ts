/**
 * The decoding path of an ASR socket frame: limits, JSON, then the format's adapter. Never throws
 * for any input: every frame gives utterances or coded errors.
 */
import { decodeEvent, ErrorCodes, jsonDepthOver, MAX_JSON_DEPTH, ProtocolError, type DecodedFrame, type FrameLimits } from '@callqa/protocol'
import type { AsrAdapter, AsrFormat } from './common.js'

export function decodeAsrFrame(
  format: AsrFormat,
  adapter: AsrAdapter,
  callId: string,
  data: Buffer,
  isBinary: boolean,
  limits: FrameLimits,
  nowMs: number,
): DecodedFrame {
  if (isBinary) {
    return { events: [], errors: [new ProtocolError(ErrorCodes.BINARY_FRAME, `binary frames are not accepted: send the ${format} server's JSON results as text frames, not audio`, { callId })] }
  }
  if (data.byteLength > limits.maxFrameBytes) {
    return { events: [], errors: [new ProtocolError(ErrorCodes.FRAME_TOO_LARGE, `frame is ${data.byteLength} bytes, over the limit of ${limits.maxFrameBytes}`, { callId })] }
  }
  const text = data.toString('utf8')
  if (jsonDepthOver(text)) {
    return { events: [], errors: [new ProtocolError(ErrorCodes.NESTING_TOO_DEEP, `${format}: the message nests deeper than ${MAX_JSON_DEPTH} levels; ASR result messages are shallow`, { callId })] }
  }
  let message: unknown
  try {
    message = JSON.parse(text)
  } catch {
    if (!(format === 'sherpa-onnx' && text.trim() === 'Done!')) {
      return { events: [], errors: [new ProtocolError(ErrorCodes.NOT_JSON, `frame is not valid JSON (a ${format} result message was expected): ${JSON.stringify(text.slice(0, 40))}`, { callId })] }
    }
    message = 'Done!'
  }
  try {
    const out: DecodedFrame = { events: [], errors: [] }
    // The adapters build valid utterances; checking them again keeps a server's odd values (NaN
    // times, huge segment numbers) from ever reaching the engine.
    for (const u of adapter.push(message, nowMs)) {
      try {
        out.events.push(decodeEvent(u))
      } catch (err) {
        out.errors.push(new ProtocolError(ErrorCodes.INVALID_ASR_MESSAGE, `${format}: the message gives an invalid utterance: ${err instanceof Error ? err.message : String(err)}`, { callId, seq: u.seq }))
      }
    }
    return out
  } catch (err) {
    if (err instanceof ProtocolError) return { events: [], errors: [err] }
    return { events: [], errors: [new ProtocolError(ErrorCodes.INVALID_ASR_MESSAGE, `${format}: the message could not be read (${err instanceof Error ? err.message : String(err)})`, { callId })] }
  }
}
