import type { Migration } from '../../../store/meta/db.ts';
import { scopedCursorsSql } from '../../../store/meta/scoped-cursors.ts';

/** Trails' tables: ids 1–99. */
export const TRAIL_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'cloudtrail: trails, their tags and delivery progress',
    // A trail's settings and selectors are one JSON document: they are always read and written
    // whole (the repository caches every trail), never queried by member. Delivery progress lives in
    // its own table because delivery writes it often and must not invalidate the trails cache.
    sql: `
      CREATE TABLE cloudtrail_trails (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        UNIQUE (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE cloudtrail_trail_delivery (
        arn TEXT PRIMARY KEY,
        cursor INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT '{}'
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 2,
    name: 'cloudtrail: delivery cursors per telemetry store',
    // Each node with its own embedded telemetry delivers the records it stored, whose sequence
    // numbers are its own: one cursor per (trail, telemetry scope). The old column is read once,
    // as where delivery had got to before (trails/repo.ts).
    sql: scopedCursorsSql('cloudtrail_delivery_cursors'),
  },
];
