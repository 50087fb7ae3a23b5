import { test } from 'node:test';
import { tempMetaDb } from '../store/meta/test-support.ts';
import assert from 'node:assert/strict';
import { ManualClock, systemClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { OutboxStore, type OutboxRow } from '../store/meta/outbox.ts';
import { DeliveryWorker, type DeliveryHandler, type DeliveryResult } from './delivery-worker.ts';

async function fresh(t: { after(fn: () => Promise<void> | void): void }) {
  const { db } = await tempMetaDb(t, 'osprey-worker-');
  return new OutboxStore(db);
}

/** A handler whose answer per call is scripted; it records what it was given. */
function scripted(answer: (row: OutboxRow, call: number) => Omit<DeliveryResult, 'id'>, topic = 't') {
  const calls: number[][] = [];
  const handler: DeliveryHandler = {
    topic,
    async deliver(rows) {
      calls.push(rows.map((r) => r.id));
      return rows.map((r) => ({ id: r.id, ...answer(r, calls.length) }) as DeliveryResult);
    },
  };
  return { handler, calls };
}

const SETTINGS = { backoffMs: 100, maxBackoffMs: 1000, leaseMs: 10_000, maxPermanentAttempts: 3, maxAgeMs: 3_600_000 };

test('delivered rows are deleted', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const { handler, calls } = scripted(() => ({ ok: true }));
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock, log: silentLogger, settings: SETTINGS });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '1' }, { topic: 't', target: 'b', payload: '2' }], 0);
  await w.runOnce();
  assert.deepEqual(calls, [[1, 2]]);
  assert.deepEqual(await outbox.counts(0), { pending: 0, leased: 0, dead: 0 });
});

test('retryable failures back off exponentially (with jitter) until the receiver recovers', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  let healthy = false;
  const { handler, calls } = scripted(() => (healthy ? { ok: true } : { ok: false, permanent: false, error: 'HTTP 503' }));
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock, log: silentLogger, settings: SETTINGS, random: () => 0 });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '1' }], 0);
  const due: number[] = [];
  for (let i = 0; i < 5; i++) {
    await w.runOnce();
    const next = (await outbox.nextDueAt(['t']))!;
    due.push(next - clock.now());
    clock.set(next - 1);
    await w.runOnce(); // not due yet: nothing happens
    clock.set(next);
  }
  // Equal jitter with random() = 0: half of 100, 200, 400, 800, then the 1000 ms cap.
  assert.deepEqual(due, [50, 100, 200, 400, 500]);
  assert.equal(calls.length, 5);
  healthy = true;
  await w.runOnce();
  assert.equal(calls.length, 6);
  assert.deepEqual(await outbox.counts(clock.now()), { pending: 0, leased: 0, dead: 0 });
});

test("a receiver's Retry-After is honoured up to the backoff ceiling", async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const { handler } = scripted(() => ({ ok: false, permanent: false, error: 'HTTP 429', retryAfterMs: 700 }));
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock, log: silentLogger, settings: SETTINGS, random: () => 0 });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '1' }], 0);
  await w.runOnce();
  assert.equal(await outbox.nextDueAt(['t']), 700);
});

test('permanent failures are retried a bounded number of times, then dead-lettered', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const { handler, calls } = scripted(() => ({ ok: false, permanent: true, error: 'HTTP 404 from http://x/' }));
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock, log: silentLogger, settings: SETTINGS, random: () => 0 });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '1' }], 0);
  for (let i = 0; i < 5; i++) {
    await w.runOnce();
    clock.advance(10_000);
  }
  assert.equal(calls.length, 3);
  const [dead] = await outbox.listDead(10);
  assert.equal(dead.attempts, 3);
  assert.equal(dead.lastError, 'HTTP 404 from http://x/');
  assert.deepEqual(await outbox.counts(clock.now()), { pending: 0, leased: 0, dead: 1 });
});

test('retryable failures are given up once the row is older than maxAgeMs', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const { handler } = scripted(() => ({ ok: false, permanent: false, error: 'ECONNREFUSED' }));
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock, log: silentLogger, settings: { ...SETTINGS, maxAgeMs: 5000 } });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '1' }], 0);
  await w.runOnce();
  assert.equal((await outbox.counts(0)).dead, 0);
  clock.set(5000);
  await w.runOnce();
  assert.equal((await outbox.counts(5000)).dead, 1);
});

test('a handler that throws fails its rows retryably; missing results count as failures', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const throwing: DeliveryHandler = { topic: 'a', deliver: async () => { throw new Error('boom'); } };
  const partial: DeliveryHandler = { topic: 'b', deliver: async (rows) => [{ id: rows[0].id, ok: true }] };
  const w = new DeliveryWorker({ outbox, handlers: [throwing, partial], clock, log: silentLogger, settings: SETTINGS, random: () => 0 });
  await outbox.enqueue([{ topic: 'a', target: 'x', payload: '' }, { topic: 'b', target: 'y', payload: '' }, { topic: 'b', target: 'z', payload: '' }], 0);
  await w.runOnce();
  clock.set(50);
  const left = await outbox.claim({ topics: ['a', 'b'], owner: 'probe', now: 50, leaseMs: 1, limit: 10 });
  assert.deepEqual(left.map((r) => [r.target, r.attempts, r.lastError]), [
    ['x', 1, 'delivery handler failed: boom'],
    ['z', 1, 'the delivery handler returned no result'],
  ]);
});

