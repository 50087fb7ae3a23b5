/**
 * Prepared statements in SQLite: one row per (account, region, workgroup, name) — names are
 * case-sensitive, as the API's are. Also the migration that adds them and the executions'
 * ExecutionParameters column (Athena module migration 3).
 */
import type { Scope } from '../../lib/arn.ts';
import type { Migration } from '../../store/meta/db.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

export interface PreparedStatementRecord {
  name: string;
  workgroup: string;
  /** The statement, with `?` placeholders. */
  query: string;
  description?: string;
  lastModified: number;
}

export interface PreparedStatementRepo {
  get(s: Scope, workgroup: string, name: string): Promise<PreparedStatementRecord | undefined>;
  /** false when the workgroup already has a statement of that name. */
  insert(s: Scope, p: PreparedStatementRecord): Promise<boolean>;
  /** Inserts, or replaces the statement of that name (SQL PREPARE; a description given before is kept when `p` has none). */
  put(s: Scope, p: PreparedStatementRecord): Promise<void>;
  /** false when there is no such statement. */
  update(s: Scope, p: PreparedStatementRecord): Promise<boolean>;
  /** false when there is no such statement. */
  delete(s: Scope, workgroup: string, name: string): Promise<boolean>;
  /** The workgroup's statements by name, names > `after`. */
  list(s: Scope, workgroup: string, q: { after?: string; limit: number }): Promise<PreparedStatementRecord[]>;
  /** Every statement of the workgroup (it is being deleted). */
  deleteWorkgroup(s: Scope, workgroup: string): Promise<void>;
}

export const PREPARED_STATEMENTS_MIGRATION: Migration = {
  id: 3,
  name: 'athena: prepared statements; execution parameters of query executions',
  sql: `
    CREATE TABLE athena_prepared_statements (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      workgroup TEXT NOT NULL,
      name TEXT NOT NULL,
      query TEXT NOT NULL,
      description TEXT,
      last_modified INTEGER NOT NULL,
      PRIMARY KEY (account, region, workgroup, name)
    ) WITHOUT ROWID;
    -- StartQueryExecution's ExecutionParameters (JSON array), NULL when none were given.
    ALTER TABLE athena_queries ADD COLUMN execution_parameters TEXT;
  `,
};

interface Row { workgroup: string; name: string; query: string; description: string | null; last_modified: number }

const recordOf = (r: Row): PreparedStatementRecord =>
  ({ name: r.name, workgroup: r.workgroup, query: r.query, description: r.description ?? undefined, lastModified: r.last_modified });

export class PreparedStatementStore implements PreparedStatementRepo {
  constructor(private readonly db: Sql) {
  }

  async get(s: Scope, workgroup: string, name: string): Promise<PreparedStatementRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM athena_prepared_statements WHERE account = ? AND region = ? AND workgroup = ? AND name = ?', [s.account, s.region, workgroup, name]);
    return r && recordOf(r);
  }

  async insert(s: Scope, p: PreparedStatementRecord): Promise<boolean> {
    return (await this.db.run(`INSERT INTO athena_prepared_statements (account, region, workgroup, name, query, description, last_modified)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [s.account, s.region, p.workgroup, p.name, p.query, p.description ?? null, p.lastModified])).changes === 1;
  }

  async put(s: Scope, p: PreparedStatementRecord): Promise<void> {
    await this.db.run(`INSERT INTO athena_prepared_statements (account, region, workgroup, name, query, description, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, workgroup, name) DO UPDATE SET query = excluded.query, description = coalesce(excluded.description, athena_prepared_statements.description), last_modified = excluded.last_modified`, [s.account, s.region, p.workgroup, p.name, p.query, p.description ?? null, p.lastModified]);
  }

  async update(s: Scope, p: PreparedStatementRecord): Promise<boolean> {
    return (await this.db.run('UPDATE athena_prepared_statements SET query = ?, description = ?, last_modified = ? WHERE account = ? AND region = ? AND workgroup = ? AND name = ?', [p.query, p.description ?? null, p.lastModified, s.account, s.region, p.workgroup, p.name])).changes === 1;
  }

  async delete(s: Scope, workgroup: string, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM athena_prepared_statements WHERE account = ? AND region = ? AND workgroup = ? AND name = ?', [s.account, s.region, workgroup, name])).changes === 1;
  }

  async list(s: Scope, workgroup: string, q: { after?: string; limit: number }): Promise<PreparedStatementRecord[]> {
    return ((await this.db.all<Row>('SELECT * FROM athena_prepared_statements WHERE account = ? AND region = ? AND workgroup = ? AND name > ? ORDER BY name LIMIT ?', [s.account, s.region, workgroup, q.after ?? '', q.limit]))).map(recordOf);
  }

  async deleteWorkgroup(s: Scope, workgroup: string): Promise<void> {
    await this.db.run('DELETE FROM athena_prepared_statements WHERE account = ? AND region = ? AND workgroup = ?', [s.account, s.region, workgroup]);
  }
}
