/**
 * A binary, append-only, checksummed write-ahead log in numbered segment files (`<dir>/<n>.wal`;
 * the format is in wal-frame.ts). `append` resolves once the record is written — and fdatasync'ed
 * when `fsync` — so an acknowledged record survives kill -9 (and power loss with `fsync`).
 *
 * Group commit: records appended while a write is in flight go out together in the next write,
 * one writev(2) and at most one fdatasync per group, and all of a group's callers share one
 * promise. Nothing is copied: the frame headers and the callers' payload buffers are gathered.
 *
 * A failed write (ENOSPC, EIO, a short write) rejects every caller of that group with
 * WalWriteError and the file is truncated back to its last good offset before anything else is
 * written, so the partial bytes never sit in front of later records. If even the truncate fails,
 * the WAL moves on to a new segment; the old one keeps a bad tail, which recovery reports and
 * skips (its records before the tail are kept).
 *
 * Recovery (`Wal.open`): segments are read oldest first and every frame verified. A bad frame at
 * the end of the last segment is a torn write: the file is cut there. A bad frame inside an older
 * segment is corruption: the records before it are kept, the rest of that segment is skipped.
 * Both are reported in `problems`, never thrown. Appends then go to a fresh segment.
 *
 * `release(lsn)` deletes the segments whose records all have LSN ≤ lsn (the consumer has stored
 * them elsewhere); the current segment is sealed first when it is entirely covered.
 */
import { mkdirSync, readdirSync, writevSync } from 'node:fs';
import { open, readFile, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FRAME_HEADER_BYTES, MAX_PAYLOAD_BYTES, SEGMENT_HEADER_BYTES, frameHeader, scanSegment, segmentHeader,
  type WalRecord,
} from './wal-frame.ts';

export type { WalRecord } from './wal-frame.ts';

/** The WAL could not make a record durable; nothing of that write was acknowledged. */
export class WalWriteError extends Error {
  /** The errno code of the failed call (ENOSPC, EIO…), or SHORT_WRITE. */
  readonly code: string;
  /** Temporary from the client's view: the protocol answers 503 ServiceUnavailable with Retry-After (protocol/errors.ts). */
  readonly retryAfterSeconds = 5;
  constructor(cause: unknown) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? 'EIO';
    super(`write-ahead log write failed (${code}): ${String((cause as Error)?.message ?? cause)}`, { cause });
    this.name = 'WalWriteError';
    this.code = code;
  }
}

/** The file operations the WAL uses; injectable so tests can fail them (disk full, I/O error). */
export type WalFile = Pick<FileHandle, 'writev' | 'datasync' | 'truncate' | 'close'> & {
  /** A blocking writev (returns the bytes written), used for small groups when nothing is fsync'ed. */
  writevSync?: (bufs: Buffer[]) => number;
};
export interface WalFileSystem {
  /** Opens (creating) a segment for appending. */
  openAppend(path: string): Promise<WalFile>;
  /** Makes a directory's entries durable (after creating a file in it). */
  syncDir(dir: string): Promise<void>;
}

