/**
 * Batches the frames a socket is sent in a short while into one write. The first send corks the
 * underlying TCP socket; `setImmediate` (the check phase, right after the turn's I/O callbacks) or,
 * for sockets corked with a window, a timer uncorks it. One syscall per socket per turn (or window)
 * instead of one per frame: `writev` on loopback was the largest single cost in the gateway's
 * profile. Supervisor sockets take a window of a few milliseconds: at 10,000 calls nearly every
 * ingest frame is a turn of its own, and each turn with an alert or a call update cost one write per
 * supervisor.
 */
import type { WebSocket } from 'ws'

const kCorked = Symbol('callqa.corked')

type Corkable = WebSocket & { [kCorked]?: boolean; _socket?: { cork(): void; uncork(): void; destroyed?: boolean } }

let corked: Corkable[] = []
let windowed: Corkable[] = []

function uncorkList(sockets: Corkable[]): void {
  for (const socket of sockets) {
    if (!socket[kCorked]) continue
    socket[kCorked] = false
    try {
      if (!socket._socket?.destroyed) socket._socket?.uncork()
    } catch {
      // A socket that fails to write reports it through its own 'error' event; the others still go out.
    }
  }
}

function uncorkAll(): void {
  const sockets = corked
  corked = []
  uncorkList(sockets)
}

function uncorkWindow(): void {
  const sockets = windowed
  windowed = []
  uncorkList(sockets)
}

/** Corks `ws` until the end of this event-loop turn. */
export function corkUntilImmediate(ws: WebSocket): void {
  const socket = ws as Corkable
  if (socket[kCorked] || !socket._socket) return
  socket[kCorked] = true
  socket._socket.cork()
  // One immediate for every socket corked in this turn.
  if (corked.push(socket) === 1) setImmediate(uncorkAll)
}

/**
 * Corks `ws` for at most `windowMs` (0: until the end of this turn, as corkUntilImmediate): every
 * socket corked in one window is written out by one timer.
 */
export function corkForWindow(ws: WebSocket, windowMs: number): void {
  if (windowMs <= 0) {
    corkUntilImmediate(ws)
    return
  }
  const socket = ws as Corkable
  if (socket[kCorked] || !socket._socket) return
  socket[kCorked] = true
  socket._socket.cork()
  if (windowed.push(socket) === 1) setTimeout(uncorkWindow, windowMs)
}

/**
 * Writes out now what a corked socket holds (it stays uncorked until its next cork). For a
 * send-buffer limit: what waits for the end of the turn is not what the peer failed to read, and a
 * burst must not close a supervisor that reads fine.
 */
export function uncorkNow(ws: WebSocket): void {
  const socket = ws as Corkable
  if (!socket[kCorked]) return
  socket[kCorked] = false
  if (!socket._socket?.destroyed) socket._socket?.uncork()
}
