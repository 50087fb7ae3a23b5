/** Event data stores and Lake queries in SQLite. */
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { PreparedStatements, type Db } from '../../../store/meta/db.ts';

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

export class LakeRepo {
  private readonly st: PreparedStatements;
  /** Bumped on every store write in this process (caches of the store list compare it). */
  version = 0;
  constructor(private readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  stores(account: string, region: string): EventDataStore[] {
    return (this.st.get('SELECT config FROM cloudtrail_lake_stores WHERE account = ? AND region = ? ORDER BY name').all(account, region) as { config: string }[])
      .map((r) => JSON.parse(r.config) as EventDataStore);
  }

  store(arn: string): EventDataStore | undefined {
    const row = this.st.get('SELECT config FROM cloudtrail_lake_stores WHERE arn = ?').get(arn) as { config: string } | undefined;
    return row ? (JSON.parse(row.config) as EventDataStore) : undefined;
  }

  allStores(): EventDataStore[] {
    return (this.st.get('SELECT config FROM cloudtrail_lake_stores').all() as { config: string }[]).map((r) => JSON.parse(r.config) as EventDataStore);
  }

  tags(arn: string): Record<string, string> {
    const row = this.st.get('SELECT tags FROM cloudtrail_lake_stores WHERE arn = ?').get(arn) as { tags: string } | undefined;
    return row ? (JSON.parse(row.tags) as Record<string, string>) : {};
  }

  put(s: EventDataStore, tags?: Record<string, string>): void {
    this.st.get(`INSERT INTO cloudtrail_lake_stores (arn, account, region, name, config, tags) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (arn) DO UPDATE SET name = excluded.name, config = excluded.config`)
      .run(s.arn, s.account, s.region, s.name, JSON.stringify(s), JSON.stringify(tags ?? {}));
    this.version++;
  }

  remove(arn: string): void {
    this.db.transaction(() => {
      this.st.get('DELETE FROM cloudtrail_lake_stores WHERE arn = ?').run(arn);
      this.st.get('DELETE FROM cloudtrail_lake_queries WHERE store_arn = ?').run(arn);
      this.st.get('DELETE FROM cloudtrail_lake_cursors WHERE arn = ?').run(arn);
    })();
    this.version++;
  }

  /** The highest seq archived for a store (undefined before its first copy). */
  cursor(arn: string): number | undefined {
    const row = this.st.get('SELECT seq FROM cloudtrail_lake_cursors WHERE arn = ?').get(arn) as { seq: number } | undefined;
    return row?.seq;
  }

  setCursor(arn: string, seq: number): void {
    this.st.get('INSERT INTO cloudtrail_lake_cursors (arn, seq) VALUES (?, ?) ON CONFLICT (arn) DO UPDATE SET seq = excluded.seq').run(arn, seq);
  }

  insertQuery(q: LakeQuery): void {
    this.st.get('INSERT INTO cloudtrail_lake_queries (id, account, region, store_arn, statement, status, created) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(q.id, q.account, q.region, q.storeArn, q.statement, q.status, q.created);
  }

  query(id: string): LakeQuery | undefined {
    const row = this.st.get('SELECT * FROM cloudtrail_lake_queries WHERE id = ?').get(id) as QueryRow | undefined;
    return row ? toQuery(row) : undefined;
  }

  queries(storeArn: string): LakeQuery[] {
    return (this.st.get('SELECT * FROM cloudtrail_lake_queries WHERE store_arn = ? ORDER BY created DESC, id').all(storeArn) as QueryRow[]).map(toQuery);
  }

  /** Moves a query to `status` unless it already ended (a cancelled query stays cancelled). */
  setStatus(id: string, status: QueryStatus, extra: { stats?: QueryStats; error?: string; result?: QueryResult } = {}): boolean {
    const r = this.st.get(`UPDATE cloudtrail_lake_queries SET status = ?, stats = coalesce(?, stats), error = ?, result = coalesce(?, result)
      WHERE id = ? AND status IN ('QUEUED', 'RUNNING')`)
      .run(status, extra.stats ? JSON.stringify(extra.stats) : null, extra.error ?? null, extra.result ? JSON.stringify(extra.result) : null, id);
    return r.changes > 0;
  }

  result(id: string): QueryResult | undefined {
    const row = this.st.get('SELECT result FROM cloudtrail_lake_queries WHERE id = ?').get(id) as { result: string | null } | undefined;
    return row?.result ? (JSON.parse(row.result) as QueryResult) : undefined;
  }

  /** Queries a previous process left unfinished: they cannot finish now. */
  failUnfinished(): void {
    this.st.get("UPDATE cloudtrail_lake_queries SET status = 'FAILED', error = 'The query was interrupted by a restart of the service.' WHERE status IN ('QUEUED', 'RUNNING')").run();
  }

  /** Query results are kept 7 days, as CloudTrail Lake keeps them. */
  dropQueriesBefore(ms: number): void {
    this.st.get('DELETE FROM cloudtrail_lake_queries WHERE created < ?').run(ms);
  }
}

function toQuery(r: QueryRow): LakeQuery {
  return {
    id: r.id, account: r.account, region: r.region, storeArn: r.store_arn, statement: r.statement, status: r.status, created: r.created,
    stats: JSON.parse(r.stats) as QueryStats, ...(r.error ? { error: r.error } : {}),
  };
}
