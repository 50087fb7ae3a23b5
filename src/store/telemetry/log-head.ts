/**
 * The log events acknowledged but not yet in `log_events` (issue 17): the head of the logs ingest
 * pipeline. It holds each request's rows as the RowBinary its WAL record already carries
 * (log-wal-codec.ts), so adding a request costs no encoding, and a flush inserts every request
 * since the last one as RowBinary, in ≤16 MiB parts (LogHeadBatch).
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
import type { Head, HeadBatch, IngestPipeline, IngestPipelineOptions } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import type { LogEventRow } from './log-events.ts';
import { LOG_EVENT_COLUMNS, LogWalCodec } from './log-wal-codec.ts';

export const LOG_EVENTS_TABLE = 'log_events';

/**
 * Exactly-once batch inserts: a batch retried after a failed or interrupted insert (same token, see
 * HeadBatch) must be dropped if an earlier attempt landed, which needs the table's deduplication
 * log. Its window counts inserted blocks: the log pipeline inserts one batch at a time and retries
 * it before anything else. A batch is one insert per ≤16 MiB part (LogHeadBatch), and each insert at
 * most ~3 blocks (one per weekly partition it touches — PutLogEvents takes events from 14 days back
 * to 2 h ahead — a part being far below max_insert_block_size): a 256 MiB head is ~50 blocks. 1000
 * covers that with room for several processes sharing a ClickHouse server, and costs a few kB of
 * hashes per table.
 */
export const LOG_EVENTS_DEDUP_MIGRATION = {
  id: '0011_log_events_dedup_window',
  statements: [`ALTER TABLE ${LOG_EVENTS_TABLE} MODIFY SETTING non_replicated_deduplication_window = 1000`],
};

/** Per-request overhead on top of its bytes (the Buffer object, the chunk list slot). */
const CHUNK_OVERHEAD_BYTES = 128;

/**
 * The logs ingest pipeline over `engine`, which must be the raw engine (not one whose reads wait for
 * this pipeline: its flushes would wait for themselves).
 */
export function createLogEventPipeline(engine: SqlEngine, opts: IngestPipelineOptions): Promise<IngestPipeline<LogEventRow>> {
  const codec = new LogWalCodec();
  return createIngestPipeline(codec, new LogHead(engine, codec), opts);
}

export class LogHead implements Head<LogEventRow> {
  private chunks: Buffer[] = [];
  private heldRows = 0;
  private heldBytes = 0;
  private readonly scratch = new Scratch();

  /** `engine` must be the raw engine: a flush must not wait for reads that wait for the flush. */
  constructor(private readonly engine: SqlEngine, private readonly codec: LogWalCodec) {}

  get rows(): number {
    return this.heldRows;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  add(rows: readonly LogEventRow[]): void {
    if (rows.length === 0) return;
    const body = this.codec.encodedBody(rows);
    this.chunks.push(body);
    this.heldRows += rows.length;
    this.heldBytes += body.length + CHUNK_OVERHEAD_BYTES;
  }

  drain(): HeadBatch {
    const batch = new LogHeadBatch(this.engine, this.scratch, this.chunks, this.heldRows);
    this.chunks = [];
    this.heldRows = 0;
    this.heldBytes = 0;
    return batch;
  }
}

/**
 * Bytes per engine insert. A drained head can hold far more (whatever arrived while the previous
 * flush ran, up to maxHeadBytes), and one insert per drain is slower per row the larger it gets:
 * 1M rows of 200-byte messages, RowBinary, one insert after another on this 2-core VM (scratch
 * measurement, rows/s): 50k-row inserts 472k, 250k-row 308k, one 1M-row insert 92–143k — and the
 * engine's memory grows with the insert. 16 MiB is ~58k such rows.
 */
const INSERT_BYTES = 16 * 1024 * 1024;

/**
 * One drain, inserted as consecutive sub-inserts of whole requests (≤ INSERT_BYTES each unless one
 * request is larger). The split depends only on the requests' bytes, so a batch rebuilt from the
 * WAL after a crash splits the same way and each part keeps its token: `${token}:log_events:${i}`.
 */
class LogHeadBatch implements HeadBatch {
  private readonly parts: Buffer[][] = [];
  /** Parts before this one are in the engine (an attempt that failed later resumes here). */
  private next = 0;

  constructor(private readonly engine: SqlEngine, private readonly scratch: Scratch, chunks: readonly Buffer[], readonly rows: number) {
    let part: Buffer[] = [];
    let bytes = 0;
    for (const c of chunks) {
      if (part.length > 0 && bytes + c.length > INSERT_BYTES) {
        this.parts.push(part);
        part = [];
        bytes = 0;
      }
      part.push(c);
      bytes += c.length;
    }
    if (part.length > 0) this.parts.push(part);
  }

  async insert(dedupToken: string): Promise<void> {
    for (; this.next < this.parts.length; this.next++) {
      const part = this.parts[this.next]!;
      const payload = part.length === 1 ? part[0]! : this.scratch.join(part);
      try {
        await this.engine.insert(LOG_EVENTS_TABLE, LOG_EVENT_COLUMNS, payload, 'RowBinary',
          { dedupToken: `${dedupToken}:${LOG_EVENTS_TABLE}:${this.next}` });
      } finally {
        this.scratch.release(payload);
      }
      // Inserted parts are released at once rather than with the whole batch.
      this.parts[this.next] = [];
    }
  }
}

/**
 * One reusable buffer that a part's requests are joined into. Buffer.concat into a fresh 16 MiB
 * buffer per insert cost 3.8 % of the server's CPU in an ingest-logs profile (first-touch page
 * faults of each new allocation); the pipeline inserts one part at a time, so one buffer serves,
 * and a second join while it is lent out (never expected) falls back to a fresh one.
 */
class Scratch {
  private buf: Buffer = Buffer.alloc(0);
  private lent = false;

  join(chunks: readonly Buffer[]): Buffer {
    let n = 0;
    for (const c of chunks) n += c.length;
    if (this.lent) return Buffer.concat(chunks, n);
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(Math.max(n, INSERT_BYTES + 1024 * 1024));
    let at = 0;
    for (const c of chunks) at += c.copy(this.buf, at);
    this.lent = true;
    return this.buf.subarray(0, n);
  }

  /** The engine is done with `payload` (its insert settled). */
  release(payload: Buffer): void {
    if (payload.buffer === this.buf.buffer) this.lent = false;
  }
}
