/**
 * How both of the agent's senders (metrics and log streams) treat a failed call: a failure that can
 * pass — no answer (connection refused, reset, timeout), a 5xx, throttling — is retried, in order,
 * after a backoff of 1 s doubling to 10 s (short, so a returning server is caught up with within
 * seconds); anything else (a 4xx) is the request's own fault and retrying cannot help.
 */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

export function isPassingFailure(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status >= 500 || status === 429 || /Throttl|ServiceUnavailable/i.test(err.name ?? '');
}

export class Backoff {
  private delay = 0;
  private until = 0;

  /** Whether a send may be tried at `now`. */
  ready(now: number): boolean {
    return now >= this.until;
  }

  /** A passing failure: the next try waits longer. Returns the wait in ms. */
  failed(now = Date.now()): number {
    this.delay = Math.min(MAX_BACKOFF_MS, this.delay === 0 ? FIRST_BACKOFF_MS : this.delay * 2);
    this.until = now + this.delay;
    return this.delay;
  }

  succeeded(): void {
    this.delay = 0;
    this.until = 0;
  }
}
