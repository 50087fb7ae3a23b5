// The block-filter worker: filters per part come back at a drain, in the order the head sent its
// bodies; a drain it does not answer in time fails (the head then reads those blocks in full).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { filterHas, needleGrams } from './gram-filter.ts';
import { GramWorker } from './gram-workers.ts';
import { LogWalCodec } from './log-wal-codec.ts';

const worker = new GramWorker();
after(() => worker.terminate());

const body = (...messages: string[]) => new LogWalCodec().encodedBody(messages.map((message, i) => ({
  account: '123456789012', region: 'us-east-1', logGroup: 'g', logStream: 's', ts: i, ingestTs: i, seq: BigInt(i), message,
})));

test('a drain answers with one filter per part since the previous drain', async () => {
  const h = worker.head();
  worker.add(h, 1, body('alpha ALPHANEEDLE'));
  worker.add(h, 1, body('more of part one'));
  worker.add(h, 2, body('part two BETANEEDLE'));
  const filters = await worker.drain(h);
  assert.deepEqual([...filters.keys()], [1, 2]);
  assert.equal(filterHas(filters.get(1)!, needleGrams('ALPHANEEDLE')), true);
  assert.equal(filterHas(filters.get(1)!, needleGrams('of part one')), true);
  assert.equal(filterHas(filters.get(1)!, needleGrams('BETANEEDLE')), false);
  assert.equal(filterHas(filters.get(2)!, needleGrams('BETANEEDLE')), true);
  assert.deepEqual([...(await worker.drain(h)).keys()], [], 'nothing since');
});

test('a drain not answered in time fails instead of holding the flush', async () => {
  const slow = new GramWorker();
  try {
    // The first use starts the worker (its loader takes far longer than 1 ms).
    await assert.rejects(slow.drain(slow.head(), 1), /did not answer within 1 ms/);
  } finally {
    await slow.terminate();
  }
});

test('after terminate() the next use starts a new worker', async () => {
  const h = worker.head();
  await worker.terminate();
  worker.add(h, 1, body('after restart NEEDLE42'));
  const filters = await worker.drain(h);
  assert.equal(filterHas(filters.get(1)!, needleGrams('NEEDLE42')), true);
});
