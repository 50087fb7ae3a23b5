/**
 * Contributor Insights contributions in ClickHouse: one row per log event a rule counted (the
 * event's time, the rule, the contributor's key values and the value it adds — 1 for Count rules).
 * Rows are derived when events are ingested (rules apply to events ingested after they are
 * created, as in CloudWatch) and written before the PutLogEvents that carried them is answered;
 * GetInsightRuleReport and INSIGHT_RULE_METRIC aggregate them here. Kept 15 days, like the
 * reports CloudWatch keeps.
 */
import type { SqlEngine } from './engine.ts';
import { GroupCommitter } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';

export const INSIGHT_CONTRIBUTIONS_TABLE = 'insight_contributions';

export interface ContributionRow {
  account: string;
  region: string;
  /** The rule's id (a new id per PutInsightRule that creates it, so a re-created rule starts empty). */
  rule: string;
  /** Event time, epoch ms. */
  ts: number;
  /** The contributor: its key values as a JSON array. */
  key: string;
  value: number;
}

export const INSIGHT_CONTRIBUTIONS_MIGRATION = {
  id: '0015_insight_contributions',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${INSIGHT_CONTRIBUTIONS_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      rule String,
      ts Int64 CODEC(Delta, ZSTD(1)),
      key String CODEC(ZSTD(1)),
      value Float64
    ) ENGINE = MergeTree
    PARTITION BY intDiv(ts, 86400000)
    ORDER BY (account, region, rule, ts)
    TTL toDateTime(intDiv(ts, 1000)) + INTERVAL 15 DAY`,
  ],
};

export interface ReportScope {
  account: string;
  region: string;
  rule: string;
  /** Epoch ms, inclusive / exclusive. */
  start: number;
  end: number;
  /** Seconds. */
  period: number;
  /** Where periods are counted from, epoch ms (≤ start); default 0. */
  origin?: number;
}

export interface ContributorTotal {
  key: string;
  total: number;
  /** The contributor's largest single-period value. */
  peak: number;
}

export interface PeriodStats {
  /** Bucket start, epoch ms. */
  at: number;
  unique: number;
  maxContributor: number;
  samples: number;
  sum: number;
  min: number;
  max: number;
}

const WHERE = `account = {account:String} AND region = {region:String} AND rule = {rule:String} AND ts >= {start:Int64} AND ts < {end:Int64}`;
/** Periods start at `origin` (the epoch for reports; a GetMetricData grid's start for its series). */
const BUCKET = `{origin:Int64} + intDiv(ts - {origin:Int64}, {periodMs:Int64}) * {periodMs:Int64}`;

export class InsightContributionStore {
  private readonly committer: GroupCommitter<ContributionRow>;

  constructor(private readonly engine: SqlEngine) {
    this.committer = new GroupCommitter<ContributionRow>(
      (payload) => engine.insert(INSIGHT_CONTRIBUTIONS_TABLE, ['account', 'region', 'rule', 'ts', 'key', 'value'], payload, 'JSONCompactEachRow'),
      encodeRows, { maxQueuedBytes: 64 * 1024 * 1024 },
    );
  }

  append(rows: readonly ContributionRow[]): Promise<void> {
    return rows.length === 0 ? Promise.resolve() : this.committer.append(rows as ContributionRow[]);
  }

  close(): Promise<void> {
    return this.committer.close();
  }

  /** The top `limit` contributors by their total (or by their largest period value). */
  async top(s: ReportScope, limit: number, orderBy: 'Sum' | 'Maximum'): Promise<ContributorTotal[]> {
    const rows = await this.engine.query<{ key: string; total: number; peak: number }>(
      `SELECT key, sum(v) AS total, max(v) AS peak FROM (
         SELECT key, ${BUCKET} AS b, sum(value) AS v FROM ${INSIGHT_CONTRIBUTIONS_TABLE} WHERE ${WHERE} GROUP BY key, b)
       GROUP BY key ORDER BY ${orderBy === 'Maximum' ? 'peak' : 'total'} DESC, key LIMIT {limit:UInt32}`,
      { ...params(s), limit },
    );
    return rows.map((r) => ({ key: r.key, total: Number(r.total), peak: Number(r.peak) }));
  }

  /** Per period values of these contributors. */
  async series(s: ReportScope, keys: readonly string[]): Promise<{ key: string; at: number; value: number }[]> {
    if (keys.length === 0) return [];
    const rows = await this.engine.query<{ key: string; b: string | number; v: number }>(
      `SELECT key, ${BUCKET} AS b, sum(value) AS v FROM ${INSIGHT_CONTRIBUTIONS_TABLE}
       WHERE ${WHERE} AND key IN {keys:Array(String)} GROUP BY key, b ORDER BY b`,
      { ...params(s), keys: [...keys] },
    );
    return rows.map((r) => ({ key: r.key, at: Number(r.b), value: Number(r.v) }));
  }

  /** The whole window: the aggregate value and the number of distinct contributors. */
  async summary(s: ReportScope): Promise<{ total: number; unique: number }> {
    const [r] = await this.engine.query<{ total: number; unique: string | number }>(
      `SELECT sum(value) AS total, uniqExact(key) AS unique FROM ${INSIGHT_CONTRIBUTIONS_TABLE} WHERE ${WHERE}`, params(s),
    );
    return { total: Number(r?.total ?? 0), unique: Number(r?.unique ?? 0) };
  }

  /** The rule's metrics per period (only periods with contributions). */
  async periods(s: ReportScope): Promise<PeriodStats[]> {
    const rows = await this.engine.query<Record<string, string | number>>(
      `SELECT b, count() AS unique, max(v) AS max_contributor, sum(n) AS samples, sum(v) AS sum, min(lo) AS min, max(hi) AS max FROM (
         SELECT ${BUCKET} AS b, key, sum(value) AS v, count() AS n, min(value) AS lo, max(value) AS hi
         FROM ${INSIGHT_CONTRIBUTIONS_TABLE} WHERE ${WHERE} GROUP BY b, key)
       GROUP BY b ORDER BY b`,
      params(s),
    );
    return rows.map((r) => ({
      at: Number(r.b), unique: Number(r.unique), maxContributor: Number(r.max_contributor), samples: Number(r.samples),
      sum: Number(r.sum), min: Number(r.min), max: Number(r.max),
    }));
  }

  /** Drops a deleted rule's rows. */
  async deleteRule(account: string, region: string, rule: string): Promise<void> {
    await this.engine.exec(`DELETE FROM ${INSIGHT_CONTRIBUTIONS_TABLE} WHERE account = {account:String} AND region = {region:String} AND rule = {rule:String}`,
      { account, region, rule });
  }
}

const params = (s: ReportScope) => ({ account: s.account, region: s.region, rule: s.rule, start: s.start, end: s.end, periodMs: s.period * 1000, origin: s.origin ?? 0 });

function encodeRows(rows: readonly ContributionRow[], out: PayloadWriter): void {
  for (const r of rows) {
    out.write(`[${jsonString(r.account)},${jsonString(r.region)},${jsonString(r.rule)},${Math.trunc(r.ts)},${jsonString(r.key)},${r.value}]\n`);
  }
}
