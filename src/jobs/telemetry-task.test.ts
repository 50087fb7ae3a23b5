import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { ManualClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { LeaseStore } from '../store/meta/leases.ts';
import { openTestMetaDb } from '../store/meta/test-support.ts';
import { telemetryTask } from './telemetry-task.ts';

describe('work over telemetry', () => {
  async function two(shared: boolean, intervalMs: number, leaseMs = 30_000) {
    const db = await openTestMetaDb();
    const leases = new LeaseStore(db);
    const clock = new ManualClock(1_000_000);
    const runs = { a: 0, b: 0 };
    const make = (node: 'a' | 'b') => telemetryTask({
      name: 'cloudtrail-delivery', intervalMs, task: async () => { runs[node]++; },
      scope: shared ? { id: 'shared', shared: true } : { id: `store-${node}`, shared: false },
      owner: node, leases, leaseMs, clock, log: silentLogger,
    });
    return { db, clock, runs, a: make('a'), b: make('b') };
  }

  test('embedded stores: every node runs the job over its own data', async () => {
    const { db, runs, a, b } = await two(false, 5_000);
    await a.runNow();
    await b.runNow();
    assert.deepEqual(runs, { a: 1, b: 1 });
    await db.close();
  });

  test('a shared store: one node runs it, at its own interval although the lease is renewed more often', async () => {
    // Lease 300 ms: renewals every 100 ms of real time; the job's interval is 60 s of the manual clock.
    const { db, clock, runs, a, b } = await two(true, 60_000, 300);
    await a.runNow();
    await b.runNow();
    assert.deepEqual(runs, { a: 1, b: 0 }, 'node b does not hold the lease');
    a.start();
    b.start();
    await sleep(450);
    assert.deepEqual(runs, { a: 1, b: 0 }, 'renewals alone do not run the job');
    clock.advance(60_000);
    await sleep(250);
    assert.deepEqual(runs, { a: 2, b: 0 });
    a.kick();
    await sleep(50);
    assert.deepEqual(runs, { a: 3, b: 0 }, 'a kick runs it at once');
    await a.stop();
    await b.stop();
    await db.close();
  });
});
