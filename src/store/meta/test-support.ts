/** Test support: metadata databases with every migration applied. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type Db } from './sqlite.ts';

/** A fresh, migrated, in-memory metadata database. */
export function openTestMetaDb(): Db {
  return openSqlite(':memory:', { fsync: false });
}

/** A fresh, migrated metadata database in a temp directory, closed and removed after the test. */
export function tempMetaDb(t: { after(fn: () => void): void }, prefix = 'osprey-meta-'): { db: Db; dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'meta.sqlite');
  const db = openSqlite(path, { fsync: false });
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, dir, path };
}
