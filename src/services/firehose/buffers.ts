/**
 * A delivery stream's in-memory buffers over its stored records: each record is processed once
 * (processors.ts) into pieces, and pieces are grouped per partition (one partition without
 * dynamic partitioning, one per distinct set of partition keys with it; at most 500 active, as on
 * AWS, the rest going to the error output). A stored record is deleted only once every piece it
 * produced was accepted, so what a crash loses is re-read from SQLite and delivered again.
 */
import type { Buffering, CompiledDestination } from './destination.ts';
import { processRecord } from './processors.ts';
import type { RecordRow, StreamRow } from './repo.ts';

export interface Unit {
  seq: number;
  arrivedAt: number;
  data: Buffer;
}

export interface FailedUnit extends Unit {
  errorCode: string;
  errorMessage: string;
}

export interface Partition {
  keys?: Record<string, string>;
  units: Unit[];
  bytes: number;
  /** Failed attempts of the current head batch, and when the next may start. */
  attempts: number;
  nextAt: number;
  /** When the head batch first failed (HTTP endpoints retry for RetryOptions.DurationInSeconds). */
  failingSince?: number;
}

/** AWS's limit of active partitions per stream. */
const MAX_PARTITIONS = 500;
/** Firehose's HTTP requests carry at most 10,000 records. */
export const MAX_UNITS_PER_BATCH = 10_000;

export class StreamBuffers {
  readonly partitions = new Map<string, Partition>();
  readonly errors: Partition = { units: [], bytes: 0, attempts: 0, nextAt: 0 };
  /** Source records as they arrived, for S3BackupMode Enabled. */
  readonly sourceBackup: Partition | undefined;
  /** Pieces of each stored record still buffered. */
  private readonly pending = new Map<number, number>();
  /** Stored records that are fully delivered (or produced nothing) and can be deleted. */
  done: number[] = [];
  busy = false;

  constructor(readonly stream: StreamRow, readonly dest: CompiledDestination) {
    this.sourceBackup = dest.kind === 's3' && dest.sourceBackup ? { units: [], bytes: 0, attempts: 0, nextAt: 0 } : undefined;
  }

  add(r: RecordRow): void {
    if (this.sourceBackup) {
      this.sourceBackup.units.push(r);
      this.sourceBackup.bytes += r.data.length;
    }
    // The backup copy is one more piece of the record.
    const extra = this.sourceBackup ? 1 : 0;
    const p = processRecord(this.dest.pipeline, r.data);
    if (!p.ok) return this.fail(r, p.errorCode, p.errorMessage, extra);
    if (p.pieces.length === 0) {
      if (extra) this.pending.set(r.seq, extra);
      else this.done.push(r.seq);
      return;
    }
    const keys = p.pieces.map((x) => (x.keys ? JSON.stringify(x.keys) : ''));
    const fresh = new Set(keys.filter((k) => !this.partitions.has(k)));
    if (this.partitions.size + fresh.size > MAX_PARTITIONS) {
      return this.fail(r, 'DynamicPartitioning.ActivePartitionsLimitExceeded', `The stream has ${MAX_PARTITIONS} active partitions, the most Firehose buffers at once.`, extra);
    }
    this.pending.set(r.seq, p.pieces.length + extra);
    p.pieces.forEach((piece, i) => {
      let part = this.partitions.get(keys[i]!);
      if (!part) {
        part = { ...(piece.keys ? { keys: piece.keys } : {}), units: [], bytes: 0, attempts: 0, nextAt: 0 };
        this.partitions.set(keys[i]!, part);
      }
      part.units.push({ seq: r.seq, arrivedAt: r.arrivedAt, data: piece.data });
      part.bytes += piece.data.length;
    });
  }

  private fail(r: RecordRow, errorCode: string, errorMessage: string, extra: number): void {
    this.pending.set(r.seq, 1 + extra);
    this.errors.units.push({ seq: r.seq, arrivedAt: r.arrivedAt, data: r.data, errorCode, errorMessage } as FailedUnit);
    this.errors.bytes += r.data.length;
  }

  /** Whether a partition's head batch should go now: its buffer is full or old enough, and no retry is pending. */
  static due(p: Partition, b: Buffering, now: number): boolean {
    if (p.units.length === 0 || now < p.nextAt) return false;
    return p.bytes >= b.sizeBytes || p.units.length >= MAX_UNITS_PER_BATCH || now - p.units[0]!.arrivedAt >= b.intervalMs;
  }

  /** The head batch: units from the front until the buffer size is reached. */
  static head(p: Partition, b: Buffering): Unit[] {
    let bytes = 0;
    let n = 0;
    while (n < p.units.length && n < MAX_UNITS_PER_BATCH && (n === 0 || bytes < b.sizeBytes)) bytes += p.units[n++]!.data.length;
    return p.units.slice(0, n);
  }

  /** The head batch was accepted (or dropped for good): forget it, note the records now complete. */
  settle(key: string | undefined, p: Partition, batch: Unit[]): void {
    p.units.splice(0, batch.length);
    p.bytes -= batch.reduce((n, u) => n + u.data.length, 0);
    p.attempts = 0;
    p.nextAt = 0;
    p.failingSince = undefined;
    if (key !== undefined && p.units.length === 0) this.partitions.delete(key);
    for (const u of batch) {
      const left = (this.pending.get(u.seq) ?? 1) - 1;
      if (left > 0) this.pending.set(u.seq, left);
      else {
        this.pending.delete(u.seq);
        this.done.push(u.seq);
      }
    }
  }

  /** Whether this stored record is buffered here (or delivered and waiting to be deleted). */
  holds(seq: number): boolean {
    return this.pending.has(seq) || this.done.includes(seq);
  }

  takeDone(): number[] {
    const d = this.done;
    this.done = [];
    return d;
  }
}
