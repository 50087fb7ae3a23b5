/**
 * InvocationRateLimitPerSecond: a token bucket per API destination holding one second of
 * invocations. AWS delays invocations over the limit; Osprey answers with a retryable THROTTLING
 * failure and the time until the next token, which the delivery worker waits before retrying.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  /** 0 when the invocation may go now (a token is taken), else the milliseconds until one is free. */
  take(key: string, perSecond: number): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) * perSecond) / 1000);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * 1000) / perSecond);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
