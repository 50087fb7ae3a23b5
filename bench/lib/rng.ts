import { seededRandom } from '../../src/lib/seeded-random.ts';

/** The benches' seeded PRNG (mulberry32): every run generates the same workload. */
export const rng = seededRandom;

const WORDS = ['GET', 'POST', '/api/v1/cart', '/api/v1/users', 'status=200', 'status=500', 'ERROR', 'INFO', 'WARN', 'latency_ms', 'request_id', 'checkout', 'payment', 'timeout', 'db', 'cache-miss'];

/** A log line of exactly `bytes` ASCII bytes, built from a small vocabulary (realistic compression). */
export function logLine(next: () => number, bytes: number): string {
  let s = '';
  while (s.length < bytes) s += WORDS[Math.floor(next() * WORDS.length)] + ' ' + Math.floor(next() * 100000) + ' ';
  return s.slice(0, bytes);
}
