/**
 * Event data stores and Lake queries in the metadata store. The stores are few and the recorder
 * asks which of them select data events on every call, so they are followed in memory
 * (FollowedSnapshot: reloaded after writes here, notified by other nodes).
 */
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { ScopedCursors } from '../../../store/meta/scoped-cursors.ts';
import { FollowedSnapshot } from '../../../store/meta/sql/followed-snapshot.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { ARCHIVE_CURSORS } from './schema.ts';

export interface EventDataStore {
  arn: string;
  id: string;
  account: string;
  region: string;
  name: string;
  status: 'ENABLED' | 'PENDING_DELETION';
  advancedEventSelectors: AdvancedEventSelector[];
  multiRegionEnabled: boolean;
  retentionPeriod: number;
  terminationProtectionEnabled: boolean;
  billingMode: 'EXTENDABLE_RETENTION_PRICING' | 'FIXED_RETENTION_PRICING';
  /** Epoch ms. */
  created: number;
  updated: number;
  /**
   * The highest trail_events seq of the creating node's telemetry when the store was created: there
   * it holds only records above it. Sequence numbers are per telemetry store, so other stores'
   * records belong by time instead (source.ts `storeStart`).
   */
  startSeq: number;
  /** The telemetry scope `startSeq` counts in (absent: created before scopes, by the one node there was). */
  startScope?: string;
}

export type QueryStatus = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export interface QueryStats {
  eventsMatched?: number;
  eventsScanned?: number;
  bytesScanned?: number;
  executionTimeInMillis?: number;
}

export interface LakeQuery {
  id: string;
  account: string;
  region: string;
  storeArn: string;
  statement: string;
  status: QueryStatus;
  created: number;
  stats: QueryStats;
  error?: string;
  /** The node running it (env.nodeId): only that node can finish it. */
  node?: string;
}

export interface QueryResult { columns: string[]; rows: unknown[][] }

interface QueryRow { id: string; account: string; region: string; store_arn: string; statement: string; status: QueryStatus; created: number; stats: string; error: string | null; node: string | null }

const CHANNEL = 'cloudtrail_lake_stores';

const loadStores = async (db: MetaDb): Promise<EventDataStore[]> =>
  (await db.all<{ config: string }>('SELECT config FROM cloudtrail_lake_stores ORDER BY account, region, name, arn'))
    .map((r) => JSON.parse(r.config) as EventDataStore);

export class LakeRepo {
  private readonly cursors: ScopedCursors;

  private constructor(private readonly db: MetaDb, private readonly followed: FollowedSnapshot<EventDataStore[]>, readonly scope: string) {
    this.cursors = new ScopedCursors(db, ARCHIVE_CURSORS, scope);
  }

  /** `scope`: this node's telemetry scope (store/telemetry/scope.ts), which keys the archive cursors. */
  static async open(db: MetaDb, scope = 'shared'): Promise<LakeRepo> {
    return new LakeRepo(db, await FollowedSnapshot.open(db, CHANNEL, loadStores), scope);
  }

  close(): void {
    this.followed.close();
  }

  /** Re-reads the stores (another node's change, before its notification arrives). */
  reload(): Promise<void> {
    return this.followed.reload();
  }

  stores(account: string, region: string): EventDataStore[] {
    return this.followed.current().filter((s) => s.account === account && s.region === region);
  }

  store(arn: string): EventDataStore | undefined {
    return this.followed.current().find((s) => s.arn === arn);
  }

  /** Every store, from memory (the recorder's hot path reads it; the same array until a change). */
  allStores(): readonly EventDataStore[] {
    return this.followed.current();
  }

  async tags(arn: string): Promise<Record<string, string>> {
    const row = await this.db.get<{ tags: string }>('SELECT tags FROM cloudtrail_lake_stores WHERE arn = ?', [arn]);
    return row ? (JSON.parse(row.tags) as Record<string, string>) : {};
  }

