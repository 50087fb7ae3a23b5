/**
 * The log events acknowledged but not yet in `log_events` (issue 17): the head of the logs ingest
 * pipeline. It holds each request's rows as the RowBinary its WAL record already carries
 * (log-wal-codec.ts), so adding a request costs no encoding, and a flush inserts every request
 * since the last one as RowBinary, in ≤16 MiB parts (RowBinaryBatch).
 *
 * Why RowBinary: 1M log rows (200-byte messages) into log_events on this 2-core VM, inserts one
 * after another (scratch measurement, rows/s at 50k / 250k rows per insert): JSONCompactEachRow
 * 230k / 158k, RowBinary 472k / 308k, Native 564k / 384k. Native would need columnar bytes (a
 * per-request Native block, or a transpose at drain) and engine support; RowBinary is row-wise like
 * a request, so a request's WAL record is already insert-ready.
 *
 * Why bytes, not row objects encoded at drain: the request path then pays nothing here (the WAL
 * encode it already paid is reused), memory is ~275 bytes per 200-byte event instead of a JS object
 * plus strings (~500+ bytes), and a 200k-row drain does not stall the event loop encoding
 * (measured in scratch runs: 1.1–3 µs/row either way, i.e. up to 0.5 s of loop time per 200k rows).
 */
import { createIngestPipeline } from '../ingest/pipeline.ts';
import type { HeadBatch, IngestPipeline, IngestPipelineOptions } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { type FinishedFilter, MATCH_ALL_FILTER } from './gram-filter.ts';
import { gramWorker } from './gram-workers.ts';
import type { LogEventRow } from './log-events.ts';
import { LOG_SEARCH_BLOCK_COLUMNS, LOG_SEARCH_BLOCKS_TABLE, type SearchBlock, writeBlockRows } from './log-search-blocks.ts';
import { LOG_EVENT_COLUMNS, LogWalCodec } from './log-wal-codec.ts';
import type { RowBinaryBatch } from './row-binary-batch.ts';
import { RowBinaryHead } from './row-binary-head.ts';
import { RowBinaryWriter } from './row-binary.ts';

export const LOG_EVENTS_TABLE = 'log_events';

/**
 * Exactly-once batch inserts: a batch retried after a failed or interrupted insert (same token, see
 * HeadBatch) must be dropped if an earlier attempt landed, which needs the table's deduplication
 * log. Its window counts inserted blocks: the log pipeline inserts one batch at a time and retries
 * it before anything else. A batch is one insert per ≤16 MiB part (RowBinaryBatch), and each insert at
 * most ~3 blocks (one per weekly partition it touches — PutLogEvents takes events from 14 days back
 * to 2 h ahead — a part being far below max_insert_block_size): a 256 MiB head is ~50 blocks. 1000
 * covers that with room for several processes sharing a ClickHouse server, and costs a few kB of
 * hashes per table.
 */
export const LOG_EVENTS_DEDUP_MIGRATION = {
  id: '0011_log_events_dedup_window',
  statements: [`ALTER TABLE ${LOG_EVENTS_TABLE} MODIFY SETTING non_replicated_deduplication_window = 1000`],
};

/**
 * The logs ingest pipeline over `engine`, which must be the raw engine (not one whose reads wait for
 * this pipeline: its flushes would wait for themselves).
 */
export function createLogEventPipeline(engine: SqlEngine, opts: IngestPipelineOptions): Promise<IngestPipeline<LogEventRow>> {
  const codec = new LogWalCodec();
  return createIngestPipeline(codec, new LogHead(engine, codec), opts);
}

/**
 * Each part a flush inserts is a search block (log-search-blocks.ts): while requests arrive, the
 * head tracks the open part's seq range and hands the request bodies to the block-filter worker
 * (gram-workers.ts), and a flush writes the drained parts' filters in one insert before their
 * rows. WAL replay adds the same requests in the same order, so a replayed batch has the same parts
 * and filters.
 */
export class LogHead extends RowBinaryHead<LogEventRow> {
  private readonly workerHead = gramWorker().head();
  private part = 0;
  /** Seq range per part since the last drain. */
  private ranges = new Map<number, { minSeq: bigint; maxSeq: bigint }>();

  /** `engine` must be the raw engine: a flush must not wait for reads that wait for the flush. */
  constructor(private readonly raw: SqlEngine, codec: LogWalCodec) {
    super(raw, codec, LOG_EVENTS_TABLE, LOG_EVENT_COLUMNS);
  }

  protected override added(rows: readonly LogEventRow[], body: Buffer, newPart: boolean): void {
    if (newPart) this.part++;
    let { minSeq, maxSeq } = this.ranges.get(this.part) ?? { minSeq: rows[0]!.seq, maxSeq: rows[0]!.seq };
    for (const r of rows) {
      if (r.seq < minSeq) minSeq = r.seq;
      if (r.seq > maxSeq) maxSeq = r.seq;
    }
    this.ranges.set(this.part, { minSeq, maxSeq });
    gramWorker().add(this.workerHead, this.part, body);
  }

  protected override batch(inner: RowBinaryBatch): HeadBatch {
    const ranges = this.ranges;
    this.ranges = new Map();
    if (ranges.size === 0) return inner;
    // A drain that fails leaves its parts with match-everything filters; none may go unfiltered.
    const blocks = gramWorker().drain(this.workerHead).catch(() => new Map<number, FinishedFilter>()).then((f) =>
      [...ranges].map(([part, r]): SearchBlock => ({ ...r, filter: f.get(part) ?? MATCH_ALL_FILTER })));
    return new LogBatch(this.raw, inner, blocks);
  }
}

/** A drain: its blocks' filters first (not deduplicated: a repeat is harmless), then its rows. */
class LogBatch implements HeadBatch {
  private filtersWritten = false;

  constructor(private readonly engine: SqlEngine, private readonly inner: RowBinaryBatch, private readonly blocks: Promise<SearchBlock[]>) {}

  get rows(): number {
    return this.inner.rows;
  }

  async insert(dedupToken: string): Promise<void> {
    if (!this.filtersWritten) {
      const w = new RowBinaryWriter(64 * 1024);
      for (const b of await this.blocks) writeBlockRows(b, w);
      await this.engine.insert(LOG_SEARCH_BLOCKS_TABLE, LOG_SEARCH_BLOCK_COLUMNS, w.bytes(), 'RowBinary');
      this.filtersWritten = true;
    }
    await this.inner.insert(dedupToken);
  }
}
