/**
 * Metric filters (PutMetricFilter and friends), in the `metric_filters` table. Rows belong to their
 * log group (foreign key, ON DELETE CASCADE: deleting a group deletes its filters, as in AWS).
 * On either metadata engine (docs/metadata-store.md).
 */
import { startsWith } from './prefix.ts';
import { inList } from './sql/in-list.ts';
import { forUpdate } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';
import type { GroupKey } from './logs.ts';

/** MetricTransformation as stored and returned. */
export interface MetricTransformationRecord {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface MetricFilterRecord {
  account: string;
  region: string;
  logGroup: string;
  name: string;
  pattern: string;
  /** Exactly one today (the API allows 1). */
  transformations: MetricTransformationRecord[];
  applyOnTransformedLogs: boolean;
  fieldSelectionCriteria: string | null;
  emitSystemFieldDimensions: string[] | null;
  createdAt: number;
}

export interface ListMetricFiltersQuery {
  account: string;
  region: string;
  logGroup?: string;
  /** Filter-name prefix (case-sensitive). */
  namePrefix?: string;
  /** Both or neither. */
  metric?: { namespace: string; name: string };
  /** Exclusive lower bound in (name, logGroup) order (pagination). */
  after?: { name: string; logGroup: string };
  limit: number;
}

/** Decides, inside the write transaction, whether a filter may be added next to the group's others. Throws to refuse. */
export type AdmitFilter = (others: MetricFilterRecord[]) => void;

export interface MetricFiltersRepo {
  /**
   * Creates or replaces (by group and name) a filter; a replaced filter keeps its creation time.
   * `admit` sees the group's other filters in the same transaction (limits are checked atomically).
   * Returns false when the log group does not exist.
   */
  put(f: MetricFilterRecord, admit?: AdmitFilter): Promise<{ created: boolean } | false>;
  get(k: GroupKey, name: string): Promise<MetricFilterRecord | undefined>;
  delete(k: GroupKey, name: string): Promise<boolean>;
  /** Sorted by filter name, then log group name (byte order, i.e. ASCII). */
  list(q: ListMetricFiltersQuery): Promise<MetricFilterRecord[]>;
  /** Every filter of one group, by name: what ingest applies. */
  listForGroup(k: GroupKey): Promise<MetricFilterRecord[]>;
  /** DescribeLogGroups' metricFilterCount for several groups at once; absent = 0. */
  countByGroup(account: string, region: string, groups: string[]): Promise<Map<string, number>>;
}

/**
 * The metadata migration that creates the table (append it to store/meta/migrations.ts under the
 * next free id). Kept here so tests can set up a database that was migrated without it.
 */
export const METRIC_FILTERS_SQL = `
  CREATE TABLE metric_filters (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    log_group TEXT NOT NULL,
    name TEXT NOT NULL,
    pattern TEXT NOT NULL,
    metric_namespace TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    transformations TEXT NOT NULL,
    apply_on_transformed_logs INTEGER NOT NULL DEFAULT 0,
    field_selection_criteria TEXT,
    emit_system_field_dimensions TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, log_group, name),
    FOREIGN KEY (account, region, log_group) REFERENCES log_groups (account, region, name) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX metric_filters_by_name ON metric_filters (account, region, name, log_group);
  CREATE INDEX metric_filters_by_metric ON metric_filters (account, region, metric_namespace, metric_name);
`;

interface Row {
  account: string;
  region: string;
  log_group: string;
  name: string;
  pattern: string;
  transformations: string;
  apply_on_transformed_logs: number;
  field_selection_criteria: string | null;
  emit_system_field_dimensions: string | null;
  created_at: number;
}

const toRecord = (r: Row): MetricFilterRecord => ({
  account: r.account,
  region: r.region,
  logGroup: r.log_group,
  name: r.name,
  pattern: r.pattern,
  transformations: JSON.parse(r.transformations) as MetricTransformationRecord[],
  applyOnTransformedLogs: r.apply_on_transformed_logs === 1,
  fieldSelectionCriteria: r.field_selection_criteria,
  emitSystemFieldDimensions: r.emit_system_field_dimensions === null ? null : (JSON.parse(r.emit_system_field_dimensions) as string[]),
  createdAt: r.created_at,
});

const GROUP_EXISTS = 'SELECT 1 AS found FROM log_groups WHERE account = ? AND region = ? AND name = ?';
const FOR_GROUP = 'SELECT * FROM metric_filters WHERE account = ? AND region = ? AND log_group = ? ORDER BY name';
const GET = 'SELECT * FROM metric_filters WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const DELETE = 'DELETE FROM metric_filters WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const UPSERT = `INSERT INTO metric_filters
    (account, region, log_group, name, pattern, metric_namespace, metric_name, transformations,
     apply_on_transformed_logs, field_selection_criteria, emit_system_field_dimensions, created_at)
  VALUES (@account, @region, @logGroup, @name, @pattern, @metricNamespace, @metricName, @transformations,
     @applyOnTransformedLogs, @fieldSelectionCriteria, @emitSystemFieldDimensions, @createdAt)
  ON CONFLICT (account, region, log_group, name) DO UPDATE SET
    pattern = excluded.pattern, metric_namespace = excluded.metric_namespace, metric_name = excluded.metric_name,
    transformations = excluded.transformations, apply_on_transformed_logs = excluded.apply_on_transformed_logs,
    field_selection_criteria = excluded.field_selection_criteria,
    emit_system_field_dimensions = excluded.emit_system_field_dimensions`;

export class MetricFiltersStore implements MetricFiltersRepo {
  constructor(private readonly db: Sql) {}

