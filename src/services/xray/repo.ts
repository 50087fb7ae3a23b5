/** X-Ray's metadata: groups and sampling rules, per (account, region), in the metadata store (SQLite or PostgreSQL). */
import type { MetaChanges } from '../../store/meta/changes.ts';
import { inList } from '../../store/meta/sql/in-list.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

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
  groups(scope: Scope): Promise<GroupRecord[]>;
  group(scope: Scope, name: string): Promise<GroupRecord | undefined>;
  putGroup(scope: Scope, g: GroupRecord): Promise<void>;
  deleteGroup(scope: Scope, name: string): Promise<boolean>;
  rules(scope: Scope): Promise<SamplingRuleRecord[]>;
  rule(scope: Scope, name: string): Promise<SamplingRuleRecord | undefined>;
  putRule(scope: Scope, r: SamplingRuleRecord): Promise<void>;
  deleteRule(scope: Scope, name: string): Promise<boolean>;
  /** A resource's tags, by key. */
  tags(scope: Scope, arn: string): Promise<Record<string, string>>;
  /** Sets these tags (others stay), all or none. */
  putTags(scope: Scope, arn: string, tags: Record<string, string>): Promise<void>;
  /** Removes these keys; `undefined`: every tag (the resource was deleted). */
  removeTags(scope: Scope, arn: string, keys?: readonly string[]): Promise<void>;
  /** The KMS key ARN new trace data is sealed with, or undefined (Type NONE). */
  encryptionKey(scope: Scope): Promise<string | undefined>;
  setEncryptionKey(scope: Scope, keyArn: string | undefined): Promise<void>;
}

/** The "a scope's encryption config changed" signal (store/meta/changes.ts); key: `account/region`. */
export const XRAY_ENCRYPTION_TOPIC = 'xray.encryption';

export class XrayStore implements XrayRepo {
  private readonly encryption = new Map<string, string | undefined>();
  /** Bumped by every drop: a key read before a drop is returned but not cached (it may be stale). */
  private generation = 0;

  constructor(private readonly db: Sql, private readonly changes?: MetaChanges) {
    // Another node's PutEncryptionConfig: re-read the scope's key on the next stored batch.
    changes?.subscribe(XRAY_ENCRYPTION_TOPIC, (key) => {
      this.generation++;
      if (key === undefined) this.encryption.clear();
      else this.encryption.delete(key);
    });
  }

  async groups(scope: Scope): Promise<GroupRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM xray_groups WHERE account = ? AND region = ? ORDER BY name', [scope.account, scope.region])).map(toGroup);
  }
  async group(scope: Scope, name: string): Promise<GroupRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM xray_groups WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name]);
    return row ? toGroup(row) : undefined;
  }
  async putGroup(scope: Scope, g: GroupRecord): Promise<void> {
    await this.db.run(`INSERT INTO xray_groups (account, region, name, arn, filter_expression, insights_enabled, notifications_enabled)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, region, name) DO UPDATE SET filter_expression = excluded.filter_expression,
      insights_enabled = excluded.insights_enabled, notifications_enabled = excluded.notifications_enabled`,
    [scope.account, scope.region, g.name, g.arn, g.filterExpression ?? null, g.insightsEnabled ? 1 : 0, g.notificationsEnabled ? 1 : 0]);
  }
  async deleteGroup(scope: Scope, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM xray_groups WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name])).changes > 0;
  }
  async rules(scope: Scope): Promise<SamplingRuleRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM xray_sampling_rules WHERE account = ? AND region = ? ORDER BY name', [scope.account, scope.region])).map(toRule);
  }
  async rule(scope: Scope, name: string): Promise<SamplingRuleRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM xray_sampling_rules WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name]);
    return row ? toRule(row) : undefined;
  }
  async putRule(scope: Scope, r: SamplingRuleRecord): Promise<void> {
    await this.db.run(`INSERT INTO xray_sampling_rules (account, region, name, arn, rule, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET rule = excluded.rule, modified_at = excluded.modified_at`,
    [scope.account, scope.region, r.name, r.arn, JSON.stringify(r.rule), r.createdAt, r.modifiedAt]);
  }
  async deleteRule(scope: Scope, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM xray_sampling_rules WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name])).changes > 0;
  }
  async tags(scope: Scope, arn: string): Promise<Record<string, string>> {
    const rows = await this.db.all<Row>('SELECT key, value FROM xray_tags WHERE account = ? AND region = ? AND arn = ? ORDER BY key', [scope.account, scope.region, arn]);
    return Object.fromEntries(rows.map((r) => [r.key as string, r.value as string]));
  }
  async putTags(scope: Scope, arn: string, tags: Record<string, string>): Promise<void> {
    const entries = Object.entries(tags);
    if (entries.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const [k, v] of entries) {
        await tx.run('INSERT INTO xray_tags (account, region, arn, key, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, region, arn, key) DO UPDATE SET value = excluded.value',
          [scope.account, scope.region, arn, k, v]);
      }
    });
  }
  async encryptionKey(scope: Scope): Promise<string | undefined> {
    // Read on every stored batch: cached per scope, dropped by a change on any node.
    const key = `${scope.account}/${scope.region}`;
    if (this.encryption.has(key)) return this.encryption.get(key);
    const generation = this.generation;
    const row = await this.db.get<Row>('SELECT key_id FROM xray_encryption WHERE account = ? AND region = ?', [scope.account, scope.region]);
    const keyArn = typeof row?.key_id === 'string' ? row.key_id : undefined;
    if (generation === this.generation) this.encryption.set(key, keyArn);
    return keyArn;
  }
  async setEncryptionKey(scope: Scope, keyArn: string | undefined): Promise<void> {
    await this.db.run('INSERT INTO xray_encryption (account, region, key_id) VALUES (?, ?, ?) ON CONFLICT (account, region) DO UPDATE SET key_id = excluded.key_id',
      [scope.account, scope.region, keyArn ?? null]);
    const key = `${scope.account}/${scope.region}`;
    await this.changes?.publish(XRAY_ENCRYPTION_TOPIC, key);
    this.encryption.set(key, keyArn);
  }
  async removeTags(scope: Scope, arn: string, keys?: readonly string[]): Promise<void> {
    if (keys === undefined) {
      await this.db.run('DELETE FROM xray_tags WHERE account = ? AND region = ? AND arn = ?', [scope.account, scope.region, arn]);
      return;
    }
    if (keys.length === 0) return;
    const list = inList(keys);
    await this.db.run(`DELETE FROM xray_tags WHERE account = ? AND region = ? AND arn = ? AND key IN ${list.sql}`, [scope.account, scope.region, arn, ...list.params]);
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
