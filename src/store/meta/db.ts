/**
 * The metadata store's handle and migration shape, on their own so repositories and migration lists
 * can name them without importing the SQLite opener (which imports the migrations).
 */
import type Database from 'better-sqlite3';

export type Db = Database.Database;

/** One schema step, append-only: never edit a shipped migration, add a new one. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * Statements prepared once per SQL text: preparing costs more than running the small keyed queries
 * hot paths make (PutEvents reads buses, generations, archives on every call).
 */
export class PreparedStatements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Database.Statement {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }
}
