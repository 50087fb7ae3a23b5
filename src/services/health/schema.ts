/**
 * Osprey's incidents as AWS Health events, one row each (one affected entity per incident: the
 * component). Installation-wide, so not keyed by account: who may read them is decided at read
 * time (audience.ts). Append-only migrations.
 */
import type { Migration } from '../../store/meta/db.ts';

export const HEALTH_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'health_events',
    sql: `
      CREATE TABLE health_events (
        arn TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        type_code TEXT NOT NULL,
        category TEXT NOT NULL,
        region TEXT NOT NULL,
        entity TEXT NOT NULL,
        description TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER,
        last_updated INTEGER NOT NULL
      );
      CREATE INDEX health_events_start ON health_events (start_time);
      CREATE TABLE health_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
    `,
  },
];
