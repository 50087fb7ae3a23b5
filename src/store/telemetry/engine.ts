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
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Session } from 'chdb';
import type { ClickHouseClient } from '@clickhouse/client';
import { stringLiteral } from './sql-literal.ts';

/**
 * Formats both engines accept for raw inserts. The stores use JSONCompactEachRow (see payload.ts);
 * RowBinary is the binary path of the second-generation write path (issue 17).
 */
export type InsertFormat = 'TSV' | 'JSONEachRow' | 'JSONCompactEachRow' | 'CSV' | 'RowBinary';

export interface InsertOptions {
  /**
   * ClickHouse's insert_deduplication_token: inserting the same payload again with the same token
   * stores it once (tables need non_replicated_deduplication_window > 0). Printable ASCII only.
   */
  dedupToken?: string;
}

/** A user-facing query's answer (Athena): typed columns, rows as arrays, what the engine read. */
export interface SelectResult {
  columns: { name: string; type: string }[];
  /** One array per row, values as ClickHouse's JSONCompact writes them (64-bit integers as strings). */
  rows: unknown[][];
  bytesRead: number;
  rowsRead: number;
}

export interface SelectOptions {
  /** Aborts the query (the caller's StopQueryExecution). */
  signal?: AbortSignal;
}

export interface SqlEngine {
  /** Runs a SELECT (without a FORMAT clause) and returns its rows. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** Runs a SELECT (without a FORMAT clause, no parameters) and returns typed columns, rows and read statistics. */
  select(sql: string, opts?: SelectOptions): Promise<SelectResult>;
  /** Runs a statement whose output is not needed: DDL, DELETE, ALTER. */
  exec(sql: string, params?: Record<string, unknown>): Promise<void>;
  /**
   * Inserts a pre-encoded payload. Resolves once the engine has written the part. The caller must
   * not mutate `payload` until the promise settles (chDB reads it zero-copy off the JS thread).
   */
  insert(table: string, columns: readonly string[], payload: Buffer, format: InsertFormat, opts?: InsertOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * JSONCompactEachRowWithNamesAndTypes: a names line, a types line, then one array per row. chDB
 * writes the two header lines again whenever a block's header differs (String vs
 * Nullable(String) from different parts); a names line followed by a types line is such a
 * repeat. (Asking DESCRIBE instead costs a round trip per query.)
 */
export function parseCompactWithNamesAndTypes(text: string): Pick<SelectResult, 'columns' | 'rows'> {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length < 2) return { columns: [], rows: [] };
  const [namesLine, typesLine] = lines as [string, string];
  const names = JSON.parse(namesLine) as string[];
  const types = JSON.parse(typesLine) as string[];
  const rows: unknown[][] = [];
  for (let i = 2; i < lines.length; i++) {
    if (lines[i] === namesLine && i + 1 < lines.length && lines[i + 1]!.startsWith('["') && isTypesLine(lines[i + 1]!, names.length)) {
      i++;
      continue;
    }
    rows.push(JSON.parse(lines[i]!) as unknown[]);
  }
  return { columns: names.map((name, c) => ({ name, type: types[c] ?? 'String' })), rows };
}

/**
 * chDB's JSONCompactEachRowWithProgress: a `meta` line (repeated when a block's header differs),
 * `row` lines, and the cumulative `progress` — the engine's true read statistics (chDB's own
 * result counters report the result's size, not what was read).
 */
export function parseCompactWithProgress(text: string): SelectResult {
  let columns: SelectResult['columns'] | undefined;
  const rows: unknown[][] = [];
  let bytesRead = 0;
  let rowsRead = 0;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const o = JSON.parse(line) as { meta?: { name: string; type: string }[]; row?: unknown[]; progress?: { read_rows?: string; read_bytes?: string }; exception?: string };
    if (o.row) rows.push(o.row);
    else if (o.meta) columns ??= o.meta.map((m) => ({ name: m.name, type: m.type }));
    else if (o.progress) {
      bytesRead = Math.max(bytesRead, Number(o.progress.read_bytes ?? 0));
      rowsRead = Math.max(rowsRead, Number(o.progress.read_rows ?? 0));
    } else if (o.exception) throw new SqlEngineError(o.exception, Number(/Code: (\d+)/.exec(o.exception)?.[1]) || undefined, undefined);
  }
  return { columns: columns ?? [], rows, bytesRead, rowsRead };
}

