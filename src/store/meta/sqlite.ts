import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db, Migration } from './db.ts';
import { MIGRATIONS } from './migrations.ts';

export type { Db, Migration } from './db.ts';

/**
 * The metadata store's SQLite engine. WAL keeps readers off the writer's back; synchronous=NORMAL
 * survives a process crash (kill -9), FULL (`fsync: true`) also survives power loss.
 */
export function openSqlite(path: string, opts: { fsync: boolean }): Db {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.fsync ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Versioned and idempotent: each migration runs once, in order, inside a transaction. */
export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').all().map((r) => (r as { id: number }).id));
  for (const m of MIGRATIONS) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, Date.now());
    })();
  }
}

/**
 * A service module's own schema (`env.migrate`): its ids count from 1 within the module, recorded
 * per module, so a new service adds tables without touching the core list.
 */
export function migrateModule(db: Db, module: string, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS module_migrations (module TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, id))');
  const applied = new Set(
    db.prepare('SELECT id FROM module_migrations WHERE module = ?').all(module).map((r) => (r as { id: number }).id),
  );
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO module_migrations (module, id, name, applied_at) VALUES (?, ?, ?, ?)').run(module, m.id, m.name, Date.now());
    })();
  }
}
