/**
 * The contract of the second-generation write path (issue 17): a request's rows are acknowledged
 * once they are in the write-ahead log, kept in a store-specific in-memory head, and written to the
 * engine in large batches in the background. The pipeline (pipeline.ts) owns the WAL, the flush
 * schedule, back-pressure and exactly-once replay; each store (metrics, logs) supplies a codec for
 * its rows and a head that turns them into engine inserts.
 */

/** How a store's rows are written to and read back from the WAL. */
export interface WalCodec<R> {
  /** One WAL record for these rows. Throws (before anything is written) on a row it cannot store. */
  encode(rows: readonly R[]): Buffer;
  /** The rows of a record written by `encode` (replay after a restart). */
  decode(payload: Buffer): R[];
}

/** A store's acknowledged rows that are not in the engine yet. */
export interface Head<R> {
  add(rows: readonly R[]): void;
  /** Rows held. */
  readonly rows: number;
  /** Approximate memory held, bytes (bounds the head; see IngestPipelineOptions.maxHeadBytes). */
  readonly bytes: number;
  /** Takes everything added so far as one batch; the head is empty afterwards. */
  drain(): HeadBatch;
}

export interface HeadBatch {
  readonly rows: number;
  /**
   * Writes the batch to the engine (every table it feeds). Inserting the same batch again with the
   * same token must not store it twice: each table insert passes `${token}:${table}` as ClickHouse's
   * insert_deduplication_token (the tables set non_replicated_deduplication_window).
   */
  insert(dedupToken: string): Promise<void>;
}

export interface IngestPipelineOptions {
  /** Directory of this pipeline's WAL segments (one pipeline per directory). */
  dir: string;
  /** fdatasync each group-committed WAL write (the server's `fsync` setting). */
  fsync: boolean;
  /** Flush the head once it holds this many rows. */
  flushRows?: number;
  /** … or this many bytes. */
  flushBytes?: number;
  /** … or this long after the oldest unflushed row was added. */
  flushIntervalMs?: number;
  /** Beyond this many head bytes (flushing included) append() fails fast with IngestOverloadedError. */
  maxHeadBytes?: number;
  /** A WAL segment is sealed and a new one started past this size. */
  segmentBytes?: number;
  /** First retry delay after a failed flush (doubles up to 5 s). Default 100 ms. */
  retryDelayMs?: number;
  /** How long close() keeps retrying a failing flush before leaving the rows to WAL replay. Default 30 s. */
  closeTimeoutMs?: number;
  /** Where the pipeline reports failed flushes and WAL recovery findings. */
  logger?: IngestLogger;
  /** Told of every acknowledged append and every flush (self-monitoring; must be cheap). */
  observer?: IngestObserver;
}

export interface IngestObserver {
  /** Rows acknowledged (durable in the WAL) and their encoded WAL bytes. */
  appended(rows: number, bytes: number): void;
  /** One flush attempt to the engine: its rows, how long it took, whether it landed. */
  flushed(rows: number, seconds: number, ok: boolean): void;
}

export type IngestLogger = (level: 'info' | 'warn' | 'error', message: string, error?: unknown) => void;

export interface IngestPipelineStats {
  walBytes: number;
  walSegments: number;
  headRows: number;
  headBytes: number;
  flushes: number;
  flushedRows: number;
  failedFlushes: number;
  lastFlushMs: number;
}

export interface IngestPipeline<R> {
  /**
   * Resolves once the rows are durable in the WAL (written; fdatasync'ed when `fsync`) and in the
   * head — never before. Rejects with IngestOverloadedError when the head is full, with
   * WalWriteError when the WAL write failed (disk full…), with StoreClosedError after close().
   */
  append(rows: readonly R[]): Promise<void>;
  /** Resolves once every row appended before this call is in the engine (read-your-writes). */
  sync(): Promise<void>;
  /** Whether the head holds rows not yet in the engine (lets readers skip sync()). */
  readonly pending: boolean;
  /**
   * A read that merges the head instead of flushing it: runs `snapshot()` (synchronous, over the
   * head) and then `query()` (against the bare engine) so that every row acknowledged before the
   * call is in exactly one of the two. Returns the snapshot, or undefined when the read fell back
   * to flush-before-read (heads flushing back to back) and the query alone holds everything.
   */
  readWithHead<S, T>(snapshot: () => S, query: () => Promise<T>): Promise<[S | undefined, T]>;
  /** Refuses further appends, flushes the head, releases the WAL. */
  close(): Promise<void>;
  stats(): IngestPipelineStats;
}
