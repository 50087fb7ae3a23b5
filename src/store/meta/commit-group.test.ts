import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestMetaDb } from './test-support.ts';
import { CommitGroup } from './commit-group.ts';

function setup() {
  const db = openTestMetaDb();
  db.exec('CREATE TABLE t (v INTEGER)');
  let commits = 0;
  // Counts the outermost commits: what a group is meant to share.
  const group = new CommitGroup(new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') {
        return (fn: () => unknown) => {
          const tx = target.transaction(fn);
          return () => {
            const outer = !target.inTransaction;
            const r = tx();
            if (outer) commits++;
            return r;
          };
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }));
  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
  const values = () => (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: number }[]).map((r) => r.v);
  return { db, group, insert, values, commits: () => commits };
}

test('units queued in one event-loop turn share one commit and each gets its own result', async () => {
  const s = setup();
  const results = await Promise.all([1, 2, 3].map((v) => s.group.run(s.insert(v))));
  assert.deepEqual(results, [1, 1, 1]);
  assert.deepEqual(s.values(), [1, 2, 3]);
  assert.equal(s.commits(), 1);
  await s.group.run(s.insert(4));
  assert.equal(s.commits(), 2);
});

test('a unit that throws is rolled back alone and rejects alone', async () => {
  const s = setup();
  const failing = () => {
    s.db.prepare('INSERT INTO t (v) VALUES (99)').run();
    throw new Error('refused');
  };
  const [a, b, c] = await Promise.allSettled([s.group.run(s.insert(1)), s.group.run(failing), s.group.run(s.insert(2))]);
  assert.equal(a.status, 'fulfilled');
  assert.equal(b.status, 'rejected');
  assert.equal((b as PromiseRejectedResult).reason.message, 'refused');
  assert.equal(c.status, 'fulfilled');
  assert.deepEqual(s.values(), [1, 2]);
});

test('nothing resolves before the commit: a unit is not visible to the caller until its group has run', async () => {
  const s = setup();
  const p = s.group.run(s.insert(7));
  assert.deepEqual(s.values(), []);
  await p;
  assert.deepEqual(s.values(), [7]);
});
