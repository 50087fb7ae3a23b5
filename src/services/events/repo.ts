/** EventBridge buses, rules and targets: the async repository handlers use, and its implementation on the metadata store (SQLite or PostgreSQL). */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Scope } from '../../lib/arn.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

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
  /** The sum of every scope's generation (the rule scheduler's cue to resync). */
  totalGeneration(): Promise<number>;
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

interface TargetRow {
  account: string;
  region: string;
  bus: string;
  rule: string;
  spec: string;
}

const ruleKey = (account: string, region: string, bus: string, rule: string) => [account, region, bus, rule].join('\u0000');

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

export class EventsStore implements EventsRepo {
  constructor(private readonly db: Sql) {}

  localChanges = 0;

  private async bump(tx: Sql, s: Scope): Promise<void> {
    this.localChanges++;
    await tx.run('INSERT INTO events_generation (account, region, gen) VALUES (?, ?, 1) ON CONFLICT (account, region) DO UPDATE SET gen = events_generation.gen + 1',
      [s.account, s.region]);
  }

  async ensureDefaultBus(s: Scope, now: number) {
    await this.db.run("INSERT INTO events_buses (account, region, name, created_at, modified_at) VALUES (?, ?, 'default', ?, ?) ON CONFLICT DO NOTHING",
      [s.account, s.region, now, now]);
  }

