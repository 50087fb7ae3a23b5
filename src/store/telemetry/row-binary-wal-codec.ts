/**
 * A WAL codec whose records are a version byte then the rows as insert-ready RowBinary, so a row is
 * encoded once, on its request, and the head inserts the record's bytes as they are (the log and
 * Kinesis codecs follow the same layout). Subclasses say how one row is written and read back.
 */
import type { WalCodec } from '../ingest/types.ts';
import { RowBinaryReader } from './row-binary-reader.ts';
import { RowBinaryWriter } from './row-binary.ts';

export abstract class RowBinaryWalCodec<R> implements WalCodec<R> {
  /** Reused for every record; each record gets an exact-size copy. */
  private readonly writer = new RowBinaryWriter(256 * 1024);
  /**
   * The record bodies of rows this codec encoded or decoded, by row array: the pipeline hands the
   * same array to encode() and then to the head (and decode()'s result on replay), so the head
   * reuses the bytes. Weak: an array the head never sees (a failed WAL write) does not pin them.
   */
  private readonly bodies = new WeakMap<readonly R[], Buffer>();

  protected constructor(private readonly what: string, private readonly version: number) {}

  protected abstract writeRow(w: RowBinaryWriter, row: R): void;
  protected abstract readRow(r: RowBinaryReader): R;

  encode(rows: readonly R[]): Buffer {
    const record = this.encodeRecord(rows);
    this.bodies.set(rows, record.subarray(1));
    return record;
  }

  decode(payload: Buffer): R[] {
    if (payload.length === 0 || payload[0] !== this.version) {
      throw new Error(`${this.what} WAL record: unknown version ${payload[0] ?? '(empty record)'}`);
    }
    const r = new RowBinaryReader(payload, 1);
    const rows: R[] = [];
    while (!r.done) rows.push(this.readRow(r));
    this.bodies.set(rows, payload.subarray(1));
    return rows;
  }

  /** These rows as RowBinary: the bytes encode()/decode() produced for this very array (handed out once), else a fresh encoding. */
  encodedBody(rows: readonly R[]): Buffer {
    const body = this.bodies.get(rows);
    if (body !== undefined) {
      this.bodies.delete(rows);
      return body;
    }
    return this.encodeRecord(rows).subarray(1);
  }

  private encodeRecord(rows: readonly R[]): Buffer {
    const w = this.writer;
    w.reset();
    w.uint8(this.version);
    for (const row of rows) this.writeRow(w, row);
    const record = Buffer.from(w.bytes());
    // A burst's large record does not keep the writer's buffer alive afterwards.
    if (w.length > 4 * 1024 * 1024) w.shrink(256 * 1024);
    return record;
  }
}
