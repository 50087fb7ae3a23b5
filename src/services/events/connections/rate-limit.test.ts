import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

test('a destination gets its rate per second, then waits for the next token', () => {
  let now = 0;
  const l = new RateLimiter(() => now);
  for (let i = 0; i < 5; i++) assert.equal(l.take('d', 5), 0);
  assert.equal(l.take('d', 5), 200);
  now += 200;
  assert.equal(l.take('d', 5), 0);
  assert.equal(l.take('d', 5), 200);
});

test('destinations have their own buckets, and a forgotten bucket starts full', () => {
  let now = 0;
  const l = new RateLimiter(() => now);
  assert.equal(l.take('a', 1), 0);
  assert.equal(l.take('b', 1), 0);
  assert.equal(l.take('a', 1), 1000);
  l.forget('a');
  assert.equal(l.take('a', 1), 0);
  now += 10_000;
  assert.equal(l.take('b', 1), 0);
  assert.equal(l.take('b', 1), 1000);
});
