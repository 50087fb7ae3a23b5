/**
 * The pipeline's flush state, one small JSON file beside the WAL segments (`checkpoint.json`):
 * which LSNs are in the engine, and the batch being inserted, if any. It is what makes replay
 * exactly-once: before a batch covering LSNs (flushedLsn, to] is inserted, the intent (with its
 * deduplication token) is recorded; after the insert, flushedLsn moves to `to` and the intent goes.
 * After a crash, a pending intent says "this batch may or may not be in the engine": the pipeline
 * re-inserts exactly those records with the same token and ClickHouse drops the copy if the first
 * insert had landed.
 *
 * Written atomically (tmp file + rename; fsync of the file and the directory when `fsync`), so a
 * reader sees the old state or the new one, never a mix. Two writes per flush, about one flush a
 * second: its cost does not matter.
 */
import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeWalFileSystem } from './wal.ts';

export interface FlushIntent {
  /** The batch covers LSNs (from, to]. */
  from: number;
  to: number;
  token: string;
}

export interface PipelineCheckpoint {
  /** Stable id of this pipeline directory, part of every deduplication token it makes. */
  id: string;
  /** Every record with LSN ≤ this is in the engine. */
  flushedLsn: number;
  intent?: FlushIntent;
}

export const CHECKPOINT_FILE = 'checkpoint.json';

/** The directory's checkpoint, or undefined when there is none yet. Throws if it is unreadable. */
export function readCheckpoint(dir: string): PipelineCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  // An unreadable checkpoint is not guessed around: replaying from 0 could store rows twice.
  const cp = JSON.parse(text) as PipelineCheckpoint;
  if (typeof cp.id !== 'string' || !Number.isSafeInteger(cp.flushedLsn)) {
    throw new Error(`${join(dir, CHECKPOINT_FILE)} is not a valid ingest checkpoint: ${text.slice(0, 200)}`);
  }
  return cp;
}

export async function writeCheckpoint(dir: string, cp: PipelineCheckpoint, fsync: boolean): Promise<void> {
  const path = join(dir, CHECKPOINT_FILE);
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(cp) + '\n');
    if (fsync) await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  if (fsync) await nodeWalFileSystem.syncDir(dir);
}