test('two workers never hold the same row at once', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(0);
  const seen: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow: DeliveryHandler = {
    topic: 't',
    async deliver(rows) {
      seen.push(...rows.map((r) => r.id));
      await gate;
      return rows.map((r) => ({ id: r.id, ok: true as const }));
    },
  };
  const w1 = new DeliveryWorker({ outbox, handlers: [slow], clock, log: silentLogger, settings: { ...SETTINGS, batchSize: 2 }, owner: 'w1' });
  const w2 = new DeliveryWorker({ outbox, handlers: [slow], clock, log: silentLogger, settings: { ...SETTINGS, batchSize: 2 }, owner: 'w2' });
  await outbox.enqueue(Array.from({ length: 3 }, (_, i) => ({ topic: 't', target: String(i), payload: '' })), 0);
  const rounds = [w1.runOnce(), w2.runOnce()];
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all(rounds);
  assert.deepEqual(seen.sort(), [1, 2, 3]);
  assert.equal((await outbox.counts(0)).pending, 0);
});

test('a started worker delivers new rows without waiting for its poll interval, and stop() is clean', async (t) => {
  const outbox = await fresh(t);
  let resolveDelivered!: () => void;
  const delivered = new Promise<void>((r) => (resolveDelivered = r));
  const handler: DeliveryHandler = {
    topic: 't',
    async deliver(rows) {
      resolveDelivered();
      return rows.map((r) => ({ id: r.id, ok: true as const }));
    },
  };
  const w = new DeliveryWorker({ outbox, handlers: [handler], clock: systemClock, log: silentLogger, settings: { ...SETTINGS, pollMs: 60_000 } });
  w.start();
  const started = Date.now();
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '' }], Date.now());
  await delivered;
  assert.ok(Date.now() - started < 5000);
  await w.stop();
  assert.equal((await outbox.counts(Date.now())).pending, 0);
});

test('stop() waits for in-flight sends, then aborts them and releases their rows without counting an attempt', async (t) => {
  const outbox = await fresh(t);
  let inFlight!: () => void;
  const started = new Promise<void>((r) => (inFlight = r));
  const hanging: DeliveryHandler = {
    topic: 't',
    deliver(rows, signal) {
      inFlight();
      return new Promise((resolve) => {
        signal.addEventListener('abort', () => resolve(rows.map((r) => ({ id: r.id, ok: false, permanent: false, error: 'aborted' }))));
      });
    },
  };
  const w = new DeliveryWorker({ outbox, handlers: [hanging], clock: systemClock, log: silentLogger, settings: SETTINGS });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '' }], Date.now());
  w.start();
  await started;
  const t0 = Date.now();
  await w.stop(100);
  assert.ok(Date.now() - t0 >= 90, 'waited for the grace period');
  const [row] = await outbox.claim({ topics: ['t'], owner: 'next', now: Date.now(), leaseMs: 1000, limit: 1 });
  assert.equal(row.attempts, 0, 'released, not counted as a failure');
});

test('stop() does not hang on a handler that ignores the abort signal', async (t) => {
  const outbox = await fresh(t);
  let inFlight!: () => void;
  const started = new Promise<void>((r) => (inFlight = r));
  const stuck: DeliveryHandler = {
    topic: 't',
    deliver() {
      inFlight();
      return new Promise(() => {});
    },
  };
  const w = new DeliveryWorker({ outbox, handlers: [stuck], clock: systemClock, log: silentLogger, settings: SETTINGS });
  await outbox.enqueue([{ topic: 't', target: 'a', payload: '' }], Date.now());
  w.start();
  await started;
  const t0 = Date.now();
  await w.stop(50);
  assert.ok(Date.now() - t0 < 4000);
});

test('rows held until a time (notBefore) are claimed only by then, or up to claimAheadMs before by a handler that asks', async (t) => {
  const outbox = await fresh(t);
  const clock = new ManualClock(9_000);
  const plain = scripted(() => ({ ok: true }), 'plain');
  const ahead = scripted(() => ({ ok: true }), 'ahead');
  const early: DeliveryHandler = { ...ahead.handler, topic: 'ahead', claimAheadMs: 1000, deliver: ahead.handler.deliver };
  const w = new DeliveryWorker({ outbox, handlers: [plain.handler, early], clock, log: silentLogger, settings: SETTINGS });
  await outbox.enqueue([{ topic: 'plain', target: 'a', payload: '1', notBefore: 10_500 }, { topic: 'ahead', target: 'b', payload: '2', notBefore: 10_500 }], clock.now());
  clock.set(9_400);
  await w.runOnce();
  assert.deepEqual([plain.calls, ahead.calls], [[], []], 'nothing 1.1 s before its time');
  clock.set(9_600);
  await w.runOnce();
  assert.deepEqual([plain.calls, ahead.calls], [[], [[2]]]);
  clock.set(10_500);
  await w.runOnce();
  assert.deepEqual(plain.calls, [[1]]);
});
