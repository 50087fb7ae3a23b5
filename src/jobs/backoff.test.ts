import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from './backoff.ts';

const policy = { baseMs: 100, maxMs: 1000 };

test('the delay doubles per attempt and stays between half and all of it', () => {
  assert.equal(backoffDelay(1, policy, () => 0), 50);
  assert.equal(backoffDelay(1, policy, () => 0.999999), 100);
  assert.equal(backoffDelay(2, policy, () => 0), 100);
  assert.equal(backoffDelay(3, policy, () => 0), 200);
  assert.equal(backoffDelay(4, policy, () => 0.5), 600);
});

test('the delay is capped at maxMs however many attempts failed', () => {
  assert.equal(backoffDelay(5, policy, () => 0.999999), 1000);
  assert.equal(backoffDelay(1000, policy, () => 0), 500);
  assert.equal(backoffDelay(1000, policy, () => 0.999999), 1000);
});

test('attempt numbers below 1 count as the first retry', () => {
  assert.equal(backoffDelay(0, policy, () => 0), 50);
  assert.equal(backoffDelay(-3, policy, () => 0), 50);
});
