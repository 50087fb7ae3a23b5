/**
 * `osprey restore`: rebuilds a data directory from a backup. It verifies the backup against its
 * manifest before writing anything, refuses a target a server holds (the data-directory lock) or
 * one that is not empty (unless `force`), builds the new directory beside the target and renames
 * it into place last, so the target is never half restored.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { lockDataDir, type DataDirLock } from '../../server/data-dir-lock.ts';
import { restoreChdb } from '../../store/telemetry/backup.ts';
import { isAbsentOrEmpty } from '../files.ts';
import { unknownSteps } from '../schema-versions.ts';
import { BACKUP_JOURNALS, BACKUP_META, BACKUP_PLAIN_FILES, BACKUP_TELEMETRY, DATA_TELEMETRY, DATA_WAL } from './layout.ts';
import { verifyBackup, type BackupManifest } from './manifest.ts';

export interface RestoreOptions {
  /** Replace a non-empty target (its current contents are deleted). */
  force?: boolean;
}

export interface RestoreSummary {
  dataDir: string;
  manifest: BackupManifest;
  ms: number;
}

/** A restore that must not happen (bad backup, target in use or not empty): nothing was written. */
export class RestoreRefusedError extends Error {}

/** Holds the target's lock when it exists, so no server can start on it mid-restore. */
async function claimTarget(target: string, force: boolean): Promise<DataDirLock | undefined> {
  if (await isAbsentOrEmpty(target)) return undefined;
  let lock: DataDirLock;
  try {
    lock = lockDataDir(target);
  } catch (e) {
    throw new RestoreRefusedError(`cannot restore into ${target}: ${(e as Error).message}`);
  }
  if (!force) {
    lock.release();
    throw new RestoreRefusedError(`${target} is not empty; restore into an empty directory, or pass --force to replace its contents`);
  }
  return lock;
}

async function build(from: string, dir: string): Promise<void> {
  await mkdir(dir);
  const plain = join(from, BACKUP_PLAIN_FILES);
  for (const name of await readdir(plain).catch(() => [] as string[])) {
    await cp(join(plain, name), join(dir, name), { recursive: true });
  }
  await copyFile(join(from, BACKUP_META), join(dir, 'meta.sqlite'));
  for (const name of await readdir(join(from, BACKUP_JOURNALS)).catch(() => [] as string[])) {
    await cp(join(from, BACKUP_JOURNALS, name), join(dir, DATA_WAL, name), { recursive: true });
  }
  await restoreChdb(join(from, BACKUP_TELEMETRY), join(dir, DATA_TELEMETRY));
}

export async function restoreBackup(fromDir: string, dataDir: string, opts: RestoreOptions = {}): Promise<RestoreSummary> {
  const started = Date.now();
  const from = resolve(fromDir);
  const target = resolve(dataDir);
  const manifest = await verifyBackup(from);
  const newer = unknownSteps(manifest.schema);
  if (newer.length > 0) {
    throw new RestoreRefusedError(`backup was written by a newer Osprey (${manifest.ospreyVersion}); this build lacks ${newer.join(', ')}`);
  }
  const lock = await claimTarget(target, opts.force === true);
  const building = join(dirname(target), `.${basename(target)}.restore-${randomUUID()}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await build(from, building);
    if (lock !== undefined) {
      // The old contents move aside first, so the target name is never empty or mixed.
      const old = join(dirname(target), `.${basename(target)}.old-${randomUUID()}`);
      await rename(target, old);
      await rename(building, target);
      lock.release();
      await rm(old, { recursive: true, force: true });
    } else {
      await rm(target, { recursive: true, force: true });
      await rename(building, target);
    }
  } catch (e) {
    lock?.release();
    await rm(building, { recursive: true, force: true });
    throw e;
  }
  return { dataDir: target, manifest, ms: Date.now() - started };
}