export const nodeWalFileSystem: WalFileSystem = {
  openAppend: async (path) => {
    const fh = await open(path, 'a');
    return {
      writev: ((bufs: Buffer[]) => fh.writev(bufs)) as WalFile['writev'],
      writevSync: (bufs: Buffer[]) => writevSync(fh.fd, bufs),
      datasync: () => fh.datasync(),
      truncate: (len?: number) => fh.truncate(len),
      close: () => fh.close(),
    };
  },
  syncDir: async (dir) => {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

export interface WalOptions<T> {
  dir: string;
  /** fdatasync every group write (and the directory when a segment is created). */
  fsync: boolean;
  /** A segment is sealed and a new one started before a write would take it past this size. */
  segmentBytes?: number;
  /** Records with LSN ≤ this are verified on open but not returned (already stored elsewhere). */
  replayAfter?: number;
  /** New LSNs are greater than this even if the directory lost its segments (the consumer's checkpoint). */
  minLsn?: number;
  /**
   * Called once per durable group, before its callers' promises resolve, with the `item` of every
   * append in the group (in LSN order) and the group's last LSN. If it throws, the callers get the error.
   */
  onDurable?: (items: T[], lastLsn: number) => void;
  fs?: WalFileSystem;
}

export interface WalProblem {
  segment: string;
  /** Byte offset of the first frame that failed verification. */
  offset: number;
  reason: string;
  /** 'truncated': a torn tail cut from the last segment; 'skipped': the rest of an older segment is unreadable. */
  action: 'truncated' | 'skipped';
}

export interface WalOpenResult<T> {
  wal: Wal<T>;
  /** Records to replay (LSN > replayAfter), oldest first. Payloads are views into the segments' bytes. */
  records: WalRecord[];
  problems: WalProblem[];
}

export const WAL_DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
/** Groups up to this size are written with a blocking writev when `fsync` is off. */
const SYNC_WRITE_MAX_BYTES = 256 * 1024;

interface Group<T> {
  bufs: Buffer[];
  items: T[];
  bytes: number;
  lastLsn: number;
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Segment {
  n: number;
  path: string;
  bytes: number;
  /** Last record's LSN; undefined when the segment holds no record. */
  lastLsn: number | undefined;
}

interface Current extends Segment {
  fh: WalFile;
}

const segmentName = (n: number): string => `${String(n).padStart(10, '0')}.wal`;

export class Wal<T = unknown> {
  private pending: Group<T> | undefined;
  private inFlightBytes = 0;
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private exclusiveOps = 0;
  private opChain: Promise<unknown> = Promise.resolve();
  /** The current segment's tail may hold bytes of a failed write: truncate before writing. */
  private needsRepair = false;
  private closed = false;
  private sealed: Segment[] = [];
  private cur!: Current;
  /** `cur` was closed and listed in `sealed` (its successor failed to open). */
  private curSealed = false;
  /** The last LSN handed out by append(). */
  private assignedLsn: number;
  /** The last LSN written durably. */
  private durable: number;

  private constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    private readonly segmentBytes: number,
    private readonly fs: WalFileSystem,
    private readonly onDurable: ((items: T[], lastLsn: number) => void) | undefined,
    lastLsn: number,
  ) {
    this.assignedLsn = this.durable = lastLsn;
  }

  static async open<T = unknown>(opts: WalOptions<T>): Promise<WalOpenResult<T>> {
    mkdirSync(opts.dir, { recursive: true });
    const files = readdirSync(opts.dir).filter((f) => /^\d+\.wal$/.test(f))
      .map((name) => ({ n: Number(name.slice(0, -4)), path: join(opts.dir, name) })).sort((a, b) => a.n - b.n);
    const { segments, records, problems, lastLsn } = await recover(files, opts.replayAfter ?? 0);
    const wal = new Wal<T>(opts.dir, opts.fsync, opts.segmentBytes ?? WAL_DEFAULT_SEGMENT_BYTES,
      opts.fs ?? nodeWalFileSystem, opts.onDurable, Math.max(lastLsn, opts.minLsn ?? 0));
    wal.sealed = segments;
    await wal.openSegment((files.at(-1)?.n ?? 0) + 1);
    return { wal, records, problems };
  }

  /** The last LSN assigned to an append (durable or not yet). */
  get lastLsn(): number {
    return this.assignedLsn;
  }

  /** The last LSN known durable. */
  get durableLsn(): number {
    return this.durable;
  }

  /** Bytes in the WAL's segment files. */
  get bytes(): number {
    return this.sealed.reduce((n, s) => n + s.bytes, this.curSealed ? 0 : this.cur.bytes);
  }

  /** Segment files, the one being written included. */
  get segments(): number {
    return this.sealed.length + (this.curSealed ? 0 : 1);
  }

  /** Bytes appended but not yet durable (held in memory). */
  get pendingBytes(): number {
    return (this.pending?.bytes ?? 0) + this.inFlightBytes;
  }

  /**
   * Appends one record. Resolves when it is durable (with every other record of its group);
   * rejects with WalWriteError if the write failed. The caller must not mutate `payload` until then.
   */
  append(payload: Buffer, item?: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return Promise.reject(new RangeError(`WAL record of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`));
    }
    const lsn = ++this.assignedLsn;
    const g = this.pending ??= newGroup<T>();
    g.bufs.push(frameHeader(lsn, payload), payload);
    g.items.push(item as T);
    g.bytes += FRAME_HEADER_BYTES + payload.length;
    g.lastLsn = lsn;
    this.schedule();
    return g.promise;
  }

  /** Resolves once every append made before the call has been written or has failed. */
  async settled(): Promise<void> {
    const target = this.assignedLsn;
    while (this.durable < target && (this.pending || this.writing)) {
      if (this.writing) await this.writing;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Deletes every segment whose records all have LSN ≤ lsn; seals the current one first if it is covered. */
  release(lsn: number): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      if (this.cur.lastLsn !== undefined && this.cur.lastLsn <= lsn) await this.rotate();
      const keep: Segment[] = [];
      for (const s of this.sealed) {
        if (s.lastLsn === undefined || s.lastLsn <= lsn) {
          await unlink(s.path).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'ENOENT') throw e;
          });
        } else {
          keep.push(s);
        }
      }
      this.sealed = keep;
    });
  }

  /** Writes what is pending, then closes the file. Later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exclusive(async () => {
      while (this.pending) await this.writeGroup(this.takePending());
      if (!this.curSealed) await this.cur.fh.close();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.exclusiveOps > 0) return;
    this.scheduled = true;
    // The next turn: every append made in this one (e.g. all requests parsed in one I/O phase)
    // joins the same write.
    setImmediate(() => {
      this.scheduled = false;
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing || this.exclusiveOps > 0 || !this.pending) return;
    this.writing = this.writeGroup(this.takePending()).finally(() => {
      this.writing = undefined;
      if (this.pending) this.schedule();
    });
  }

  private takePending(): Group<T> {
    const g = this.pending!;
    this.pending = undefined;
    this.inFlightBytes = g.bytes;
    return g;
  }

  /** Runs `fn` with no write in flight and none starting (release, close). */
  private async exclusive<X>(fn: () => Promise<X>): Promise<X> {
    this.exclusiveOps++;
    const run = this.opChain.then(async () => {
      while (this.writing) await this.writing;
      return fn();
    });
    this.opChain = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      if (--this.exclusiveOps === 0 && this.pending && !this.closed) this.schedule();
    }
  }

  /** Writes one group; never throws (the group's callers get the outcome). */
  private async writeGroup(g: Group<T>): Promise<void> {
    try {
      if (this.needsRepair) await this.repair();
      if (this.cur.bytes > SEGMENT_HEADER_BYTES && this.cur.bytes + g.bytes > this.segmentBytes) await this.rotate();
      // A segment whose header write failed gets it in front of its first group.
      const bufs = this.cur.bytes === 0 ? [segmentHeader(this.durable + 1), ...g.bufs] : g.bufs;
      const expected = this.cur.bytes === 0 ? g.bytes + SEGMENT_HEADER_BYTES : g.bytes;
      await this.writeAll(bufs, expected);
      this.cur.bytes += expected;
      this.cur.lastLsn = this.durable = g.lastLsn;
    } catch (e) {
      this.needsRepair = true;
      await this.repair().catch(() => undefined);
      this.inFlightBytes = 0;
      g.reject(e instanceof WalWriteError ? e : new WalWriteError(e));
      return;
    }
    this.inFlightBytes = 0;
    try {
      this.onDurable?.(g.items, g.lastLsn);
    } catch (e) {
      g.reject(e);
      return;
    }
    g.resolve();
  }

  private async writeAll(bufs: Buffer[], expected: number): Promise<void> {
    // A small write to the page cache takes microseconds; handing it to the thread pool and back
    // cost more than that (SQS journal: ~5 % of the main thread). Large groups and fsync'ed ones stay async.
    const writeSync = !this.fsync && expected <= SYNC_WRITE_MAX_BYTES ? this.cur.fh.writevSync : undefined;
    const bytesWritten = writeSync ? writeSync(bufs) : (await this.cur.fh.writev(bufs)).bytesWritten;
    // libuv retries partial writes itself and reports a short count only when the device refused
    // the rest (disk full): that is a failure, not progress.
    if (bytesWritten !== expected) {
      throw Object.assign(new Error(`short write: ${bytesWritten} of ${expected} bytes`), { code: 'SHORT_WRITE' });
    }
    if (this.fsync) await this.cur.fh.datasync();
  }

  /** Cuts the current segment back to its last good byte; moves to a new segment if that fails. */
  private async repair(): Promise<void> {
    try {
      await this.cur.fh.truncate(this.cur.bytes);
      this.needsRepair = false;
    } catch {
      await this.rotate();
    }
  }

  private async rotate(): Promise<void> {
    // After a failed open of the next segment, `cur` is already sealed: only retry the open.
    if (!this.curSealed) {
      this.curSealed = true;
      await this.cur.fh.close().catch(() => undefined);
      this.sealed.push({ n: this.cur.n, path: this.cur.path, bytes: this.cur.bytes, lastLsn: this.cur.lastLsn });
    }
    await this.openSegment(this.cur.n + 1);
  }

  /**
   * Starts segment n and writes its header at once, so the LSN sequence survives even when every
   * older segment has been released. If that write fails, the first group writes it instead.
   */
  private async openSegment(n: number): Promise<void> {
    const path = join(this.dir, segmentName(n));
    this.cur = { n, path, bytes: 0, lastLsn: undefined, fh: await this.fs.openAppend(path) };
    this.curSealed = false;
    this.needsRepair = false;
    try {
      await this.writeAll([segmentHeader(this.durable + 1)], SEGMENT_HEADER_BYTES);
      this.cur.bytes = SEGMENT_HEADER_BYTES;
      if (this.fsync) await this.fs.syncDir(this.dir);
    } catch {
      this.needsRepair = true;
    }
  }
}

