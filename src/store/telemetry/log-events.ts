/**
 * CloudWatch Logs events in ClickHouse (`log_events`, created in migrations.ts): appends through the
 * logs ingest pipeline (acknowledged from the WAL, written in large RowBinary batches: log-head.ts)
 * and per-stream reads in (ts, seq) order.
 *
 * Reads see every acknowledged row: the engine given here is expected to sync the pipeline before
 * any statement on log_events (the read-your-writes wrapper in index.ts); the deletes below also
 * sync first themselves, because a buffered row flushed after a DELETE would resurrect it.
 */
import type { IngestPipeline, IngestPipelineStats } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { BlockExclusionCache } from './log-search-blocks.ts';
import { jsonString, type PayloadWriter } from './payload.ts';

export interface LogEventRow {
  account: string;
  region: string;
  logGroup: string;
  logStream: string;
  /** Event time, ms since the epoch. */
  ts: number;
  /** When Osprey received the event, ms since the epoch. */
  ingestTs: number;
  /** Orders events with equal ts (UInt64). */
  seq: bigint;
  /**
   * Stored as UTF-8; an unpaired UTF-16 surrogate cannot be encoded and is stored as U+FFFD (what
   * `message.toWellFormed()` returns), every other string round-trips exactly.
   */
  message: string;
  /**
   * KMS key ARN the message is sealed under (store/keys), '' or undefined for plain text. The
   * store keeps ciphertext as is; the Logs service seals and opens.
   */
  keyId?: string;
}

export interface LogEventCursor {
  ts: number;
  seq: bigint;
}

export interface ReadStreamQuery {
  account: string;
  region: string;
  logGroup: string;
  logStream: string;
  /** Inclusive, ms. */
  startTime?: number;
  /** Exclusive, ms. */
  endTime?: number;
  limit: number;
  forward: boolean;
  /** forward only: return events strictly after this position. */
  after?: LogEventCursor;
  /** backward only: return events strictly before this position. */
  before?: LogEventCursor;
}

export interface FilterQuery {
  account: string;
  region: string;
  logGroup: string;
  streams?: string[];
  streamPrefix?: string;
  /** Inclusive, ms. */
  startTime?: number;
  /** Inclusive, ms (FilterLogEvents semantics). */
  endTime?: number;
  /**
   * A condition on `message` (filter-pattern pushdown). It is applied to plain-text rows only:
   * sealed rows (key_id != '') always come back, because only the service can open them.
   */
  where?: { sql: string; params: Record<string, unknown> };
  /**
   * Substrings every plain-text row `where` accepts contains (a pattern's required terms): blocks
   * whose search filter lacks one are not read (log-search-blocks.ts). Sealed rows always come back.
   */
  needles?: readonly string[];
  /** Events strictly after this position in (ts, seq) order. */
  after?: LogEventCursor;
  limit: number;
}

const TABLE = 'log_events';
const UINT64_MAX = (1n << 64n) - 1n;

export class LogEventStore {
  /**
   * `engine` serves reads and deletes; `pipeline` (createLogEventPipeline in log-head.ts, built on
   * the raw engine) takes the appends.
   */
  private readonly exclusions: BlockExclusionCache;

  constructor(private readonly engine: SqlEngine, private readonly pipeline: IngestPipeline<LogEventRow>) {
    this.exclusions = new BlockExclusionCache(engine);
  }

  /**
   * Resolves once the rows are durable in the write-ahead log (and held for the next batch insert);
   * rejects with IngestOverloadedError when too much waits to be inserted, or with the WAL's error.
   */
  append(rows: LogEventRow[]): Promise<void> {
    return this.pipeline.append(rows);
  }

