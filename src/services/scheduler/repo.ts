/** Scheduler's repository: the async interface handlers and the runner use, and its SQLite implementation. */
import type { FlexibleTimeWindow, Target } from '@aws-sdk/client-scheduler';
import type { Scope } from '../../lib/arn.ts';
import { PreparedStatements, type Db } from '../../store/meta/db.ts';

export interface GroupRecord {
  name: string;
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
}

export interface ScheduleRecord {
  group: string;
  name: string;
  expression: string;
  timezone?: string;
  startDate?: number;
  endDate?: number;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  kmsKeyArn?: string;
  target: Target;
  flexibleWindow: FlexibleTimeWindow;
  actionAfterCompletion: 'NONE' | 'DELETE';
  createdAt: number;
  modifiedAt: number;
  /** New on every create and update: the runner's timers notice changes by it. */
  revision: string;
}

export type StoredSchedule = ScheduleRecord & Scope;

export interface ScheduleQuery {
  group?: string;
  prefix?: string;
  state?: string;
  /** Resume after this (name, group) pair. */
  after?: { name: string; group: string };
  limit: number;
}

export interface SchedulerRepo {
  /** The `default` group always exists: created (with this time) on first use in a scope. */
  ensureDefaultGroup(s: Scope, now: number): Promise<void>;
  group(s: Scope, name: string): Promise<GroupRecord | undefined>;
  /** Groups by name, names > `after`. */
  listGroups(s: Scope, q: { prefix?: string; after?: string; limit: number }): Promise<GroupRecord[]>;
  countGroups(s: Scope): Promise<number>;
  /** false when the name is taken. */
  insertGroup(s: Scope, g: GroupRecord): Promise<boolean>;
  /** Deletes the group and its schedules. */
  deleteGroup(s: Scope, name: string): Promise<boolean>;
  setGroupTags(s: Scope, name: string, tags: Record<string, string>): Promise<void>;
  schedule(s: Scope, group: string, name: string): Promise<ScheduleRecord | undefined>;
  /** Schedules in (name, group) order. */
  listSchedules(s: Scope, q: ScheduleQuery): Promise<ScheduleRecord[]>;
  countSchedules(s: Scope): Promise<number>;
  /** false when the name is taken in the group. */
  insertSchedule(s: Scope, r: ScheduleRecord): Promise<boolean>;
  /** false when the schedule is gone. */
  updateSchedule(s: Scope, r: ScheduleRecord): Promise<boolean>;
  deleteSchedule(s: Scope, group: string, name: string): Promise<boolean>;
  /** Every enabled schedule of every scope (the runner's sync). */
  enabledSchedules(): Promise<StoredSchedule[]>;
  /** Changes with every schedule write. */
  generation(): Promise<number>;
  token(s: Scope, token: string): Promise<{ operation: string; resource: string } | undefined>;
  /** Remembers a token for a day (SDK retries reuse it within seconds). */
  recordToken(s: Scope, token: string, operation: string, resource: string, now: number): Promise<void>;
}

interface GroupRow {
  name: string;
  created_at: number;
  modified_at: number;
  tags: string;
}

interface ScheduleRow {
  account: string;
  region: string;
  group_name: string;
  name: string;
  expression: string;
  timezone: string | null;
  start_date: number | null;
  end_date: number | null;
  description: string | null;
  state: string;
  kms_key_arn: string | null;
  target: string;
  flexible_window: string;
  action_after_completion: string;
  created_at: number;
  modified_at: number;
  revision: string;
}

const TOKEN_TTL_MS = 24 * 3600_000;
const MAX_CHAR = '\u{10FFFF}';

const groupOf = (r: GroupRow): GroupRecord => ({ name: r.name, createdAt: r.created_at, modifiedAt: r.modified_at, tags: JSON.parse(r.tags) as Record<string, string> });

const scheduleOf = (r: ScheduleRow): StoredSchedule => ({
  account: r.account, region: r.region, group: r.group_name, name: r.name, expression: r.expression,
  timezone: r.timezone ?? undefined, startDate: r.start_date ?? undefined, endDate: r.end_date ?? undefined,
  description: r.description ?? undefined, state: r.state as ScheduleRecord['state'], kmsKeyArn: r.kms_key_arn ?? undefined,
  target: JSON.parse(r.target) as Target, flexibleWindow: JSON.parse(r.flexible_window) as FlexibleTimeWindow,
  actionAfterCompletion: r.action_after_completion as ScheduleRecord['actionAfterCompletion'],
  createdAt: r.created_at, modifiedAt: r.modified_at, revision: r.revision,
});

const scheduleArgs = (s: Scope, r: ScheduleRecord) => [
  r.expression, r.timezone ?? null, r.startDate ?? null, r.endDate ?? null, r.description ?? null, r.state, r.kmsKeyArn ?? null,
  JSON.stringify(r.target), JSON.stringify(r.flexibleWindow), r.actionAfterCompletion, r.modifiedAt, r.revision,
  s.account, s.region, r.group, r.name,
];

export class SqliteSchedulerRepo implements SchedulerRepo {
  /** Statements prepared once: firing reads a schedule per occurrence, thousands in one second. */
  private readonly sql: PreparedStatements;

  constructor(private readonly db: Db) {
    this.sql = new PreparedStatements(db);
  }

  private bump(): void {
    this.sql.get('UPDATE scheduler_generation SET gen = gen + 1 WHERE id = 1').run();
  }

  async ensureDefaultGroup(s: Scope, now: number) {
    this.sql.get("INSERT OR IGNORE INTO scheduler_groups (account, region, name, created_at, modified_at) VALUES (?, ?, 'default', ?, ?)")
      .run(s.account, s.region, now, now);
  }

