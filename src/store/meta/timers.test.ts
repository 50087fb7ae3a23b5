import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { TimerStore } from './timers.ts';

for (const engine of await metaEngines()) describe(`timers on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open();
    t.after(() => db.close());
    return { db, timers: new TimerStore(db) };
  }

  test('a due timer is leased to one owner, settled to its next occurrence, and removed when done', async (t) => {
    const { timers } = await fresh(t);
    await timers.upsert('m', { key: 'a', nextFireAt: 1000, spec: 'rate(1 minute)' });
    await timers.upsert('m', { key: 'b', nextFireAt: 5000, spec: 'x' });
    assert.equal(await timers.nextDueAt('m'), 1000);
    assert.deepEqual(await timers.claimDue('m', { now: 1000, owner: 'n1', leaseMs: 100, limit: 10 }), [{ key: 'a', nextFireAt: 1000, spec: 'rate(1 minute)' }]);
    assert.deepEqual(await timers.claimDue('m', { now: 1050, owner: 'n2', leaseMs: 100, limit: 10 }), []);
    await timers.settle('m', 'a', 'n2', 9999); // not the holder: no effect
    await timers.settleMany('m', 'n1', [{ key: 'a', next: 61_000 }]);
    assert.equal((await timers.get('m', 'a'))?.nextFireAt, 61_000);
    const [b] = await timers.claimDue('m', { now: 5000, owner: 'n1', leaseMs: 100, limit: 10 });
    await timers.settle('m', b!.key, 'n1', null);
    assert.deepEqual((await timers.list('m')).map((x) => x.key), ['a']);
  });

  test('an owner that died leaves its occurrence to another after the lease', async (t) => {
    const { timers } = await fresh(t);
    await timers.upsert('m', { key: 'a', nextFireAt: 0, spec: '' });
    await timers.claimDue('m', { now: 0, owner: 'dead', leaseMs: 100, limit: 1 });
    assert.equal((await timers.claimDue('m', { now: 100, owner: 'alive', leaseMs: 100, limit: 1 })).length, 1);
  });

  // SQLite is one process per data directory (the directory lock): several nodes means PostgreSQL.
  test('nodes claiming at the same time fire each occurrence once', { skip: engine.name === 'sqlite' }, async (t) => {
    const { db, timers } = await fresh(t);
    for (let i = 0; i < 60; i++) await timers.upsert('m', { key: `k${i}`, nextFireAt: i, spec: '' });
    const others = await Promise.all([1, 2].map(() => engine.reopen(db)));
    t.after(async () => { for (const o of others) await o.close(); });
    const nodes = [timers, ...others.map((o) => new TimerStore(o))];
    const claimed = (await Promise.all(nodes.flatMap((n, i) => [0, 1, 2, 3].map(() => n.claimDue('m', { now: 100, owner: `n${i}`, leaseMs: 1000, limit: 5 }))))).flat();
    const keys = claimed.map((c) => c.key);
    assert.equal(new Set(keys).size, keys.length, 'an occurrence was claimed twice');
    assert.equal(keys.length, 60);
  });
});
