/**
 * Token bucket per connection: `ratePerSecond` sustained, `burst` at once. Time comes in as an
 * argument (ms, monotonic) so the limiter is deterministic to test.
 */
export class TokenBucket {
  #tokens: number
  #lastMs: number
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.#tokens = burst
    this.#lastMs = nowMs
  }

  /** Takes `cost` tokens; false when the bucket is empty (the caller closes the connection). */
  take(cost: number, nowMs: number): boolean {
    const elapsed = nowMs - this.#lastMs
    if (elapsed > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.ratePerSecond) / 1000)
      this.#lastMs = nowMs
    }
    this.#tokens -= cost
    return this.#tokens >= 0
  }
}
