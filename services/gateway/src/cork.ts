/**
 * Batches the frames a socket is sent in one synchronous stretch (a flush's acks, a batch of
 * supervisor messages) into one write: the first send corks the underlying TCP socket and the
 * next tick uncorks it. One syscall per socket per batch instead of one per frame.
 */
import type { WebSocket } from 'ws'

const kCorked = Symbol('callqa.corked')

type Corkable = WebSocket & { [kCorked]?: boolean; _socket?: { cork(): void; uncork(): void; destroyed?: boolean } }

export function corkUntilNextTick(ws: WebSocket): void {
  const socket = ws as Corkable
  if (socket[kCorked] || !socket._socket) return
  socket[kCorked] = true
  socket._socket.cork()
  process.nextTick(() => {
    socket[kCorked] = false
    if (!socket._socket?.destroyed) socket._socket?.uncork()
  })
}
