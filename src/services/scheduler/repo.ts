/** Scheduler's repository: the async interface handlers and the runner use, and its implementation on the metadata store (SQLite or PostgreSQL). */
import type { FlexibleTimeWindow, Target } from '@aws-sdk/client-scheduler';
import type { Scope } from '../../lib/arn.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

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

export class SchedulerStore implements SchedulerRepo {
  constructor(private readonly db: Sql) {}

  private async bump(tx: Sql): Promise<void> {
    await tx.run('UPDATE scheduler_generation SET gen = gen + 1 WHERE id = 1');
  }

  async ensureDefaultGroup(s: Scope, now: number) {
    await this.db.run("INSERT INTO scheduler_groups (account, region, name, created_at, modified_at) VALUES (?, ?, 'default', ?, ?) ON CONFLICT DO NOTHING",
      [s.account, s.region, now, now]);
  }

  async group(s: Scope, name: string) {
    const r = await this.db.get<GroupRow>('SELECT * FROM scheduler_groups WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && groupOf(r);
  }

  async listGroups(s: Scope, q: { prefix?: string; after?: string; limit: number }) {
    const lo = q.prefix ?? '';
    const rows = await this.db.all<GroupRow>(
      'SELECT * FROM scheduler_groups WHERE account = ? AND region = ? AND name >= ? AND name < ? AND name > ? ORDER BY name LIMIT ?',
      [s.account, s.region, lo, lo + MAX_CHAR, q.after ?? '', q.limit]);
    return rows.map(groupOf);
  }

  async countGroups(s: Scope) {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM scheduler_groups WHERE account = ? AND region = ?', [s.account, s.region]))!.n;
  }

  async insertGroup(s: Scope, g: GroupRecord) {
    return (await this.db.run('INSERT INTO scheduler_groups (account, region, name, created_at, modified_at, tags) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [s.account, s.region, g.name, g.createdAt, g.modifiedAt, JSON.stringify(g.tags)])).changes > 0;
  }

  async deleteGroup(s: Scope, name: string) {
    return this.db.transaction(async (tx) => {
      // Explicit as well as the foreign key's cascade: connections opened without foreign_keys keep working.
      await tx.run('DELETE FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ?', [s.account, s.region, name]);
      await this.bump(tx);
      return (await tx.run('DELETE FROM scheduler_groups WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes > 0;
    });
  }

  async setGroupTags(s: Scope, name: string, tags: Record<string, string>) {
    await this.db.run('UPDATE scheduler_groups SET tags = ? WHERE account = ? AND region = ? AND name = ?', [JSON.stringify(tags), s.account, s.region, name]);
  }

  async schedule(s: Scope, group: string, name: string) {
    const r = await this.db.get<ScheduleRow>('SELECT * FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ? AND name = ?',
      [s.account, s.region, group, name]);
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
    const rows = await this.db.all<ScheduleRow>(`SELECT * FROM scheduler_schedules WHERE ${where.join(' AND ')} ORDER BY name, group_name LIMIT ?`, [...args, q.limit]);
    return rows.map(scheduleOf);
  }

  async countSchedules(s: Scope) {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM scheduler_schedules WHERE account = ? AND region = ?', [s.account, s.region]))!.n;
  }

  async insertSchedule(s: Scope, r: ScheduleRecord) {
    return this.db.transaction(async (tx) => {
      const ok = (await tx.run(
        `INSERT INTO scheduler_schedules (expression, timezone, start_date, end_date, description, state, kms_key_arn, target,
           flexible_window, action_after_completion, modified_at, revision, account, region, group_name, name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [...scheduleArgs(s, r), r.createdAt])).changes > 0;
      if (ok) await this.bump(tx);
      return ok;
    });
  }

  async updateSchedule(s: Scope, r: ScheduleRecord) {
    return this.db.transaction(async (tx) => {
      const ok = (await tx.run(
        `UPDATE scheduler_schedules SET expression = ?, timezone = ?, start_date = ?, end_date = ?, description = ?, state = ?, kms_key_arn = ?,
           target = ?, flexible_window = ?, action_after_completion = ?, modified_at = ?, revision = ?
         WHERE account = ? AND region = ? AND group_name = ? AND name = ?`,
        scheduleArgs(s, r))).changes > 0;
      if (ok) await this.bump(tx);
      return ok;
    });
  }

  async deleteSchedule(s: Scope, group: string, name: string) {
    return this.db.transaction(async (tx) => {
      const ok = (await tx.run('DELETE FROM scheduler_schedules WHERE account = ? AND region = ? AND group_name = ? AND name = ?',
        [s.account, s.region, group, name])).changes > 0;
      if (ok) await this.bump(tx);
      return ok;
    });
  }

  async enabledSchedules() {
    return (await this.db.all<ScheduleRow>("SELECT * FROM scheduler_schedules WHERE state = 'ENABLED'")).map(scheduleOf);
  }

  async generation() {
    return (await this.db.get<{ gen: number }>('SELECT gen FROM scheduler_generation WHERE id = 1'))!.gen;
  }

  token(s: Scope, token: string) {
    return this.db.get<{ operation: string; resource: string }>('SELECT operation, resource FROM scheduler_client_tokens WHERE account = ? AND region = ? AND token = ?',
      [s.account, s.region, token]);
  }

  async recordToken(s: Scope, token: string, operation: string, resource: string, now: number) {
    await this.db.run('DELETE FROM scheduler_client_tokens WHERE at < ?', [now - TOKEN_TTL_MS]);
    await this.db.run(
      `INSERT INTO scheduler_client_tokens (account, region, token, operation, resource, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, region, token) DO UPDATE SET operation = excluded.operation, resource = excluded.resource, at = excluded.at`,
      [s.account, s.region, token, operation, resource, now]);
  }
}