  async put(s: EventDataStore, tags?: Record<string, string>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO cloudtrail_lake_stores (arn, account, region, name, config, tags) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (arn) DO UPDATE SET name = excluded.name, config = excluded.config`,
      [s.arn, s.account, s.region, s.name, JSON.stringify(s), JSON.stringify(tags ?? {})]);
      await tx.notify(CHANNEL, s.arn);
    });
    await this.followed.reload();
  }

  async remove(arn: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM cloudtrail_lake_stores WHERE arn = ?', [arn]);
      await tx.run('DELETE FROM cloudtrail_lake_queries WHERE store_arn = ?', [arn]);
      await tx.run('DELETE FROM cloudtrail_lake_cursors WHERE arn = ?', [arn]);
      await this.cursors.drop(arn, tx);
      await tx.notify(CHANNEL, arn);
    });
    await this.followed.reload();
  }

  /** The highest seq of this scope's telemetry archived for a store (undefined before its first copy). */
  async cursor(store: Pick<EventDataStore, 'arn' | 'startScope'>): Promise<number | undefined> {
    const scoped = await this.cursors.get(store.arn);
    if (scoped !== undefined || store.startScope !== undefined) return scoped;
    // A store from before per-scope cursors (one node): where that node had got to.
    const row = await this.db.get<{ seq: number }>('SELECT seq FROM cloudtrail_lake_cursors WHERE arn = ?', [store.arn]);
    return row === undefined ? undefined : Number(row.seq);
  }

  async setCursor(arn: string, seq: number): Promise<void> {
    await this.cursors.set(arn, seq);
  }

  async insertQuery(q: LakeQuery): Promise<void> {
    await this.db.run('INSERT INTO cloudtrail_lake_queries (id, account, region, store_arn, statement, status, created, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [q.id, q.account, q.region, q.storeArn, q.statement, q.status, q.created, q.node ?? null]);
  }

  async query(id: string): Promise<LakeQuery | undefined> {
    const row = await this.db.get<QueryRow>('SELECT * FROM cloudtrail_lake_queries WHERE id = ?', [id]);
    return row ? toQuery(row) : undefined;
  }

  async queries(storeArn: string): Promise<LakeQuery[]> {
    return (await this.db.all<QueryRow>('SELECT * FROM cloudtrail_lake_queries WHERE store_arn = ? ORDER BY created DESC, id', [storeArn])).map(toQuery);
  }

  /** Moves a query to `status` unless it already ended (a cancelled query stays cancelled). */
  async setStatus(id: string, status: QueryStatus, extra: { stats?: QueryStats; error?: string; result?: QueryResult } = {}): Promise<boolean> {
    const r = await this.db.run(`UPDATE cloudtrail_lake_queries SET status = ?, stats = coalesce(CAST(? AS TEXT), stats), error = ?, result = coalesce(CAST(? AS TEXT), result)
      WHERE id = ? AND status IN ('QUEUED', 'RUNNING')`,
    [status, extra.stats ? JSON.stringify(extra.stats) : null, extra.error ?? null, extra.result ? JSON.stringify(extra.result) : null, id]);
    return r.changes > 0;
  }

  async result(id: string): Promise<QueryResult | undefined> {
    const row = await this.db.get<{ result: string | null }>('SELECT result FROM cloudtrail_lake_queries WHERE id = ?', [id]);
    return row?.result ? (JSON.parse(row.result) as QueryResult) : undefined;
  }

  /**
   * Fails the unfinished queries of nodes that are gone (a restarted process is a new node): no
   * live node is running them. `live` are the nodes whose heartbeat is current, this one included.
   * Returns how many were failed.
   */
  async failAbandoned(live: readonly string[]): Promise<number> {
    const notLive = live.length ? `node IS NULL OR node NOT IN (${live.map(() => '?').join(', ')})` : '1 = 1';
    const r = await this.db.run(`UPDATE cloudtrail_lake_queries SET status = 'FAILED', error = 'The query was interrupted by a restart of the service.'
      WHERE status IN ('QUEUED', 'RUNNING') AND (${notLive})`, [...live]);
    return r.changes;
  }

  /** Query results are kept 7 days, as CloudTrail Lake keeps them. */
  async dropQueriesBefore(ms: number): Promise<void> {
    await this.db.run('DELETE FROM cloudtrail_lake_queries WHERE created < ?', [ms]);
  }
}

function toQuery(r: QueryRow): LakeQuery {
  return {
    id: r.id, account: r.account, region: r.region, storeArn: r.store_arn, statement: r.statement, status: r.status, created: r.created,
    stats: JSON.parse(r.stats) as QueryStats, ...(r.error ? { error: r.error } : {}), ...(r.node ? { node: r.node } : {}),
  };
}
