/**
 * Follows one log file by path, as the agent's tailer does: reads what was appended since the last
 * read (complete lines only; a partial last line waits for its newline), notices truncation
 * (copytruncate: the size fell below the read position → read again from 0) and rotation (the path
 * now names another file → the old file is read to its end first, its unterminated last line
 * included, then the new one from its start). A truncation that was refilled past the read position
 * before the next read is caught by the file's first bytes changing. Every line carries the file's identity and the byte
 * offset after it, so delivery can checkpoint exactly what was sent.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export interface FileIdentity {
  dev: number;
  ino: number;
}

export interface TailedLine {
  text: string;
  file: FileIdentity;
  /** Byte offset just past this line (its newline included). */
  end: number;
}

const CHUNK = 256 * 1024;
/** One read buffer for every tailer: reads are synchronous and their bytes are copied or decoded before the next. */
const READ_BUF = Buffer.allocUnsafe(CHUNK);

interface OpenFile {
  fd: number;
  id: FileIdentity;
  /** Bytes consumed into lines. */
  offset: number;
  /** Bytes read past `offset` that do not end in a newline yet. */
  partial: Buffer;
  /** The file's first bytes as read (up to HEAD_BYTES): if they change, the file was truncated and rewritten. */
  head: Buffer;
}

const HEAD_BYTES = 64;

const sameFile = (a: FileIdentity, b: FileIdentity): boolean => a.dev === b.dev && a.ino === b.ino;

export class FileTailer {
  private cur: OpenFile | undefined;

  /** `resume`: where a previous run stopped in this file (used when the path still names that file). */
  constructor(readonly path: string, private readonly decode: (b: Buffer) => string, resume?: FileIdentity & { offset: number }) {
    this.open(resume);
  }

  /** New complete lines, at most about `maxBytes` of them. */
  read(maxBytes = 4 * CHUNK): TailedLine[] {
    if (!this.cur) this.open();
    const f = this.cur;
    if (!f) return [];
    const out: TailedLine[] = [];
    const now = this.statPath();
    if (now && !sameFile(now, f.id)) {
      // Rotated: finish the old file, unterminated last line included, then move to the new one.
      this.drain(f, out, Infinity, true);
      closeSync(f.fd);
      this.cur = undefined;
      this.open();
      if (this.cur) this.drain(this.cur, out, maxBytes, false);
      return out;
    }
    if (fstatSync(f.fd).size < f.offset + f.partial.length || this.headChanged(f)) {
      f.offset = 0; // copytruncate
      f.partial = Buffer.alloc(0);
      f.head = Buffer.alloc(0);
    }
    this.drain(f, out, maxBytes, false);
    return out;
  }

  close(): void {
    if (this.cur) closeSync(this.cur.fd);
    this.cur = undefined;
  }

  private statPath(): FileIdentity | undefined {
    try {
      const s = statSync(this.path);
      return { dev: s.dev, ino: s.ino };
    } catch {
      return undefined; // between a rename and the new file's creation
    }
  }

  private open(resume?: FileIdentity & { offset: number }): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return;
    }
    const s = fstatSync(fd);
    const id = { dev: s.dev, ino: s.ino };
    const offset = resume && sameFile(resume, id) && resume.offset <= s.size ? resume.offset : 0;
    this.cur = { fd, id, offset, partial: Buffer.alloc(0), head: Buffer.alloc(0) };
    this.cur.head = this.readHead(this.cur, Math.min(HEAD_BYTES, offset));
  }

  private readHead(f: OpenFile, n: number): Buffer {
    const b = Buffer.alloc(n);
    return b.subarray(0, n > 0 ? readSync(f.fd, b, 0, n, 0) : 0);
  }

  private headChanged(f: OpenFile): boolean {
    if (f.head.length === 0) return false;
    return !this.readHead(f, f.head.length).equals(f.head);
  }

  private drain(f: OpenFile, out: TailedLine[], maxBytes: number, toEnd: boolean): void {
    const buf = READ_BUF;
    let readBytes = 0;
    for (;;) {
      const n = readSync(f.fd, buf, 0, CHUNK, f.offset + f.partial.length);
      if (n === 0) break;
      const data = f.partial.length ? Buffer.concat([f.partial, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        const line = data.subarray(start, nl > start && data[nl - 1] === 13 ? nl - 1 : nl);
        out.push({ text: this.decode(line), file: f.id, end: f.offset + nl + 1 });
        start = nl + 1;
      }
      f.offset += start;
      f.partial = Buffer.from(data.subarray(start));
      if (f.head.length < HEAD_BYTES && f.offset > f.head.length) f.head = this.readHead(f, Math.min(HEAD_BYTES, f.offset));
      readBytes += n;
      if (readBytes >= maxBytes) break;
    }
    if (toEnd && f.partial.length > 0) {
      out.push({ text: this.decode(f.partial), file: f.id, end: f.offset + f.partial.length });
      f.offset += f.partial.length;
      f.partial = Buffer.alloc(0);
    }
  }
}
