/**
 * The naive insert rate of log events (issue 17's yardstick): rows shaped like PutLogEvents traffic,
 * encoded as JSONCompactEachRow (encodeLogEvents) and group-committed straight into the embedded
 * engine — the first-generation store's write path — without HTTP, JSON decoding or validation in
 * front. The second-generation store (WAL + RowBinary batches, log-head.ts) must beat it end to end.
 *
 *   npx tsx bench/raw-insert.ts [--rows 500000] [--batch 10000] [--message-bytes 200 | --bytes 200]
 *                               [--concurrency 1] [--fsync] [--compare-encodings] [--json]
 *
 * --json prints only the result, as one JSON line (for harnesses running this in a child process).
 *
 * --compare-encodings also inserts the same rows encoded as JSONCompactEachRow (the store's
 * encoder), escaped TSV and JSONEachRow, through the same group committer, to show why the store
 * uses JSONCompactEachRow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ChdbEngine, type InsertFormat } from '../src/store/telemetry/engine.ts';
import { encodeLogEvents, type LogEventRow } from '../src/store/telemetry/log-events.ts';
import { MIGRATIONS, migrate } from '../src/store/telemetry/migrations.ts';
import { GROUP_COMMIT_DEFAULTS, GroupCommitter, type RowEncoder } from '../src/store/telemetry/group-commit.ts';

export interface RawInsertOptions {
  rows: number;
  /** Rows per append() and per insert. */
  batch: number;
  messageBytes: number;
  /** The store's maxConcurrentInserts (default: the store's default). One more append than this is
   *  kept outstanding, so the next batch is encoded while the engine works. */
  concurrency?: number;
  fsync?: boolean;
}

export interface RawInsertResult {
  rowsPerSec: number;
  /** Encoded payload bytes per second, in MB (10^6). */
  mbPerSec: number;
  appendP50Ms: number;
  appendP99Ms: number;
  /** Longest event-loop stall seen by a 2 ms heartbeat while inserting. */
  loopMaxMs: number;
  inserts: number;
}

// --- deterministic data ------------------------------------------------------------------------

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

const PATHS = ['/api/v1/cart', '/api/v1/items', '/login', '/static/app.js', '/api/v2/orders/12345', '/health'];

/** Half Apache access-log lines, half JSON lines (like storage-bench.md), padded/cut to `bytes`. */
export function makeMessages(n: number, bytes: number, seed = 1): string[] {
  const r = xorshift(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let m = i % 2 === 1
      ? `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} - - [12/Mar/2025:10:${Math.floor(r() * 60)}:${Math.floor(r() * 60)} +0000] "GET ${pick(PATHS)} HTTP/1.1" ${r() < 0.02 ? 500 : 200} ${Math.floor(r() * 99999)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`
      : JSON.stringify({ level: r() < 0.02 ? 'ERROR' : 'INFO', requestId: Math.floor(r() * 1e16).toString(16), path: pick(PATHS), latencyMs: Math.floor(r() * 900), msg: 'request completed' });
    while (m.length < bytes) m += ` k${Math.floor(r() * 1e6)}`;
    out[i] = m.slice(0, bytes);
  }
  return out;
}

/**
 * `rows` events in `batch`-sized arrays, built on demand: holding them all up front would make the
 * heap (and so every GC pause) far larger than a server's, whose rows live for one request.
 * Each run of 100 rows is one stream, like one PutLogEvents call.
 */
function batchSource(rows: number, batch: number, messageBytes: number) {
  const messages = makeMessages(Math.min(rows, 100_000), messageBytes);
  const t0 = 1_741_774_000_000;
  return {
    count: Math.ceil(rows / batch),
    get(n: number): LogEventRow[] {
      const b: LogEventRow[] = [];
      for (let i = n * batch; i < Math.min(rows, (n + 1) * batch); i++) {
        const req = Math.floor(i / 100);
        b.push({
          account: '123456789012', region: 'us-east-1', logGroup: `/bench/group-${req % 5}`, logStream: `stream-${req % 50}`,
          ts: t0 + i, ingestTs: t0 + i, seq: BigInt(i), message: messages[i % messages.length]!,
        });
      }
      return b;
    },
  };
}

// --- measurement helpers -------------------------------------------------------------------------

function heartbeat() {
  let max = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 2);
  return { stop: () => { clearInterval(timer); return max; } };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Runs `work(i)` for i in [0, n) keeping `window` of them in flight; returns each one's latency. */
