import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OriginGate } from './origin-gate.ts';

test('OriginGate runs at most limit tasks per origin and starts waiters in order as slots free', () => {
  const gate = new OriginGate(2);
  const started: string[] = [];
  for (const t of ['a', 'b', 'c', 'd']) gate.enter('o', () => (started.push(t), true));
  gate.enter('other', () => (started.push('x'), true));
  assert.deepEqual(started, ['a', 'b', 'x']);
  gate.leave('o');
  assert.deepEqual(started, ['a', 'b', 'x', 'c']);
  assert.equal(gate.active('o'), 2);
  gate.leave('o');
  gate.leave('o');
  gate.leave('o');
  assert.deepEqual(started, ['a', 'b', 'x', 'c', 'd']);
  assert.equal(gate.active('o'), 0);
});

test('OriginGate passes the slot of a waiter that gave up on to the next one', () => {
  const gate = new OriginGate(1);
  const started: string[] = [];
  gate.enter('o', () => true);
  for (let k = 0; k < 10_000; k++) gate.enter('o', () => false);
  gate.enter('o', () => (started.push('last'), true));
  gate.leave('o');
  assert.deepEqual(started, ['last']);
  assert.equal(gate.active('o'), 1);
  gate.leave('o');
  assert.equal(gate.active('o'), 0);
});

test('OriginGate frees the slot when a task declines it at once', () => {
  const gate = new OriginGate(1);
  gate.enter('o', () => false);
  assert.equal(gate.active('o'), 0);
  let ran = false;
  gate.enter('o', () => (ran = true));
  assert.equal(ran, true);
});
