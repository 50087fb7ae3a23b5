/** Contributor Insights rules per (account, region), in SQLite. */
import type { Db, Migration } from '../../../store/meta/db.ts';
import { PreparedStatements } from '../../../store/meta/db.ts';

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

export class SqliteInsightRuleRepo {
  private readonly st: PreparedStatements;
  /** Bumped on every write: the ingest hook recompiles its rule cache when it changes. */
  version = 0;

  constructor(db: Db) {
    this.st = new PreparedStatements(db);
  }

  get(scope: Scope, name: string): InsightRuleRecord | undefined {
    const r = this.st.get('SELECT * FROM cw_insight_rules WHERE account = ? AND region = ? AND name = ?').get(scope.account, scope.region, name) as Row | undefined;
    return r && toRecord(r);
  }

  list(scope: Scope): InsightRuleRecord[] {
    return (this.st.get('SELECT * FROM cw_insight_rules WHERE account = ? AND region = ? ORDER BY name').all(scope.account, scope.region) as Row[]).map(toRecord);
  }

  /** Enabled rules of every scope (the ingest hook's view). */
  enabled(): (InsightRuleRecord & Scope)[] {
    return (this.st.get("SELECT * FROM cw_insight_rules WHERE state = 'ENABLED'").all() as Row[])
      .map((r) => ({ ...toRecord(r), account: String(r.account), region: String(r.region) }));
  }

  count(scope: Scope): number {
    return (this.st.get('SELECT count(*) AS n FROM cw_insight_rules WHERE account = ? AND region = ?').get(scope.account, scope.region) as { n: number }).n;
  }

  put(scope: Scope, r: InsightRuleRecord): void {
    this.st.get(`INSERT INTO cw_insight_rules (account, region, name, id, state, definition, apply_on_transformed, tags, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET state = excluded.state, definition = excluded.definition,
        apply_on_transformed = excluded.apply_on_transformed, tags = excluded.tags`)
      .run(scope.account, scope.region, r.name, r.id, r.state, r.definition, r.applyOnTransformedLogs ? 1 : 0, JSON.stringify(r.tags), r.createdAt);
    this.version++;
  }

  setState(scope: Scope, name: string, state: 'ENABLED' | 'DISABLED'): boolean {
    const n = this.st.get('UPDATE cw_insight_rules SET state = ? WHERE account = ? AND region = ? AND name = ?').run(state, scope.account, scope.region, name).changes;
    this.version++;
    return n > 0;
  }

  setTags(scope: Scope, name: string, tags: Record<string, string>): void {
    this.st.get('UPDATE cw_insight_rules SET tags = ? WHERE account = ? AND region = ? AND name = ?').run(JSON.stringify(tags), scope.account, scope.region, name);
  }

  delete(scope: Scope, name: string): boolean {
    const n = this.st.get('DELETE FROM cw_insight_rules WHERE account = ? AND region = ? AND name = ?').run(scope.account, scope.region, name).changes;
    this.version++;
    return n > 0;
  }
}

const toRecord = (r: Row): InsightRuleRecord => ({
  name: String(r.name), id: String(r.id), state: r.state === 'DISABLED' ? 'DISABLED' : 'ENABLED', definition: String(r.definition),
  applyOnTransformedLogs: Number(r.apply_on_transformed) === 1, tags: JSON.parse(String(r.tags)) as Record<string, string>, createdAt: Number(r.created_at),
});