function newGroup<T>(): Group<T> {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group whose callers all went away must not crash the process with an unhandled rejection.
  promise.catch(() => undefined);
  return { bufs: [], items: [], bytes: 0, lastLsn: 0, promise, resolve, reject };
}

interface Recovered {
  segments: Segment[];
  records: WalRecord[];
  problems: WalProblem[];
  lastLsn: number;
}

async function recover(files: Array<{ n: number; path: string }>, replayAfter: number): Promise<Recovered> {
  const out: Recovered = { segments: [], records: [], problems: [], lastLsn: 0 };
  for (let i = 0; i < files.length; i++) {
    const { n, path } = files[i]!;
    const data = await readFile(path);
    const scan = scanSegment(data, out.lastLsn, replayAfter);
    for (const r of scan.records) out.records.push(r);
    out.lastLsn = Math.max(out.lastLsn, scan.lastLsn ?? 0, (scan.startLsn ?? 1) - 1);
    let bytes = data.length;
    if (scan.problem !== undefined) {
      const last = i === files.length - 1;
      out.problems.push({ segment: path, offset: scan.goodBytes, reason: scan.problem, action: last ? 'truncated' : 'skipped' });
      if (last) {
        await truncate(path, scan.goodBytes);
        bytes = scan.goodBytes;
      }
    }
    out.segments.push({ n, path, bytes, lastLsn: scan.lastLsn });
  }
  return out;
}
