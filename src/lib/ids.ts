import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

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

/**
 * Random hex from a pool refilled 4 KiB at a time: a `randomBytes()` per call is a getrandom
 * system call, which showed in SQS receive profiles (one receipt token per receive). The bytes are
 * as random as randomBytes'; only the system calls are batched, as randomUUID() does.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString('hex');
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const s = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return s;
}
