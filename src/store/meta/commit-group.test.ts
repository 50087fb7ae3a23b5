import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { CommitGroup } from './commit-group.ts';
import type { MetaDb, Sql } from './sql/types.ts';

for (const engine of await metaEngines()) describe(`commit group on ${engine.name}`, () => {
  async function setup(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open();
    t.after(() => db.close());
    await db.exec('CREATE TABLE t (v INTEGER)');
    let commits = 0;
    // Counts the outermost transactions: what a group is meant to share.
    const counting: MetaDb = Object.assign(Object.create(db) as MetaDb, {
      transaction: <T>(fn: (tx: Sql) => Promise<T>) => db.transaction(fn).then((v) => (commits++, v)),
    });
    const group = new CommitGroup(counting);
    const insert = (v: number) => async (tx: Sql) => (await tx.run('INSERT INTO t (v) VALUES (?)', [v])).changes;
    const values = async () => (await db.all<{ v: number }>('SELECT v FROM t ORDER BY v')).map((r) => r.v);
    return { db, group, insert, values, commits: () => commits };
  }

  test('units queued in one event-loop turn share one commit and each gets its own result', async (t) => {
    const s = await setup(t);
    const results = await Promise.all([1, 2, 3].map((v) => s.group.run(s.insert(v))));
    assert.deepEqual(results, [1, 1, 1]);
    assert.deepEqual(await s.values(), [1, 2, 3]);
    assert.equal(s.commits(), 1);
    await s.group.run(s.insert(4));
    assert.equal(s.commits(), 2);
  });

  test('a unit that throws is rolled back alone and rejects alone', async (t) => {
    const s = await setup(t);
    const failing = async (tx: Sql) => {
      await tx.run('INSERT INTO t (v) VALUES (99)');
      throw new Error('refused');
    };
    const [a, b, c] = await Promise.allSettled([s.group.run(s.insert(1)), s.group.run(failing), s.group.run(s.insert(2))]);
    assert.equal(a.status, 'fulfilled');
    assert.equal(b.status, 'rejected');
    assert.equal((b as PromiseRejectedResult).reason.message, 'refused');
    assert.equal(c.status, 'fulfilled');
    assert.deepEqual(await s.values(), [1, 2]);
  });

  test('nothing resolves before the commit: a unit is not visible to the caller until its group has run', async (t) => {
    const s = await setup(t);
    const p = s.group.run(s.insert(7));
    assert.deepEqual(await s.values(), []);
    await p;
    assert.deepEqual(await s.values(), [7]);
  });
});
