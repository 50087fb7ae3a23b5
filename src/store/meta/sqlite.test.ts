/**
 * Schema migrations (sql/migrate.ts) on both engines, and SQLite data directories written before
 * the metadata store had two engines: they open with their schema and data as they were.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { LogsMetaStore } from './logs.ts';
import { MIGRATIONS } from './migrations.ts';
import { migrateCore, migrateModuleOn } from './sql/migrate.ts';
import { openMetaDb } from './sql/open.ts';
import type { MetaDb } from './sql/types.ts';
import { metaEngines } from './test-support.ts';

const ids = async (db: MetaDb, sql: string) => (await db.all<{ id: number }>(sql)).map((r) => r.id);

for (const engine of await metaEngines()) describe(`migrations on ${engine.name}`, () => {
  test('core migrations run once each; a later step is applied once on top', async (t) => {
    const db = await engine.open();
    t.after(() => db.close());
    const all = MIGRATIONS.map((m) => m.id);
    assert.deepEqual(await ids(db, 'SELECT id FROM schema_migrations ORDER BY id'), all);
    await migrateCore(db, MIGRATIONS);
    const next = { id: Math.max(...all) + 1000, name: 'test: later step', sql: 'CREATE TABLE later_things (x INTEGER)' };
    await migrateCore(db, [...MIGRATIONS, next]);
    await migrateCore(db, [...MIGRATIONS, next]);
    assert.deepEqual(await ids(db, 'SELECT id FROM schema_migrations ORDER BY id'), [...all, next.id]);
    await db.run('INSERT INTO later_things (x) VALUES (?)', [1]);
  });

  test('module migrations run once each, in id order, counted per module, and survive reopening', async (t) => {
    const db = await engine.open();
    const steps = [
      { id: 2, name: 'add b', sql: 'ALTER TABLE a_things ADD COLUMN b TEXT' },
      { id: 1, name: 'create', sql: 'CREATE TABLE a_things (x INTEGER)' },
    ];
    await migrateModuleOn(db, 'a', steps);
    await migrateModuleOn(db, 'a', steps);
    // Another module's id 1 is its own step, not "already applied".
    await migrateModuleOn(db, 'b', [{ id: 1, name: 'create', sql: 'CREATE TABLE b_things (y INTEGER)' }]);
    await db.close();
    const again = await engine.reopen(db);
    t.after(() => again.close());
    await migrateModuleOn(again, 'a', [...steps, { id: 3, name: 'index', sql: 'CREATE INDEX a_by_b ON a_things (b)' }]);
    const rows = await again.all<{ module: string; id: number }>('SELECT module, id FROM module_migrations ORDER BY module, id');
    assert.deepEqual(rows, [{ module: 'a', id: 1 }, { module: 'a', id: 2 }, { module: 'a', id: 3 }, { module: 'b', id: 1 }]);
  });

  test('nodes starting together apply each step once', { skip: engine.name === 'sqlite' && 'one process per SQLite store' }, async (t) => {
    const db = await engine.open();
    const others = await Promise.all([1, 2, 3].map(() => engine.reopen(db)));
    t.after(async () => { for (const d of [db, ...others]) await d.close(); });
    const steps = [
      { id: 1, name: 'create', sql: 'CREATE TABLE c_things (x INTEGER)' },
      { id: 2, name: 'index', sql: 'CREATE INDEX c_by_x ON c_things (x)' },
    ];
    await Promise.all([db, ...others].map((d) => migrateModuleOn(d, 'c', steps)));
    assert.deepEqual(await ids(db, "SELECT id FROM module_migrations WHERE module = 'c' ORDER BY id"), [1, 2]);
  });
});

test('a SQLite data directory from before the two-engine store opens with its schema and data', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-meta-old-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // What the single-engine openSqlite + migrate + migrateModule wrote, statement for statement.
  const old = new Database(join(dir, 'meta.sqlite'));
  old.pragma('journal_mode = WAL');
  old.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS) {
    old.transaction(() => {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, 1);
    })();
  }
  old.exec('CREATE TABLE IF NOT EXISTS module_migrations (module TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, id))');
  old.exec('CREATE TABLE m_things (x INTEGER)');
  old.prepare('INSERT INTO module_migrations (module, id, name, applied_at) VALUES (?, ?, ?, ?)').run('m', 1, 'create', 1);
  old.prepare(`INSERT INTO log_groups (account, region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection, tags)
    VALUES ('1', 'r', '/old', 5, 7, NULL, 'STANDARD', 0, '{"k":"v"}')`).run();
  old.close();

  const db = await openMetaDb({ url: '', dataDir: dir, fsync: false });
  t.after(() => db.close());
  // Applied steps are not run again (they would fail: their tables exist).
  await migrateModuleOn(db, 'm', [{ id: 1, name: 'create', sql: 'CREATE TABLE m_things (x INTEGER)' }]);
  assert.deepEqual(await ids(db, 'SELECT id FROM schema_migrations ORDER BY id'), MIGRATIONS.map((m) => m.id));
  const group = await new LogsMetaStore(db).getGroup({ account: '1', region: 'r', name: '/old' });
  assert.deepEqual({ ...group }, {
    account: '1', region: 'r', name: '/old', createdAt: 5, retentionDays: 7, kmsKeyId: null, logGroupClass: 'STANDARD',
    deletionProtection: false, tags: { k: 'v' }, storedBytes: 0,
  });
});
