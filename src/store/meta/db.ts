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
