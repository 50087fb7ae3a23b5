import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../lib/logger.ts';
import { SegmentBatcher } from './segment-batcher.ts';

test('full batches go out several at a time, up to maxInFlight; flush waits for every call', async () => {
  let inFlight = 0;
  let most = 0;
  const sizes: number[] = [];
  const b = new SegmentBatcher({
    log: silentLogger, maxBatch: 10, maxInFlight: 3,
    send: async (docs) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      sizes.push(docs.length);
      inFlight--;
    },
  });
  for (let i = 0; i < 95; i++) b.add(`{"id":"${i}"}`);
  await b.flush();
  assert.equal(most, 3);
  assert.equal(sizes.reduce((a, x) => a + x, 0), 95);
  assert.equal(b.sent, 95);
  assert.equal(b.dropped, 0);
});

test('a short remainder waits for maxDelayMs; past maxQueued documents are dropped and counted; failed calls count as dropped', async () => {
  const sent: number[] = [];
  let fail = false;
  const b = new SegmentBatcher({
    log: silentLogger, maxBatch: 50, maxDelayMs: 30, maxQueued: 5, maxInFlight: 1,
    send: async (docs) => {
      if (fail) throw new Error('store down');
      sent.push(docs.length);
    },
  });
  for (let i = 0; i < 8; i++) b.add('{}');
  assert.equal(b.dropped, 3);
  assert.deepEqual(sent, []);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(sent, [5]);
  fail = true;
  b.add('{}');
  await b.flush();
  assert.equal(b.dropped, 4);
  assert.equal(b.sent, 5);
});
