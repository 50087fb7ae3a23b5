import { inListNamed } from './sql/in-list.ts';
import type { Sql } from './sql/types.ts';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface InsightsQueryRecord {
  queryId: string;
  account: string;
  region: string;
  queryString: string;
  logGroups: string[];
  status: QueryStatus;
  createdAt: number;
  durationMs: number | null;
  results: { field: string; value: string }[][] | null;
  statistics: QueryStatistics | null;
  error: string | null;
}

interface Row {
  query_id: string;
  account: string;
  region: string;
  query_string: string;
  log_groups: string;
  status: QueryStatus;
  created_at: number;
  duration_ms: number | null;
  results: string | null;
  statistics: string | null;
  error: string | null;
}

const toRecord = (r: Row): InsightsQueryRecord => ({
  queryId: r.query_id,
  account: r.account,
  region: r.region,
  queryString: r.query_string,
  logGroups: JSON.parse(r.log_groups) as string[],
  status: r.status,
  createdAt: r.created_at,
  durationMs: r.duration_ms,
  results: r.results === null ? null : (JSON.parse(r.results) as InsightsQueryRecord['results']),
  statistics: r.statistics === null ? null : (JSON.parse(r.statistics) as QueryStatistics),
  error: r.error,
});

export type NewInsightsQuery = Pick<InsightsQueryRecord, 'queryId' | 'account' | 'region' | 'queryString' | 'logGroups' | 'createdAt'>;
export type QueryOutcome = Partial<Pick<InsightsQueryRecord, 'durationMs' | 'results' | 'statistics' | 'error'>>;

/** Logs Insights queries and their results, kept so GetQueryResults/DescribeQueries survive restarts. */
export interface InsightsQueryRepo {
  /** A new query, in status Scheduled. */
  insert(q: NewInsightsQuery): Promise<void>;
  get(account: string, region: string, queryId: string): Promise<InsightsQueryRecord | undefined>;
  /** Moves a query to `status` only from one of `from` (so a cancelled query never turns Complete). */
  transition(queryId: string, from: QueryStatus[], status: QueryStatus, fields?: QueryOutcome): Promise<boolean>;
  /** Queries of this account and region, newest first. */
  list(account: string, region: string, status: QueryStatus | undefined, limit: number, offset: number): Promise<InsightsQueryRecord[]>;
  /** Start-up: queries that were in flight when the process stopped can no longer finish. */
  failInterrupted(): Promise<number>;
  /** AWS keeps query results for 7 days. */
  purgeOlderThan(cutoff: number): Promise<number>;
}

const INSERT = `INSERT INTO insights_queries (query_id, account, region, query_string, log_groups, status, created_at)
  VALUES (?, ?, ?, ?, ?, 'Scheduled', ?)`;
const GET = 'SELECT * FROM insights_queries WHERE account = ? AND region = ? AND query_id = ?';
const LIST = `SELECT * FROM insights_queries WHERE account = ? AND region = ? AND (? IS NULL OR status = ?)
  ORDER BY created_at DESC, query_id LIMIT ? OFFSET ?`;
const FAIL_INTERRUPTED = `UPDATE insights_queries SET status = 'Failed', error = 'Interrupted by a server restart' WHERE status IN ('Scheduled', 'Running')`;
const PURGE = 'DELETE FROM insights_queries WHERE created_at < ?';

export class InsightsQueryStore implements InsightsQueryRepo {
  constructor(private readonly db: Sql) {}

  async insert(q: NewInsightsQuery): Promise<void> {
    await this.db.run(INSERT, [q.queryId, q.account, q.region, q.queryString, JSON.stringify(q.logGroups), q.createdAt]);
  }

  async get(account: string, region: string, queryId: string): Promise<InsightsQueryRecord | undefined> {
    const r = await this.db.get<Row>(GET, [account, region, queryId]);
    return r && toRecord(r);
  }

  async transition(queryId: string, from: QueryStatus[], status: QueryStatus, fields: QueryOutcome = {}): Promise<boolean> {
    const statuses = inListNamed('from', from);
    const res = await this.db.run(`UPDATE insights_queries SET status = @status,
        duration_ms = COALESCE(@durationMs, duration_ms), results = COALESCE(@results, results),
        statistics = COALESCE(@statistics, statistics), error = COALESCE(@error, error)
      WHERE query_id = @queryId AND status IN ${statuses.sql}`, {
      ...statuses.params,
      queryId,
      status,
      durationMs: fields.durationMs ?? null,
      results: fields.results ? JSON.stringify(fields.results) : null,
      statistics: fields.statistics ? JSON.stringify(fields.statistics) : null,
      error: fields.error ?? null,
    });
    return res.changes === 1;
  }

  async list(account: string, region: string, status: QueryStatus | undefined, limit: number, offset: number): Promise<InsightsQueryRecord[]> {
    const rows = await this.db.all<Row>(LIST, [account, region, status ?? null, status ?? null, limit, offset]);
    return rows.map(toRecord);
  }

  async failInterrupted(): Promise<number> {
    return (await this.db.run(FAIL_INTERRUPTED)).changes;
  }

  async purgeOlderThan(cutoff: number): Promise<number> {
    return (await this.db.run(PURGE, [cutoff])).changes;
  }
}
