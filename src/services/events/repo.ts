/** EventBridge buses, rules and targets: the async repository handlers use, and its SQLite implementation. */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Scope } from '../../lib/arn.ts';
import { PreparedStatements, type Db } from '../../store/meta/db.ts';

export interface Bus {
  name: string;
  createdAt: number;
  modifiedAt: number;
  description?: string;
  kmsKeyId?: string;
  deadLetterArn?: string;
  /** The resource policy document (JSON text), built by Put/RemovePermission or given whole. */
  policy?: string;
  tags: Record<string, string>;
}

export interface Rule {
  bus: string;
  name: string;
  eventPattern?: string;
  schedule?: string;
  state: string;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  createdAt: number;
  tags: Record<string, string>;
}

/** A rule with its targets, as PutEvents and the scheduler need it. */
export interface RuleWithTargets extends Rule {
  account: string;
  region: string;
  targets: Target[];
}

export interface EventsRepo {
  /** The default bus exists in every account and Region; created on first use. */
  ensureDefaultBus(s: Scope, now: number): Promise<void>;
  getBus(s: Scope, name: string): Promise<Bus | undefined>;
  listBuses(s: Scope, o: { prefix?: string; after?: string; limit: number }): Promise<Bus[]>;
  countBuses(s: Scope): Promise<number>;
  createBus(s: Scope, b: Bus): Promise<boolean>;
  updateBus(s: Scope, name: string, patch: Partial<Omit<Bus, 'name' | 'createdAt'>>): Promise<boolean>;
  deleteBus(s: Scope, name: string): Promise<boolean>;
  getRule(s: Scope, bus: string, name: string): Promise<Rule | undefined>;
  listRules(s: Scope, bus: string, o: { prefix?: string; after?: string; limit: number }): Promise<Rule[]>;
  countRules(s: Scope, bus: string): Promise<number>;
  /** Creates or replaces a rule; an existing rule keeps its creation time and tags. */
  putRule(s: Scope, r: Rule): Promise<void>;
  deleteRule(s: Scope, bus: string, name: string): Promise<boolean>;
  setRuleTags(s: Scope, bus: string, name: string, tags: Record<string, string>): Promise<void>;
  listTargets(s: Scope, bus: string, rule: string): Promise<Target[]>;
  /** Adds or replaces targets by Id. */
  putTargets(s: Scope, bus: string, rule: string, targets: Target[]): Promise<void>;
  removeTargets(s: Scope, bus: string, rule: string, ids: string[]): Promise<string[]>;
  ruleNamesByTarget(s: Scope, bus: string, arn: string): Promise<string[]>;
  /** Enabled rules of a bus with their targets. */
  rulesWithTargets(s: Scope, bus: string): Promise<RuleWithTargets[]>;
  /** Enabled scheduled rules of every scope (the scheduler's view). */
  scheduledRules(): Promise<RuleWithTargets[]>;
  /** Moves whenever a rule or target of the scope changes (in any process). */
  generation(s: Scope): Promise<number>;
  /** Counts changes made through this repository (this process): caches of its data drop at once when it moves. */
  readonly localChanges: number;
}

interface BusRow {
  name: string;
  created_at: number;
  modified_at: number;
  description: string | null;
  kms_key_id: string | null;
  dead_letter_arn: string | null;
  policy: string | null;
  tags: string;
}

