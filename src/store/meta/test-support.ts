/** Test support: metadata stores with every core migration (and optionally a module's) applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MetaChangeSignal } from './changes.ts';
import type { Migration } from './db.ts';
import { MIGRATIONS } from './migrations.ts';
import { migrateCore, migrateModuleOn } from './sql/migrate.ts';
import { SqliteMetaDb } from './sql/sqlite-db.ts';
import type { MetaDb } from './sql/types.ts';
import { openSqlite } from './sqlite.ts';

import type { MetaEngine } from './sql/test-engines.ts';

export { metaEngines, type MetaEngine } from './sql/test-engines.ts';

/** A fresh, migrated, in-memory SQLite metadata store (plus a module's own schema). */
export async function openTestMetaDb(module?: { name: string; migrations: readonly Migration[] }): Promise<MetaDb> {
  const db = new SqliteMetaDb(new Database(':memory:'));
  await migrateCore(db, MIGRATIONS);
  if (module) await migrateModuleOn(db, module.name, module.migrations);
  return db;
}

/** A fresh, migrated SQLite metadata store in a temp directory, closed and removed after the test. */
export async function tempMetaDb(t: { after(fn: () => Promise<void> | void): void }, prefix = 'osprey-meta-'): Promise<{ db: MetaDb; dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'meta.sqlite');
  const db = new SqliteMetaDb(openSqlite(path, { fsync: false }));
  await migrateCore(db, MIGRATIONS);
  t.after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, dir, path };
}

/**
 * Two nodes on `db`'s store for tests of caches that follow other nodes' writes: on PostgreSQL a
 * second handle with its own change signal; on SQLite (one process per data directory) the same
 * handle and one signal, which is what a single node sees. Closed after the test.
 */
export async function twoNodes(engine: MetaEngine, db: MetaDb, t: { after(fn: () => Promise<void> | void): void }):
Promise<{ a: { db: MetaDb; changes: MetaChangeSignal }; b: { db: MetaDb; changes: MetaChangeSignal } }> {
  const a = { db, changes: new MetaChangeSignal(db, 'node-a') };
  if (engine.name === 'sqlite') {
    t.after(() => a.changes.close());
    return { a, b: a };
  }
  const other = await engine.reopen(db);
  const b = { db: other, changes: new MetaChangeSignal(other, 'node-b') };
  await Promise.all([a.changes.ready(), b.changes.ready()]);
  t.after(async () => {
    a.changes.close();
    b.changes.close();
    await other.close();
  });
  return { a, b };
}

/** Resolves once `check` holds (checked every 5 ms: another node's signal arrives asynchronously); fails after `ms`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
