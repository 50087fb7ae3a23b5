export interface BackoffPolicy {
  /** Delay before the first retry (before jitter). */
  baseMs: number;
  /** Ceiling for the exponential delay (before jitter). */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th retry (n ≥ 1) waits between half and all of
 * min(maxMs, baseMs·2^(n−1)). Half the delay is guaranteed, so retries never bunch up at zero;
 * the random half spreads out receivers that failed together. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) overflows nothing useful past ~50 doublings; the cap applies long before.
  const exp = n > 52 ? p.maxMs : Math.min(p.maxMs, p.baseMs * 2 ** (n - 1));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
