import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeasedTask } from './leased-task.ts';
import { LeaseStore } from '../store/meta/leases.ts';
import { openTestMetaDb } from '../store/meta/test-support.ts';
import { systemClock } from '../lib/clock.ts';
import { silentLogger as log } from '../lib/logger.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function node(owner: string, leases: LeaseStore, ran: string[]) {
  return new LeasedTask({ name: 'job', owner, leases, clock: systemClock, log, intervalMs: 20, leaseMs: 150, task: async () => void ran.push(owner) });
}

test('only the lease holder runs; a node that can no longer renew is replaced within one lease period', async (t) => {
  const db = await openTestMetaDb();
  t.after(() => db.close());
  const ran: string[] = [];
  let partitioned = false;
  const store = new LeaseStore(db);
  // Node a loses the metadata store: its passes fail before they run anything.
  const aStore = Object.assign(Object.create(store) as LeaseStore, {
    acquire: (...args: Parameters<LeaseStore['acquire']>) => (partitioned ? Promise.reject(new Error('connection lost')) : store.acquire(...args)),
  });
  const a = node('a', aStore, ran);
  await a.runNow();
  const b = node('b', store, ran);
  a.start();
  b.start();
  t.after(async () => { await a.stop(); await b.stop(); });
  await sleep(100);
  assert.ok(ran.length > 2 && !ran.some((o) => o !== 'a'), ran.join());
  partitioned = true;
  const lostAt = Date.now();
  while (!ran.includes('b') && Date.now() - lostAt < 2000) await sleep(5);
  assert.ok(ran.includes('b'));
  assert.ok(Date.now() - lostAt <= 150 + 20 + 50, `took over after ${Date.now() - lostAt} ms`);
  assert.equal(b.held, true);
});

test('stopping releases the lease: the next node runs at its next pass', async (t) => {
  const db = await openTestMetaDb();
  t.after(() => db.close());
  const store = new LeaseStore(db);
  const ran: string[] = [];
  const a = node('a', store, ran);
  await a.runNow();
  await a.stop();
  const b = node('b', store, ran);
  await b.runNow();
  assert.deepEqual(ran, ['a', 'b']);
});

test('a holder that passes often renews at most three times per lease period (no store write per pass)', async (t) => {
  const db = await openTestMetaDb();
  t.after(() => db.close());
  const store = new LeaseStore(db);
  let acquires = 0;
  const counting = Object.assign(Object.create(store) as LeaseStore, {
    acquire: (...args: Parameters<LeaseStore['acquire']>) => (acquires++, store.acquire(...args)),
  });
  const ran: string[] = [];
  const a = new LeasedTask({ name: 'often', owner: 'a', leases: counting, clock: systemClock, log, intervalMs: 10, leaseMs: 300, task: async () => void ran.push('a') });
  a.start();
  await sleep(500);
  await a.stop();
  assert.ok(ran.length >= 20, `${ran.length} passes`);
  assert.ok(acquires <= Math.ceil(500 / 100) + 1, `${acquires} renewals over 500 ms with a 300 ms lease`);
});
