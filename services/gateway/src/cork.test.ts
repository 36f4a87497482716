import { once } from 'node:events'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { corkForWindow, corkUntilImmediate, uncorkNow } from './cork.js'

// Real sockets on loopback: the server side's TCP writes are counted (net.Socket#_writev/_write).
let wss: WebSocketServer
let port: number
beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await once(wss, 'listening')
  port = (wss.address() as { port: number }).port
})
afterAll(() => new Promise<void>((r) => wss.close(() => r())))

async function pair(): Promise<{ server: WebSocket; client: WebSocket; received: string[]; writes: () => number }> {
  const client = new WebSocket(`ws://127.0.0.1:${port}`)
  const [server] = (await once(wss, 'connection')) as [WebSocket]
  await once(client, 'open')
  const received: string[] = []
  client.on('message', (d) => received.push(String(d)))
  const raw = (server as unknown as { _socket: { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown } })._socket
  let writes = 0
  const writev = raw._writev.bind(raw)
  const write = raw._write.bind(raw)
  raw._writev = (...a) => (writes++, writev(...a))
  raw._write = (...a) => (writes++, write(...a))
  return { server, client, received, writes: () => writes }
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5))
}

describe('cork', () => {
  it('gathers the frames of several event-loop turns into one write within a window', async () => {
    const { server, client, received, writes } = await pair()
    for (const n of [1, 2, 3]) {
      corkForWindow(server, 300)
      server.send(`m${n}`)
      await nextTurn()
    }
    expect(writes()).toBe(0)
    await until(() => received.length === 3)
    expect(received).toEqual(['m1', 'm2', 'm3'])
    expect(writes()).toBe(1)
    client.close()
  })

  it('writes once per turn without a window, and at once on uncorkNow', async () => {
    const { server, client, received, writes } = await pair()
    for (const n of [1, 2]) {
      corkForWindow(server, 0)
      server.send(`a${n}`)
      server.send(`b${n}`)
      await nextTurn()
      await nextTurn()
    }
    await until(() => received.length === 4)
    expect(writes()).toBe(2)
    corkForWindow(server, 10_000)
    server.send('late')
    uncorkNow(server)
    await until(() => received.length === 5)
    expect(received.at(-1)).toBe('late')
    // The window's timer later finds the socket already uncorked: no second uncork (which would
    // undo a later cork early) and nothing lost.
    corkUntilImmediate(server)
    server.send('after')
    await until(() => received.length === 6)
    expect(received.at(-1)).toBe('after')
    client.close()
  })
})
