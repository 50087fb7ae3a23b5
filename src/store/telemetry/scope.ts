/**
 * Which telemetry store this node writes and reads, for work that keeps a cursor over telemetry
 * (CloudTrail delivery, metric streams, the alarm-history copy). Nodes sharing a PostgreSQL
 * metadata store either share one ClickHouse server (one scope, `shared`: the work runs on one
 * node under a lease) or each keep an embedded store (one scope per data directory: every node
 * runs the work over its own data, with its own cursors). The embedded store's id is drawn once
 * and kept in the data directory, so it survives restarts and travels with backups.
 */
import { join } from 'node:path';
import { persistentId } from '../../lib/persistent-id.ts';

export interface TelemetryScope {
  /** The key under which cursors over this store are kept. */
  id: string;
  /** Several nodes read and write the same telemetry (a ClickHouse server). */
  shared: boolean;
}

export const SHARED_SCOPE = 'shared';
export const SCOPE_FILE = 'telemetry-scope';

export function telemetryScope(kind: string, dataDir: string): TelemetryScope {
  if (kind !== 'chdb') return { id: SHARED_SCOPE, shared: true };
  // Drawn before any job runs: a cursor is never written under an id that is then lost.
  return { id: persistentId(join(dataDir, SCOPE_FILE)), shared: false };
}
