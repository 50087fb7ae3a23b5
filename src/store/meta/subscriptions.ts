import { startsWith } from './prefix.ts';
import { forUpdate } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';
import type { GroupKey } from './logs.ts';

export type Distribution = 'ByLogStream' | 'Random';

export interface SubscriptionFilterRecord {
  account: string;
  region: string;
  logGroup: string;
  name: string;
  filterPattern: string;
  destinationArn: string;
  roleArn: string | null;
  distribution: Distribution;
  applyOnTransformedLogs: boolean;
  createdAt: number;
}

export interface DestinationKey {
  account: string;
  region: string;
  name: string;
}

export interface DestinationRecord extends DestinationKey {
  targetArn: string;
  roleArn: string;
  accessPolicy: string | null;
  tags: Record<string, string>;
  createdAt: number;
}

export interface PutFilterResult {
  outcome: 'created' | 'updated' | 'limit';
  /** The filter as it was before an update. */
  previous?: SubscriptionFilterRecord;
}

export interface ListFiltersQuery {
  account: string;
  region: string;
  logGroup: string;
  prefix?: string;
  /** Exclusive lower bound on name (pagination). */
  after?: string;
  limit: number;
}

export interface ListDestinationsQuery {
  account: string;
  region: string;
  prefix?: string;
  after?: string;
  limit: number;
}

/** Subscription filters (per log group) and cross-account destinations (per account and region). */
export interface SubscriptionsRepo {
  /**
   * Creates or replaces the filter named `f.name`. Creating is refused (`limit`) when the group
   * already has `maxPerGroup` filters; counting and inserting happen in one transaction. An update
   * keeps the original creation time.
   */
  putFilter(f: SubscriptionFilterRecord, maxPerGroup: number): Promise<PutFilterResult>;
  getFilter(k: GroupKey, name: string): Promise<SubscriptionFilterRecord | undefined>;
  /** Sorted by name. */
  listFilters(q: ListFiltersQuery): Promise<SubscriptionFilterRecord[]>;
  /** Every filter of a group (at most a handful): what the ingest path evaluates. */
  filtersForGroup(k: GroupKey): Promise<SubscriptionFilterRecord[]>;
  deleteFilter(k: GroupKey, name: string): Promise<boolean>;

  /** Creates or updates target, role (and tags when given); the access policy and creation time stay. */
  putDestination(d: Omit<DestinationRecord, 'accessPolicy'>): Promise<DestinationRecord>;
  getDestination(k: DestinationKey): Promise<DestinationRecord | undefined>;
  setDestinationPolicy(k: DestinationKey, accessPolicy: string): Promise<boolean>;
  /** Replaces the destination's tags (TagResource / UntagResource); false when it does not exist. */
  setDestinationTags(k: DestinationKey, tags: Record<string, string>): Promise<boolean>;
  listDestinations(q: ListDestinationsQuery): Promise<DestinationRecord[]>;
  deleteDestination(k: DestinationKey): Promise<boolean>;
}

/**
 * The schema, for the migration entry in migrations.ts (and for tests that run before it is
 * wired). Once shipped it is frozen: schema changes go in a new migration, never here.
 */
export const SUBSCRIPTIONS_SQL = `
  CREATE TABLE log_subscription_filters (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    log_group TEXT NOT NULL,
    name TEXT NOT NULL,
    filter_pattern TEXT NOT NULL,
    destination_arn TEXT NOT NULL,
    role_arn TEXT,
    distribution TEXT NOT NULL DEFAULT 'ByLogStream',
    apply_on_transformed_logs INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, log_group, name),
    FOREIGN KEY (account, region, log_group) REFERENCES log_groups (account, region, name) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE TABLE log_destinations (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    target_arn TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    access_policy TEXT,
    tags TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, name)
  ) WITHOUT ROWID;
`;

interface FilterRow {
  account: string;
  region: string;
  log_group: string;
  name: string;
  filter_pattern: string;
  destination_arn: string;
  role_arn: string | null;
  distribution: string;
  apply_on_transformed_logs: number;
  created_at: number;
}

