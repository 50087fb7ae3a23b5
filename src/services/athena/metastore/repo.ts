/** The metastore's repository: the async interface the DDL executor and the catalog use, and its SQLite implementation. */
import type { Scope } from '../../../lib/arn.ts';
import { PreparedStatements, type Db } from '../../../store/meta/db.ts';
import type { DatabaseRecord, PartitionRecord, TableRecord } from './types.ts';

export interface MetastoreRepo {
  database(s: Scope, name: string): Promise<DatabaseRecord | undefined>;
  databases(s: Scope): Promise<DatabaseRecord[]>;
  /** false when the name is taken. */
  insertDatabase(s: Scope, d: DatabaseRecord): Promise<boolean>;
  /** Deletes the database with its tables and partitions. */
  deleteDatabase(s: Scope, name: string): Promise<void>;
  table(s: Scope, db: string, name: string): Promise<TableRecord | undefined>;
  /** Tables and views of one database (every database when undefined), by name. */
  tables(s: Scope, db?: string): Promise<TableRecord[]>;
  /** false when the name is taken (and `replace` is not set). */
  putTable(s: Scope, t: TableRecord, replace: boolean): Promise<boolean>;
  /** Deletes the table and its partitions. */
  deleteTable(s: Scope, db: string, name: string): Promise<void>;
  partitions(s: Scope, db: string, table: string): Promise<PartitionRecord[]>;
  /** Adds partitions (those whose values already exist are left as they are); returns those added. */
  addPartitions(s: Scope, db: string, table: string, parts: PartitionRecord[]): Promise<PartitionRecord[]>;
  /** Deletes partitions by values; returns how many existed. */
  dropPartitions(s: Scope, db: string, table: string, values: string[][]): Promise<number>;
}

export class SqliteMetastoreRepo implements MetastoreRepo {
  private readonly st: PreparedStatements;

  constructor(private readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  async database(s: Scope, name: string): Promise<DatabaseRecord | undefined> {
    const r = this.st.get('SELECT definition FROM athena_databases WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as { definition: string } | undefined;
    return r ? (JSON.parse(r.definition) as DatabaseRecord) : undefined;
  }

  async databases(s: Scope): Promise<DatabaseRecord[]> {
    const rows = this.st.get('SELECT definition FROM athena_databases WHERE account = ? AND region = ? ORDER BY name').all(s.account, s.region) as { definition: string }[];
    return rows.map((r) => JSON.parse(r.definition) as DatabaseRecord);
  }

  async insertDatabase(s: Scope, d: DatabaseRecord): Promise<boolean> {
    const r = this.st.get('INSERT OR IGNORE INTO athena_databases (account, region, name, definition) VALUES (?, ?, ?, ?)').run(s.account, s.region, d.name, JSON.stringify(d));
    return r.changes === 1;
  }

  async deleteDatabase(s: Scope, name: string): Promise<void> {
    this.db.transaction(() => {
      this.st.get('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ?').run(s.account, s.region, name);
      this.st.get('DELETE FROM athena_tables WHERE account = ? AND region = ? AND database_name = ?').run(s.account, s.region, name);
      this.st.get('DELETE FROM athena_databases WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name);
    })();
  }

  async table(s: Scope, db: string, name: string): Promise<TableRecord | undefined> {
    const r = this.st.get('SELECT definition FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? AND name = ?')
      .get(s.account, s.region, db, name) as { definition: string } | undefined;
    return r ? (JSON.parse(r.definition) as TableRecord) : undefined;
  }

  async tables(s: Scope, db?: string): Promise<TableRecord[]> {
    const rows = (db === undefined
      ? this.st.get('SELECT definition FROM athena_tables WHERE account = ? AND region = ? ORDER BY database_name, name').all(s.account, s.region)
      : this.st.get('SELECT definition FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? ORDER BY name').all(s.account, s.region, db)) as { definition: string }[];
    return rows.map((r) => JSON.parse(r.definition) as TableRecord);
  }

  async putTable(s: Scope, t: TableRecord, replace: boolean): Promise<boolean> {
    const verb = replace ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
    const r = this.st.get(`${verb} INTO athena_tables (account, region, database_name, name, definition) VALUES (?, ?, ?, ?, ?)`)
      .run(s.account, s.region, t.database, t.name, JSON.stringify(t));
    return r.changes >= 1;
  }

  async deleteTable(s: Scope, db: string, name: string): Promise<void> {
    this.db.transaction(() => {
      this.st.get('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ?').run(s.account, s.region, db, name);
      this.st.get('DELETE FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? AND name = ?').run(s.account, s.region, db, name);
    })();
  }

  async partitions(s: Scope, db: string, table: string): Promise<PartitionRecord[]> {
    const rows = this.st.get('SELECT part_values, location, created_at FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ? ORDER BY part_values')
      .all(s.account, s.region, db, table) as { part_values: string; location: string; created_at: number }[];
    return rows.map((r) => ({ values: JSON.parse(r.part_values) as string[], location: r.location, createdAt: r.created_at }));
  }

  async addPartitions(s: Scope, db: string, table: string, parts: PartitionRecord[]): Promise<PartitionRecord[]> {
    const insert = this.st.get('INSERT OR IGNORE INTO athena_partitions (account, region, database_name, table_name, part_values, location, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    return this.db.transaction(() => parts.filter((p) => insert.run(s.account, s.region, db, table, JSON.stringify(p.values), p.location, p.createdAt).changes === 1))();
  }

  async dropPartitions(s: Scope, db: string, table: string, values: string[][]): Promise<number> {
    const del = this.st.get('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ? AND part_values = ?');
    return this.db.transaction(() => values.reduce((n, v) => n + del.run(s.account, s.region, db, table, JSON.stringify(v)).changes, 0))();
  }
}
