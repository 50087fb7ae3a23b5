/**
 * The metadata store's engine-neutral handle. Repositories write one SQL text that both engines
 * run: SQLite's syntax where PostgreSQL shares it, `?` or `@name` parameters, explicit
 * `ON CONFLICT (…)` targets, `RETURNING` instead of last-insert ids, and `inList()` instead of
 * json_each. translate.ts turns that text into PostgreSQL's; SQLite runs it as written.
 */

export type Dialect = 'sqlite' | 'postgres';

/** Positional values for `?`, or an object for `@name` parameters. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  changes: number;
}

export interface Sql {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /**
   * Runs `fn` in a transaction (a savepoint when already in one): committed when `fn` resolves,
   * rolled back when it throws. `fn` must do only database work through `tx`: the engine may hold a
   * connection or a lock until it settles.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs a script of statements without parameters: schema migrations, in SQLite's type names. */
  exec(script: string): Promise<void>;
  /**
   * Signals every node's `listen` callbacks on `channel` (this node's too): PostgreSQL NOTIFY, or
   * in-process on SQLite. Sent through a transaction, it is delivered only if and when that commits.
   * Delivery is best effort (a node that is reconnecting misses it): listeners that must not miss
   * work also poll, at a slower pace.
   */
  notify(channel: string, payload: string): Promise<void>;
}

export interface MetaDb extends Sql {
  /** Calls `fn` with each payload notified on `channel` by any node; returns the unsubscribe. */
  listen(channel: string, fn: (payload: string) => void): () => void;
  /**
   * Calls `fn` each time this node's listening connection is back after it was lost (PostgreSQL):
   * whatever was notified meanwhile was missed, so listeners that cache must re-read. Never on
   * SQLite (in-process delivery cannot be lost). Returns the unsubscribe.
   */
  onRelisten(fn: () => void): () => void;
  /** Resolves once this node receives notifications (PostgreSQL: its LISTEN connection is up). */
  listening(): Promise<void>;
  close(): Promise<void>;
}