interface DestinationRow {
  account: string;
  region: string;
  name: string;
  target_arn: string;
  role_arn: string;
  access_policy: string | null;
  tags: string;
  created_at: number;
}

const toFilter = (r: FilterRow): SubscriptionFilterRecord => ({
  account: r.account,
  region: r.region,
  logGroup: r.log_group,
  name: r.name,
  filterPattern: r.filter_pattern,
  destinationArn: r.destination_arn,
  roleArn: r.role_arn,
  distribution: r.distribution as Distribution,
  applyOnTransformedLogs: r.apply_on_transformed_logs === 1,
  createdAt: r.created_at,
});

const toDestination = (r: DestinationRow): DestinationRecord => ({
  account: r.account,
  region: r.region,
  name: r.name,
  targetArn: r.target_arn,
  roleArn: r.role_arn,
  accessPolicy: r.access_policy,
  tags: JSON.parse(r.tags) as Record<string, string>,
  createdAt: r.created_at,
});

const FILTER_COLUMNS = 'account, region, log_group, name, filter_pattern, destination_arn, role_arn, distribution, apply_on_transformed_logs, created_at';
const GET_FILTER = `SELECT ${FILTER_COLUMNS} FROM log_subscription_filters WHERE account = ? AND region = ? AND log_group = ? AND name = ?`;
const COUNT_FILTERS = 'SELECT COUNT(*) AS n FROM log_subscription_filters WHERE account = ? AND region = ? AND log_group = ?';
const UPSERT_FILTER = `INSERT INTO log_subscription_filters
    (account, region, log_group, name, filter_pattern, destination_arn, role_arn, distribution, apply_on_transformed_logs, created_at)
  VALUES (@account, @region, @logGroup, @name, @filterPattern, @destinationArn, @roleArn, @distribution, @applyOnTransformedLogs, @createdAt)
  ON CONFLICT (account, region, log_group, name) DO UPDATE SET
    filter_pattern = excluded.filter_pattern, destination_arn = excluded.destination_arn, role_arn = excluded.role_arn,
    distribution = excluded.distribution, apply_on_transformed_logs = excluded.apply_on_transformed_logs`;
const GROUP_FILTERS = `SELECT ${FILTER_COLUMNS} FROM log_subscription_filters WHERE account = ? AND region = ? AND log_group = ? ORDER BY name`;
const DELETE_FILTER = 'DELETE FROM log_subscription_filters WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const GET_DESTINATION = 'SELECT * FROM log_destinations WHERE account = ? AND region = ? AND name = ?';
const UPSERT_DESTINATION = `INSERT INTO log_destinations (account, region, name, target_arn, role_arn, tags, created_at)
  VALUES (@account, @region, @name, @targetArn, @roleArn, @tags, @createdAt)
  ON CONFLICT (account, region, name) DO UPDATE SET
    target_arn = excluded.target_arn, role_arn = excluded.role_arn,
    tags = CASE WHEN @tagsGiven = 1 THEN excluded.tags ELSE log_destinations.tags END
  RETURNING *`;
const SET_POLICY = 'UPDATE log_destinations SET access_policy = ? WHERE account = ? AND region = ? AND name = ?';
const SET_TAGS = 'UPDATE log_destinations SET tags = ? WHERE account = ? AND region = ? AND name = ?';
const DELETE_DESTINATION = 'DELETE FROM log_destinations WHERE account = ? AND region = ? AND name = ?';

export class SubscriptionsStore implements SubscriptionsRepo {
  constructor(private readonly db: Sql) {}

