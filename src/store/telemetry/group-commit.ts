/**
 * Group commit for telemetry inserts, shared by every table (log events now; metric points and
 * spans later use the same class with their own row encoder).
 *
 * Why: every insert writes one MergeTree part and has a fixed cost, so one insert per request
 * would cap throughput at the engine's insert rate rather than its row rate (storage-bench.md:
 * 10k-row batches are 1.5–2× faster than 1k-row ones). Instead, callers append into a shared
 * batch; while an insert is in flight the next batch fills up, and the moment a slot frees
 * everything buffered goes out as one insert. Under load batches grow by themselves; when idle a
 * lone request is sent on the next loop turn, so latency stays low.
 *
 * Rows are encoded when they are appended, not when the batch is sent: the encoding cost is paid
 * per request, in small slices of event-loop time, and sending a batch needs no copy.
 */
import { PayloadWriter } from './payload.ts';

export interface GroupCommitOptions {
  /** A batch is sent once it holds this many rows. A single larger request is still sent whole. */
  maxBatchRows?: number;
  /** A batch is sent once its payload reaches this many bytes. */
  maxBatchBytes?: number;
  /**
   * How long a batch may wait for company before it is sent when an insert slot is free. 0 (the
   * default) sends on the next event-loop turn; batching then comes only from inserts in flight.
   */
  maxDelayMs?: number;
  /** Inserts allowed in flight at once. See GROUP_COMMIT_DEFAULTS for why 1. */
  maxConcurrentInserts?: number;
  /**
   * Bytes buffered or in flight beyond which append() fails fast with IngestOverloadedError, so
   * that a server receiving more than the engine can write sheds load instead of growing its heap.
   */
  maxQueuedBytes?: number;
}

export const GROUP_COMMIT_DEFAULTS: Required<GroupCommitOptions> = {
  // ~300 ms of engine work at the measured rate: a bound on how long a caller waits behind
  // others' rows, large enough to amortise the per-part cost.
  maxBatchRows: 50_000,
  maxBatchBytes: 16 * 1024 * 1024,
  maxDelayMs: 0,
  // One: on 2 cores the engine already keeps both busy (parallel parsing, compression, merges).
  // A second concurrent insert measured no faster (10k-row batches: 93–141k rows/s with two,
  // 114–145k with one) and raised append latency by ~45 %; the next batch is encoded while the
  // insert runs anyway.
  maxConcurrentInserts: 1,
  maxQueuedBytes: 256 * 1024 * 1024,
};

/** Encodes rows into the batch's payload. Throws (before writing anything) on a bad row. */
export type RowEncoder<R> = (rows: readonly R[], out: PayloadWriter) => void;

/** Inserts one batch's payload; resolves when the rows are written. */
export type BatchInserter = (payload: Buffer, rows: number) => Promise<void>;

export class IngestOverloadedError extends Error {
  /** Marks the error as temporary: the protocol answers 503 ServiceUnavailable with Retry-After (protocol/errors.ts). */
  readonly retryAfterSeconds = 1;
  constructor(queuedBytes: number) {
    super(`telemetry ingest is overloaded: ${queuedBytes} bytes are waiting to be inserted`);
    this.name = 'IngestOverloadedError';
  }
}

export class StoreClosedError extends Error {
  constructor() {
    super('the telemetry store is closed');
    this.name = 'StoreClosedError';
  }
}

export interface GroupCommitStats {
  /** Batches inserted successfully, and their rows and payload bytes. */
  batches: number;
  rows: number;
  bytes: number;
  failedBatches: number;
}

