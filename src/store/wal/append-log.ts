/**
 * A write-ahead log of text lines in numbered segment files (`<dir>/<n>.wal`), for data that must be
 * durable before a request is answered but is stored elsewhere in batches (CloudTrail's records go to
 * ClickHouse every few hundred ms). `append` resolves once the line is written (and fdatasync'ed when
 * `fsync`): a write(2) that returned survives kill -9, the page cache being the kernel's.
 *
 * Group commit: lines appended while a write is in flight go out together in the next write, so a
 * burst of callers costs one syscall (one fdatasync) per round, not one per line.
 *
 * The consumer `rotate()`s to seal the current segment, stores what it held, then `remove()`s it.
 * After a crash, `open()` reports the segments left (oldest first) so they can be replayed.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

interface Pending {
  lines: string[];
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
  /** Called once the lines are written, with the segment they went to. */
  onWritten: Array<(segment: string) => void>;
}

export class AppendLog {
  private fh!: FileHandle;
  private segment = '';
  private pending: Pending = { lines: [], waiters: [], onWritten: [] };
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private rotating = false;
  private closed = false;

  private constructor(readonly dir: string, private next: number, private readonly fsync: boolean) {}

  /** Opens the log; `leftover` are the segments a previous process did not remove, oldest first. */
  static async open(dir: string, opts: { fsync: boolean }): Promise<{ log: AppendLog; leftover: string[] }> {
    mkdirSync(dir, { recursive: true });
    const numbers = readdirSync(dir).filter((f) => /^\d+\.wal$/.test(f)).map((f) => Number(f.slice(0, -4))).sort((a, b) => a - b);
    const log = new AppendLog(dir, (numbers.at(-1) ?? 0) + 1, opts.fsync);
    await log.openNext();
    return { log, leftover: numbers.map((n) => join(dir, `${n}.wal`)) };
  }

  /** Reads a segment's complete lines (a torn last line from a crash mid-write is dropped). */
  static readSegment(path: string): string[] {
    const text = readFileSync(path, 'utf8');
    const end = text.lastIndexOf('\n');
    return end < 0 ? [] : text.slice(0, end).split('\n').filter((l) => l.length > 0);
  }

  /** Appends one line (no '\n' inside); resolves when it is written. `onWritten` learns the segment. */
  append(line: string, onWritten?: (segment: string) => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('append log is closed'));
    return new Promise<void>((resolve, reject) => {
      this.pending.lines.push(line);
      this.pending.waiters.push({ resolve, reject });
      if (onWritten) this.pending.onWritten.push(onWritten);
      this.schedule();
    });
  }

  /** Seals the current segment (after in-flight writes) and starts a new one; returns the sealed path. */
  async rotate(): Promise<string> {
    this.rotating = true;
    try {
      while (this.writing) await this.writing;
      const sealed = this.segment;
      await this.fh.close();
      await this.openNext();
      return sealed;
    } finally {
      this.rotating = false;
      if (this.pending.lines.length > 0) this.schedule();
    }
  }

  async remove(segment: string): Promise<void> {
    await unlink(segment).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writing || this.pending.lines.length > 0) {
      if (!this.writing) this.write();
      await this.writing;
    }
    await this.fh.close();
  }

  private async openNext(): Promise<void> {
    this.segment = join(this.dir, `${this.next++}.wal`);
    this.fh = await open(this.segment, 'a');
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.rotating) return;
    this.scheduled = true;
    // The next turn: every append made in this one joins the same write.
    setImmediate(() => {
      this.scheduled = false;
      if (!this.writing && !this.rotating && this.pending.lines.length > 0) this.write();
    });
  }

  private write(): void {
    const batch = this.pending;
    this.pending = { lines: [], waiters: [], onWritten: [] };
    const segment = this.segment;
    this.writing = (async () => {
      try {
        await this.fh.write(batch.lines.join('\n') + '\n');
        if (this.fsync) await this.fh.datasync();
        for (const f of batch.onWritten) f(segment);
        for (const w of batch.waiters) w.resolve();
      } catch (e) {
        for (const w of batch.waiters) w.reject(e);
      }
    })().finally(() => {
      this.writing = undefined;
      if (this.pending.lines.length > 0 && !this.closed) this.schedule();
    });
  }
}
