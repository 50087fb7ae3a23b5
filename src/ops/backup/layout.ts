/**
 * What a data directory holds and how a backup lays it out. The stores are captured through their
 * engines; every other top-level entry (keys/, cloudtrail-log/, synthetics/, athena/, and whatever
 * a later module adds) is copied as files, so a new module's files are backed up without a change here.
 */
import { NODE_HOME_FILE } from '../../store/meta/nodes.ts';

/** In a backup: the metadata store (an SQLite online-backup copy). */
export const BACKUP_META = 'meta.sqlite';
/** In a backup: the telemetry store (a ClickHouse BACKUP directory). */
export const BACKUP_TELEMETRY = 'telemetry';
/** In a backup: the data directory's other entries, as they were. */
export const BACKUP_PLAIN_FILES = 'files';

/** In a data directory: the telemetry engine's directory. */
export const DATA_TELEMETRY = 'telemetry';
/** In a backup: journals that belong with the metadata (copied before it, restored under wal/). */
export const BACKUP_JOURNALS = 'journals';

/** In a data directory: the ingest write-ahead logs (not backed up: flushed first). */
export const DATA_WAL = 'wal';
/**
 * The write-ahead logs under wal/ that are metadata, not telemetry: SQS messages live in memory and
 * a journal checkpointed into SQLite about once a second, so the journal is part of the backup.
 * Copied before the SQLite backup: whatever the copy misses (segments dropped by a later
 * checkpoint) is in that backup, and whatever the backup lacks (records after its checkpoint)
 * is in the copy — replay on start joins them.
 */
export const METADATA_JOURNALS = ['sqs'];


/**
 * Entries a backup does not copy as files: the stores (captured through their engines), the ingest
 * WAL (flushed into telemetry first), the process lock, and the node-home id — a restored copy is a
 * new node (the original may still run), so it draws its own.
 */
export function isStoreEntry(name: string): boolean {
  return /^meta\.sqlite(-wal|-shm|-journal)?$/.test(name) || name === DATA_TELEMETRY || name === DATA_WAL ||
    /^osprey\.(lock(-journal)?|pid)$/.test(name) || name === NODE_HOME_FILE || name.startsWith('.');
}