/** A header's types line: as many strings as columns, each a ClickHouse type name. */
function isTypesLine(line: string, columns: number): boolean {
  const v = JSON.parse(line) as unknown[];
  return v.length === columns && v.every((t) => typeof t === 'string' && /^[A-Z][A-Za-z0-9]*(\(.*\))?$/.test(t));
}

/** The longest statement `select` accepts (ClickHouse's default is 256 KiB). */
const ADHOC_MAX_QUERY_SIZE = 64 * 1024 * 1024;

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

/** The per-insert settings for `opts`, or undefined when there are none. */
function insertSettings(opts: InsertOptions | undefined): Record<string, string> | undefined {
  if (opts?.dedupToken === undefined) return undefined;
  if (!/^[\x20-\x7e]{1,1000}$/.test(opts.dedupToken)) {
    throw new SqlEngineError(`invalid deduplication token ${JSON.stringify(opts.dedupToken)}: 1–1000 printable ASCII characters`, undefined, undefined);
  }
  return { insert_deduplication_token: opts.dedupToken };
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

const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Where `BACKUP … TO File()` may write in an embedded engine's directory (the only allowed path). */
export const chdbBackupDir = (path: string): string => join(path, 'osprey-backups');

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
/**
 * Ingest sessions: one Session runs one operation at a time, and a flush writes several tables
 * (metrics: series, raw and three tiers), each insert costing ~5–8 ms of fixed latency however
 * small. Several sessions let one flush's inserts run side by side, so a read that waits for a
 * flush (read-your-writes) waits for the slower inserts rather than their sum. Two, measured:
 * alarm-latency p50 62 ms with one session, 48 with two, 45 with four — but four slowed Insights
 * scans by a fifth (1.08 vs 1.53 GB/s over 10 M events), two did not.
 */
const INGEST_SESSIONS = 2;

export class ChdbEngine implements SqlEngine {
  private closed = false;
  /** Settles when the last select handed to the ad-hoc session has ended. */
  private adhocTail: Promise<void> = Promise.resolve();

  /** Ingest sessions not running an insert; callers beyond them wait in `waiting`. */
  private readonly idle: Session[];
  private readonly waiting: Array<(s: Session) => void> = [];

  private constructor(
    private readonly ingest: readonly Session[],
    private readonly reader: Session,
    /**
     * User SQL (Athena) runs on its own session: a session runs one operation at a time, so a
     * long ad-hoc query there never delays the services' reads; `control` kills it (KILL QUERY
     * from another session stops the computation, an aborted promise alone does not).
     */
    private readonly adhoc: Session,
    private readonly control: Session,
    private readonly drainPending: () => Promise<void>,
    private readonly spool: ChdbBinarySpool,
  ) {
    this.idle = [...ingest];
  }

  static async open(opts: ChdbEngineOptions): Promise<ChdbEngine> {
    // Loaded lazily so a deployment on a ClickHouse server never maps the 566 MB libchdb.
    const chdb = await import('chdb');
    mkdirSync(opts.path, { recursive: true });
    const connectionArgs = [
      // JSON output keeps Int64/UInt64 exact (chDB 26.x defaults this to 0, i.e. bare numbers).
      '--output_format_json_quote_64bit_integers=1',
      ...INSERT_SETTINGS.map(([k, v]) => `--${k}=${v}`),
    ];
    // Server configuration (a config file: `--merge_tree.x=1` on the command line is silently
    // ignored by chDB, a config file is honoured, checked via system.merge_tree_settings).
    // fsync_*: see ChdbEngineOptions.fsync. backups.allowed_path: `BACKUP … TO File()` (osprey
    // backup, src/ops/backup) may write only below the engine's own backup directory.
    const file = join(opts.path, 'osprey-chdb.xml');
    const fsync = opts.fsync
      ? '<merge_tree><fsync_after_insert>1</fsync_after_insert><fsync_part_directory>1</fsync_part_directory></merge_tree>'
      : '';
    writeFileSync(file, `<clickhouse>${fsync}<backups><allowed_path>${xmlText(resolve(chdbBackupDir(opts.path)))}/</allowed_path></backups></clickhouse>\n`);
    connectionArgs.push(`--config-file=${file}`);
    // Same arguments for both: they share one embedded server, which only the first connection
    // to a directory configures (checked: a later Session's --config-file is ignored), so `fsync`
    // is decided by the first engine opened on the directory in a process.
    const opened: Session[] = [];
    try {
      for (let i = 0; i < INGEST_SESSIONS + 3; i++) opened.push(new chdb.Session(opts.path, { connectionArgs }));
    } catch (e) {
      for (const s of opened) s.close();
      await chdb.drainPending();
      throw asEngineError(e);
    }
    const [reader, adhoc, control] = opened.slice(INGEST_SESSIONS) as [Session, Session, Session];
    // Ad-hoc SQL (Athena) can be long: an external table's registered partitions are spelled out.
    adhoc.query(`SET max_query_size = ${ADHOC_MAX_QUERY_SIZE}`, 'CSV');
    return new ChdbEngine(opened.slice(0, INGEST_SESSIONS), reader, adhoc, control, chdb.drainPending, new ChdbBinarySpool(opts.path));
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

  async select(sql: string, opts: SelectOptions = {}): Promise<SelectResult> {
    // One at a time, by us: a select is handed to chDB only once the previous one has really
    // ended, so an abort never leaves computations queued inside the session.
    const previous = this.adhocTail;
    let done!: () => void;
    this.adhocTail = new Promise<void>((r) => (done = r));
    try {
      await previous;
      if (opts.signal?.aborted) throw new SqlEngineError('Query aborted before it started', undefined, undefined);
      return await this.selectNow(sql, opts.signal);
    } finally {
      done();
    }
  }

  private async selectNow(sql: string, signal: AbortSignal | undefined): Promise<SelectResult> {
    // The tag finds the query in system.processes (the query text keeps the comment). The promise
    // is not given the signal: it must settle only when the computation has stopped (KILL makes
    // it fail with QUERY_WAS_CANCELLED), which is what frees the session for the next select.
    const tag = `osprey-select:${randomUUID()}`;
    let settled = false;
    const kill = async () => {
      // Retried until it lands: right after submission the query may not be listed yet.
      for (let i = 0; i < 50 && !settled; i++) {
        await this.control.queryAsync(`KILL QUERY WHERE query LIKE ${stringLiteral(`%${tag}%`)} AND query NOT LIKE 'KILL%' ASYNC`, { format: 'TSV' }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const onAbort = () => void kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await this.adhoc.queryAsync(`/* ${tag} */ ${sql}`, { format: 'JSONCompactEachRowWithProgress' });
      return parseCompactWithProgress(r.text());
    } catch (e) {
      throw asEngineError(e);
    } finally {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
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

  async insert(
    table: string, columns: readonly string[], payload: Buffer, format: InsertFormat, opts?: InsertOptions,
  ): Promise<void> {
    const session = this.idle.pop() ?? await new Promise<Session>((resolve) => this.waiting.push(resolve));
    try {
      const settings = insertSettings(opts);
      if (format === 'RowBinary') {
        await this.spool.insert(session, table, columns, payload, settings);
        return;
      }
      // The raw Buffer path: chDB hands the bytes to the engine's parser off-thread. The object
      // path builds an INSERT…VALUES string on the event loop (100–220 ms per 10k rows).
      await session.insert({ table, columns, values: payload, format, settings });
    } catch (e) {
      throw asEngineError(e);
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next(session);
      else this.idle.push(session);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.ingest) s.close();
    this.reader.close();
    this.adhoc.close();
    this.control.close();
    // close() returns before the connections are gone when operations are still running;
    // reopening (or deleting the directory) before this resolves fails.
    await this.drainPending();
  }
}

/**
 * `INSERT INTO t (cols) [FROM INFILE 'f'] [SETTINGS …] FORMAT RowBinary`, identifiers quoted
 * (FROM INFILE must come before SETTINGS: the other order is a syntax error).
 */
function binaryInsertSql(
  table: string, columns: readonly string[], settings: Record<string, string> | undefined, infile?: string,
): string {
  const quote = (name: string): string => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
  const target = table.split('.').map(quote).join('.');
  const from = infile === undefined ? '' : ` FROM INFILE ${stringLiteral(infile)}`;
  const set = settings ? ` SETTINGS ${Object.entries(settings).map(([k, v]) => `${k} = ${stringLiteral(v)}`).join(', ')}` : '';
  return `INSERT INTO ${target} (${columns.map(quote).join(', ')})${from}${set} FORMAT RowBinary`;
}

/**
 * Spools RowBinary payloads for chDB. chdb 3.4's Session.insert() whitelists text formats, and
 * its native raw entry (inline data after the INSERT text) is not binary-safe: measured here, a
 * payload ending in whitespace bytes lost its last row silently, and one 4-column payload failed
 * mid-way (CANNOT_READ_ALL_DATA) — the engine treats inline data as query text. `FROM INFILE` reads
 * the bytes as they are (checked with newline and space bytes, engine.test.ts), so each RowBinary
 * insert goes through a file in the data directory, deleted right after (it rarely reaches the
 * disk: the page cache drops a deleted file's dirty pages).
 */
let spoolSeq = 0;

class ChdbBinarySpool {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'osprey-insert-spool');
    mkdirSync(this.dir, { recursive: true });
    // Files left by a crashed process (one process per chDB directory, so any other pid is gone).
    for (const f of readdirSync(this.dir)) {
      if (!f.startsWith(`${process.pid}-`)) rmSync(join(this.dir, f), { force: true });
    }
  }

  async insert(session: Session, table: string, columns: readonly string[], payload: Buffer,
    settings: Record<string, string> | undefined): Promise<void> {
    if (payload.length === 0) return;
    if (columns.length === 0) throw new SqlEngineError('insert needs at least one column', undefined, undefined);
    const file = join(this.dir, `${process.pid}-${spoolSeq++}.bin`);
    await writeFile(file, payload);
    try {
      await session.queryAsync(binaryInsertSql(table, columns, settings, file), { format: 'TSV' });
    } finally {
      await rm(file, { force: true });
    }
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
} as const satisfies Record<Exclude<InsertFormat, 'RowBinary'>, string>;

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

  async select(sql: string, opts: SelectOptions = {}): Promise<SelectResult> {
    try {
      // An aborted request cancels the query on the server (HTTP client gone → query cancelled).
      const rs = await this.client.query({
        query: sql, format: 'JSONCompactEachRowWithNamesAndTypes', abort_signal: opts.signal,
        clickhouse_settings: { cancel_http_readonly_queries_on_client_close: 1, max_query_size: String(ADHOC_MAX_QUERY_SIZE) },
      });
      const summary = JSON.parse(String(rs.response_headers['x-clickhouse-summary'] ?? '{}')) as { read_bytes?: string; read_rows?: string };
      return { ...parseCompactWithNamesAndTypes(await rs.text()), bytesRead: Number(summary.read_bytes ?? 0), rowsRead: Number(summary.read_rows ?? 0) };
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

  async insert(
    table: string, columns: readonly string[], payload: Buffer, format: InsertFormat, opts?: InsertOptions,
  ): Promise<void> {
    if (columns.length === 0) throw new SqlEngineError('insert needs at least one column', undefined, undefined);
    try {
      const clickhouse_settings = insertSettings(opts);
      const values = Readable.from([payload], { objectMode: false });
      if (format === 'RowBinary') {
        // The client's insert() refuses binary formats; exec() sends the statement as a query
        // parameter and the stream as the body, which the server reads in the FORMAT named.
        const r = await this.client.exec({ query: binaryInsertSql(table, columns, undefined), values, clickhouse_settings });
        r.stream.resume();
        await finished(r.stream);
        return;
      }
      await this.client.insert({
        table,
        columns: columns as [string, ...string[]],
        values,
        format: SERVER_FORMAT[format],
        clickhouse_settings,
      });
    } catch (e) {
      throw asEngineError(e);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