interface RuleRow {
  account: string;
  region: string;
  bus: string;
  name: string;
  event_pattern: string | null;
  schedule: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  managed_by: string | null;
  created_at: number;
  tags: string;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

const busFrom = (r: BusRow): Bus => ({
  name: r.name, createdAt: r.created_at, modifiedAt: r.modified_at, description: opt(r.description), kmsKeyId: opt(r.kms_key_id),
  deadLetterArn: opt(r.dead_letter_arn), policy: opt(r.policy), tags: JSON.parse(r.tags) as Record<string, string>,
});

const ruleFrom = (r: RuleRow): Rule => ({
  bus: r.bus, name: r.name, eventPattern: opt(r.event_pattern), schedule: opt(r.schedule), state: r.state, description: opt(r.description),
  roleArn: opt(r.role_arn), managedBy: opt(r.managed_by), createdAt: r.created_at, tags: JSON.parse(r.tags) as Record<string, string>,
});

const BUS_COLUMNS: Record<string, string> = {
  modifiedAt: 'modified_at', description: 'description', kmsKeyId: 'kms_key_id', deadLetterArn: 'dead_letter_arn', policy: 'policy', tags: 'tags',
};

export class SqliteEventsRepo implements EventsRepo {
  private readonly statements: PreparedStatements;

  constructor(private readonly db: Db) {
    this.statements = new PreparedStatements(db);
  }

  private stmt(sql: string) {
    return this.statements.get(sql);
  }

  localChanges = 0;

  private bump(s: Scope): void {
    this.localChanges++;
    this.stmt('INSERT INTO events_generation (account, region, gen) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET gen = gen + 1').run(s.account, s.region);
  }

  async ensureDefaultBus(s: Scope, now: number) {
    this.stmt("INSERT OR IGNORE INTO events_buses (account, region, name, created_at, modified_at) VALUES (?, ?, 'default', ?, ?)")
      .run(s.account, s.region, now, now);
  }

