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
import type { IngestPipeline, IngestPipelineOptions } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import type { LogEventRow } from './log-events.ts';
import { LOG_EVENT_COLUMNS, LogWalCodec } from './log-wal-codec.ts';
import { RowBinaryHead } from './row-binary-head.ts';

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

export class LogHead extends RowBinaryHead<LogEventRow> {
  /** `engine` must be the raw engine: a flush must not wait for reads that wait for the flush. */
  constructor(engine: SqlEngine, codec: LogWalCodec) {
    super(engine, codec, LOG_EVENTS_TABLE, LOG_EVENT_COLUMNS);
  }
}

