import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type { Db, Migration } from './db.ts';

/**
 * The metadata store's SQLite file. WAL keeps readers off the writer's back; synchronous=NORMAL
 * survives a process crash (kill -9), FULL (`fsync: true`) also survives power loss. The schema is
 * applied by sql/migrate.ts, the same way on both engines.
 */
export function openSqlite(path: string, opts: { fsync: boolean }): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.fsync ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
