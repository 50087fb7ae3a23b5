/**
 * Snapshots of the embedded telemetry engine for `osprey backup` / `osprey restore` (docs/operations.md).
 *
 * A snapshot is ClickHouse's own `BACKUP DATABASE … TO File()`: it takes each table's current
 * parts (immutable, hard-linked while copying), so it runs while ingest and merges go on. The
 * engine only allows File() below its own backup directory (engine.ts), so the snapshot is written
 * there and the caller moves it where it belongs.
 *
 * The ingest write-ahead logs are not part of a snapshot: every row acknowledged before the
 * snapshot starts is flushed into the engine first, so the tables alone hold them.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SyncablePipeline } from '../ingest/read-your-writes.ts';
import { ChdbEngine, chdbBackupDir, type SqlEngine } from './engine.ts';
import { stringLiteral } from './sql-literal.ts';

/** The ClickHouse database Osprey's tables live in. */
const DATABASE = 'default';

/** How long a snapshot waits for the pipelines to flush before giving up (engine failing). */
const FLUSH_TIMEOUT_MS = 60_000;

async function flushAll(pipelines: readonly SyncablePipeline[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`telemetry did not flush its acknowledged rows within ${FLUSH_TIMEOUT_MS / 1000} s; backup abandoned`)), FLUSH_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(pipelines.map((p) => p.sync())), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Flushes `pipelines`, then writes a BACKUP of the telemetry database under the engine's backup
 * directory (`enginePath`/osprey-backups/<random>) and returns that directory.
 */
export async function snapshotChdb(engine: SqlEngine, enginePath: string, pipelines: readonly SyncablePipeline[]): Promise<string> {
  await flushAll(pipelines);
  const root = resolve(chdbBackupDir(enginePath));
  // What is there was left by a backup that failed or a process that died mid-backup: one
  // process per directory and one backup at a time (the callers') means none is in progress.
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const dir = join(root, randomUUID());
  try {
    await engine.exec(`BACKUP DATABASE ${DATABASE} TO File(${stringLiteral(dir)})`);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

/**
 * Restores a snapshot written by snapshotChdb into an empty engine directory `enginePath`
 * (nothing else may have it open in this process: chDB binds one directory per process).
 */
export async function restoreChdb(snapshotDir: string, enginePath: string): Promise<void> {
  // RESTORE, like BACKUP, reads File() only below the engine's backup directory.
  const staged = join(resolve(chdbBackupDir(enginePath)), randomUUID());
  await mkdir(chdbBackupDir(enginePath), { recursive: true });
  await cp(snapshotDir, staged, { recursive: true });
  const engine = await ChdbEngine.open({ path: enginePath });
  try {
    await engine.exec(`RESTORE DATABASE ${DATABASE} FROM File(${stringLiteral(staged)}) SETTINGS allow_non_empty_tables = 0`);
  } finally {
    await engine.close();
    await rm(staged, { recursive: true, force: true });
  }
}
