/**
 * Kinesis Data Streams records (the kinesis module writes and reads them): acknowledged from the
 * write-ahead log (`<wal>/kinesis`, the generic ingest pipeline), flushed to `kinesis_records` in
 * large background batches, and read by merging the head's unflushed rows (kinesis-record-head.ts)
 * with the engine's — a GetRecords poll never forces a flush.
 */
import { createIngestPipeline } from '../ingest/pipeline.ts';
import type { IngestPipeline, IngestPipelineOptions } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { KinesisRecordCodec, type KinesisRecordRow } from './kinesis-record-codec.ts';
import { KINESIS_RECORDS_TABLE, KinesisRecordHead, compareRow, comparePositions, shardKey, type SeqPosition } from './kinesis-record-head.ts';
import type { Migration } from './migrations.ts';

export type { KinesisRecordRow } from './kinesis-record-codec.ts';
export type { SeqPosition } from './kinesis-record-head.ts';

const TABLE = KINESIS_RECORDS_TABLE;

/**
 * ORDER BY: every read is one shard from a sequence position on (GetRecords), so the key is the
 * shard then (arrival, sub). Weekly partitions like log_events (retention is per stream and
 * changeable, so expiry is a lightweight DELETE per stream); the TTL is the longest retention a
 * stream can have (8760 h) plus a day, a backstop for rows of streams the retention job no longer
 * sees. The deduplication window makes a replayed flush (same token) store nothing twice.
 */
export const KINESIS_RECORDS_MIGRATION: Migration = {
  id: '0017_kinesis_records',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      stream String,
      shard UInt32,
      arrival Int64 CODEC(Delta, ZSTD(1)),
      sub UInt32 CODEC(ZSTD(1)),
      partition_key String CODEC(ZSTD(1)),
      data String CODEC(ZSTD(1))
    ) ENGINE = MergeTree
    PARTITION BY intDiv(arrival, 604800000)
    ORDER BY (account, region, stream, shard, arrival, sub)
    TTL toDateTime(intDiv(arrival, 1000)) + INTERVAL 366 DAY
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
};

export interface ReadShardQuery {
  account: string;
  region: string;
  stream: string;
  shard: number;
  /** Exclusive lower bound. */
  after: SeqPosition;
  limit: number;
  /** Stop once this many data + key bytes are collected (at least one row is returned). */
  maxBytes: number;
}

export interface ReadShardResult {
  rows: KinesisRecordRow[];
  /** Rows after the last returned one exist now. */
  more: boolean;
}

interface EngineRow { arrival: string; sub: number; partition_key: string; data: string }

export class KinesisRecordStore {
  private readonly inflight = new Set<Promise<void>>();
  private stored: SeqPosition | undefined;

  private constructor(
    /** The bare engine: reads must not wait for flushes. */
    private readonly raw: SqlEngine,
    /** The read-your-writes engine: deletes flush first, so a later flush cannot resurrect rows. */
    private readonly syncing: SqlEngine,
    readonly ingest: IngestPipeline<KinesisRecordRow>,
    private readonly head: KinesisRecordHead,
  ) {}

  /** The pipeline alone (openTelemetry registers it with read-your-writes before the store exists). */
  static async pipeline(raw: SqlEngine, opts: IngestPipelineOptions): Promise<{ ingest: IngestPipeline<KinesisRecordRow>; head: KinesisRecordHead }> {
    const codec = new KinesisRecordCodec();
    const head = new KinesisRecordHead(raw, codec);
    return { ingest: await createIngestPipeline(codec, head, opts), head };
  }

  static async open(raw: SqlEngine, syncing: SqlEngine, p: { ingest: IngestPipeline<KinesisRecordRow>; head: KinesisRecordHead }): Promise<KinesisRecordStore> {
    const store = new KinesisRecordStore(raw, syncing, p.ingest, p.head);
    await store.seed();
    return store;
  }

  /** Resolves once the rows are durable in the WAL and readable. */
  append(rows: readonly KinesisRecordRow[]): Promise<void> {
    const p = this.ingest.append(rows);
    const tracked = p.then(() => undefined, () => undefined);
    this.inflight.add(tracked);
    void tracked.then(() => this.inflight.delete(tracked));
    return p;
  }

  /** Waits for every append already started (before a shard closes: its last records are readable then). */
  async settled(): Promise<void> {
    await Promise.all([...this.inflight]);
  }

  /** The newest position ever stored (engine at open, or held): seeds the sequence clock after a restart. */
  newest(): SeqPosition | undefined {
    const held = this.head.newest();
    if (!held) return this.stored;
    if (!this.stored) return held;
    return comparePositions(held, this.stored) > 0 ? held : this.stored;
  }