  /**
   * One stream's events in (ts, seq) order. forward=true: ascending, starting strictly after
   * `after` (or at startTime); forward=false: descending, strictly before `before` (or from
   * endTime). startTime inclusive, endTime exclusive (AWS semantics). All given bounds apply.
   */
  async readStream(q: ReadStreamQuery): Promise<LogEventRow[]> {
    if (!Number.isSafeInteger(q.limit) || q.limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${q.limit}`);
    // A cursor for the other direction is a caller bug that would otherwise silently restart paging.
    if (q.forward ? q.before !== undefined : q.after !== undefined) {
      throw new RangeError(q.forward ? 'before is only valid with forward=false' : 'after is only valid with forward=true');
    }
    if (q.limit === 0) return [];
    const params: Record<string, unknown> = {
      account: q.account, region: q.region, logGroup: q.logGroup, logStream: q.logStream, limit: q.limit,
    };
    const where = [
      'account = {account:String}', 'region = {region:String}',
      'log_group = {logGroup:String}', 'log_stream = {logStream:String}',
    ];
    if (q.startTime !== undefined) { where.push('ts >= {startTime:Int64}'); params.startTime = checkTs(q.startTime, 'startTime'); }
    if (q.endTime !== undefined) { where.push('ts < {endTime:Int64}'); params.endTime = checkTs(q.endTime, 'endTime'); }
    const cursor = q.forward ? q.after : q.before;
    if (cursor !== undefined) {
      params.cTs = checkTs(cursor.ts, 'cursor.ts');
      params.cSeq = checkSeq(cursor.seq);
      // The plain `ts` bound is for the primary-key analysis, which does not see through the
      // (ts, seq) comparison; the disjunction is the exact tie-break on seq.
      where.push(q.forward
        ? 'ts >= {cTs:Int64} AND (ts > {cTs:Int64} OR seq > {cSeq:UInt64})'
        : 'ts <= {cTs:Int64} AND (ts < {cTs:Int64} OR seq < {cSeq:UInt64})');
    }
    const dir = q.forward ? 'ASC' : 'DESC';
    // ORDER BY is a suffix of the sorting key under fixed account/region/group/stream, so
    // ClickHouse reads in order and stops at LIMIT instead of sorting the stream.
    const rows = await this.engine.query<{ ts: string; ingest_ts: string; seq: string; message: string; key_id: string }>(
      `SELECT ts, ingest_ts, seq, message, key_id FROM ${TABLE} WHERE ${where.join(' AND ')} ` +
      `ORDER BY ts ${dir}, seq ${dir} LIMIT {limit:UInt32}`,
      params,
    );
    return rows.map((r) => ({
      account: q.account, region: q.region, logGroup: q.logGroup, logStream: q.logStream,
      ts: Number(r.ts), ingestTs: Number(r.ingest_ts), seq: BigInt(r.seq), message: r.message,
      ...(r.key_id ? { keyId: r.key_id } : {}),
    }));
  }

  async deleteGroup(account: string, region: string, logGroup: string): Promise<void> {
    // Rows still buffered or in flight would otherwise land after the delete and resurrect
    // part of the group.
    await this.pipeline.sync();
    // Lightweight DELETE masks rows in the parts that hold them (merges drop them later) instead
    // of rewriting whole parts as ALTER TABLE … DELETE does; it returns once the rows are hidden.
    await this.engine.exec(
      `DELETE FROM ${TABLE} WHERE account = {account:String} AND region = {region:String} AND log_group = {logGroup:String}`,
      { account, region, logGroup },
    );
  }

  async deleteStream(account: string, region: string, logGroup: string, logStream: string): Promise<void> {
    await this.pipeline.sync();
    await this.engine.exec(
      `DELETE FROM ${TABLE} WHERE account = {account:String} AND region = {region:String} ` +
      'AND log_group = {logGroup:String} AND log_stream = {logStream:String}',
      { account, region, logGroup, logStream },
    );
  }

  /** One event by its exact position (GetLogRecord). */
  async getEvent(account: string, region: string, logGroup: string, logStream: string, ts: number, seq: bigint): Promise<LogEventRow | undefined> {
    const rows = await this.engine.query<{ ingest_ts: string; message: string; key_id: string }>(
      `SELECT ingest_ts, message, key_id FROM ${TABLE} WHERE account = {account:String} AND region = {region:String} ` +
      'AND log_group = {logGroup:String} AND log_stream = {logStream:String} AND ts = {ts:Int64} AND seq = {seq:UInt64} LIMIT 1',
      { account, region, logGroup, logStream, ts: checkTs(ts, 'ts'), seq: checkSeq(seq) },
    );
    const r = rows[0];
    return r && { account, region, logGroup, logStream, ts, ingestTs: Number(r.ingest_ts), seq, message: r.message, ...(r.key_id ? { keyId: r.key_id } : {}) };
  }

  /**
   * A group's events across streams in (ts, seq) order — FilterLogEvents' scan. The filter runs
   * inside ClickHouse where the pattern compiles to SQL; only matching rows reach JS.
   */
  async filterGroup(q: FilterQuery): Promise<LogEventRow[]> {
    if (!Number.isSafeInteger(q.limit) || q.limit <= 0) return [];
    const params: Record<string, unknown> = { account: q.account, region: q.region, logGroup: q.logGroup, limit: q.limit };
    const where = ['account = {account:String}', 'region = {region:String}', 'log_group = {logGroup:String}'];
    if (q.streams !== undefined) {
      where.push('log_stream IN {streams:Array(String)}');
      params.streams = q.streams;
    }
    if (q.streamPrefix !== undefined) {
      where.push('startsWith(log_stream, {streamPrefix:String})');
      params.streamPrefix = q.streamPrefix;
    }
    if (q.startTime !== undefined) { where.push('ts >= {startTime:Int64}'); params.startTime = checkTs(q.startTime, 'startTime'); }
    if (q.endTime !== undefined) { where.push('ts <= {endTime:Int64}'); params.endTime = checkTs(q.endTime, 'endTime'); }
    if (q.after !== undefined) {
      params.cTs = checkTs(q.after.ts, 'after.ts');
      params.cSeq = checkSeq(q.after.seq);
      where.push('ts >= {cTs:Int64} AND (ts > {cTs:Int64} OR seq > {cSeq:UInt64})');
    }
    if (q.where) {
      where.push(`(key_id != '' OR (${q.where.sql}))`);
      Object.assign(params, q.where.params);
      const skip = q.needles && q.needles.length > 0 ? await this.exclusions.get(q.needles) : undefined;
      if (skip) {
        where.push(skip.sql);
        Object.assign(params, skip.params);
      }
    }
    const rows = await this.engine.query<{ log_stream: string; ts: string; ingest_ts: string; seq: string; message: string; key_id: string }>(
      `SELECT log_stream, ts, ingest_ts, seq, message, key_id FROM ${TABLE} WHERE ${where.join(' AND ')} ` +
      // Reading in key order would be single-threaded; a parallel scan plus a top-N sort was ~2×
      // faster for group scans here (the key is per stream, so order across streams needs a sort anyway).
      'ORDER BY ts ASC, seq ASC LIMIT {limit:UInt32} SETTINGS optimize_read_in_order = 0',
      params,
    );
    return rows.map((r) => ({
      account: q.account, region: q.region, logGroup: q.logGroup, logStream: r.log_stream,
      ts: Number(r.ts), ingestTs: Number(r.ingest_ts), seq: BigInt(r.seq), message: r.message,
      ...(r.key_id ? { keyId: r.key_id } : {}),
    }));
  }

  /**
   * Deletes a group's events older than `cutoff` (retention). Returns whether anything was deleted;
   * the existence check keeps idle passes from issuing a DELETE mutation every interval.
   */
  async deleteBefore(account: string, region: string, logGroup: string, cutoff: number): Promise<boolean> {
    const params = { account, region, logGroup, cutoff: checkTs(cutoff, 'cutoff') };
    const where = 'account = {account:String} AND region = {region:String} AND log_group = {logGroup:String} AND ts < {cutoff:Int64}';
    const any = await this.engine.query<{ n: string }>(`SELECT count() AS n FROM (SELECT 1 FROM ${TABLE} WHERE ${where} LIMIT 1)`, params);
    if (Number(any[0]?.n ?? 0) === 0) return false;
    await this.pipeline.sync();
    await this.engine.exec(`DELETE FROM ${TABLE} WHERE ${where}`, params);
    return true;
  }

  /**
   * Message bytes per stream as stored now (DescribeLogGroups' storedBytes after retention), or only
   * of the events older than `before`. Sealed messages count at their plaintext size: base64 body
   * minus the 12-byte nonce and 16-byte tag.
   */
  async storedBytesByStream(account: string, region: string, logGroup: string, before?: number): Promise<Map<string, number>> {
    const older = before === undefined ? '' : ' AND ts < {before:Int64}';
    const rows = await this.engine.query<{ log_stream: string; bytes: string }>(
      `SELECT log_stream, toString(sum(toInt64(if(key_id = '', length(message), greatest(0, intDiv((toInt64(length(message)) - 3) * 3, 4) - 28))))) AS bytes
       FROM ${TABLE} WHERE account = {account:String} AND region = {region:String} AND log_group = {logGroup:String}${older}
       GROUP BY log_stream`,
      { account, region, logGroup, ...(before === undefined ? {} : { before: checkTs(before, 'before') }) },
    );
    return new Map(rows.map((r) => [r.log_stream, Number(r.bytes)]));
  }

  /** Resolves once every row appended before the call is in the engine. */
  flush(): Promise<void> {
    return this.pipeline.sync();
  }

  /** Refuses further appends, inserts what is held, releases the WAL. */
  close(): Promise<void> {
    return this.pipeline.close();
  }

  stats(): IngestPipelineStats {
    return this.pipeline.stats();
  }
}

function checkTs(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be an integer number of ms, got ${v}`);
  return v;
}

function checkSeq(v: bigint): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > UINT64_MAX) throw new RangeError(`seq must be a UInt64 bigint, got ${String(v)}`);
  return v;
}

