import type { Sql } from './sql/types.ts';

/**
 * CloudWatch Logs resource policies (PutResourcePolicy), scoped by account and region. An
 * ACCOUNT policy is keyed by its name; a RESOURCE policy by the log group it is attached to (one
 * per group), and goes away with the group (foreign key, ON DELETE CASCADE).
 */
export type PolicyScope = 'ACCOUNT' | 'RESOURCE';

export interface ResourcePolicyRecord {
  account: string;
  region: string;
  scope: PolicyScope;
  /** The name given to PutResourcePolicy; a RESOURCE policy may have none. */
  policyName: string | null;
  /** RESOURCE only: the log group the policy is attached to, and the ARN the caller gave. */
  logGroup: string | null;
  resourceArn: string | null;
  /** As the caller sent it (PutResourcePolicy echoes it). */
  document: string;
  /** RESOURCE only: changes on every update (expectedRevisionId guards concurrent writers). */
  revisionId: string | null;
  updatedAt: number;
}

export const RESOURCE_POLICIES_SQL = `
  CREATE TABLE log_resource_policies (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    scope TEXT NOT NULL,
    -- the policy name (ACCOUNT) or the log group name (RESOURCE)
    key TEXT NOT NULL,
    policy_name TEXT,
    log_group TEXT,
    resource_arn TEXT,
    document TEXT NOT NULL,
    revision_id TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, region, scope, key),
    FOREIGN KEY (account, region, log_group) REFERENCES log_groups (account, region, name) ON DELETE CASCADE
  ) WITHOUT ROWID;
`;

interface Row {
  account: string;
  region: string;
  scope: string;
  key: string;
  policy_name: string | null;
  log_group: string | null;
  resource_arn: string | null;
  document: string;
  revision_id: string | null;
  updated_at: number;
}

const toRecord = (r: Row): ResourcePolicyRecord => ({
  account: r.account,
  region: r.region,
  scope: r.scope as PolicyScope,
  policyName: r.policy_name,
  logGroup: r.log_group,
  resourceArn: r.resource_arn,
  document: r.document,
  revisionId: r.revision_id,
  updatedAt: r.updated_at,
});

const keyOf = (p: Pick<ResourcePolicyRecord, 'scope' | 'policyName' | 'logGroup'>): string =>
  (p.scope === 'ACCOUNT' ? p.policyName : p.logGroup) ?? '';

export interface ListPoliciesQuery {
  account: string;
  region: string;
  scope: PolicyScope;
  /** RESOURCE: only the policy of this log group. */
  logGroup?: string;
  /** Exclusive lower bound on the key (pagination). */
  after?: string;
  limit: number;
}

export type PutPolicyResult = { ok: true; policy: ResourcePolicyRecord } | { ok: false; reason: 'limit' };

/** On either metadata engine (docs/metadata-store.md). */
export interface ResourcePolicyRepo {
  get(account: string, region: string, scope: PolicyScope, key: string): Promise<ResourcePolicyRecord | undefined>;
  /**
   * Creates or replaces a policy. A new ACCOUNT policy is refused ('limit') when the account
   * already has `maxAccountPolicies` in the region; the count and the insert are one transaction.
   */
  put(p: ResourcePolicyRecord, maxAccountPolicies: number): Promise<PutPolicyResult>;
  list(q: ListPoliciesQuery): Promise<ResourcePolicyRecord[]>;
  /** Every ACCOUNT policy plus the RESOURCE policy of `logGroup`: what decides access to the group. */
  forLogGroup(account: string, region: string, logGroup: string): Promise<ResourcePolicyRecord[]>;
  delete(account: string, region: string, scope: PolicyScope, key: string): Promise<boolean>;
}