  async read(q: ReadShardQuery): Promise<ReadShardResult> {
    const key = shardKey(q.stream, q.shard);
    // Memory first, then the engine: a row flushed in between is then in the engine (found there);
    // one still unflushed is in the snapshot. Duplicates (both) are dropped by position.
    const held = this.head.after(key, q.after, q.limit + 1);
    const flushed = this.head.flushed(key);
    let rows = held;
    if (flushed && comparePositions(q.after, flushed) < 0) rows = mergeByPosition(await this.fromEngine(q), held);
    let more = rows.length > q.limit;
    if (more) rows = rows.slice(0, q.limit);
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      bytes += rows[i]!.data.length + Buffer.byteLength(rows[i]!.partitionKey);
      if (bytes > q.maxBytes && i > 0) {
        rows = rows.slice(0, i);
        more = true;
        break;
      }
    }
    return { rows, more };
  }

  /** Deletes a stream's records (DeleteStream). Flushes first: a later flush must not bring them back. */
  async deleteStream(account: string, region: string, stream: string): Promise<void> {
    await this.syncing.exec(
      `DELETE FROM ${TABLE} WHERE account = {account:String} AND region = {region:String} AND stream = {stream:String}`,
      { account, region, stream },
    );
  }

  /** Deletes a stream's records older than `cutoff` ms (retention); skips the DELETE when there are none. */
  async deleteBefore(account: string, region: string, stream: string, cutoff: number): Promise<boolean> {
    const params = { account, region, stream, cutoff };
    const where = 'account = {account:String} AND region = {region:String} AND stream = {stream:String} AND arrival < {cutoff:Int64}';
    const any = await this.raw.query<{ n: string }>(`SELECT count() AS n FROM (SELECT 1 FROM ${TABLE} WHERE ${where} LIMIT 1)`, params);
    if (Number(any[0]?.n ?? 0) === 0) return false;
    await this.syncing.exec(`DELETE FROM ${TABLE} WHERE ${where}`, params);
    return true;
  }

  close(): Promise<void> {
    return this.ingest.close();
  }

  /** Each shard's last stored position (the head's flush bookkeeping starts from it) and the newest overall. */
  private async seed(): Promise<void> {
    const rows = await this.raw.query<{ stream: string; shard: number; ms: string; sub: number }>(
      `SELECT stream, shard, max(arrival) AS ms, argMax(sub, (arrival, sub)) AS sub FROM ${TABLE} GROUP BY stream, shard`,
    );
    for (const r of rows) {
      const p = { ms: Number(r.ms), sub: Number(r.sub) };
      this.head.seedFlushed(shardKey(r.stream, Number(r.shard)), p);
      if (!this.stored || comparePositions(p, this.stored) > 0) this.stored = p;
    }
  }

  /**
   * The shard's stored rows after the position: first their sizes (small columns only), then the
   * data of as many as fit in the byte budget — 10,000 one-MiB records must not become one 10 GB
   * result. One row beyond the limit or budget is fetched, so the caller knows more exist.
   */
  private async fromEngine(q: ReadShardQuery): Promise<KinesisRecordRow[]> {
    const where = 'WHERE account = {account:String} AND region = {region:String} AND stream = {stream:String} AND shard = {shard:UInt32} ' +
      'AND arrival >= {ms:Int64} AND (arrival > {ms:Int64} OR sub > {sub:Int64})';
    const params = { account: q.account, region: q.region, stream: q.stream, shard: q.shard, ms: q.after.ms, sub: q.after.sub, limit: q.limit + 1 };
    const sizes = await this.raw.query<{ bytes: string }>(
      `SELECT length(data) + length(partition_key) AS bytes FROM ${TABLE} ${where} ORDER BY arrival, sub LIMIT {limit:UInt32}`, params);
    let take = 0;
    for (let total = 0; take < sizes.length && total <= q.maxBytes; take++) total += Number(sizes[take]!.bytes);
    if (take === 0) return [];
    const rows = await this.raw.query<EngineRow>(
      `SELECT arrival, sub, partition_key, base64Encode(data) AS data FROM ${TABLE} ${where} ORDER BY arrival, sub LIMIT {limit:UInt32}`,
      { ...params, limit: take },
    );
    return rows.map((r) => ({
      account: q.account, region: q.region, stream: q.stream, shard: q.shard,
      arrival: Number(r.arrival), sub: Number(r.sub), partitionKey: r.partition_key, data: Buffer.from(r.data, 'base64'),
    }));
  }
}

/** Two position-ordered lists merged, a row present in both kept once. */
function mergeByPosition(a: KinesisRecordRow[], b: KinesisRecordRow[]): KinesisRecordRow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: KinesisRecordRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length) out.push(a[i++]!);
    else if (i >= a.length) out.push(b[j++]!);
    else {
      const c = compareRow(a[i]!, { ms: b[j]!.arrival, sub: b[j]!.sub });
      if (c < 0) out.push(a[i++]!);
      else if (c > 0) out.push(b[j++]!);
      else {
        out.push(a[i++]!);
        j++;
      }
    }
  }
  return out;
}
