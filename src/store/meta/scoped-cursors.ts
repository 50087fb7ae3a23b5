/**
 * Cursors of background work over telemetry, one per (resource, telemetry scope). With one
 * embedded telemetry store per node (store/telemetry/scope.ts), each node works through the
 * records it stored — their sequence numbers are its own — so each keeps its own cursor; with a
 * shared ClickHouse server every node has the scope `shared` and the one running the work (under
 * a lease) moves the one cursor. A module creates its table with `scopedCursorsSql` in its own
 * migrations.
 */
import type { Sql } from './sql/types.ts';

export const scopedCursorsSql = (table: string): string => `CREATE TABLE ${table} (
    resource TEXT NOT NULL,
    scope TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (resource, scope)
  ) WITHOUT ROWID;`;

export class ScopedCursors {
  constructor(private readonly db: Sql, private readonly table: string, readonly scope: string) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`bad cursor table name ${table}`);
  }

  /** This scope's cursor on `resource`, or undefined before the first `set`. */
  async get(resource: string): Promise<number | undefined> {
    const row = await this.db.get<{ value: number }>(`SELECT value FROM ${this.table} WHERE resource = ? AND scope = ?`, [resource, this.scope]);
    return row === undefined ? undefined : Number(row.value);
  }

  async set(resource: string, value: number): Promise<void> {
    await this.db.run(`INSERT INTO ${this.table} (resource, scope, value) VALUES (?, ?, ?)
      ON CONFLICT (resource, scope) DO UPDATE SET value = excluded.value`, [resource, this.scope, value]);
  }

  /** Forgets `resource` in every scope (the resource was deleted). */
  async drop(resource: string, db: Sql = this.db): Promise<void> {
    await db.run(`DELETE FROM ${this.table} WHERE resource = ?`, [resource]);
  }
}
