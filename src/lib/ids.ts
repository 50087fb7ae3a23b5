import { randomUUID } from 'node:crypto';

export const requestId = (): string => randomUUID();

/**
 * Monotonic 64-bit sequence numbers: milliseconds in the high bits, a counter in the low 20 bits.
 * Unique within a process and increasing across restarts as long as the wall clock does not go
 * back by more than the restart takes; ties on (ts) in the store are broken by this value.
 */
export class SequenceGenerator {
  private last = 0n;
  next(nowMs: number): bigint {
    let v = BigInt(nowMs) << 20n;
    if (v <= this.last) v = this.last + 1n;
    this.last = v;
    return v;
  }
  /** Reserve `n` consecutive values; returns the first. */
  take(nowMs: number, n: number): bigint {
    const first = this.next(nowMs);
    this.last = first + BigInt(n - 1);
    return first;
  }
}
