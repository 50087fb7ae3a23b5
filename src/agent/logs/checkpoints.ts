/**
 * Where each followed file was delivered up to (its identity and byte offset), kept in the state
 * directory so a restarted agent neither loses nor repeats lines. Written after each successful
 * PutLogEvents, atomically (a temporary file renamed over the old one).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileIdentity } from './file-tailer.ts';

export type Checkpoint = FileIdentity & { offset: number };

export class Checkpoints {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(path: string): string {
    return join(this.dir, `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`);
  }

  get(path: string): Checkpoint | undefined {
    try {
      const c = JSON.parse(readFileSync(this.file(path), 'utf8')) as Checkpoint & { path: string };
      return c.path === path && Number.isSafeInteger(c.offset) ? { dev: c.dev, ino: c.ino, offset: c.offset } : undefined;
    } catch {
      return undefined;
    }
  }

  set(path: string, c: Checkpoint): void {
    const file = this.file(path);
    writeFileSync(`${file}.tmp`, JSON.stringify({ path, ...c }));
    renameSync(`${file}.tmp`, file);
  }
}