  async getBus(s: Scope, name: string) {
    const r = await this.db.get<BusRow>('SELECT * FROM events_buses WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && busFrom(r);
  }

  async listBuses(s: Scope, o: { prefix?: string; after?: string; limit: number }) {
    const rows = await this.db.all<BusRow>(
      'SELECT * FROM events_buses WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?',
      [s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.limit]);
    return rows.map(busFrom);
  }

  async countBuses(s: Scope) {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM events_buses WHERE account = ? AND region = ?', [s.account, s.region]))!.n;
  }

  async createBus(s: Scope, b: Bus) {
    return (await this.db.run(
      `INSERT INTO events_buses (account, region, name, created_at, modified_at, description, kms_key_id, dead_letter_arn, policy, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [s.account, s.region, b.name, b.createdAt, b.modifiedAt, b.description ?? null, b.kmsKeyId ?? null, b.deadLetterArn ?? null,
        b.policy ?? null, JSON.stringify(b.tags)])).changes > 0;
  }

  async updateBus(s: Scope, name: string, patch: Partial<Omit<Bus, 'name' | 'createdAt'>>) {
    const entries = Object.entries(patch).filter(([k]) => BUS_COLUMNS[k] !== undefined);
    if (entries.length === 0) return (await this.getBus(s, name)) !== undefined;
    const sets = entries.map(([k]) => `${BUS_COLUMNS[k]} = ?`).join(', ');
    const values = entries.map(([k, v]) => (k === 'tags' ? JSON.stringify(v) : (v ?? null)) as string | number | null);
    return (await this.db.run(`UPDATE events_buses SET ${sets} WHERE account = ? AND region = ? AND name = ?`, [...values, s.account, s.region, name])).changes > 0;
  }

  async deleteBus(s: Scope, name: string) {
    return this.db.transaction(async (tx) => {
      await this.bump(tx, s);
      return (await tx.run('DELETE FROM events_buses WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes > 0;
    });
  }

  async getRule(s: Scope, bus: string, name: string) {
    const r = await this.db.get<RuleRow>('SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?', [s.account, s.region, bus, name]);
    return r && ruleFrom(r);
  }

  async listRules(s: Scope, bus: string, o: { prefix?: string; after?: string; limit: number }) {
    const rows = await this.db.all<RuleRow>(
      'SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?',
      [s.account, s.region, bus, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.limit]);
    return rows.map(ruleFrom);
  }

  async countRules(s: Scope, bus: string) {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM events_rules WHERE account = ? AND region = ? AND bus = ?', [s.account, s.region, bus]))!.n;
  }

  async putRule(s: Scope, r: Rule) {
    await this.db.transaction(async (tx) => {
      await this.bump(tx, s);
      await tx.run(
        `INSERT INTO events_rules (account, region, bus, name, event_pattern, schedule, state, description, role_arn, managed_by, created_at, tags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account, region, bus, name) DO UPDATE SET event_pattern = excluded.event_pattern, schedule = excluded.schedule, state = excluded.state,
           description = excluded.description, role_arn = excluded.role_arn`,
        [s.account, s.region, r.bus, r.name, r.eventPattern ?? null, r.schedule ?? null, r.state, r.description ?? null, r.roleArn ?? null,
          r.managedBy ?? null, r.createdAt, JSON.stringify(r.tags)]);
    });
  }

  async deleteRule(s: Scope, bus: string, name: string) {
    return this.db.transaction(async (tx) => {
      await this.bump(tx, s);
      return (await tx.run('DELETE FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND name = ?', [s.account, s.region, bus, name])).changes > 0;
    });
  }

  async setRuleTags(s: Scope, bus: string, name: string, tags: Record<string, string>) {
    await this.db.run('UPDATE events_rules SET tags = ? WHERE account = ? AND region = ? AND bus = ? AND name = ?', [JSON.stringify(tags), s.account, s.region, bus, name]);
  }

  async listTargets(s: Scope, bus: string, rule: string) {
    const rows = await this.db.all<{ spec: string }>('SELECT spec FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ? ORDER BY id',
      [s.account, s.region, bus, rule]);
    return rows.map((r) => JSON.parse(r.spec) as Target);
  }

  async putTargets(s: Scope, bus: string, rule: string, targets: Target[]) {
    await this.db.transaction(async (tx) => {
      await this.bump(tx, s);
      for (const t of targets) {
        await tx.run(
          `INSERT INTO events_targets (account, region, bus, rule, id, arn, spec) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (account, region, bus, rule, id) DO UPDATE SET arn = excluded.arn, spec = excluded.spec`,
          [s.account, s.region, bus, rule, t.Id, t.Arn, JSON.stringify(t)]);
      }
    });
  }

  async removeTargets(s: Scope, bus: string, rule: string, ids: string[]) {
    return this.db.transaction(async (tx) => {
      await this.bump(tx, s);
      const removed: string[] = [];
      for (const id of ids) {
        const r = await tx.run('DELETE FROM events_targets WHERE account = ? AND region = ? AND bus = ? AND rule = ? AND id = ?', [s.account, s.region, bus, rule, id]);
        if (r.changes > 0) removed.push(id);
      }
      return removed;
    });
  }

  async ruleNamesByTarget(s: Scope, bus: string, arn: string) {
    const rows = await this.db.all<{ rule: string }>('SELECT DISTINCT rule FROM events_targets WHERE account = ? AND region = ? AND arn = ? AND bus = ? ORDER BY rule',
      [s.account, s.region, arn, bus]);
    return rows.map((r) => r.rule);
  }

  /** The rules with their targets, the targets read in one statement (not one per rule). */
  private withTargets(rows: RuleRow[], targets: TargetRow[]): RuleWithTargets[] {
    const byRule = new Map<string, Target[]>();
    for (const t of targets) {
      const key = ruleKey(t.account, t.region, t.bus, t.rule);
      let list = byRule.get(key);
      if (!list) byRule.set(key, (list = []));
      list.push(JSON.parse(t.spec) as Target);
    }
    return rows.map((r) => ({ ...ruleFrom(r), account: r.account, region: r.region, targets: byRule.get(ruleKey(r.account, r.region, r.bus, r.name)) ?? [] }));
  }

  async rulesWithTargets(s: Scope, bus: string) {
    const rows = await this.db.all<RuleRow>("SELECT * FROM events_rules WHERE account = ? AND region = ? AND bus = ? AND state != 'DISABLED' AND event_pattern IS NOT NULL",
      [s.account, s.region, bus]);
    if (rows.length === 0) return [];
    const targets = await this.db.all<TargetRow>(
      `SELECT t.account, t.region, t.bus, t.rule, t.spec FROM events_targets t JOIN events_rules r
         ON r.account = t.account AND r.region = t.region AND r.bus = t.bus AND r.name = t.rule
       WHERE t.account = ? AND t.region = ? AND t.bus = ? AND r.state != 'DISABLED' AND r.event_pattern IS NOT NULL ORDER BY t.rule, t.id`,
      [s.account, s.region, bus]);
    return this.withTargets(rows, targets);
  }

  async scheduledRules() {
    const rows = await this.db.all<RuleRow>("SELECT * FROM events_rules WHERE schedule IS NOT NULL AND state != 'DISABLED'");
    if (rows.length === 0) return [];
    const targets = await this.db.all<TargetRow>(
      `SELECT t.account, t.region, t.bus, t.rule, t.spec FROM events_targets t JOIN events_rules r
         ON r.account = t.account AND r.region = t.region AND r.bus = t.bus AND r.name = t.rule
       WHERE r.schedule IS NOT NULL AND r.state != 'DISABLED' ORDER BY t.account, t.region, t.bus, t.rule, t.id`);
    return this.withTargets(rows, targets);
  }

  async generation(s: Scope) {
    const r = await this.db.get<{ gen: number }>('SELECT gen FROM events_generation WHERE account = ? AND region = ?', [s.account, s.region]);
    return r?.gen ?? 0;
  }

  async totalGeneration() {
    return (await this.db.get<{ g: number }>('SELECT coalesce(sum(gen), 0) AS g FROM events_generation'))!.g;
  }
}
