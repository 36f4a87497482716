import { describe, expect, it } from 'vitest'
import { cleanupRedis, startGateway, testEnv, TestSocket, TEST_INGEST_TOKEN } from './testing.js'

describe('gateway shutdown', () => {
  it('says 1001 to a socket that answers, and closes within the shutdown deadline though a peer never answers the close handshake', async () => {
    const env = testEnv()
    const gw = await startGateway(env)
    try {
      const polite = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
      const deaf = await TestSocket.open(`${gw.wsUrl}/v1/ingest`, TEST_INGEST_TOKEN)
      // A peer that stops reading: it never sees the close frame, so it never answers it.
      ;(deaf.ws as unknown as { _socket: { pause(): void } })._socket.pause()
      // Without the gateway's own bound, ws waits 30 s for the deaf peer's answer: longer than the 10 s
      // shutdown deadline of `pnpm start`.
      const outcome = await Promise.race([gw.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still waiting on the deaf peer'), 10_000))])
      expect(outcome).toBe('closed')
      expect(await polite.closed).toBe(1001)
    } finally {
      await cleanupRedis(env)
    }
  }, 20_000)
})
