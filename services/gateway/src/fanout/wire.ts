/**
 * The batch format on the Redis fan-out channel. One PUBLISH carries every supervisor message of
 * one checkpoint flush, so 10,000 live calls cost a few publishes per millisecond, not one per
 * message. Each message's JSON is serialized once by the instance that raised it and forwarded to
 * sockets as-is by every instance (no re-serialization on the hot path).
 *
 * Format: first line `v1\t<originInstanceId>`, then one line per item:
 * `kind\tcallId\tagentId\tteamId\tcomplaintRisk(0|1)\tkey\tjson`. Ids match protocol `Id`
 * (no tabs or newlines) and JSON.stringify escapes both, so the split is unambiguous.
 */
export type FanoutKind = 'alert' | 'call' | 'transcript' | 'alert.ack' | 'alert.retracted' | 'handover' | 'follows'

export interface FanoutItem {
  kind: FanoutKind
  callId: string
  agentId: string
  teamId: string
  /** For access rules: complaint managers see complaint-risk alerts and calls that raised one. */
  complaintRisk: boolean
  /** alertId for `alert` / `alert.ack` / `alert.retracted`; the new owner for `handover`; '' otherwise. `follows`: json = callIds followed on the origin instance. */
  key: string
  /** The supervisor message, serialized ('' for `handover`). */
  json: string
  /** Local only: process.hrtime.bigint() when the frame that caused it arrived. */
  receivedAtNs?: bigint
}

const KINDS: ReadonlySet<string> = new Set(['alert', 'call', 'transcript', 'alert.ack', 'alert.retracted', 'handover', 'follows'])

export function encodeBatch(origin: string, items: readonly FanoutItem[]): string {
  let out = `v1\t${origin}`
  for (const it of items) {
    out += `\n${it.kind}\t${it.callId}\t${it.agentId}\t${it.teamId}\t${it.complaintRisk ? 1 : 0}\t${it.key}\t${it.json}`
  }
  return out
}

/** Decodes a batch; returns null for a message that is not one (another program on the channel). */
export function decodeBatch(text: string): { origin: string; items: FanoutItem[] } | null {
  const lines = text.split('\n')
  const head = lines[0]!.split('\t')
  if (head[0] !== 'v1' || head.length !== 2) return null
  const items: FanoutItem[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    let at = 0
    const parts: string[] = []
    for (let f = 0; f < 6; f++) {
      const tab = line.indexOf('\t', at)
      if (tab < 0) return null
      parts.push(line.slice(at, tab))
      at = tab + 1
    }
    if (!KINDS.has(parts[0]!)) continue
    items.push({
      kind: parts[0] as FanoutKind,
      callId: parts[1]!,
      agentId: parts[2]!,
      teamId: parts[3]!,
      complaintRisk: parts[4] === '1',
      key: parts[5]!,
      json: line.slice(at),
    })
  }
  return { origin: head[1]!, items }
}
