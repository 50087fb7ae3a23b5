import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { OutboxStore } from './outbox.ts';

for (const engine of await metaEngines()) describe(`outbox on ${engine.name}`, () => {
async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open();
  t.after(() => db.close());
  return { db, outbox: new OutboxStore(db) };
}

const row = (target: string, payload = '{}') => ({ topic: 't', target, payload });

test('claimed rows come back oldest first and are invisible to other owners until the lease expires', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([row('a'), row('b'), row('c')], 1000);
  const first = await outbox.claim({ topics: ['t'], owner: 'w1', now: 1000, leaseMs: 500, limit: 2 });
  assert.deepEqual(first.map((r) => r.target), ['a', 'b']);
  const second = await outbox.claim({ topics: ['t'], owner: 'w2', now: 1000, leaseMs: 500, limit: 10 });
  assert.deepEqual(second.map((r) => r.target), ['c']);
  assert.deepEqual(await outbox.claim({ topics: ['t'], owner: 'w2', now: 1499, leaseMs: 500, limit: 10 }), []);
  // w1 died: its rows are claimable once the lease has run out.
  const again = await outbox.claim({ topics: ['t'], owner: 'w2', now: 1500, leaseMs: 500, limit: 10 });
  assert.deepEqual(again.map((r) => r.target), ['a', 'b', 'c']);
});

test('claims only the requested topics', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([{ topic: 'x', target: 'x1', payload: '1' }, { topic: 'y', target: 'y1', payload: '2' }], 0);
  const rows = await outbox.claim({ topics: ['y'], owner: 'w', now: 0, leaseMs: 10, limit: 10 });
  assert.deepEqual(rows.map((r) => [r.topic, r.target, r.payload]), [['y', 'y1', '2']]);
});

test('retry counts the attempt, keeps the error and hides the row until its next attempt time', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([row('a')], 0);
  const [r] = await outbox.claim({ topics: ['t'], owner: 'w', now: 0, leaseMs: 1000, limit: 1 });
  await outbox.retry(r.id, 'w', 300, 'HTTP 500');
  assert.deepEqual(await outbox.claim({ topics: ['t'], owner: 'w', now: 299, leaseMs: 1000, limit: 1 }), []);
  assert.equal(await outbox.nextDueAt(['t']), 300);
  const [again] = await outbox.claim({ topics: ['t'], owner: 'w', now: 300, leaseMs: 1000, limit: 1 });
  assert.equal(again.attempts, 1);
  assert.equal(again.lastError, 'HTTP 500');
});

test('a worker that lost its lease cannot reschedule or dead-letter the row', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([row('a')], 0);
  const [r] = await outbox.claim({ topics: ['t'], owner: 'slow', now: 0, leaseMs: 10, limit: 1 });
  await outbox.claim({ topics: ['t'], owner: 'fast', now: 20, leaseMs: 1000, limit: 1 });
  await outbox.retry(r.id, 'slow', 5000, 'late');
  await outbox.deadLetter(r.id, 'slow', 'late', 30);
  assert.deepEqual(await outbox.counts(30), { pending: 1, leased: 1, dead: 0 });
  assert.equal(await outbox.nextDueAt(['t']), 1020);
});

test('complete removes rows; release returns them without counting an attempt', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([row('a'), row('b')], 0);
  const [a, b] = await outbox.claim({ topics: ['t'], owner: 'w', now: 0, leaseMs: 1000, limit: 2 });
  await outbox.complete([a.id]);
  await outbox.release([b.id], 'w');
  const rows = await outbox.claim({ topics: ['t'], owner: 'w', now: 1, leaseMs: 1000, limit: 10 });
  assert.deepEqual(rows.map((r) => [r.target, r.attempts]), [['b', 0]]);
});

test('dead-lettered rows move to outbox_dead with their last error and attempt count', async (t) => {
  const { outbox } = await fresh(t);
  await outbox.enqueue([{ ...row('a', '{"x":1}'), items: 3, bytes: 99 }], 5);
  const [r] = await outbox.claim({ topics: ['t'], owner: 'w', now: 5, leaseMs: 1000, limit: 1 });
  await outbox.deadLetter(r.id, 'w', 'HTTP 404', 7);
  assert.deepEqual(await outbox.counts(7), { pending: 0, leased: 0, dead: 1 });
  const [d] = await outbox.listDead(10);
  assert.equal(d.id, r.id);
  assert.equal(d.payload, '{"x":1}');
  assert.equal(d.items, 3);
  assert.equal(d.bytes, 99);
  assert.equal(d.attempts, 1);
  assert.equal(d.lastError, 'HTTP 404');
  assert.equal(d.failedAt, 7);
});