interface Batch {
  writer: PayloadWriter;
  rows: number;
  /** Whether the batch may be sent as soon as a slot is free (maxDelayMs elapsed, full, or flushed). */
  ready: boolean;
  timer: NodeJS.Timeout | undefined;
  done: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<R> {
  private readonly opts: Required<GroupCommitOptions>;
  private open: Batch | null = null;
  private readonly sealed: Batch[] = [];
  /** Batches that callers may still be waiting on: open, sealed or in flight. */
  private readonly unsettled = new Set<Batch>();
  private inFlight = 0;
  private queuedBytes = 0;
  private pumpScheduled = false;
  private closed = false;
  /** Payload buffers whose insert has settled, reused so a busy store does not reallocate and regrow them. */
  private readonly spare: Buffer[] = [];
  private readonly counters: GroupCommitStats = { batches: 0, rows: 0, bytes: 0, failedBatches: 0 };

  constructor(
    private readonly insert: BatchInserter,
    private readonly encode: RowEncoder<R>,
    opts: GroupCommitOptions = {},
  ) {
    this.opts = { ...GROUP_COMMIT_DEFAULTS, ...stripUndefined(opts) };
    for (const k of Object.keys(this.opts) as (keyof GroupCommitOptions)[]) {
      const v = this.opts[k];
      if (!Number.isFinite(v) || v < (k === 'maxDelayMs' ? 0 : 1)) throw new RangeError(`${k} must be a positive number, got ${v}`);
    }
  }

  /** Resolves once these rows are inserted; rejects if their batch's insert failed. */
  append(rows: readonly R[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (rows.length === 0) return Promise.resolve();
    if (this.queuedBytes >= this.opts.maxQueuedBytes) return Promise.reject(new IngestOverloadedError(this.queuedBytes));

    // A request is never split across batches, so a caller waits on exactly one insert.
    let b = this.open;
    if (b !== null && b.rows > 0 && b.rows + rows.length > this.opts.maxBatchRows) {
      this.seal();
      b = null;
    }
    if (b === null) b = this.open = this.newBatch();

    const before = b.writer.length;
    try {
      this.encode(rows, b.writer);
    } catch (e) {
      // Only this caller's rows are dropped; the batch it shares with others stays intact.
      b.writer.truncate(before);
      return Promise.reject(e);
    }
    b.rows += rows.length;
    this.queuedBytes += b.writer.length - before;
    if (b.rows >= this.opts.maxBatchRows || b.writer.length >= this.opts.maxBatchBytes) this.seal();
    this.schedulePump();
    return b.done;
  }

  /**
   * Waits until every row appended before this call has been inserted, or has failed (failures are
   * reported to the appending callers, not here), sending a waiting batch at once.
   */
  async flush(): Promise<void> {
    if (this.open !== null) this.open.ready = true;
    this.pump();
    await Promise.allSettled([...this.unsettled].map((b) => b.done));
  }

  /** Refuses further appends, then flushes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  stats(): GroupCommitStats & { queuedBytes: number; inFlight: number } {
    return { ...this.counters, queuedBytes: this.queuedBytes, inFlight: this.inFlight };
  }

  private newBatch(): Batch {
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    const b: Batch = {
      writer: new PayloadWriter(this.spare.pop()),
      rows: 0,
      ready: this.opts.maxDelayMs === 0,
      timer: undefined,
      done, resolve, reject,
    };
    if (!b.ready) {
      b.timer = setTimeout(() => { b.ready = true; this.pump(); }, this.opts.maxDelayMs);
    }
    this.unsettled.add(b);
    return b;
  }

  private seal(): void {
    const b = this.open;
    if (b === null) return;
    this.open = null;
    b.ready = true;
    clearTimeout(b.timer);
    if (b.rows > 0) this.sealed.push(b);
    else this.unsettled.delete(b);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.inFlight >= this.opts.maxConcurrentInserts) return;
    this.pumpScheduled = true;
    // setImmediate rather than a microtask: every request whose bytes arrived in this loop turn
    // gets to append before the batch leaves.
    setImmediate(() => { this.pumpScheduled = false; this.pump(); });
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxConcurrentInserts) {
      let b = this.sealed.shift();
      if (b === undefined) {
        const o = this.open;
        if (o === null || o.rows === 0 || !o.ready) return;
        this.seal();
        b = this.sealed.shift()!;
      }
      void this.run(b);
    }
  }

  private async run(b: Batch): Promise<void> {
    this.inFlight++;
    const payload = b.writer.bytes();
    let error: unknown;
    let ok = false;
    try {
      await this.insert(payload, b.rows);
      ok = true;
    } catch (e) {
      error = e;
    }
    this.inFlight--;
    this.queuedBytes -= payload.length;
    // The engine is done with the bytes once its promise settled (never aborted, so nothing
    // still reads them).
    if (this.spare.length <= this.opts.maxConcurrentInserts) this.spare.push(b.writer.backing);
    this.unsettled.delete(b);
    // Start the next batch before waking this one's callers: the engine should not sit idle
    // while their continuations run.
    this.pump();
    if (ok) {
      this.counters.batches++;
      this.counters.rows += b.rows;
      this.counters.bytes += payload.length;
      b.resolve();
    } else {
      this.counters.failedBatches++;
      b.reject(error);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