/**
 * The first-generation insert path, kept as the reference the benchmarks compare against
 * (bench/raw-insert.ts: "the naive JSONCompactEachRow raw insert"); the store writes RowBinary now.
 *
 * One request's rows as JSONCompactEachRow lines (see payload.ts for why). ~1.2 µs/row:
 * the four key columns are encoded once per run of rows that share them (a PutLogEvents call is
 * one stream), and every row is validated before anything is written, because one malformed line
 * would fail the whole shared batch.
 */
export function encodeLogEvents(rows: readonly LogEventRow[], out: PayloadWriter): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (typeof r.message !== 'string' || typeof r.account !== 'string' || typeof r.region !== 'string' ||
        typeof r.logGroup !== 'string' || typeof r.logStream !== 'string') {
      throw new TypeError(`log event ${i}: account, region, logGroup, logStream and message must be strings`);
    }
    checkTs(r.ts, `log event ${i}: ts`);
    checkTs(r.ingestTs, `log event ${i}: ingestTs`);
    checkSeq(r.seq);
  }
  let account: string | undefined;
  let region: string | undefined;
  let logGroup: string | undefined;
  let logStream: string | undefined;
  let prefix = '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.logStream !== logStream || r.logGroup !== logGroup || r.account !== account || r.region !== region) {
      ({ account, region, logGroup, logStream } = r);
      prefix = `[${jsonString(account)},${jsonString(region)},${jsonString(logGroup)},${jsonString(logStream)},`;
    }
    // Safe integers and bigints print as plain JSON numbers; UInt64 parses exactly in ClickHouse.
    out.write(`${prefix}${r.ts},${r.ingestTs},${r.seq},${jsonString(r.message)},${r.keyId ? jsonString(r.keyId) : '""'}]\n`);
  }
}