  async putFilter(f: SubscriptionFilterRecord, maxPerGroup: number): Promise<PutFilterResult> {
    return this.db.transaction(async (tx): Promise<PutFilterResult> => {
      // The group's row is the lock that makes count-then-insert atomic on PostgreSQL: two new
      // filters of one group otherwise both count below the limit and both insert.
      await tx.get(`SELECT name FROM log_groups WHERE account = ? AND region = ? AND name = ?${forUpdate(tx)}`, [f.account, f.region, f.logGroup]);
      const prevRow = await tx.get<FilterRow>(GET_FILTER, [f.account, f.region, f.logGroup, f.name]);
      if (!prevRow) {
        const { n } = (await tx.get<{ n: number }>(COUNT_FILTERS, [f.account, f.region, f.logGroup]))!;
        if (n >= maxPerGroup) return { outcome: 'limit' };
      }
      await tx.run(UPSERT_FILTER, {
        account: f.account,
        region: f.region,
        logGroup: f.logGroup,
        name: f.name,
        filterPattern: f.filterPattern,
        destinationArn: f.destinationArn,
        roleArn: f.roleArn,
        distribution: f.distribution,
        applyOnTransformedLogs: f.applyOnTransformedLogs ? 1 : 0,
        createdAt: f.createdAt,
      });
      return prevRow ? { outcome: 'updated', previous: toFilter(prevRow) } : { outcome: 'created' };
    });
  }

  async getFilter(k: GroupKey, name: string): Promise<SubscriptionFilterRecord | undefined> {
    const row = await this.db.get<FilterRow>(GET_FILTER, [k.account, k.region, k.name, name]);
    return row && toFilter(row);
  }

  async listFilters(q: ListFiltersQuery): Promise<SubscriptionFilterRecord[]> {
    const where = ['account = @account', 'region = @region', 'log_group = @logGroup'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, logGroup: q.logGroup, limit: q.limit };
    if (q.prefix !== undefined) {
      where.push(startsWith('name', q.prefix, params));
    }
    if (q.after !== undefined) {
      where.push('name > @after');
      params.after = q.after;
    }
    const rows = await this.db.all<FilterRow>(`SELECT ${FILTER_COLUMNS} FROM log_subscription_filters WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit`, params);
    return rows.map(toFilter);
  }

  async filtersForGroup(k: GroupKey): Promise<SubscriptionFilterRecord[]> {
    return (await this.db.all<FilterRow>(GROUP_FILTERS, [k.account, k.region, k.name])).map(toFilter);
  }

  async deleteFilter(k: GroupKey, name: string): Promise<boolean> {
    return (await this.db.run(DELETE_FILTER, [k.account, k.region, k.name, name])).changes === 1;
  }

  async putDestination(d: Omit<DestinationRecord, 'accessPolicy'>): Promise<DestinationRecord> {
    const row = await this.db.get<DestinationRow>(UPSERT_DESTINATION, {
      account: d.account,
      region: d.region,
      name: d.name,
      targetArn: d.targetArn,
      roleArn: d.roleArn,
      tags: JSON.stringify(d.tags),
      tagsGiven: Object.keys(d.tags).length > 0 ? 1 : 0,
      createdAt: d.createdAt,
    });
    return toDestination(row!);
  }

  async getDestination(k: DestinationKey): Promise<DestinationRecord | undefined> {
    const row = await this.db.get<DestinationRow>(GET_DESTINATION, [k.account, k.region, k.name]);
    return row && toDestination(row);
  }

  async setDestinationPolicy(k: DestinationKey, accessPolicy: string): Promise<boolean> {
    return (await this.db.run(SET_POLICY, [accessPolicy, k.account, k.region, k.name])).changes === 1;
  }

  async setDestinationTags(k: DestinationKey, tags: Record<string, string>): Promise<boolean> {
    return (await this.db.run(SET_TAGS, [JSON.stringify(tags), k.account, k.region, k.name])).changes === 1;
  }

  async listDestinations(q: ListDestinationsQuery): Promise<DestinationRecord[]> {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit };
    if (q.prefix !== undefined) {
      where.push(startsWith('name', q.prefix, params));
    }
    if (q.after !== undefined) {
      where.push('name > @after');
      params.after = q.after;
    }
    const rows = await this.db.all<DestinationRow>(`SELECT * FROM log_destinations WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit`, params);
    return rows.map(toDestination);
  }

  async deleteDestination(k: DestinationKey): Promise<boolean> {
    return (await this.db.run(DELETE_DESTINATION, [k.account, k.region, k.name])).changes === 1;
  }
}
