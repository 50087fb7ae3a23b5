import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processPrefixOf, releaseDeadClaims } from './dead-claims.ts';
import { OutboxStore } from './outbox.ts';
import { metaEngines } from './test-support.ts';
import { TimerStore } from './timers.ts';

for (const engine of await metaEngines()) describe(`dead claims on ${engine.name}`, () => {
  test('a predecessor\'s outbox rows and schedule occurrences are claimable at once; a live process\'s stay claimed', async (t) => {
    const db = await engine.open();
    t.after(() => db.close());
    const [outbox, timers] = [new OutboxStore(db), new TimerStore(db)];
    await outbox.enqueue([{ topic: 'sns', target: 'a', payload: 'dead' }, { topic: 'sns', target: 'b', payload: 'live' }], 0);
    const [dead] = await outbox.claim({ topics: ['sns'], owner: 'host:7:aaaa1111', now: 10, leaseMs: 60_000, limit: 1 });
    await outbox.claim({ topics: ['sns'], owner: 'host:8:bbbb2222', now: 10, leaseMs: 60_000, limit: 1 });
    await timers.upsert('events', { key: 'r1', nextFireAt: 5, spec: '' });
    await timers.upsert('events', { key: 'r2', nextFireAt: 5, spec: '' });
    await timers.claimDue('events', { now: 10, owner: 'host:7:aaaa1111', leaseMs: 60_000, limit: 1 });
    await timers.claimDue('events', { now: 10, owner: 'host:8:bbbb2222', leaseMs: 60_000, limit: 1 });

    assert.equal(processPrefixOf('host:7:a1b2c3'), 'host:7:');
    assert.deepEqual(await releaseDeadClaims(db, [processPrefixOf('host:7:a1b2c3')]), { outbox: 1, timers: 1, exports: 0 });
    const again = await outbox.claim({ topics: ['sns'], owner: 'host:9:cccc3333', now: 20, leaseMs: 60_000, limit: 10 });
    assert.deepEqual(again.map((r) => r.payload), [dead!.payload], 'the dead owner\'s row, due again at once; not the live one\'s');
    assert.equal((await timers.claimDue('events', { now: 20, owner: 'host:9:cccc3333', leaseMs: 60_000, limit: 10 })).length, 1);
    assert.deepEqual(await releaseDeadClaims(db, 'all'), { outbox: 2, timers: 2, exports: 0 }, 'SQLite at start: every claim is a dead process\'s');
  });
});
