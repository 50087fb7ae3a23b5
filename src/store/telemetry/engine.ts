/**
 * The SQL engines behind the telemetry store. Everything above this file speaks ClickHouse SQL and
 * never learns whether it runs in-process (chDB) or against a ClickHouse server.
 *
 * Result contract shared by both engines, so callers can rely on it:
 * - `query()` returns rows as plain objects (ClickHouse `FORMAT JSON`, `data` member);
 * - 64-bit integers (Int64/UInt64) come back as decimal strings, because a JS number cannot hold
 *   them exactly (seq is UInt64; ts is Int64);
 * - `params` are bound server-side through `{name:Type}` placeholders, never spliced into the SQL.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Session } from 'chdb';
import type { ClickHouseClient } from '@clickhouse/client';

/** Text formats both engines accept for raw inserts. The stores use JSONCompactEachRow (see payload.ts). */
export type InsertFormat = 'TSV' | 'JSONEachRow' | 'JSONCompactEachRow' | 'CSV';

export interface SqlEngine {
  /** Runs a SELECT (without a FORMAT clause) and returns its rows. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** Runs a statement whose output is not needed: DDL, DELETE, ALTER. */
  exec(sql: string, params?: Record<string, unknown>): Promise<void>;
  /**
   * Inserts a pre-encoded payload. Resolves once the engine has written the part. The caller must
   * not mutate `payload` until the promise settles (chDB reads it zero-copy off the JS thread).
   */
  insert(table: string, columns: readonly string[], payload: Buffer, format: InsertFormat): Promise<void>;
  close(): Promise<void>;
}

/** An engine failure, with ClickHouse's numeric error code when the engine reported one. */
export class SqlEngineError extends Error {
  readonly clickhouseCode: number | undefined;
  constructor(message: string, clickhouseCode: number | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'SqlEngineError';
    this.clickhouseCode = clickhouseCode;
  }
}

function asEngineError(e: unknown): SqlEngineError {
  if (e instanceof SqlEngineError) return e;
  const err = e as { message?: unknown; clickhouseCode?: unknown; code?: unknown };
  const code = typeof err?.clickhouseCode === 'number' ? err.clickhouseCode
    // @clickhouse/client puts the server's code in `code` as a string.
    : typeof err?.code === 'string' && /^\d+$/.test(err.code) ? Number(err.code) : undefined;
  return new SqlEngineError(String(err?.message ?? e), code, e);
}

const hasParams = (p: Record<string, unknown> | undefined): p is Record<string, unknown> =>
  p !== undefined && Object.keys(p).length > 0;

/**
 * Settings for every connection. optimize_on_insert=0: an Aggregating/Replacing MergeTree would
 * otherwise collapse rows of equal key inside each inserted block — a merge pass per insert that
 * cost ~40 % of metric ingest (measured with the metric rollup views) and is wasted, because every
 * reader of those tables aggregates anyway and background merges collapse the rows later.
 */
const INSERT_SETTINGS: readonly (readonly [string, number])[] = [['optimize_on_insert', 0]];

export interface ChdbEngineOptions {
  /** Data directory. chDB binds one directory per process: every ChdbEngine in a process must use the same one. */
  path: string;
  /**
   * fsync parts and their directories on every insert. chDB does not by default, which survives a
   * process crash but not a power loss; measured cost here was about 10–15 % of insert throughput.
   */
  fsync?: boolean;
}

/**
 * Embedded ClickHouse. Two Sessions on one directory: one Session runs one operation at a time,
 * so with a single Session every insert would queue behind whatever query is running (ingest fell
 * from ~30k to 8.8k rows/s under queries in storage-bench.md). Only the async APIs are used; the
 * sync ones run on the event loop.
 */
export class ChdbEngine implements SqlEngine {
  private closed = false;

  private constructor(
    private readonly ingest: Session,
    private readonly reader: Session,
    private readonly drainPending: () => Promise<void>,
  ) {}

  static async open(opts: ChdbEngineOptions): Promise<ChdbEngine> {
    // Loaded lazily so a deployment on a ClickHouse server never maps the 566 MB libchdb.
    const chdb = await import('chdb');
    mkdirSync(opts.path, { recursive: true });
    const connectionArgs = [
      // JSON output keeps Int64/UInt64 exact (chDB 26.x defaults this to 0, i.e. bare numbers).
      '--output_format_json_quote_64bit_integers=1',
      ...INSERT_SETTINGS.map(([k, v]) => `--${k}=${v}`),
    ];
    if (opts.fsync) {
      // fsync_* are MergeTree settings, i.e. server configuration: `--merge_tree.x=1` on the
      // command line is silently ignored by chDB, a config file is honoured (checked via
      // system.merge_tree_settings). Without the option no config file is passed at all.
      const file = join(opts.path, 'osprey-fsync.xml');
      writeFileSync(file, '<clickhouse><merge_tree>' +
        '<fsync_after_insert>1</fsync_after_insert><fsync_part_directory>1</fsync_part_directory>' +
        '</merge_tree></clickhouse>\n');
      connectionArgs.push(`--config-file=${file}`);
    }
    // Same arguments for both: they share one embedded server, which only the first connection
    // to a directory configures (checked: a later Session's --config-file is ignored), so `fsync`
    // is decided by the first engine opened on the directory in a process.
    let ingest: Session | undefined;
    let reader: Session;
    try {
      ingest = new chdb.Session(opts.path, { connectionArgs });
      reader = new chdb.Session(opts.path, { connectionArgs });
    } catch (e) {
      ingest?.close();
      await chdb.drainPending();
      throw asEngineError(e);
    }
    return new ChdbEngine(ingest, reader, chdb.drainPending);
  }

