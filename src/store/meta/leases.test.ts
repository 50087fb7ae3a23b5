import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { LeaseStore } from './leases.ts';

for (const engine of await metaEngines()) describe(`leases on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open();
    t.after(() => db.close());
    return { db, leases: new LeaseStore(db) };
  }

  test('one owner at a time; renewals keep the token, a takeover after expiry bumps it', async (t) => {
    const { leases } = await fresh(t);
    assert.equal(await leases.acquire('alarms', 'a', 0, 1000), 1);
    assert.equal(await leases.acquire('alarms', 'b', 500, 1000), undefined);
    assert.equal(await leases.acquire('alarms', 'a', 900, 1000), 1);
    assert.equal(await leases.acquire('alarms', 'b', 1899, 1000), undefined);
    assert.equal(await leases.acquire('alarms', 'b', 1900, 1000), 2);
    assert.equal(await leases.held('alarms', 'a', 1, 1950), false);
    assert.equal(await leases.held('alarms', 'b', 2, 1950), true);
    assert.deepEqual(await leases.list(), [{ name: 'alarms', owner: 'b', token: 2, expiresAt: 2900 }]);
  });

  test('a released lease is free at once', async (t) => {
    const { leases } = await fresh(t);
    await leases.acquire('x', 'a', 0, 60_000);
    await leases.release('x', 'a');
    assert.equal(await leases.acquire('x', 'b', 1, 60_000), 2);
  });

  test('nodes racing for a free lease: exactly one wins', { skip: engine.name === 'sqlite' }, async (t) => {
    const { db, leases } = await fresh(t);
    const others = await Promise.all([1, 2, 3, 4].map(() => engine.reopen(db)));
    t.after(async () => { for (const o of others) await o.close(); });
    const stores = [leases, ...others.map((o) => new LeaseStore(o))];
    for (let round = 0; round < 5; round++) {
      const name = `job${round}`;
      const won = await Promise.all(stores.map((s, i) => s.acquire(name, `n${i}`, 0, 1000)));
      assert.equal(won.filter((w) => w !== undefined).length, 1, `round ${round}: ${JSON.stringify(won)}`);
    }
  });
});
