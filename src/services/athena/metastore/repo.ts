/** The metastore's repository: the async interface the DDL executor and the catalog use, and its SQLite implementation. */
import type { Scope } from '../../../lib/arn.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
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

export class MetastoreStore implements MetastoreRepo {
  constructor(private readonly db: Sql) {}

  async database(s: Scope, name: string): Promise<DatabaseRecord | undefined> {
    const r = await this.db.get<{ definition: string }>('SELECT definition FROM athena_databases WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r ? (JSON.parse(r.definition) as DatabaseRecord) : undefined;
  }

  async databases(s: Scope): Promise<DatabaseRecord[]> {
    const rows = await this.db.all<{ definition: string }>('SELECT definition FROM athena_databases WHERE account = ? AND region = ? ORDER BY name', [s.account, s.region]);
    return rows.map((r) => JSON.parse(r.definition) as DatabaseRecord);
  }

  async insertDatabase(s: Scope, d: DatabaseRecord): Promise<boolean> {
    const r = await this.db.run('INSERT INTO athena_databases (account, region, name, definition) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [s.account, s.region, d.name, JSON.stringify(d)]);
    return r.changes === 1;
  }

  async deleteDatabase(s: Scope, name: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ?', [s.account, s.region, name]);
      await tx.run('DELETE FROM athena_tables WHERE account = ? AND region = ? AND database_name = ?', [s.account, s.region, name]);
      await tx.run('DELETE FROM athena_databases WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    });
  }

  async table(s: Scope, db: string, name: string): Promise<TableRecord | undefined> {
    const r = await this.db.get<{ definition: string }>('SELECT definition FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? AND name = ?', [s.account, s.region, db, name]);
    return r ? (JSON.parse(r.definition) as TableRecord) : undefined;
  }

  async tables(s: Scope, db?: string): Promise<TableRecord[]> {
    const rows = db === undefined
      ? await this.db.all<{ definition: string }>('SELECT definition FROM athena_tables WHERE account = ? AND region = ? ORDER BY database_name, name', [s.account, s.region])
      : await this.db.all<{ definition: string }>('SELECT definition FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? ORDER BY name', [s.account, s.region, db]);
    return rows.map((r) => JSON.parse(r.definition) as TableRecord);
  }

  async putTable(s: Scope, t: TableRecord, replace: boolean): Promise<boolean> {
    const r = await this.db.run(replace ? PUT_TABLE_REPLACE : PUT_TABLE_IGNORE, [s.account, s.region, t.database, t.name, JSON.stringify(t)]);
    return r.changes >= 1;
  }

  async deleteTable(s: Scope, db: string, name: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ?', [s.account, s.region, db, name]);
      await tx.run('DELETE FROM athena_tables WHERE account = ? AND region = ? AND database_name = ? AND name = ?', [s.account, s.region, db, name]);
    });
  }

  async partitions(s: Scope, db: string, table: string): Promise<PartitionRecord[]> {
    const rows = await this.db.all<{ part_values: string; location: string; created_at: number }>(
      'SELECT part_values, location, created_at FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ? ORDER BY part_values',
      [s.account, s.region, db, table]);
    return rows.map((r) => ({ values: JSON.parse(r.part_values) as string[], location: r.location, createdAt: r.created_at }));
  }

  async addPartitions(s: Scope, db: string, table: string, parts: PartitionRecord[]): Promise<PartitionRecord[]> {
    return this.db.transaction(async (tx) => {
      const added: PartitionRecord[] = [];
      for (const p of parts) {
        const r = await tx.run('INSERT INTO athena_partitions (account, region, database_name, table_name, part_values, location, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [s.account, s.region, db, table, JSON.stringify(p.values), p.location, p.createdAt]);
        if (r.changes === 1) added.push(p);
      }
      return added;
    });
  }

  async dropPartitions(s: Scope, db: string, table: string, values: string[][]): Promise<number> {
    return this.db.transaction(async (tx) => {
      let n = 0;
      for (const v of values) {
        n += (await tx.run('DELETE FROM athena_partitions WHERE account = ? AND region = ? AND database_name = ? AND table_name = ? AND part_values = ?',
          [s.account, s.region, db, table, JSON.stringify(v)])).changes;
      }
      return n;
    });
  }
}

const PUT_TABLE_IGNORE = 'INSERT INTO athena_tables (account, region, database_name, name, definition) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';
const PUT_TABLE_REPLACE = `INSERT INTO athena_tables (account, region, database_name, name, definition) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (account, region, database_name, name) DO UPDATE SET definition = excluded.definition`;