  async query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    try {
      // Caveat of chdb 3.4: every parameterised call in the process goes through one global chain
      // (its libchdb does not isolate parameter state per connection), so bound queries run one at
      // a time; unbound ones run in parallel.
      // JSONEachRow, not JSON: when blocks of one result differ in header (e.g. String vs
      // Nullable(String) from different parts), chDB's JSON format writes a second document, which
      // JSON.parse rejects; one object per line is immune to that.
      const r = hasParams(params)
        ? await this.reader.queryBindAsync(sql, params, { format: 'JSONEachRow' })
        : await this.reader.queryAsync(sql, { format: 'JSONEachRow' });
      const text = r.text();
      if (text.length === 0) return [];
      const rows: T[] = [];
      let at = 0;
      while (at < text.length) {
        let nl = text.indexOf('\n', at);
        if (nl < 0) nl = text.length;
        if (nl > at) rows.push(JSON.parse(text.slice(at, nl)) as T);
        at = nl + 1;
      }
      return rows;
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async exec(sql: string, params?: Record<string, unknown>): Promise<void> {
    try {
      // On the reader session so that a long mutation never stalls ingest.
      if (hasParams(params)) await this.reader.queryBindAsync(sql, params, { format: 'TSV' });
      else await this.reader.queryAsync(sql, { format: 'TSV' });
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async insert(table: string, columns: readonly string[], payload: Buffer, format: InsertFormat): Promise<void> {
    try {
      // The raw Buffer path: chDB hands the bytes to the engine's parser off-thread. The object
      // path builds an INSERT…VALUES string on the event loop (100–220 ms per 10k rows).
      await this.ingest.insert({ table, columns, values: payload, format });
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ingest.close();
    this.reader.close();
    // close() returns before the connections are gone when operations are still running;
    // reopening (or deleting the directory) before this resolves fails.
    await this.drainPending();
  }
}

export interface ClickHouseServerEngineOptions {
  url: string;
  username?: string;
  password?: string;
  database?: string;
}

// Client-side names for our insert formats (the HTTP client only knows the long TSV name).
const SERVER_FORMAT = {
  TSV: 'TabSeparated',
  JSONEachRow: 'JSONEachRow',
  JSONCompactEachRow: 'JSONCompactEachRow',
  CSV: 'CSV',
} as const;

/** A ClickHouse server over HTTP (@clickhouse/client), for deployments that outgrow one process. */
export class ClickHouseServerEngine implements SqlEngine {
  private constructor(private readonly client: ClickHouseClient) {}

  static async open(opts: ClickHouseServerEngineOptions): Promise<ClickHouseServerEngine> {
    const { createClient } = await import('@clickhouse/client');
    const client = createClient({
      url: opts.url,
      username: opts.username,
      password: opts.password,
      database: opts.database,
      clickhouse_settings: {
        output_format_json_quote_64bit_integers: 1,
        // A 200 must mean the rows are in a part: a server configured with async_insert=1
        // would otherwise acknowledge rows that are still in its memory buffer.
        wait_for_async_insert: 1,
        ...Object.fromEntries(INSERT_SETTINGS),
      },
    });
    const engine = new ClickHouseServerEngine(client);
    const ping = await client.ping();
    if (!ping.success) {
      await client.close();
      throw asEngineError(ping.error);
    }
    return engine;
  }

  async query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    try {
      const rs = await this.client.query({ query: sql, query_params: params, format: 'JSON' });
      return (await rs.json<T>()).data;
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async exec(sql: string, params?: Record<string, unknown>): Promise<void> {
    try {
      await this.client.command({ query: sql, query_params: params });
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async insert(table: string, columns: readonly string[], payload: Buffer, format: InsertFormat): Promise<void> {
    if (columns.length === 0) throw new SqlEngineError('insert needs at least one column', undefined, undefined);
    try {
      await this.client.insert({
        table,
        columns: columns as [string, ...string[]],
        values: Readable.from([payload], { objectMode: false }),
        format: SERVER_FORMAT[format],
      });
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
