/** mulberry32: a tiny seeded PRNG so every bench run generates the same workload. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['GET', 'POST', '/api/v1/cart', '/api/v1/users', 'status=200', 'status=500', 'ERROR', 'INFO', 'WARN', 'latency_ms', 'request_id', 'checkout', 'payment', 'timeout', 'db', 'cache-miss'];

/** A log line of exactly `bytes` ASCII bytes, built from a small vocabulary (realistic compression). */
export function logLine(next: () => number, bytes: number): string {
  let s = '';
  while (s.length < bytes) s += WORDS[Math.floor(next() * WORDS.length)] + ' ' + Math.floor(next() * 100000) + ' ';
  return s.slice(0, bytes);
}
