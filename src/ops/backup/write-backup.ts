/**
 * Writes a backup of a data directory whose stores are open in this process: by the running server
 * (the admin endpoint) or by `osprey backup` holding the data-directory lock itself.
 *
 * Order and consistency point (docs/operations.md): telemetry first — the ingest pipelines flush
 * every row acknowledged so far, then ClickHouse snapshots each table — then the metadata journals
 * (SQS) and the metadata through SQLite's online backup API, then the plain files (keys, the CloudTrail recorder's log, canary
 * and Athena result files). The stores are captured at slightly different instants, each
 * consistent in itself; anything acknowledged before the backup began is in it.
 *
 * Everything is written into `<to>.partial-<random>` beside the target and renamed into place
 * last, so a target that exists is always a complete backup.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { SqliteMetaDb } from '../../store/meta/sql/sqlite-db.ts';
import type { MetaDb } from '../../store/meta/sql/types.ts';
import type { Telemetry } from '../../store/telemetry/index.ts';
import { isAbsentOrEmpty, move } from '../files.ts';
import { readMetaVersions, readTelemetryVersions } from '../schema-versions.ts';
import { OSPREY_VERSION } from '../version.ts';
import { writeManifest, type BackupManifest } from './manifest.ts';
import { BACKUP_JOURNALS, BACKUP_META, BACKUP_PLAIN_FILES, BACKUP_TELEMETRY, DATA_WAL, METADATA_JOURNALS, isStoreEntry } from './layout.ts';

export interface BackupSource {
  dataDir: string;
  db: MetaDb;
  telemetry: Telemetry;
  clock: Clock;
  log: Logger;
}

export interface BackupSummary {
  to: string;
  files: number;
  bytes: number;
  ms: number;
  createdAt: string;
}

/** A backup that cannot be taken (target in use, engine without snapshots): the caller's fault or setup, not a crash. */
export class BackupRefusedError extends Error {}

/** Copies the data directory's plain entries (everything but the stores and the lock) into `dir`. */
async function copyPlainFiles(dataDir: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dataDir)) {
    if (isStoreEntry(name)) continue;
    // Files may come and go meanwhile (a canary run's artifacts); what exists now is copied.
    await cp(join(dataDir, name), join(dir, name), { recursive: true, force: false, errorOnExist: false })
      .catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
  }
}

/** The metadata journals' segments as they are now (a segment deleted meanwhile is behind a checkpoint: skipped). */
async function copyJournals(dataDir: string, dir: string): Promise<void> {
  for (const name of METADATA_JOURNALS) {
    const from = join(dataDir, DATA_WAL, name);
    const files = await readdir(from).catch(() => [] as string[]);
    await mkdir(join(dir, name), { recursive: true });
    for (const f of files) {
      await cp(join(from, f), join(dir, name, f)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
  }
}

export async function writeBackup(src: BackupSource, target: string, mode: BackupManifest['mode']): Promise<BackupSummary> {
  const to = resolve(target);
  if (!(await isAbsentOrEmpty(to))) throw new BackupRefusedError(`backup target ${to} exists and is not empty; choose a new directory`);
  if (!(src.db instanceof SqliteMetaDb)) {
    throw new BackupRefusedError('the metadata store is PostgreSQL (metadata.url): back it up with pg_dump; osprey backup covers the embedded stores');
  }
  const sqlite = src.db.db;
  if (src.telemetry.snapshot === undefined) {
    throw new BackupRefusedError('the telemetry store is a ClickHouse server: back it up with ClickHouse\'s own BACKUP; osprey backup covers the embedded engine');
  }
  const started = src.clock.now();
  const createdAt = new Date(started).toISOString();
  await mkdir(dirname(to), { recursive: true });
  const staging = join(dirname(to), `.${basename(to)}.partial-${randomUUID()}`);
  await mkdir(staging);
  let snapshot: string | undefined;
  try {
    snapshot = await src.telemetry.snapshot();
    await move(snapshot, join(staging, BACKUP_TELEMETRY));
    await copyJournals(src.dataDir, join(staging, BACKUP_JOURNALS));
    await sqlite.backup(join(staging, BACKUP_META));
    await copyPlainFiles(src.dataDir, join(staging, BACKUP_PLAIN_FILES));
    const telemetryVersions = await readTelemetryVersions(src.telemetry.engine);
    const manifest = await writeManifest(staging, {
      ospreyVersion: OSPREY_VERSION, createdAt, mode, sourceDataDir: resolve(src.dataDir),
      schema: { ...readMetaVersions(sqlite), telemetry: telemetryVersions },
    });
    await rm(to, { recursive: true, force: true });
    await move(staging, to);
    const summary = { to, files: manifest.files.length, bytes: manifest.files.reduce((n, f) => n + f.bytes, 0), ms: src.clock.now() - started, createdAt };
    src.log.info({ ...summary, mode }, 'backup written');
    return summary;
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    if (snapshot !== undefined) await rm(snapshot, { recursive: true, force: true });
    throw e;
  }
}
