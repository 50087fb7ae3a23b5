/**
 * Event data stores and Lake queries in the metadata store. The stores are few and the recorder
 * asks which of them select data events on every call, so they are followed in memory
 * (FollowedSnapshot: reloaded after writes here, notified by other nodes).
 */
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { FollowedSnapshot } from '../../../store/meta/sql/followed-snapshot.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';

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
  /** The highest trail_events seq when the store was created: it holds only records above it. */
  startSeq: number;
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
}

export interface QueryResult { columns: string[]; rows: unknown[][] }

interface QueryRow { id: string; account: string; region: string; store_arn: string; statement: string; status: QueryStatus; created: number; stats: string; error: string | null }

const CHANNEL = 'cloudtrail_lake_stores';

const loadStores = async (db: MetaDb): Promise<EventDataStore[]> =>
  (await db.all<{ config: string }>('SELECT config FROM cloudtrail_lake_stores ORDER BY account, region, name, arn'))
    .map((r) => JSON.parse(r.config) as EventDataStore);

export class LakeRepo {
  private constructor(private readonly db: MetaDb, private readonly followed: FollowedSnapshot<EventDataStore[]>) {}

  static async open(db: MetaDb): Promise<LakeRepo> {
    return new LakeRepo(db, await FollowedSnapshot.open(db, CHANNEL, loadStores));
  }

  close(): void {
    this.followed.close();
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
      await tx.notify(CHANNEL, arn);
    });
    await this.followed.reload();
  }

  /** The highest seq archived for a store (undefined before its first copy). */
  async cursor(arn: string): Promise<number | undefined> {
    return (await this.db.get<{ seq: number }>('SELECT seq FROM cloudtrail_lake_cursors WHERE arn = ?', [arn]))?.seq;
  }

  async setCursor(arn: string, seq: number): Promise<void> {
    await this.db.run('INSERT INTO cloudtrail_lake_cursors (arn, seq) VALUES (?, ?) ON CONFLICT (arn) DO UPDATE SET seq = excluded.seq', [arn, seq]);
  }

  async insertQuery(q: LakeQuery): Promise<void> {
    await this.db.run('INSERT INTO cloudtrail_lake_queries (id, account, region, store_arn, statement, status, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [q.id, q.account, q.region, q.storeArn, q.statement, q.status, q.created]);
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
   * Queries a previous process left unfinished: they cannot finish now. Only on SQLite (one process
   * per data directory): on a shared store the running queries may be other live nodes'.
   */
  async failUnfinished(): Promise<void> {
    if (this.db.dialect !== 'sqlite') return;
    await this.db.run("UPDATE cloudtrail_lake_queries SET status = 'FAILED', error = 'The query was interrupted by a restart of the service.' WHERE status IN ('QUEUED', 'RUNNING')");
  }

  /** Query results are kept 7 days, as CloudTrail Lake keeps them. */
  async dropQueriesBefore(ms: number): Promise<void> {
    await this.db.run('DELETE FROM cloudtrail_lake_queries WHERE created < ?', [ms]);
  }
}

function toQuery(r: QueryRow): LakeQuery {
  return {
    id: r.id, account: r.account, region: r.region, storeArn: r.store_arn, statement: r.statement, status: r.status, created: r.created,
    stats: JSON.parse(r.stats) as QueryStats, ...(r.error ? { error: r.error } : {}),
  };
}