  async group(s: Scope, name: string) {
    const r = this.sql.get('SELECT * FROM scheduler_groups WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as GroupRow | undefined;
    return r && groupOf(r);
  }

  async listGroups(s: Scope, q: { prefix?: string; after?: string; limit: number }) {
    const lo = q.prefix ?? '';
    const rows = this.sql.get(
      'SELECT * FROM scheduler_groups WHERE account = ? AND region = ? AND name >= ? AND name < ? AND name > ? ORDER BY name LIMIT ?',
    ).all(s.account, s.region, lo, lo + MAX_CHAR, q.after ?? '', q.limit) as GroupRow[];
    return rows.map(groupOf);
  }

  async countGroups(s: Scope) {
    return (this.sql.get('SELECT count(*) AS n FROM scheduler_groups WHERE account = ? AND region = ?').get(s.account, s.region) as { n: number }).n;
  }

  async insertGroup(s: Scope, g: GroupRecord) {
    return this.sql.get('INSERT OR IGNORE INTO scheduler_groups (account, region, name, created_at, modified_at, tags) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.account, s.region, g.name, g.createdAt, g.modifiedAt, JSON.stringify(g.tags)).changes > 0;
  }

  async deleteGroup(s: Scope, name: string) {
    return this.db.transaction(() => {
      // Explicit as well as the foreign key's cascade: connections opened without foreign_keys keep working.
      this.sql.get('DELETE FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ?').run(s.account, s.region, name);
      this.bump();
      return this.sql.get('DELETE FROM scheduler_groups WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name).changes > 0;
    })();
  }

  async setGroupTags(s: Scope, name: string, tags: Record<string, string>) {
    this.sql.get('UPDATE scheduler_groups SET tags = ? WHERE account = ? AND region = ? AND name = ?').run(JSON.stringify(tags), s.account, s.region, name);
  }

  async schedule(s: Scope, group: string, name: string) {
    const r = this.sql.get('SELECT * FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ? AND name = ?')
      .get(s.account, s.region, group, name) as ScheduleRow | undefined;
    return r && scheduleOf(r);
  }

  async listSchedules(s: Scope, q: ScheduleQuery) {
    const where = ['account = ?', 'region = ?'];
    const args: (string | number)[] = [s.account, s.region];
    const add = (clause: string, ...values: string[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (q.group !== undefined) add('group_name = ?', q.group);
    if (q.state !== undefined) add('state = ?', q.state);
    if (q.prefix !== undefined) add('name >= ? AND name < ?', q.prefix, q.prefix + MAX_CHAR);
    if (q.after !== undefined) add('(name > ? OR (name = ? AND group_name > ?))', q.after.name, q.after.name, q.after.group);
    const rows = this.sql.get(`SELECT * FROM scheduler_schedules WHERE ${where.join(' AND ')} ORDER BY name, group_name LIMIT ?`)
      .all(...args, q.limit) as ScheduleRow[];
    return rows.map(scheduleOf);
  }

  async countSchedules(s: Scope) {
    return (this.sql.get('SELECT count(*) AS n FROM scheduler_schedules WHERE account = ? AND region = ?').get(s.account, s.region) as { n: number }).n;
  }

  async insertSchedule(s: Scope, r: ScheduleRecord) {
    return this.db.transaction(() => {
      const ok = this.sql.get(
        `INSERT OR IGNORE INTO scheduler_schedules (expression, timezone, start_date, end_date, description, state, kms_key_arn, target,
           flexible_window, action_after_completion, modified_at, revision, account, region, group_name, name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(...scheduleArgs(s, r), r.createdAt).changes > 0;
      if (ok) this.bump();
      return ok;
    })();
  }

  async updateSchedule(s: Scope, r: ScheduleRecord) {
    return this.db.transaction(() => {
      const ok = this.sql.get(
        `UPDATE scheduler_schedules SET expression = ?, timezone = ?, start_date = ?, end_date = ?, description = ?, state = ?, kms_key_arn = ?,
           target = ?, flexible_window = ?, action_after_completion = ?, modified_at = ?, revision = ?
         WHERE account = ? AND region = ? AND group_name = ? AND name = ?`,
      ).run(...scheduleArgs(s, r)).changes > 0;
      if (ok) this.bump();
      return ok;
    })();
  }

  async deleteSchedule(s: Scope, group: string, name: string) {
    return this.db.transaction(() => {
      const ok = this.sql.get('DELETE FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ? AND name = ?')
        .run(s.account, s.region, group, name).changes > 0;
      if (ok) this.bump();
      return ok;
    })();
  }

  async enabledSchedules() {
    return (this.sql.get("SELECT * FROM scheduler_schedules WHERE state = 'ENABLED'").all() as ScheduleRow[]).map(scheduleOf);
  }

  async generation() {
    return (this.sql.get('SELECT gen FROM scheduler_generation WHERE id = 1').get() as { gen: number }).gen;
  }

  async token(s: Scope, token: string) {
    return this.sql.get('SELECT operation, resource FROM scheduler_client_tokens WHERE account = ? AND region = ? AND token = ?')
      .get(s.account, s.region, token) as { operation: string; resource: string } | undefined;
  }

  async recordToken(s: Scope, token: string, operation: string, resource: string, now: number) {
    this.sql.get('DELETE FROM scheduler_client_tokens WHERE at < ?').run(now - TOKEN_TTL_MS);
    this.sql.get('INSERT OR REPLACE INTO scheduler_client_tokens (account, region, token, operation, resource, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.account, s.region, token, operation, resource, now);
  }
}
