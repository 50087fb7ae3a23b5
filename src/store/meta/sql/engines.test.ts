import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inList, inListNamed } from './in-list.ts';
import { metaEngines, type MetaEngine } from './test-engines.ts';
import type { MetaDb } from './types.ts';

const engines = await metaEngines();

for (const engine of engines) {
  describe(`metadata SQL on ${engine.name}`, () => {
    let db: MetaDb;
    before(async () => {
      db = await engine.open();
      await db.exec(`CREATE TABLE items (
        id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL,
        score REAL, body BLOB, UNIQUE (account, name));
        CREATE TABLE kv (k TEXT NOT NULL, v INTEGER NOT NULL, PRIMARY KEY (k)) WITHOUT ROWID;`);
    });
    after(() => db.close());

    it('migrated the core schema (every shipped migration translates)', async () => {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations');
      assert.ok(row!.n >= 12);
    });

    it('text with U+0000: SQLite stores it; PostgreSQL refuses it as input (a 400 at the API), not as a failure', async () => {
      const write = db.run('INSERT INTO kv (k, v) VALUES (?, 1)', ['nul\u0000inside']);
      if (engine.name === 'sqlite') {
        await write;
        assert.equal((await db.get<{ k: string }>('SELECT k FROM kv WHERE k = ?', ['nul\u0000inside']))!.k, 'nul\u0000inside');
        await db.run('DELETE FROM kv WHERE k = ?', ['nul\u0000inside']);
      } else {
        await assert.rejects(write, (e: Error & { unstorableInput?: boolean }) => e.unstorableInput === true && /U\+0000/.test(e.message));
        await assert.rejects(db.get('SELECT k FROM kv WHERE k = ?', ['\u0000']), (e: Error & { unstorableInput?: boolean }) => e.unstorableInput === true);
      }
    });

    it('binds ? and @name parameters, keeps camelCase aliases and 64-bit integers as numbers', async () => {
      const now = 1_780_000_000_123;
      const inserted = await db.get<{ id: number }>('INSERT INTO items (account, name, created_at, score) VALUES (?, ?, ?, ?) RETURNING id', ['a', 'x', now, 1.5]);
      assert.equal(typeof inserted!.id, 'number');
      const row = await db.get<{ createdAt: number; score: number; n: number }>(
        'SELECT created_at AS createdAt, score, (SELECT COUNT(*) FROM items) AS n FROM items WHERE account = @account AND name = @name AND @name IS NOT NULL',
        { account: 'a', name: 'x' });
      assert.deepEqual(row, { createdAt: now, score: 1.5, n: 1 });
      assert.equal((await db.all('SELECT id FROM items WHERE (? IS NULL OR name = ?)', [null, null])).length, 1);
    });

    it('upserts with an explicit conflict target and counts changes', async () => {
      const up = 'INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v';
      await db.run(up, ['k', 1]);
      await db.run(up, ['k', 2]);
      assert.equal((await db.get<{ v: number }>('SELECT v FROM kv WHERE k = ?', ['k']))!.v, 3);
      assert.equal((await db.run('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT DO NOTHING', ['k', 9])).changes, 0);
      assert.equal((await db.run('UPDATE kv SET v = v + 1 WHERE k LIKE ?', ['%'])).changes, 1);
    });

    it('round-trips bytes', async () => {
      const body = Buffer.from([0, 1, 2, 255]);
      await db.run('INSERT INTO items (account, name, created_at, body) VALUES (?, ?, ?, ?)', ['a', 'blob', 1, body]);
      const row = await db.get<{ body: Buffer }>('SELECT body FROM items WHERE name = ?', ['blob']);
      assert.deepEqual(Buffer.from(row!.body), body);
    });

    it('expands lists for IN, empty lists match nothing', async () => {
      const l = inList(['x', 'blob', 'nope']);
      assert.equal((await db.all(`SELECT id FROM items WHERE name IN ${l.sql}`, l.params)).length, 2);
      const e = inList([]);
      assert.equal((await db.all(`SELECT id FROM items WHERE name IN ${e.sql}`, e.params)).length, 0);
      const n = inListNamed('names', ['x']);
      assert.equal((await db.all(`SELECT id FROM items WHERE account = @account AND name IN ${n.sql}`, { account: 'a', ...n.params })).length, 1);
    });

    it('commits a transaction, rolls back one that throws, and a failed savepoint alone', async () => {
      await db.transaction(async (tx) => {
        await tx.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t1', 1]);
        await assert.rejects(tx.transaction(async (sp) => {
          await sp.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t2', 1]);
          throw new Error('unit fails');
        }));
      });
      await assert.rejects(db.transaction(async (tx) => {
        await tx.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['t3', 1]);
        throw new Error('whole transaction fails');
      }));
      const keys = (await db.all<{ k: string }>("SELECT k FROM kv WHERE k LIKE 't%' ORDER BY k")).map((r) => r.k);
      assert.deepEqual(keys, ['t1']);
    });

    it('keeps other writers out of an open transaction that rolls back', async () => {
      let outside: Promise<unknown> | undefined;
      await assert.rejects(db.transaction(async (tx) => {
        await tx.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['r1', 1]);
        outside = db.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['r2', 1]);
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('roll back');
      }));
      await outside;
      const keys = (await db.all<{ k: string }>("SELECT k FROM kv WHERE k LIKE 'r%' ORDER BY k")).map((r) => r.k);
      assert.deepEqual(keys, ['r2']);
    });

    it('notifies every node: at once outside a transaction, at commit inside one, never for a rollback', async () => {
      const other = await engine.reopen(db);
      const got: string[] = [];
      const stop = (engine.name === 'sqlite' ? db : other).listen('osprey.test', (p) => got.push(p));
      if ('listening' in other) await (other as unknown as { listening(): Promise<void> }).listening();
      const started = Date.now();
      await db.notify('osprey.test', 'plain');
      await db.transaction(async (tx) => {
        await tx.notify('osprey.test', 'committed');
        await new Promise((r) => setTimeout(r, 30));
        assert.deepEqual(got.filter((g) => g === 'committed'), []);
      });
      await assert.rejects(db.transaction(async (tx) => {
        await tx.notify('osprey.test', 'rolled back');
        throw new Error('no');
      }));
      while (got.length < 2 && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(got, ['plain', 'committed']);
      stop();
      await other.close();
    });

    it('refuses SQLite-only syntax on PostgreSQL instead of misreading it', { skip: engine.name !== 'postgres' }, async () => {
      await assert.rejects(db.run('INSERT OR IGNORE INTO kv (k, v) VALUES (?, ?)', ['z', 1]), /SQLite-only/);
    });
  });
}

export type { MetaEngine };
