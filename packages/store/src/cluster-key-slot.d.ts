// cluster-key-slot (the slot function ioredis itself uses) ships no types.
declare module 'cluster-key-slot' {
  /** Redis Cluster hash slot (0-16383) of a key: CRC16 of its hash tag, or of the whole key. */
  function calculateSlot(key: string | Buffer): number
  export default calculateSlot
}
