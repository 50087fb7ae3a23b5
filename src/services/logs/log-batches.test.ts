import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batches } from './log-batches.ts';

test('batches respect the PutLogEvents count, size and 24-hour limits', () => {
  const ev = (timestamp: number, size = 10) => ({ timestamp, message: 'x'.repeat(size) });
  assert.deepEqual(batches(Array.from({ length: 10_001 }, (_, i) => ev(i))).map((b) => b.length), [10_000, 1]);
  // 3 events of 400,000 bytes (+26 each): two fit in 1,048,576 bytes, the third does not.
  assert.deepEqual(batches([ev(0, 400_000), ev(1, 400_000), ev(2, 400_000)]).map((b) => b.length), [2, 1]);
  const day = 24 * 3600 * 1000;
  assert.deepEqual(batches([ev(0), ev(day), ev(day + 1)]).map((b) => b.length), [2, 1]);
  assert.deepEqual(batches([]), []);
});
