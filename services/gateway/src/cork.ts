/**
 * Batches the frames a socket is sent in one turn of the event loop (a flush's acks, the
 * supervisor messages of every ingest frame read in that turn) into one write: the first send
 * corks the underlying TCP socket and `setImmediate` (the check phase, right after the turn's I/O
 * callbacks) uncorks it. One syscall per socket per turn instead of one per frame or per tick:
 * `writev` on loopback was the largest single cost in the gateway's profile, and per-tick corking
 * only merged the messages of one ingest frame.
 */
import type { WebSocket } from 'ws'

const kCorked = Symbol('callqa.corked')

type Corkable = WebSocket & { [kCorked]?: boolean; _socket?: { cork(): void; uncork(): void; destroyed?: boolean } }

let corked: Corkable[] = []

function uncorkAll(): void {
  const sockets = corked
  corked = []
  for (const socket of sockets) {
    socket[kCorked] = false
    try {
      if (!socket._socket?.destroyed) socket._socket?.uncork()
    } catch {
      // A socket that fails to write reports it through its own 'error' event; the others still go out.
    }
  }
}

export function corkUntilImmediate(ws: WebSocket): void {
  const socket = ws as Corkable
  if (socket[kCorked] || !socket._socket) return
  socket[kCorked] = true
  socket._socket.cork()
  // One immediate for every socket corked in this turn.
  if (corked.push(socket) === 1) setImmediate(uncorkAll)
}

/**
 * Writes out now what a socket corked by `corkUntilImmediate` holds (it stays uncorked for the
 * rest of this turn). For a send-buffer limit: what waits for the end of the turn is not what the
 * peer failed to read, and a burst must not close a supervisor that reads fine.
 */
export function uncorkNow(ws: WebSocket): void {
  const socket = ws as Corkable
  if (!socket[kCorked]) return
  socket[kCorked] = false
  corked = corked.filter((s) => s !== socket)
  if (!socket._socket?.destroyed) socket._socket?.uncork()
}
