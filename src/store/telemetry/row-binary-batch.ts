/**
 * A drained head's RowBinary request bodies, inserted into one table as consecutive parts (shared
 * by the log and Kinesis heads: both keep each request's WAL body as insert-ready RowBinary).
 */
import type { HeadBatch } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';

/**
 * Bytes per engine insert. A drained head can hold far more (whatever arrived while the previous
 * flush ran, up to maxHeadBytes), and one insert per drain is slower per row the larger it gets:
 * 1M rows of 200-byte messages, RowBinary, one insert after another on this 2-core VM (scratch
 * measurement, rows/s): 50k-row inserts 472k, 250k-row 308k, one 1M-row insert 92–143k — and the
 * engine's memory grows with the insert. 16 MiB is ~58k such rows.
 */
const INSERT_BYTES = 16 * 1024 * 1024;

/**
 * Splits request bodies, in order, into parts of ≤ INSERT_BYTES (a larger request is a part of its
 * own). The split depends only on the requests' bytes, so a batch rebuilt from the WAL after a
 * crash splits the same way and each part keeps its token.
 */
export class PartSplitter {
  readonly parts: Buffer[][] = [];
  private bytes = 0;

  /** Adds a body; returns true when it starts a new part (the previous one is then complete). */
  add(body: Buffer): boolean {
    const last = this.parts[this.parts.length - 1];
    const fresh = last === undefined || (last.length > 0 && this.bytes + body.length > INSERT_BYTES);
    if (fresh) {
      this.parts.push([body]);
      this.bytes = body.length;
    } else {
      last.push(body);
      this.bytes += body.length;
    }
    return fresh;
  }
}

/** One drain, inserted as consecutive sub-inserts of whole requests (PartSplitter), token `${token}:${table}:${i}`. */
export class RowBinaryBatch implements HeadBatch {
  /** Parts before this one are in the engine (an attempt that failed later resumes here). */
  private next = 0;

  constructor(
    private readonly engine: SqlEngine,
    private readonly scratch: InsertScratch,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly parts: Buffer[][],
    readonly rows: number,
  ) {}

  async insert(dedupToken: string): Promise<void> {
    for (; this.next < this.parts.length; this.next++) {
      const part = this.parts[this.next]!;
      const payload = part.length === 1 ? part[0]! : this.scratch.join(part);
      try {
        await this.engine.insert(this.table, this.columns, payload, 'RowBinary',
          { dedupToken: `${dedupToken}:${this.table}:${this.next}` });
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
export class InsertScratch {
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
