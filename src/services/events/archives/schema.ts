/**
 * Archives, their events and replays (events module migration 2).
 *
 * - An archive has a surrogate `id` (AUTOINCREMENT, so a deleted archive's id is never reused): its
 *   events hang off the id, not the name, so deleting an archive and creating one of the same name
 *   starts empty at once, and the retention job purges the old events in batches instead of
 *   DeleteArchive blocking on a large delete. Hence no foreign key from events to archives.
 * - `seq` orders events that share an event time (insertion order) and is the replay cursor's
 *   tie-breaker. EventCount / SizeBytes are counters kept in the same transactions as the rows.
 * - A replay keeps its cursor (event time + seq of the last event dispatched) and a lease, so it
 *   resumes after a restart and runs in one process at a time.
 */
import type { Migration } from '../../../store/meta/db.ts';

export const ARCHIVES_MIGRATION: Migration = {
  id: 2,
  name: 'events: archives and replays',
  sql: `
    CREATE TABLE events_archives (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      bus TEXT NOT NULL,
      description TEXT,
      event_pattern TEXT,
      retention_days INTEGER,
      kms_key_id TEXT,
      state TEXT NOT NULL,
      state_reason TEXT,
      created_at INTEGER NOT NULL,
      event_count INTEGER NOT NULL DEFAULT 0,
      size_bytes INTEGER NOT NULL DEFAULT 0,
      UNIQUE (account, region, name)
    );
    CREATE INDEX events_archives_by_bus ON events_archives (account, region, bus);
    CREATE TABLE events_archived (
      seq INTEGER PRIMARY KEY,
      archive_id INTEGER NOT NULL,
      event_time INTEGER NOT NULL,
      archived_at INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      event TEXT NOT NULL
    );
    CREATE INDEX events_archived_by_time ON events_archived (archive_id, event_time, seq);
    CREATE INDEX events_archived_by_age ON events_archived (archive_id, archived_at);
    -- Deleted archives whose events are still being purged.
    CREATE TABLE events_archive_purges (archive_id INTEGER PRIMARY KEY);
    CREATE TABLE events_replays (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      archive_id INTEGER NOT NULL,
      archive_name TEXT NOT NULL,
      bus TEXT NOT NULL,
      description TEXT,
      filter_arns TEXT,
      event_start INTEGER NOT NULL,
      event_end INTEGER NOT NULL,
      state TEXT NOT NULL,
      state_reason TEXT,
      started_at INTEGER NOT NULL,
      ended_at INTEGER,
      last_replayed INTEGER,
      cursor_time INTEGER,
      cursor_seq INTEGER,
      lease_owner TEXT,
      lease_until INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (account, region, name)
    ) WITHOUT ROWID;
    CREATE INDEX events_replays_active ON events_replays (state) WHERE state IN ('STARTING', 'RUNNING', 'CANCELLING');
    CREATE INDEX events_replays_ended ON events_replays (ended_at) WHERE ended_at IS NOT NULL;
  `,
};
