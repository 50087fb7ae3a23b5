import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunQueue } from './run-queue.ts';

test('at most `concurrency` runs at once, in arrival order; a busy key is skipped', async () => {
  const q = new RunQueue(2, () => {});
  const order: string[] = [];
  let active = 0;
  let peak = 0;
  const work = (k: string) => async () => {
    active++;
    peak = Math.max(peak, active);
    order.push(k);
    await new Promise((r) => setTimeout(r, 20));
    active--;
  };
  for (const k of ['a', 'b', 'c', 'd']) assert.equal(q.offer(k, work(k)), true);
  assert.equal(q.offer('a', work('a')), false, 'a is still queued or running');
  await q.idle();
  assert.equal(peak, 2);
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  assert.equal(q.offer('a', work('a')), true, 'free again once done');
  await q.idle();
});

test('a failing run is reported and frees its slot', async () => {
  const errors: string[] = [];
  const q = new RunQueue(1, (_e, k) => errors.push(k));
  q.offer('x', async () => { throw new Error('no'); });
  q.offer('y', async () => {});
  await q.idle();
  assert.deepEqual(errors, ['x']);
  assert.equal(q.has('x'), false);
});
