/** Contributor Insights rules per (account, region), in the metadata store. */
import type { MetaChanges } from '../../../store/meta/changes.ts';
import type { Migration } from '../../../store/meta/db.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';

export interface Scope { account: string; region: string }

export interface InsightRuleRecord {
  name: string;
  /** New for every rule created, so contributions of a deleted rule never count for a new one of the same name. */
  id: string;
  state: 'ENABLED' | 'DISABLED';
  definition: string;
  applyOnTransformedLogs: boolean;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
}

export const INSIGHT_RULE_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'contributor insights rules',
    sql: `CREATE TABLE cw_insight_rules (
      account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
      state TEXT NOT NULL, definition TEXT NOT NULL, apply_on_transformed INTEGER NOT NULL DEFAULT 0,
      tags TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL,
      PRIMARY KEY (account, region, name))`,
  },
];

type Row = Record<string, unknown>;

/** The "insight rules changed" signal (store/meta/changes.ts). */
export const INSIGHT_RULES_TOPIC = 'cloudwatch.insight-rules';

export class InsightRuleStore {
  /**
   * Bumped after every write, on this node or (through `changes`) another one sharing the store:
   * the ingest hook recompiles its rule cache when it changes.
   */
  version = 0;

  constructor(private readonly db: Sql, private readonly changes?: MetaChanges) {
    changes?.subscribe(INSIGHT_RULES_TOPIC, () => void this.version++);
  }

  private async changed(): Promise<void> {
    this.version++;
    await this.changes?.publish(INSIGHT_RULES_TOPIC);
  }

  async get(scope: Scope, name: string): Promise<InsightRuleRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM cw_insight_rules WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name]);
    return r && toRecord(r);
  }

  async list(scope: Scope): Promise<InsightRuleRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM cw_insight_rules WHERE account = ? AND region = ? ORDER BY name', [scope.account, scope.region])).map(toRecord);
  }

  /** Enabled rules of every scope (the ingest hook's view). */
  async enabled(): Promise<(InsightRuleRecord & Scope)[]> {
    return (await this.db.all<Row>("SELECT * FROM cw_insight_rules WHERE state = 'ENABLED' ORDER BY account, region, name"))
      .map((r) => ({ ...toRecord(r), account: String(r.account), region: String(r.region) }));
  }

  async count(scope: Scope): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM cw_insight_rules WHERE account = ? AND region = ?', [scope.account, scope.region]))!.n);
  }

  async put(scope: Scope, r: InsightRuleRecord): Promise<void> {
    await this.db.run(`INSERT INTO cw_insight_rules (account, region, name, id, state, definition, apply_on_transformed, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET state = excluded.state, definition = excluded.definition,
        apply_on_transformed = excluded.apply_on_transformed, tags = excluded.tags`,
    [scope.account, scope.region, r.name, r.id, r.state, r.definition, r.applyOnTransformedLogs ? 1 : 0, JSON.stringify(r.tags), r.createdAt]);
    await this.changed();
  }

  async setState(scope: Scope, name: string, state: 'ENABLED' | 'DISABLED'): Promise<boolean> {
    const n = (await this.db.run('UPDATE cw_insight_rules SET state = ? WHERE account = ? AND region = ? AND name = ?', [state, scope.account, scope.region, name])).changes;
    await this.changed();
    return n > 0;
  }

  async setTags(scope: Scope, name: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE cw_insight_rules SET tags = ? WHERE account = ? AND region = ? AND name = ?', [JSON.stringify(tags), scope.account, scope.region, name]);
  }

  async delete(scope: Scope, name: string): Promise<boolean> {
    const n = (await this.db.run('DELETE FROM cw_insight_rules WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name])).changes;
    await this.changed();
    return n > 0;
  }
}

const toRecord = (r: Row): InsightRuleRecord => ({
  name: String(r.name), id: String(r.id), state: r.state === 'DISABLED' ? 'DISABLED' : 'ENABLED', definition: String(r.definition),
  applyOnTransformedLogs: Number(r.apply_on_transformed) === 1, tags: JSON.parse(String(r.tags)) as Record<string, string>, createdAt: Number(r.created_at),
});