test('rows survive closing and reopening the database, leases included', async (t) => {
  const { db, outbox } = await fresh(t);
  await outbox.enqueue([row('a')], 0);
  await outbox.claim({ topics: ['t'], owner: 'dead-process', now: 0, leaseMs: 100, limit: 1 });
  const reopened = await engine.reopen(db);
  t.after(() => reopened.close());
  const again = new OutboxStore(reopened);
  assert.deepEqual(await again.claim({ topics: ['t'], owner: 'new', now: 50, leaseMs: 100, limit: 1 }), []);
  assert.equal((await again.claim({ topics: ['t'], owner: 'new', now: 100, leaseMs: 100, limit: 1 })).length, 1);
});

test('enqueue notifies listeners after the rows are committed', async (t) => {
  const { outbox } = await fresh(t);
  let seen = -1;
  const off = outbox.onEnqueue(() => {
    void outbox.counts(0).then((c) => (seen = c.pending));
  });
  await outbox.enqueue([row('a'), row('b')], 0);
  for (let i = 0; i < 200 && seen === -1; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(seen, 2);
  off();
  await outbox.enqueue([], 0);
});

test('workers claiming at the same time on separate connections get disjoint rows', async (t) => {
  const { db, outbox } = await fresh(t);
  await outbox.enqueue(Array.from({ length: 200 }, (_, i) => row(`r${i}`)), 0);
  const others = await Promise.all([1, 2, 3].map(() => engine.reopen(db)));
  t.after(async () => { for (const o of others) await o.close(); });
  const stores = [outbox, ...others.map((o) => new OutboxStore(o))];
  const claimed = (await Promise.all(stores.flatMap((s, w) => [0, 1, 2, 3, 4].map(() =>
    s.claim({ topics: ['t'], owner: `w${w}`, now: 0, leaseMs: 1000, limit: 10 }))))).flat();
  const ids = claimed.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'a row was claimed twice');
  assert.equal(ids.length, 200);
});

test('backlog: rows and the oldest row per topic, leased or not; delivered rows leave it', async (t) => {
  const { outbox } = await fresh(t);
  assert.deepEqual(await outbox.backlog(), { topics: [], dead: 0 });
  await outbox.enqueue([{ topic: 'x', target: 'a', payload: '1' }, { topic: 'y', target: 'b', payload: '2' }], 1000);
  await outbox.enqueue([{ topic: 'x', target: 'c', payload: '3' }], 2000);
  const [first] = await outbox.claim({ topics: ['x'], owner: 'w', now: 2000, leaseMs: 500, limit: 1 });
  const sorted = async () => (await outbox.backlog()).topics.sort((p, q) => p.topic.localeCompare(q.topic));
  assert.deepEqual(await sorted(), [
    { topic: 'x', pending: 2, oldestCreatedAt: 1000 },
    { topic: 'y', pending: 1, oldestCreatedAt: 1000 },
  ]);
  await outbox.complete([first!.id]);
  assert.deepEqual((await sorted())[0], { topic: 'x', pending: 1, oldestCreatedAt: 2000 });
  const [y] = await outbox.claim({ topics: ['y'], owner: 'w', now: 3000, leaseMs: 500, limit: 1 });
  await outbox.deadLetter(y!.id, 'w', 'gone', 3000);
  assert.deepEqual(await outbox.backlog(), { topics: [{ topic: 'x', pending: 1, oldestCreatedAt: 2000 }], dead: 1 });
});

test('backlog of a 25,000-row outbox reads in a few milliseconds', async (t) => {
  const { outbox } = await fresh(t);
  for (let b = 0; b < 25; b++) await outbox.enqueue(Array.from({ length: 1000 }, (_, i) => ({ topic: i % 2 ? 'x' : 'y', target: 't', payload: '{}' })), b);
  await outbox.backlog();
  const started = performance.now();
  const b = await outbox.backlog();
  const ms = performance.now() - started;
  assert.equal(b.topics.reduce((n, x) => n + x.pending, 0), 25_000);
  t.diagnostic(`backlog over 25,000 rows: ${ms.toFixed(1)} ms`);
  assert.ok(ms < 100, `took ${ms} ms`);
});
});
