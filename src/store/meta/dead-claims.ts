/**
 * At start, the work a data directory's dead processes had claimed per item — outbox rows being
 * delivered, schedule occurrences being fired, export tasks running — is made claimable again at
 * once instead of when each claim lapses (up to a minute). Which claims are dead: on SQLite every one (one process per
 * data directory, and this one holds its lock); on a shared store those whose owner id starts with
 * a predecessor's `host:pid:` (owner ids are `host:pid:random`, lib/owner-id.ts; a predecessor is a
 * node of this data directory, store/meta/nodes.ts `takeOver`). Run before any job claims anything.
 * Released outbox rows are due again in creation order; released occurrences fire again (at least
 * once, as after a lapsed claim).
 */
import { ExportTaskStore } from './export-tasks.ts';
import type { Sql } from './sql/types.ts';

/** `host:pid:` of a node id `host:pid:random` (the prefix its workers' owner ids share). */
export const processPrefixOf = (nodeId: string): string => nodeId.slice(0, nodeId.lastIndexOf(':') + 1);

export async function releaseDeadClaims(db: Sql, owners: 'all' | readonly string[]): Promise<{ outbox: number; timers: number; exports: number }> {
  const tasks = new ExportTaskStore(db);
  const released = { outbox: 0, timers: 0, exports: owners === 'all' ? await tasks.releaseAll() : await tasks.releaseOwnedBy(owners.filter((p) => p !== '')) };
  const filters: { sql: string; params: unknown[] }[] = owners === 'all'
    ? [{ sql: 'lease_owner IS NOT NULL', params: [] }]
    : owners.filter((p) => p !== '').map((p) => ({ sql: 'substr(lease_owner, 1, ?) = ?', params: [p.length, p] }));
  for (const f of filters) {
    released.outbox += (await db.run(`UPDATE outbox SET lease_owner = NULL, lease_until = 0, next_attempt_at = created_at WHERE ${f.sql}`, f.params)).changes;
    released.timers += (await db.run(`UPDATE timers SET lease_owner = NULL, lease_until = 0 WHERE ${f.sql}`, f.params)).changes;
  }
  return released;
}