  async getBus(s: Scope, name: string) {
    const r = this.stmt('SELECT * FROM events_buses WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as BusRow | undefined;
    return r && busFrom(r);
  }

  async listBuses(s: Scope, o: { prefix?: string; after?: string; limit: number }) {
    const rows = this.db.prepare(
      'SELECT * FROM events_buses WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?',
    ).all(s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.limit) as BusRow[];
    return rows.map(busFrom);
  }

  async countBuses(s: Scope) {
    return (this.stmt('SELECT count(*) AS n FROM events_buses WHERE account = ? AND region = ?').get(s.account, s.region) as { n: number }).n;
  }

  async createBus(s: Scope, b: Bus) {
    return this.db.prepare(
      `INSERT OR IGNORE INTO events_buses (account, region, name, created_at, modified_at, description, kms_key_id, dead_letter_arn, policy, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.account, s.region, b.name, b.createdAt, b.modifiedAt, b.description ?? null, b.kmsKeyId ?? null, b.deadLetterArn ?? null,
      b.policy ?? null, JSON.stringify(b.tags)).changes > 0;
  }

  async updateBus(s: Scope, name: string, patch: Partial<Omit<Bus, 'name' | 'createdAt'>>) {
    const entries = Object.entries(patch).filter(([k]) => BUS_COLUMNS[k] !== undefined);
    if (entries.length === 0) return (await this.getBus(s, name)) !== undefined;
    const sets = entries.map(([k]) => `${BUS_COLUMNS[k]} = ?`).join(', ');
    const values = entries.map(([k, v]) => (k === 'tags' ? JSON.stringify(v) : (v ?? null)) as string | number | null);
    return this.db.prepare(`UPDATE events_buses SET ${sets} WHERE account = ? AND region = ? AND name = ?`).run(...values, s.account, s.region, name).changes > 0;
  }

  async deleteBus(s: Scope, name: string) {
    return this.db.transaction(() => {
      this.bump(s);
      return this.stmt('DELETE FROM events_buses WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name).changes > 0;
    })();
  }

  async getRule(s: Scope, bus: string, name: string) {
    const r = this.stmt('SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?').get(s.account, s.region, bus, name) as RuleRow | undefined;
    return r && ruleFrom(r);
  }

  async listRules(s: Scope, bus: string, o: { prefix?: string; after?: string; limit: number }) {
    const rows = this.db.prepare(
      'SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?',
    ).all(s.account, s.region, bus, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.limit) as RuleRow[];
    return rows.map(ruleFrom);
  }

  async countRules(s: Scope, bus: string) {
    return (this.stmt('SELECT count(*) AS n FROM events_rules WHERE account = ? AND region = ? AND bus = ?').get(s.account, s.region, bus) as { n: number }).n;
  }

  async putRule(s: Scope, r: Rule) {
    this.db.transaction(() => {
      this.bump(s);
      this.db.prepare(
        `INSERT INTO events_rules (account, region, bus, name, event_pattern, schedule, state, description, role_arn, managed_by, created_at, tags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET event_pattern = excluded.event_pattern, schedule = excluded.schedule, state = excluded.state,
           description = excluded.description, role_arn = excluded.role_arn`,
      ).run(s.account, s.region, r.bus, r.name, r.eventPattern ?? null, r.schedule ?? null, r.state, r.description ?? null, r.roleArn ?? null,
        r.managedBy ?? null, r.createdAt, JSON.stringify(r.tags));
    })();
  }

  async deleteRule(s: Scope, bus: string, name: string) {
    return this.db.transaction(() => {
      this.bump(s);
      return this.stmt('DELETE FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?').run(s.account, s.region, bus, name).changes > 0;
    })();
  }

  async setRuleTags(s: Scope, bus: string, name: string, tags: Record<string, string>) {
    this.stmt('UPDATE events_rules SET tags = ? WHERE account = ? AND region = ? AND bus = ? AND name = ?').run(JSON.stringify(tags), s.account, s.region, bus, name);
  }

  async listTargets(s: Scope, bus: string, rule: string) {
    const rows = this.stmt('SELECT spec FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ? ORDER BY id')
      .all(s.account, s.region, bus, rule) as { spec: string }[];
    return rows.map((r) => JSON.parse(r.spec) as Target);
  }

  async putTargets(s: Scope, bus: string, rule: string, targets: Target[]) {
    const put = this.db.prepare(
      'INSERT INTO events_targets (account, region, bus, rule, id, arn, spec) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET arn = excluded.arn, spec = excluded.spec',
    );
    this.db.transaction(() => {
      this.bump(s);
      for (const t of targets) put.run(s.account, s.region, bus, rule, t.Id, t.Arn, JSON.stringify(t));
    })();
  }

  async removeTargets(s: Scope, bus: string, rule: string, ids: string[]) {
    const del = this.stmt('DELETE FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ? AND id = ?');
    return this.db.transaction(() => {
      this.bump(s);
      return ids.filter((id) => del.run(s.account, s.region, bus, rule, id).changes > 0);
    })();
  }

  async ruleNamesByTarget(s: Scope, bus: string, arn: string) {
    const rows = this.stmt('SELECT DISTINCT rule FROM events_targets WHERE account = ? AND region = ? AND arn = ? AND bus = ? ORDER BY rule')
      .all(s.account, s.region, arn, bus) as { rule: string }[];
    return rows.map((r) => r.rule);
  }

  private withTargets(rows: RuleRow[]): RuleWithTargets[] {
    const targets = this.stmt('SELECT spec FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ? ORDER BY id');
    return rows.map((r) => ({
      ...ruleFrom(r), account: r.account, region: r.region,
      targets: (targets.all(r.account, r.region, r.bus, r.name) as { spec: string }[]).map((t) => JSON.parse(t.spec) as Target),
    }));
  }

  async rulesWithTargets(s: Scope, bus: string) {
    const rows = this.stmt("SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND state != 'DISABLED' AND event_pattern IS NOT NULL")
      .all(s.account, s.region, bus) as RuleRow[];
    return this.withTargets(rows);
  }

  async scheduledRules() {
    const rows = this.stmt("SELECT * FROM events_rules WHERE schedule IS NOT NULL AND state != 'DISABLED'").all() as RuleRow[];
    return this.withTargets(rows);
  }

  async generation(s: Scope) {
    const r = this.stmt('SELECT gen FROM events_generation WHERE account = ? AND region = ?').get(s.account, s.region) as { gen: number } | undefined;
    return r?.gen ?? 0;
  }
}
