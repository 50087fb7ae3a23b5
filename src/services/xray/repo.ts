/** X-Ray's metadata: groups and sampling rules, per (account, region), in SQLite. */
import type { Db } from '../../store/meta/sqlite.ts';

export interface GroupRecord {
  name: string;
  arn: string;
  filterExpression?: string;
  insightsEnabled: boolean;
  notificationsEnabled: boolean;
}

export interface SamplingRuleRecord {
  name: string;
  arn: string;
  /** The SamplingRule as the API returns it (JSON), without RuleName/RuleARN. */
  rule: Record<string, unknown>;
  createdAt: number;
  modifiedAt: number;
}

type Scope = { account: string; region: string };

export interface XrayRepo {
  groups(scope: Scope): GroupRecord[];
  group(scope: Scope, name: string): GroupRecord | undefined;
  putGroup(scope: Scope, g: GroupRecord): void;
  deleteGroup(scope: Scope, name: string): boolean;
  rules(scope: Scope): SamplingRuleRecord[];
  rule(scope: Scope, name: string): SamplingRuleRecord | undefined;
  putRule(scope: Scope, r: SamplingRuleRecord): void;
  deleteRule(scope: Scope, name: string): boolean;
  /** A resource's tags, by key. */
  tags(scope: Scope, arn: string): Record<string, string>;
  /** Sets these tags (others stay), all or none. */
  putTags(scope: Scope, arn: string, tags: Record<string, string>): void;
  /** Removes these keys; `undefined`: every tag (the resource was deleted). */
  removeTags(scope: Scope, arn: string, keys?: readonly string[]): void;
  /** The KMS key ARN new trace data is sealed with, or undefined (Type NONE). */
  encryptionKey(scope: Scope): string | undefined;
  setEncryptionKey(scope: Scope, keyArn: string | undefined): void;
}

export class SqliteXrayRepo implements XrayRepo {
  private readonly encryption = new Map<string, string | undefined>();

  constructor(private readonly db: Db) {}

  groups(scope: Scope): GroupRecord[] {
    return this.db.prepare('SELECT * FROM xray_groups WHERE account = ? AND region = ? ORDER BY name').all(scope.account, scope.region).map(toGroup);
  }
  group(scope: Scope, name: string): GroupRecord | undefined {
    const row = this.db.prepare('SELECT * FROM xray_groups WHERE account = ? AND region = ? AND name = ?').get(scope.account, scope.region, name);
    return row ? toGroup(row) : undefined;
  }
  putGroup(scope: Scope, g: GroupRecord): void {
    this.db.prepare(`INSERT INTO xray_groups (account, region, name, arn, filter_expression, insights_enabled, notifications_enabled)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, name) DO UPDATE SET filter_expression = excluded.filter_expression,
      insights_enabled = excluded.insights_enabled, notifications_enabled = excluded.notifications_enabled`)
      .run(scope.account, scope.region, g.name, g.arn, g.filterExpression ?? null, g.insightsEnabled ? 1 : 0, g.notificationsEnabled ? 1 : 0);
  }
  deleteGroup(scope: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM xray_groups WHERE account = ? AND region = ? AND name = ?').run(scope.account, scope.region, name).changes > 0;
  }
  rules(scope: Scope): SamplingRuleRecord[] {
    return this.db.prepare('SELECT * FROM xray_sampling_rules WHERE account = ? AND region = ? ORDER BY name').all(scope.account, scope.region).map(toRule);
  }
  rule(scope: Scope, name: string): SamplingRuleRecord | undefined {
    const row = this.db.prepare('SELECT * FROM xray_sampling_rules WHERE account = ? AND region = ? AND name = ?').get(scope.account, scope.region, name);
    return row ? toRule(row) : undefined;
  }
  putRule(scope: Scope, r: SamplingRuleRecord): void {
    this.db.prepare(`INSERT INTO xray_sampling_rules (account, region, name, arn, rule, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET rule = excluded.rule, modified_at = excluded.modified_at`)
      .run(scope.account, scope.region, r.name, r.arn, JSON.stringify(r.rule), r.createdAt, r.modifiedAt);
  }
  deleteRule(scope: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM xray_sampling_rules WHERE account = ? AND region = ? AND name = ?').run(scope.account, scope.region, name).changes > 0;
  }
  tags(scope: Scope, arn: string): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM xray_tags WHERE account = ? AND region = ? AND arn = ? ORDER BY key').all(scope.account, scope.region, arn) as Row[];
    return Object.fromEntries(rows.map((r) => [r.key as string, r.value as string]));
  }
  putTags(scope: Scope, arn: string, tags: Record<string, string>): void {
    const put = this.db.prepare('INSERT INTO xray_tags (account, region, arn, key, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, region, arn, key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(tags)) put.run(scope.account, scope.region, arn, k, v);
    })();
  }
  encryptionKey(scope: Scope): string | undefined {
    // Read on every stored batch: cached per scope (this repo is its only writer).
    const key = `${scope.account}/${scope.region}`;
    if (!this.encryption.has(key)) {
      const row = this.db.prepare('SELECT key_id FROM xray_encryption WHERE account = ? AND region = ?').get(scope.account, scope.region) as Row | undefined;
      this.encryption.set(key, typeof row?.key_id === 'string' ? row.key_id : undefined);
    }
    return this.encryption.get(key);
  }
  setEncryptionKey(scope: Scope, keyArn: string | undefined): void {
    this.db.prepare('INSERT INTO xray_encryption (account, region, key_id) VALUES (?, ?, ?) ON CONFLICT (account, region) DO UPDATE SET key_id = excluded.key_id')
      .run(scope.account, scope.region, keyArn ?? null);
    this.encryption.set(`${scope.account}/${scope.region}`, keyArn);
  }
  removeTags(scope: Scope, arn: string, keys?: readonly string[]): void {
    if (keys === undefined) {
      this.db.prepare('DELETE FROM xray_tags WHERE account = ? AND region = ? AND arn = ?').run(scope.account, scope.region, arn);
      return;
    }
    const del = this.db.prepare('DELETE FROM xray_tags WHERE account = ? AND region = ? AND arn = ? AND key = ?');
    this.db.transaction(() => {
      for (const k of keys) del.run(scope.account, scope.region, arn, k);
    })();
  }
}

type Row = Record<string, unknown>;

function toGroup(r: unknown): GroupRecord {
  const row = r as Row;
  return {
    name: row.name as string, arn: row.arn as string,
    ...(row.filter_expression != null ? { filterExpression: row.filter_expression as string } : {}),
    insightsEnabled: row.insights_enabled === 1, notificationsEnabled: row.notifications_enabled === 1,
  };
}

function toRule(r: unknown): SamplingRuleRecord {
  const row = r as Row;
  return {
    name: row.name as string, arn: row.arn as string, rule: JSON.parse(row.rule as string) as Record<string, unknown>,
    createdAt: row.created_at as number, modifiedAt: row.modified_at as number,
  };
}
