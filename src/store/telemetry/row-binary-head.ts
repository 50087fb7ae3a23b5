/**
 * A head that keeps each acknowledged request's RowBinary WAL body and inserts them, drained, into
 * one table (RowBinaryBatch): no row objects are held until the flush. The log and trace heads are
 * this; the Kinesis head also indexes its rows for reads.
 */
import type { Head, HeadBatch } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { InsertScratch, PartSplitter, RowBinaryBatch } from './row-binary-batch.ts';

/** Per-request overhead on top of its bytes (the Buffer object, the chunk list slot). */
const CHUNK_OVERHEAD_BYTES = 128;

export class RowBinaryHead<R> implements Head<R> {
  private parts = new PartSplitter();
  private heldRows = 0;
  private heldBytes = 0;
  private readonly scratch = new InsertScratch();

  /** `engine` must be the raw engine: a flush must not wait for reads that wait for the flush. */
  constructor(
    private readonly engine: SqlEngine,
    private readonly codec: { encodedBody(rows: readonly R[]): Buffer },
    private readonly table: string,
    private readonly columns: readonly string[],
  ) {}

  get rows(): number {
    return this.heldRows;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  add(rows: readonly R[]): void {
    if (rows.length === 0) return;
    const body = this.codec.encodedBody(rows);
    this.added(rows, body, this.parts.add(body));
    this.heldRows += rows.length;
    this.heldBytes += body.length + CHUNK_OVERHEAD_BYTES;
  }

  drain(): HeadBatch {
    const batch = this.batch(new RowBinaryBatch(this.engine, this.scratch, this.table, this.columns, this.parts.parts, this.heldRows));
    this.parts = new PartSplitter();
    this.heldRows = 0;
    this.heldBytes = 0;
    return batch;
  }

  /** Called for every request added: its rows, its body, whether the body starts a new part. */
  protected added(rows: readonly R[], body: Buffer, newPart: boolean): void {
    void rows;
    void body;
    void newPart;
  }

  /** The batch a drain hands the pipeline (a subclass may wrap the plain one). */
  protected batch(inner: RowBinaryBatch): HeadBatch {
    return inner;
  }
}
