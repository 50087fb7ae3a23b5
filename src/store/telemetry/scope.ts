/**
 * Which telemetry store this node writes and reads, for work that keeps a cursor over telemetry
 * (CloudTrail delivery, metric streams, the alarm-history copy). Nodes sharing a PostgreSQL
 * metadata store either share one ClickHouse server (one scope, `shared`: the work runs on one
 * node under a lease) or each keep an embedded store (one scope per data directory: every node
 * runs the work over its own data, with its own cursors). The embedded store's id is drawn once
 * and kept in the data directory, so it survives restarts and travels with backups.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  const file = join(dataDir, SCOPE_FILE);
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16}$/.test(id)) return { id, shared: false };
  }
  const id = randomBytes(8).toString('hex');
  // Synchronous and before any job runs: a cursor is never written under an id that is then lost.
  writeFileSync(file, `${id}\n`, { flush: true });
  return { id, shared: false };
}