const GET = 'SELECT * FROM log_resource_policies WHERE account = ? AND region = ? AND scope = ? AND key = ?';
const COUNT_ACCOUNT = "SELECT COUNT(*) AS n FROM log_resource_policies WHERE account = ? AND region = ? AND scope = 'ACCOUNT'";
const UPSERT = `INSERT INTO log_resource_policies
    (account, region, scope, key, policy_name, log_group, resource_arn, document, revision_id, updated_at)
  VALUES (@account, @region, @scope, @key, @policyName, @logGroup, @resourceArn, @document, @revisionId, @updatedAt)
  ON CONFLICT (account, region, scope, key) DO UPDATE SET
    policy_name = excluded.policy_name, resource_arn = excluded.resource_arn, document = excluded.document,
    revision_id = excluded.revision_id, updated_at = excluded.updated_at`;
const LIST = `SELECT * FROM log_resource_policies WHERE account = @account AND region = @region AND scope = @scope
    AND (@logGroup IS NULL OR log_group = @logGroup) AND (@after IS NULL OR key > @after) ORDER BY key LIMIT @limit`;
const FOR_GROUP = `SELECT * FROM log_resource_policies WHERE account = ? AND region = ?
    AND (scope = 'ACCOUNT' OR (scope = 'RESOURCE' AND key = ?)) ORDER BY scope, key`;
const DELETE = 'DELETE FROM log_resource_policies WHERE account = ? AND region = ? AND scope = ? AND key = ?';
/**
 * PostgreSQL: ACCOUNT-policy puts of one account and region take turns on a transaction-scoped
 * advisory lock, so counting and inserting are atomic across nodes (a row lock cannot guard the
 * count: the new row does not exist yet). SQLite has one writer at a time already.
 */
const LOCK_ACCOUNT_POLICIES = 'SELECT pg_advisory_xact_lock(hashtext(?)) AS locked';

export class ResourcePolicyStore implements ResourcePolicyRepo {
  constructor(private readonly db: Sql) {}

  async get(account: string, region: string, scope: PolicyScope, key: string): Promise<ResourcePolicyRecord | undefined> {
    const r = await this.db.get<Row>(GET, [account, region, scope, key]);
    return r && toRecord(r);
  }

  async put(p: ResourcePolicyRecord, maxAccountPolicies: number): Promise<PutPolicyResult> {
    return this.db.transaction(async (tx): Promise<PutPolicyResult> => {
      const key = keyOf(p);
      if (tx.dialect === 'postgres' && p.scope === 'ACCOUNT') await tx.get(LOCK_ACCOUNT_POLICIES, [`logs-policies/${p.account}/${p.region}`]);
      const exists = (await tx.get(GET, [p.account, p.region, p.scope, key])) !== undefined;
      if (!exists && p.scope === 'ACCOUNT') {
        const { n } = (await tx.get<{ n: number }>(COUNT_ACCOUNT, [p.account, p.region]))!;
        if (n >= maxAccountPolicies) return { ok: false, reason: 'limit' };
      }
      await tx.run(UPSERT, {
        account: p.account,
        region: p.region,
        scope: p.scope,
        key,
        policyName: p.policyName,
        logGroup: p.logGroup,
        resourceArn: p.resourceArn,
        document: p.document,
        revisionId: p.revisionId,
        updatedAt: p.updatedAt,
      });
      return { ok: true, policy: p };
    });
  }

  async list(q: ListPoliciesQuery): Promise<ResourcePolicyRecord[]> {
    const rows = await this.db.all<Row>(LIST, {
      account: q.account, region: q.region, scope: q.scope, logGroup: q.logGroup ?? null, after: q.after ?? null, limit: q.limit,
    });
    return rows.map(toRecord);
  }

  async forLogGroup(account: string, region: string, logGroup: string): Promise<ResourcePolicyRecord[]> {
    return (await this.db.all<Row>(FOR_GROUP, [account, region, logGroup])).map(toRecord);
  }

  async delete(account: string, region: string, scope: PolicyScope, key: string): Promise<boolean> {
    return (await this.db.run(DELETE, [account, region, scope, key])).changes > 0;
  }
}
