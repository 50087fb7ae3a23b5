import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrateModule, openSqlite } from './sqlite.ts';

test('module migrations run once each, in id order, counted per module, and survive reopening', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-meta-'));
  try {
    const path = join(dir, 'meta.sqlite');
    let db = openSqlite(path, { fsync: false });
    const steps = [
      { id: 2, name: 'add b', sql: 'ALTER TABLE a_things ADD COLUMN b TEXT' },
      { id: 1, name: 'create', sql: 'CREATE TABLE a_things (x INTEGER)' },
    ];
    migrateModule(db, 'a', steps);
    migrateModule(db, 'a', steps);
    // Another module's id 1 is its own step, not "already applied".
    migrateModule(db, 'b', [{ id: 1, name: 'create', sql: 'CREATE TABLE b_things (y INTEGER)' }]);
    db.close();
    db = openSqlite(path, { fsync: false });
    migrateModule(db, 'a', [...steps, { id: 3, name: 'index', sql: 'CREATE INDEX a_by_b ON a_things (b)' }]);
    const rows = db.prepare('SELECT module, id FROM module_migrations ORDER BY module, id').all();
    assert.deepEqual(rows, [{ module: 'a', id: 1 }, { module: 'a', id: 2 }, { module: 'a', id: 3 }, { module: 'b', id: 1 }]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