  async put(f: MetricFilterRecord, admit?: AdmitFilter): Promise<{ created: boolean } | false> {
    const t = f.transformations[0];
    if (t === undefined) throw new RangeError('a metric filter needs a metric transformation');
    return this.db.transaction(async (tx) => {
      // Locking the group's row makes `admit` see every other filter of the group on PostgreSQL
      // too (concurrent puts to one group take turns).
      if ((await tx.get(`${GROUP_EXISTS}${forUpdate(tx)}`, [f.account, f.region, f.logGroup])) === undefined) return false as const;
      const all = (await tx.all<Row>(FOR_GROUP, [f.account, f.region, f.logGroup])).map(toRecord);
      const others = all.filter((o) => o.name !== f.name);
      admit?.(others);
      await tx.run(UPSERT, {
        account: f.account,
        region: f.region,
        logGroup: f.logGroup,
        name: f.name,
        pattern: f.pattern,
        metricNamespace: t.metricNamespace,
        metricName: t.metricName,
        transformations: JSON.stringify(f.transformations),
        applyOnTransformedLogs: f.applyOnTransformedLogs ? 1 : 0,
        fieldSelectionCriteria: f.fieldSelectionCriteria,
        emitSystemFieldDimensions: f.emitSystemFieldDimensions === null ? null : JSON.stringify(f.emitSystemFieldDimensions),
        createdAt: f.createdAt,
      });
      return { created: others.length === all.length };
    });
  }

  async get(k: GroupKey, name: string): Promise<MetricFilterRecord | undefined> {
    const row = await this.db.get<Row>(GET, [k.account, k.region, k.name, name]);
    return row && toRecord(row);
  }

  async delete(k: GroupKey, name: string): Promise<boolean> {
    return (await this.db.run(DELETE, [k.account, k.region, k.name, name])).changes === 1;
  }

  async list(q: ListMetricFiltersQuery): Promise<MetricFilterRecord[]> {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit };
    if (q.logGroup !== undefined) {
      where.push('log_group = @logGroup');
      params.logGroup = q.logGroup;
    }
    if (q.namePrefix !== undefined) {
      where.push(startsWith('name', q.namePrefix, params));
    }
    if (q.metric !== undefined) {
      where.push('metric_namespace = @metricNamespace', 'metric_name = @metricName');
      params.metricNamespace = q.metric.namespace;
      params.metricName = q.metric.name;
    }
    if (q.after !== undefined) {
      where.push('(name > @afterName OR (name = @afterName AND log_group > @afterGroup))');
      params.afterName = q.after.name;
      params.afterGroup = q.after.logGroup;
    }
    const rows = await this.db.all<Row>(`SELECT * FROM metric_filters WHERE ${where.join(' AND ')} ORDER BY name, log_group LIMIT @limit`, params);
    return rows.map(toRecord);
  }

  async listForGroup(k: GroupKey): Promise<MetricFilterRecord[]> {
    return (await this.db.all<Row>(FOR_GROUP, [k.account, k.region, k.name])).map(toRecord);
  }

  async countByGroup(account: string, region: string, groups: string[]): Promise<Map<string, number>> {
    if (groups.length === 0) return new Map();
    const names = inList(groups);
    const rows = await this.db.all<{ log_group: string; n: number }>(`SELECT log_group, COUNT(*) AS n FROM metric_filters
      WHERE account = ? AND region = ? AND log_group IN ${names.sql} GROUP BY log_group`, [account, region, ...names.params]);
    return new Map(rows.map((r) => [r.log_group, r.n]));
  }
}