async function pipelined(n: number, window: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      await work(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return latencies.sort((a, b) => a - b);
}

const LOG_COLUMNS = ['account', 'region', 'log_group', 'log_stream', 'ts', 'ingest_ts', 'seq', 'message', 'key_id'];

async function withEngine<T>(fsync: boolean, fn: (engine: ChdbEngine) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-bench-raw-'));
  const engine = await ChdbEngine.open({ path: dir, fsync });
  try {
    await migrate(engine);
    // The first-generation table had no deduplication log; with one, every token-less insert would
    // also hash its block, which the naive path never paid.
    await engine.exec('ALTER TABLE log_events MODIFY SETTING non_replicated_deduplication_window = 0');
    return await fn(engine);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the ceiling ---------------------------------------------------------------------------------

export async function rawInsertCeiling(opts: RawInsertOptions): Promise<RawInsertResult> {
  const concurrency = opts.concurrency ?? GROUP_COMMIT_DEFAULTS.maxConcurrentInserts;
  const batches = batchSource(opts.rows, opts.batch, opts.messageBytes);
  return withEngine(opts.fsync ?? false, async (engine) => {
    const store = new GroupCommitter<LogEventRow>(
      (payload) => engine.insert('log_events', LOG_COLUMNS, payload, 'JSONCompactEachRow'), encodeLogEvents,
      { maxBatchRows: opts.batch, maxConcurrentInserts: concurrency });
    // Warm-up (first insert pays for loading the table), not counted.
    await store.append(batches.get(0).slice(0, 100).map((r) => ({ ...r, logGroup: '/bench/warmup' })));
    const before = store.stats();
    const hb = heartbeat();
    const t0 = performance.now();
    const lat = await pipelined(batches.count, concurrency + 1, (i) => store.append(batches.get(i)));
    const seconds = (performance.now() - t0) / 1000;
    const loopMaxMs = hb.stop();
    const after = store.stats();
    await store.close();
    return {
      rowsPerSec: (after.rows - before.rows) / seconds,
      mbPerSec: (after.bytes - before.bytes) / seconds / 1e6,
      appendP50Ms: quantile(lat, 0.5),
      appendP99Ms: quantile(lat, 0.99),
      loopMaxMs,
      inserts: after.batches - before.batches,
    };
  });
}

// --- encodings compared --------------------------------------------------------------------------

// The TSV escaping the comparison uses: exactly what ClickHouse's TSV reader treats specially.
const TSV_SPECIAL = /[\\\t\n\r\0]/g;
const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
function tsvEscape(s: string): string {
  return s.indexOf('\\') === -1 && s.indexOf('\t') === -1 && s.indexOf('\n') === -1 && s.indexOf('\r') === -1 && s.indexOf('\0') === -1
    ? s : s.replace(TSV_SPECIAL, (c) => TSV_ESCAPES[c]!);
}

const ENCODERS: Record<'JSONCompactEachRow' | 'TSV' | 'JSONEachRow', RowEncoder<LogEventRow>> = {
  // The store's encoder.
  JSONCompactEachRow: encodeLogEvents,
  // Escaped TabSeparated, key columns escaped once per stream. Unpaired surrogates need no
  // pre-pass: Buffer#write turns them into U+FFFD.
  TSV: (rows, out) => {
    let stream: string | undefined;
    let prefix = '';
    for (const r of rows) {
      if (r.logStream !== stream) {
        stream = r.logStream;
        prefix = `${tsvEscape(r.account)}\t${tsvEscape(r.region)}\t${tsvEscape(r.logGroup)}\t${tsvEscape(r.logStream)}\t`;
      }
      out.write(`${prefix}${r.ts}\t${r.ingestTs}\t${r.seq}\t${tsvEscape(r.message)}\n`);
    }
  },
  // The naive path storage-bench.md measured: one object per row through JSON.stringify.
  JSONEachRow: (rows, out) => {
    for (const r of rows) {
      out.write(JSON.stringify({ account: r.account, region: r.region, log_group: r.logGroup, log_stream: r.logStream, ts: r.ts, ingest_ts: r.ingestTs, seq: String(r.seq), message: wellFormed(r.message) }) + '\n');
    }
  },
};

function wellFormed(s: string): string {
  const str = s as string & { isWellFormed(): boolean; toWellFormed(): string };
  return str.isWellFormed() ? s : str.toWellFormed();
}

export interface EncodingResult { format: string; rowsPerSec: number; mbPerSec: number; encodeUsPerRow: number; loopMaxMs: number }

/**
 * The same rows through the same group committer into a copy of log_events per format; only the
 * encoder differs.
 */
export async function compareEncodings(opts: RawInsertOptions & { rounds?: number }): Promise<EncodingResult[]> {
  const batches = batchSource(opts.rows, opts.batch, opts.messageBytes);
  const concurrency = opts.concurrency ?? GROUP_COMMIT_DEFAULTS.maxConcurrentInserts;
  const ddl = MIGRATIONS[0]!.statements[0]!;
  const columns = ['account', 'region', 'log_group', 'log_stream', 'ts', 'ingest_ts', 'seq', 'message'];
  return withEngine(opts.fsync ?? false, async (engine) => {
    const results: EncodingResult[] = [];
    for (let round = 0; round < (opts.rounds ?? 2); round++) {
      for (const [format, encode] of Object.entries(ENCODERS)) {
        const table = `enc_${format}_${round}`;
        await engine.exec(ddl.replace('IF NOT EXISTS log_events', `IF NOT EXISTS ${table}`));
        let encodeMs = 0;
        const timed: RowEncoder<LogEventRow> = (rows, out) => {
          const t = performance.now();
          encode(rows, out);
          encodeMs += performance.now() - t;
        };
        const committer = new GroupCommitter<LogEventRow>(
          (payload) => engine.insert(table, columns, payload, format as InsertFormat), timed,
          { maxBatchRows: opts.batch, maxConcurrentInserts: concurrency });
        const hb = heartbeat();
        const t0 = performance.now();
        await pipelined(batches.count, concurrency + 1, (i) => committer.append(batches.get(i)));
        const seconds = (performance.now() - t0) / 1000;
        const loopMaxMs = hb.stop();
        results.push({
          format, rowsPerSec: committer.stats().rows / seconds, mbPerSec: committer.stats().bytes / seconds / 1e6,
          encodeUsPerRow: (encodeMs * 1000) / opts.rows, loopMaxMs,
        });
        await engine.exec(`DROP TABLE ${table} SYNC`);
      }
    }
    return results;
  });
}

// --- CLI -----------------------------------------------------------------------------------------

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '500000' },
      batch: { type: 'string', default: '10000' },
      'message-bytes': { type: 'string', default: '200' },
      bytes: { type: 'string' },
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: String(GROUP_COMMIT_DEFAULTS.maxConcurrentInserts) },
      fsync: { type: 'boolean', default: false },
      'compare-encodings': { type: 'boolean', default: false },
    },
  });
  const opts: RawInsertOptions = {
    rows: Number(values.rows), batch: Number(values.batch), messageBytes: Number(values.bytes ?? values['message-bytes']),
    concurrency: Number(values.concurrency), fsync: values.fsync,
  };
  if (values.json) {
    console.log(JSON.stringify(await rawInsertCeiling(opts)));
    return;
  }
  console.log(`raw insert ceiling: ${opts.rows} rows, batch ${opts.batch}, ${opts.messageBytes}-byte messages, ` +
    `${opts.concurrency} in flight, fsync ${opts.fsync ? 'on' : 'off'}`);
  const r = await rawInsertCeiling(opts);
  console.log('rows/s       MB/s   append p50  append p99  loop max  inserts');
  console.log(`${fmt(r.rowsPerSec, 0).padStart(9)}  ${fmt(r.mbPerSec).padStart(6)}  ${fmt(r.appendP50Ms).padStart(8)} ms ${fmt(r.appendP99Ms).padStart(8)} ms ${fmt(r.loopMaxMs).padStart(6)} ms  ${r.inserts}`);
  if (values['compare-encodings']) {
    console.log('\nencodings, straight into the engine:');
    console.log('format                rows/s    MB/s  encode µs/row  loop max');
    for (const e of await compareEncodings(opts)) {
      console.log(`${e.format.padEnd(20)} ${fmt(e.rowsPerSec, 0).padStart(8)}  ${fmt(e.mbPerSec).padStart(6)}  ${fmt(e.encodeUsPerRow, 2).padStart(13)}  ${fmt(e.loopMaxMs).padStart(6)} ms`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
