/**
 * The PostgreSQL engine behind the neutral handle (`metadata.url = postgres://…`), on `pg`'s pool.
 * 64-bit integers and numerics come back as JS numbers: the store keeps epoch milliseconds, counts
 * and ids, all far below 2^53, and repositories compare them as numbers as they do on SQLite.
 */
import pg from 'pg';
import { checkChannel } from './channels.ts';
import { PgListener } from './pg-listener.ts';
import { bindValues, schemaToPostgres, toPostgres, type Translated } from './translate.ts';
import type { MetaDb, RunResult, Sql, SqlParams } from './types.ts';

const INT8 = 20;
const NUMERIC = 1700;

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

interface Queryable {
  query(cfg: { text: string; values: unknown[]; types: typeof types }): Promise<pg.QueryResult>;
}

/** Statements translated once per text, like prepared statements on SQLite. */
class Translations {
  private readonly cache = new Map<string, Translated>();

  get(sql: string): Translated {
    let t = this.cache.get(sql);
    if (!t) {
      t = toPostgres(sql);
      this.cache.set(sql, t);
    }
    return t;
  }
}

/** PostgreSQL's answers to text holding U+0000 (as a byte, or as a \\u0000 escape in JSON). */
const NUL_IN_TEXT = new Set(['22021', '22P05']);

/** Text SQLite would have stored: the caller's input, refused as input (protocol/errors.ts UnstorableInput). */
class UnstorableText extends Error {
  readonly unstorableInput = true as const;
  constructor() {
    super('Member must not contain the character U+0000');
  }
}

function queries(on: Queryable, translations: Translations) {
  const query = (sql: string, params: SqlParams | undefined) =>
    on.query({ text: translations.get(sql).text, values: bindValues(translations.get(sql), params, sql), types }).catch((err: unknown) => {
      throw NUL_IN_TEXT.has((err as { code?: string }).code ?? '') ? new UnstorableText() : err;
    });
  return {
    all: async <T>(sql: string, params?: SqlParams): Promise<T[]> => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: SqlParams): Promise<T | undefined> => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: SqlParams): Promise<RunResult> => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    notify: async (channel: string, payload: string): Promise<void> => {
      await on.query({ text: 'SELECT pg_notify($1, $2)', values: [checkChannel(channel), payload], types });
    },
  };
}

export class PostgresMetaDb implements MetaDb {
  readonly dialect = 'postgres' as const;
  private readonly translations = new Translations();
  private readonly q: ReturnType<typeof queries>;
  private savepoints = 0;

  constructor(private readonly pool: pg.Pool, private readonly listener: PgListener) {
    this.q = queries(pool as unknown as Queryable, this.translations);
  }

  static open(url: string, opts: { max?: number } = {}): PostgresMetaDb {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return new PostgresMetaDb(pool, new PgListener(url));
  }

  all<T>(sql: string, params?: SqlParams) { return this.q.all<T>(sql, params); }
  get<T>(sql: string, params?: SqlParams) { return this.q.get<T>(sql, params); }
  run(sql: string, params?: SqlParams) { return this.q.run(sql, params); }
  notify(channel: string, payload: string) { return this.q.notify(channel, payload); }

  listen(channel: string, fn: (payload: string) => void): () => void {
    return this.listener.listen(checkChannel(channel), fn);
  }

  onRelisten(fn: () => void): () => void {
    return this.listener.onRelisten(fn);
  }

  /** Resolves once this node's LISTEN connection is up. */
  listening(): Promise<void> {
    return this.listener.ready();
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const value = await fn(this.handle(client));
        await client.query('COMMIT');
        return value;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  }

  private handle(client: pg.PoolClient): Sql {
    const q = queries(client as unknown as Queryable, this.translations);
    const tx: Sql = {
      dialect: 'postgres',
      ...q,
      exec: async (script: string) => void (await client.query(schemaToPostgres(script))),
      transaction: async <T>(fn: (inner: Sql) => Promise<T>) => {
        const name = `sp${++this.savepoints}`;
        await client.query(`SAVEPOINT ${name}`);
        try {
          const value = await fn(tx);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          return value;
        } catch (err) {
          await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          await client.query(`RELEASE SAVEPOINT ${name}`);
          throw err;
        }
      },
    };
    return tx;
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(schemaToPostgres(script));
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.pool.end();
  }
}
