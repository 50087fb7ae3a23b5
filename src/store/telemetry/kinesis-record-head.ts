/**
 * The Kinesis records acknowledged but not yet in `kinesis_records`: the head of the Kinesis ingest
 * pipeline. Like the log head it keeps each request's RowBinary WAL body for the flush; unlike it,
 * it also keeps the rows by shard in sequence order, because GetRecords must see acknowledged
 * records at once while consumers poll every few hundred ms — flushing per poll would turn every
 * poll into an engine insert. Rows stay readable here until the batch holding them is in the
 * engine, so a reader always finds an acknowledged row in one of the two places (see
 * KinesisRecordStore.read).
 */
import type { Head, HeadBatch } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { KINESIS_RECORD_COLUMNS, type KinesisRecordCodec, type KinesisRecordRow } from './kinesis-record-codec.ts';
import { InsertScratch, PartSplitter, RowBinaryBatch } from './row-binary-batch.ts';

export const KINESIS_RECORDS_TABLE = 'kinesis_records';

/** A sequence position: (arrival ms, sub). Reads take an exclusive lower bound. */
export interface SeqPosition {
  ms: number;
  sub: number;
}

export const comparePositions = (a: SeqPosition, b: SeqPosition): number => (a.ms - b.ms) || (a.sub - b.sub);
/** A row's place relative to a position. */
export const compareRow = (r: KinesisRecordRow, p: SeqPosition): number => (r.arrival - p.ms) || (r.sub - p.sub);

/** Per-row memory beyond its bytes (the object, its slots in the shard list). */
const ROW_OVERHEAD_BYTES = 160;

export const shardKey = (stream: string, shard: number): string => `${stream}/${shard}`;

export class KinesisRecordHead implements Head<KinesisRecordRow> {
  private parts = new PartSplitter();
  private heldRows = 0;
  private heldBytes = 0;
  /** Rows added since the last drain, per shard: how many and the last one. */
  private sinceDrain = new Map<string, { n: number; last: KinesisRecordRow }>();
  /** Rows not yet in the engine, per shard, in sequence order (the head's and every drained batch's). */
  private readonly unflushed = new Map<string, KinesisRecordRow[]>();
  /**
   * Per shard: the last row known to be in the engine. Every acknowledged row after it is in
   * `unflushed`; a shard without an entry has nothing in the engine (single-writer table).
   */
  private readonly flushedTo = new Map<string, SeqPosition>();
  private readonly scratch = new InsertScratch();

  constructor(private readonly engine: SqlEngine, private readonly codec: KinesisRecordCodec) {}

  get rows(): number {
    return this.heldRows;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  add(rows: readonly KinesisRecordRow[]): void {
    if (rows.length === 0) return;
    const body = this.codec.encodedBody(rows);
    this.parts.add(body);
    this.heldRows += rows.length;
    this.heldBytes += body.length * 2 + rows.length * ROW_OVERHEAD_BYTES;
    let key = '';
    let list: KinesisRecordRow[] | undefined;
    let since: { n: number; last: KinesisRecordRow } | undefined;
    for (const r of rows) {
      const k = shardKey(r.stream, r.shard);
      if (k !== key) {
        key = k;
        list = this.unflushed.get(k);
        if (!list) this.unflushed.set(k, (list = []));
        since = this.sinceDrain.get(k);
        if (!since) this.sinceDrain.set(k, (since = { n: 0, last: r }));
      }
      list!.push(r);
      since!.n++;
      since!.last = r;
    }
  }

  drain(): HeadBatch {
    const inner = new RowBinaryBatch(this.engine, this.scratch, KINESIS_RECORDS_TABLE, KINESIS_RECORD_COLUMNS, this.parts.parts, this.heldRows);
    const counts = this.sinceDrain;
    this.parts = new PartSplitter();
    this.heldRows = 0;
    this.heldBytes = 0;
    this.sinceDrain = new Map();
    let done = false;
    return {
      rows: inner.rows,
      insert: async (token) => {
        await inner.insert(token);
        if (done) return;
        done = true;
        this.released(counts);
      },
    };
  }

  /** The engine's last stored position per shard at open (before any flush of this process). */
  seedFlushed(key: string, p: SeqPosition): void {
    const prev = this.flushedTo.get(key);
    if (!prev || comparePositions(p, prev) > 0) this.flushedTo.set(key, p);
  }

  flushed(key: string): SeqPosition | undefined {
    return this.flushedTo.get(key);
  }

  /** Up to `limit` unflushed rows of a shard after `after`, in order (a copy). */
  after(key: string, after: SeqPosition, limit: number): KinesisRecordRow[] {
    const list = this.unflushed.get(key);
    if (!list || list.length === 0) return [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRow(list[mid]!, after) > 0) hi = mid;
      else lo = mid + 1;
    }
    return list.slice(lo, lo + limit);
  }

  /** The newest position held in memory, if any. */
  newest(): SeqPosition | undefined {
    let best: SeqPosition | undefined;
    for (const list of this.unflushed.values()) {
      const last = list.at(-1);
      if (last && (!best || compareRow(last, best) > 0)) best = { ms: last.arrival, sub: last.sub };
    }
    return best;
  }

  /** A batch is in the engine: its rows (each shard's oldest) leave the read view. */
  private released(counts: Map<string, { n: number; last: KinesisRecordRow }>): void {
    for (const [key, { n, last }] of counts) {
      const list = this.unflushed.get(key);
      if (list) {
        list.splice(0, n);
        if (list.length === 0) this.unflushed.delete(key);
      }
      const prev = this.flushedTo.get(key);
      if (!prev || compareRow(last, prev) > 0) this.flushedTo.set(key, { ms: last.arrival, sub: last.sub });
    }
  }
}
