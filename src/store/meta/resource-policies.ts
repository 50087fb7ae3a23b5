import type { Db } from './db.ts';

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

/**
 * Async signatures so a PostgreSQL implementation can stand in; the SQLite one answers
 * synchronously underneath (sub-millisecond statements).
 */
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

export class SqliteResourcePolicyRepo implements ResourcePolicyRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      get: db.prepare('SELECT * FROM log_resource_policies WHERE account = ? AND region = ? AND scope = ? AND key = ?'),
      countAccount: db.prepare("SELECT COUNT(*) AS n FROM log_resource_policies WHERE account = ? AND region = ? AND scope = 'ACCOUNT'"),
      upsert: db.prepare(`INSERT INTO log_resource_policies
          (account, region, scope, key, policy_name, log_group, resource_arn, document, revision_id, updated_at)
        VALUES (@account, @region, @scope, @key, @policyName, @logGroup, @resourceArn, @document, @revisionId, @updatedAt)
        ON CONFLICT (account, region, scope, key) DO UPDATE SET
          policy_name = excluded.policy_name, resource_arn = excluded.resource_arn, document = excluded.document,
          revision_id = excluded.revision_id, updated_at = excluded.updated_at`),
      list: db.prepare(`SELECT * FROM log_resource_policies WHERE account = @account AND region = @region AND scope = @scope
          AND (@logGroup IS NULL OR log_group = @logGroup) AND (@after IS NULL OR key > @after) ORDER BY key LIMIT @limit`),
      forGroup: db.prepare(`SELECT * FROM log_resource_policies WHERE account = ? AND region = ?
          AND (scope = 'ACCOUNT' OR (scope = 'RESOURCE' AND key = ?)) ORDER BY scope, key`),
      delete: db.prepare('DELETE FROM log_resource_policies WHERE account = ? AND region = ? AND scope = ? AND key = ?'),
    };
  }

  async get(account: string, region: string, scope: PolicyScope, key: string): Promise<ResourcePolicyRecord | undefined> {
    const r = this.stmts.get.get(account, region, scope, key) as Row | undefined;
    return r && toRecord(r);
  }

  async put(p: ResourcePolicyRecord, maxAccountPolicies: number): Promise<PutPolicyResult> {
    return this.db.transaction((): PutPolicyResult => {
      const key = keyOf(p);
      const exists = this.stmts.get.get(p.account, p.region, p.scope, key) !== undefined;
      if (!exists && p.scope === 'ACCOUNT') {
        const { n } = this.stmts.countAccount.get(p.account, p.region) as { n: number };
        if (n >= maxAccountPolicies) return { ok: false, reason: 'limit' };
      }
      this.stmts.upsert.run({ ...p, key });
      return { ok: true, policy: p };
    })();
  }

  async list(q: ListPoliciesQuery): Promise<ResourcePolicyRecord[]> {
    const rows = this.stmts.list.all({
      account: q.account, region: q.region, scope: q.scope, logGroup: q.logGroup ?? null, after: q.after ?? null, limit: q.limit,
    }) as Row[];
    return rows.map(toRecord);
  }

  async forLogGroup(account: string, region: string, logGroup: string): Promise<ResourcePolicyRecord[]> {
    return (this.stmts.forGroup.all(account, region, logGroup) as Row[]).map(toRecord);
  }

  async delete(account: string, region: string, scope: PolicyScope, key: string): Promise<boolean> {
    return this.stmts.delete.run(account, region, scope, key).changes > 0;
  }
}
