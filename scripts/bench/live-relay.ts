/**
 * The floor for `pnpm bench:live`: a bare `ws` relay that forwards every frame received on
 * `/relay/in` to every socket on `/relay/out`. No parsing, no engine, no Redis, no acks.
 * Run: node --import tsx scripts/bench/live-relay.ts (PORT env; prints `relay ready` when listening).
 */
import { createServer } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'

const port = Number(process.env.PORT ?? 8090)
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end('{"ok":true}')
})
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
const outs = new Set<WebSocket>()
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => {})
    if (req.url?.startsWith('/relay/out')) {
      outs.add(ws)
      ws.on('close', () => outs.delete(ws))
    } else {
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        for (const out of outs) out.send(data, { binary: isBinary })
      })
    }
  })
})
server.listen(port, '127.0.0.1', () => process.stdout.write('relay ready\n'))
process.once('SIGTERM', () => process.exit(0))
