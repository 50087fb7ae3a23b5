/**
 * The SQLite engine behind the neutral handle. better-sqlite3 answers synchronously; the async
 * surface only lets PostgreSQL stand in. A transaction holds the connection across `await`s, so
 * while one is open every statement from outside it waits for it to settle: otherwise another
 * request's write could land inside it and be rolled back with it.
 */
import type Database from 'better-sqlite3';
import { PreparedStatements } from '../db.ts';
import { Channels, checkChannel } from './channels.ts';
import type { MetaDb, RunResult, Sql, SqlParams } from './types.ts';

type Statement = Database.Statement;

function call<R>(st: Statement, how: 'all' | 'get' | 'run', params: SqlParams | undefined): R {
  if (params === undefined) return st[how]() as R;
  return (Array.isArray(params) ? st[how](...(params as unknown[])) : st[how](params)) as R;
}

export class SqliteMetaDb implements MetaDb {
  readonly dialect = 'sqlite' as const;
  private readonly statements: PreparedStatements;
  /** Settles when the open transaction does; null when none is open. */
  private open: Promise<void> | null = null;
  private savepoints = 0;
  private readonly channels = new Channels();
  /** Notifications sent inside the open transaction, delivered after its commit. */
  private held: [string, string][] = [];

  constructor(readonly db: Database.Database) {
    this.statements = new PreparedStatements(db);
  }

  private exec1<R>(how: 'all' | 'get' | 'run', sql: string, params: SqlParams | undefined): R {
    return call<R>(this.statements.get(sql), how, params);
  }

  /** Runs `f` once no transaction is open: checked and run in the same turn, so none can open between. */
  private async whenIdle<R>(f: () => R): Promise<R> {
    while (this.open) await this.open;
    return f();
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.whenIdle(() => this.exec1<T[]>('all', sql, params));
  }

  get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.whenIdle(() => this.exec1<T | undefined>('get', sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.whenIdle(() => ({ changes: this.exec1<Database.RunResult>('run', sql, params).changes }));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let settle!: () => void;
    this.open = new Promise((r) => (settle = r));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const value = await fn(this.handle());
        this.db.exec('COMMIT');
        const held = this.held;
        this.held = [];
        for (const [c, p] of held) this.deliver(c, p);
        return value;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.held = [];
        throw err;
      }
    } finally {
      this.open = null;
      settle();
    }
  }

  /** In-process: one SQLite process per data directory, so this node is every node. */
  private deliver(channel: string, payload: string): void {
    setImmediate(() => this.channels.emit(channel, payload));
  }

  async notify(channel: string, payload: string): Promise<void> {
    this.deliver(checkChannel(channel), payload);
  }

  listen(channel: string, fn: (payload: string) => void): () => void {
    const l = this.channels.add(checkChannel(channel), fn);
    return () => void l.remove();
  }

  onRelisten(): () => void {
    return () => {};
  }

  async listening(): Promise<void> {}

  /** The statements of the open transaction: they run at once, nested transactions are savepoints. */
  private handle(): Sql {
    const tx: Sql = {
      dialect: 'sqlite',
      all: async <T>(sql: string, params?: SqlParams) => this.exec1<T[]>('all', sql, params),
      get: async <T>(sql: string, params?: SqlParams) => this.exec1<T | undefined>('get', sql, params),
      run: async (sql: string, params?: SqlParams) => ({ changes: this.exec1<Database.RunResult>('run', sql, params).changes }),
      exec: async (script: string) => void this.db.exec(script),
      notify: async (channel: string, payload: string) => void this.held.push([checkChannel(channel), payload]),
      transaction: async <T>(fn: (inner: Sql) => Promise<T>) => {
        const name = `sp${++this.savepoints}`;
        this.db.exec(`SAVEPOINT ${name}`);
        try {
          const value = await fn(tx);
          this.db.exec(`RELEASE ${name}`);
          return value;
        } catch (err) {
          this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
          throw err;
        }
      },
    };
    return tx;
  }

  exec(script: string): Promise<void> {
    return this.whenIdle(() => void this.db.exec(script));
  }

  close(): Promise<void> {
    return this.whenIdle(() => void (this.db.open && this.db.close()));
  }
}
