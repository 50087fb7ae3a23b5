/** Synthetics' repository: the async interface handlers and the runner use, and its SQLite implementation. */
import type { Scope } from '../../lib/arn.ts';
import { inList } from '../../store/meta/sql/in-list.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { CanaryRecord, CanaryState, GroupRecord, RunRecord, StoredCanary } from './types.ts';

export type CanaryPatch = Partial<Pick<CanaryRecord, 'config' | 'codeSha' | 'state' | 'stateReason' | 'stateReasonCode' | 'modifiedAt' | 'lastStarted' | 'lastStopped' | 'tags'>> & { code?: Buffer };

export interface SyntheticsRepo {
  canary(s: Scope, name: string): Promise<CanaryRecord | undefined>;
  code(s: Scope, name: string): Promise<Buffer | undefined>;
  /** Canaries by name, names > `after`; only `names` when given. */
  listCanaries(s: Scope, q: { names?: string[]; after?: string; limit: number }): Promise<CanaryRecord[]>;
  countCanaries(s: Scope): Promise<number>;
  /** false when the name is taken. */
  insertCanary(s: Scope, c: CanaryRecord, code: Buffer): Promise<boolean>;
  updateCanary(s: Scope, name: string, patch: CanaryPatch): Promise<void>;
  /** Moves the canary from one of `from` to `to`; false when it was in none of them (a concurrent change). */
  transition(s: Scope, name: string, from: CanaryState[], patch: CanaryPatch & { state: CanaryState }): Promise<boolean>;
  /** Deletes the canary, its runs and its group memberships. */
  deleteCanary(s: Scope, c: CanaryRecord, arn: string): Promise<void>;
  /** Every canary (all scopes) in one of these states: the runner's work list. */
  canariesIn(states: CanaryState[]): Promise<StoredCanary[]>;

  insertRun(s: Scope, r: RunRecord): Promise<void>;
  finishRun(s: Scope, r: RunRecord): Promise<void>;
  /** Runs newest first; `before` = (started, id) of the last one of the previous page. */
  listRuns(s: Scope, canaryId: string, q: { before?: { started: number; id: string }; limit: number }): Promise<RunRecord[]>;
  run(s: Scope, canaryId: string, runId: string): Promise<RunRecord | undefined>;
  /** Finished runs that started before the cut-off for their outcome (success / failure retention). */
  expiredRuns(s: Scope, canaryId: string, passedBefore: number, failedBefore: number): Promise<RunRecord[]>;
  deleteRun(s: Scope, canaryId: string, runId: string): Promise<void>;
  /** Runs still RUNNING (all scopes): after a restart they were cut short. */
  unfinishedRuns(): Promise<(RunRecord & Scope)[]>;

  group(s: Scope, idOrName: string): Promise<GroupRecord | undefined>;
  listGroups(s: Scope, q: { after?: string; limit: number }): Promise<GroupRecord[]>;
  countGroups(s: Scope): Promise<number>;
  insertGroup(s: Scope, g: GroupRecord): Promise<boolean>;
  deleteGroup(s: Scope, id: string): Promise<void>;
  setGroupTags(s: Scope, id: string, tags: Record<string, string>): Promise<void>;
  groupResources(s: Scope, id: string): Promise<string[]>;
  associate(s: Scope, id: string, arn: string): Promise<void>;
  disassociate(s: Scope, id: string, arn: string): Promise<boolean>;
  groupsOf(s: Scope, arn: string): Promise<GroupRecord[]>;
}

interface CanaryRow {
  account: string; region: string; name: string; id: string; config: string; code_sha: string; state: string;
  state_reason: string | null; state_reason_code: string | null; created_at: number; modified_at: number;
  last_started: number | null; last_stopped: number | null; tags: string;
}

interface RunRow {
  account: string; region: string; canary_id: string; id: string; scheduled_run_id: string; retry_attempt: number; state: string;
  state_reason: string | null; state_reason_code: string | null; started: number; completed: number | null;
  artifact_location: string; local_dir: string; result: string | null;
}

interface GroupRow { id: string; name: string; created_at: number; modified_at: number; tags: string }

const CANARY_COLS = 'account, region, name, id, config, code_sha, state, state_reason, state_reason_code, created_at, modified_at, last_started, last_stopped, tags';
const opt = <T>(v: T | null): T | undefined => v ?? undefined;

function canaryOf(r: CanaryRow): StoredCanary {
  return {
    account: r.account, region: r.region, name: r.name, id: r.id, config: JSON.parse(r.config) as CanaryRecord['config'], codeSha: r.code_sha,
    state: r.state as CanaryState, stateReason: opt(r.state_reason), stateReasonCode: opt(r.state_reason_code), createdAt: r.created_at,
    modifiedAt: r.modified_at, lastStarted: opt(r.last_started), lastStopped: opt(r.last_stopped), tags: JSON.parse(r.tags) as Record<string, string>,
  };
}

function runOf(r: RunRow): RunRecord & Scope {
  return {
    account: r.account, region: r.region, canaryId: r.canary_id, id: r.id, scheduledRunId: r.scheduled_run_id, retryAttempt: r.retry_attempt,
    state: r.state as RunRecord['state'], stateReason: opt(r.state_reason), stateReasonCode: opt(r.state_reason_code) as RunRecord['stateReasonCode'],
    started: r.started, completed: opt(r.completed), artifactLocation: r.artifact_location, localDir: r.local_dir, result: opt(r.result),
  };
}

const groupOf = (r: GroupRow): GroupRecord => ({ id: r.id, name: r.name, createdAt: r.created_at, modifiedAt: r.modified_at, tags: JSON.parse(r.tags) as Record<string, string> });

/** Column ← patch member, for updates that set only what the patch names. */
const PATCH_COLUMNS: [keyof CanaryPatch, string, (v: unknown) => unknown][] = [
  ['config', 'config', (v) => JSON.stringify(v)],
  ['code', 'code', (v) => v],
  ['codeSha', 'code_sha', (v) => v],
  ['state', 'state', (v) => v],
  ['stateReason', 'state_reason', (v) => v ?? null],
  ['stateReasonCode', 'state_reason_code', (v) => v ?? null],
  ['modifiedAt', 'modified_at', (v) => v],
  ['lastStarted', 'last_started', (v) => v ?? null],
  ['lastStopped', 'last_stopped', (v) => v ?? null],
  ['tags', 'tags', (v) => JSON.stringify(v)],
];

function setClause(patch: CanaryPatch): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [key, col, enc] of PATCH_COLUMNS) {
    if (!(key in patch)) continue;
    parts.push(`${col} = ?`);
    values.push(enc(patch[key]));
  }
  return { sql: parts.join(', '), values };
}

export class SyntheticsStore implements SyntheticsRepo {
  constructor(private readonly db: Sql) {}

  async canary(s: Scope, name: string): Promise<CanaryRecord | undefined> {
    const r = await this.db.get<CanaryRow>(`SELECT ${CANARY_COLS} FROM synthetics_canaries WHERE account = ? AND region = ? AND name = ?`, [s.account, s.region, name]);
    return r && canaryOf(r);
  }

  async code(s: Scope, name: string): Promise<Buffer | undefined> {
    const r = await this.db.get<{ code: Buffer }>('SELECT code FROM synthetics_canaries WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r?.code;
  }

  async listCanaries(s: Scope, q: { names?: string[]; after?: string; limit: number }): Promise<CanaryRecord[]> {
    const names = q.names ?? [];
    const inNames = names.length ? ` AND name IN (${names.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all<CanaryRow>(`SELECT ${CANARY_COLS} FROM synthetics_canaries WHERE account = ? AND region = ? AND name > ?${inNames} ORDER BY name LIMIT ?`,
      [s.account, s.region, q.after ?? '', ...names, q.limit]);
    return rows.map(canaryOf);
  }

  async countCanaries(s: Scope): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM synthetics_canaries WHERE account = ? AND region = ?', [s.account, s.region]))!.n);
  }

  async insertCanary(s: Scope, c: CanaryRecord, code: Buffer): Promise<boolean> {
    const res = (await this.db.run(`INSERT INTO synthetics_canaries (${CANARY_COLS}, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [s.account, s.region, c.name, c.id, JSON.stringify(c.config), c.codeSha, c.state, c.stateReason ?? null, c.stateReasonCode ?? null,
      c.createdAt, c.modifiedAt, c.lastStarted ?? null, c.lastStopped ?? null, JSON.stringify(c.tags), code,]));
    return res.changes === 1;
  }

  async updateCanary(s: Scope, name: string, patch: CanaryPatch): Promise<void> {
    const set = setClause(patch);
    if (!set.sql) return;
    await this.db.run(`UPDATE synthetics_canaries SET ${set.sql} WHERE account = ? AND region = ? AND name = ?`, [...set.values, s.account, s.region, name]);
  }

  async transition(s: Scope, name: string, from: CanaryState[], patch: CanaryPatch & { state: CanaryState }): Promise<boolean> {
    const set = setClause(patch);
    const states = inList(from);
    const res = await this.db.run(`UPDATE synthetics_canaries SET ${set.sql} WHERE account = ? AND region = ? AND name = ? AND state IN ${states.sql}`,
      [...set.values, s.account, s.region, name, ...states.params]);
    return res.changes === 1;
  }

  async deleteCanary(s: Scope, c: CanaryRecord, arn: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM synthetics_runs WHERE account = ? AND region = ? AND canary_id = ?', [s.account, s.region, c.id]);
      await tx.run('DELETE FROM synthetics_group_resources WHERE account = ? AND resource_arn = ?', [s.account, arn]);
      await tx.run('DELETE FROM synthetics_canaries WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, c.name]);
    });
  }

  async canariesIn(states: CanaryState[]): Promise<StoredCanary[]> {
    const l = inList(states);
    const rows = await this.db.all<CanaryRow>(`SELECT ${CANARY_COLS} FROM synthetics_canaries WHERE state IN ${l.sql} ORDER BY account, region, name`, l.params);
    return rows.map(canaryOf);
  }

  async insertRun(s: Scope, r: RunRecord): Promise<void> {
    await this.db.run(`INSERT INTO synthetics_runs (account, region, canary_id, id, scheduled_run_id, retry_attempt, state, state_reason, state_reason_code, started, completed, artifact_location, local_dir, result)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [s.account, s.region, r.canaryId, r.id, r.scheduledRunId, r.retryAttempt, r.state, r.stateReason ?? null, r.stateReasonCode ?? null,
      r.started, r.completed ?? null, r.artifactLocation, r.localDir, r.result ?? null,]);
  }

  async finishRun(s: Scope, r: RunRecord): Promise<void> {
    await this.db.run('UPDATE synthetics_runs SET state = ?, state_reason = ?, state_reason_code = ?, completed = ?, result = ? WHERE account = ? AND region = ? AND canary_id = ? AND id = ?', [r.state, r.stateReason ?? null, r.stateReasonCode ?? null, r.completed ?? null, r.result ?? null, s.account, s.region, r.canaryId, r.id]);
  }

  async listRuns(s: Scope, canaryId: string, q: { before?: { started: number; id: string }; limit: number }): Promise<RunRecord[]> {
    const b = q.before ?? { started: Number.MAX_SAFE_INTEGER, id: '' };
    const rows = (await this.db.all<RunRow>(`SELECT * FROM synthetics_runs WHERE account = ? AND region = ? AND canary_id = ?
      AND (started < ? OR (started = ? AND id < ?)) ORDER BY started DESC, id DESC LIMIT ?`, [s.account, s.region, canaryId, b.started, b.started, b.id || '\uffff', q.limit]));
    return rows.map(runOf);
  }

  async run(s: Scope, canaryId: string, runId: string): Promise<RunRecord | undefined> {
    const r = await this.db.get<RunRow>('SELECT * FROM synthetics_runs WHERE account = ? AND region = ? AND canary_id = ? AND id = ?', [s.account, s.region, canaryId, runId]);
    return r && runOf(r);
  }

  async expiredRuns(s: Scope, canaryId: string, passedBefore: number, failedBefore: number): Promise<RunRecord[]> {
    const rows = (await this.db.all<RunRow>(`SELECT * FROM synthetics_runs WHERE account = ? AND region = ? AND canary_id = ?
      AND ((state = 'PASSED' AND started < ?) OR (state = 'FAILED' AND started < ?))`, [s.account, s.region, canaryId, passedBefore, failedBefore]));
    return rows.map(runOf);
  }

  async deleteRun(s: Scope, canaryId: string, runId: string): Promise<void> {
    await this.db.run('DELETE FROM synthetics_runs WHERE account = ? AND region = ? AND canary_id = ? AND id = ?', [s.account, s.region, canaryId, runId]);
  }

  async unfinishedRuns(): Promise<(RunRecord & Scope)[]> {
    return ((await this.db.all<RunRow>("SELECT * FROM synthetics_runs WHERE state = 'RUNNING'"))).map(runOf);
  }

  async group(s: Scope, idOrName: string): Promise<GroupRecord | undefined> {
    const r = await this.db.get<GroupRow>('SELECT id, name, created_at, modified_at, tags FROM synthetics_groups WHERE account = ? AND region = ? AND (id = ? OR lower(name) = lower(?))', [s.account, s.region, idOrName, idOrName]);
    return r && groupOf(r);
  }

  async listGroups(s: Scope, q: { after?: string; limit: number }): Promise<GroupRecord[]> {
    const rows = (await this.db.all<GroupRow>('SELECT id, name, created_at, modified_at, tags FROM synthetics_groups WHERE account = ? AND region = ? AND id > ? ORDER BY id LIMIT ?', [s.account, s.region, q.after ?? '', q.limit]));
    return rows.map(groupOf);
  }

  async countGroups(s: Scope): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM synthetics_groups WHERE account = ? AND region = ?', [s.account, s.region]))!.n);
  }

  async insertGroup(s: Scope, g: GroupRecord): Promise<boolean> {
    const res = (await this.db.run('INSERT INTO synthetics_groups (account, region, id, name, created_at, modified_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [s.account, s.region, g.id, g.name, g.createdAt, g.modifiedAt, JSON.stringify(g.tags)]));
    return res.changes === 1;
  }

  async deleteGroup(s: Scope, id: string): Promise<void> {
    await this.db.run('DELETE FROM synthetics_groups WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id]);
  }

  async setGroupTags(s: Scope, id: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE synthetics_groups SET tags = ? WHERE account = ? AND region = ? AND id = ?', [JSON.stringify(tags), s.account, s.region, id]);
  }

  async groupResources(s: Scope, id: string): Promise<string[]> {
    return ((await this.db.all<{ resource_arn: string }>('SELECT resource_arn FROM synthetics_group_resources WHERE account = ? AND region = ? AND group_id = ? ORDER BY resource_arn', [s.account, s.region, id]))).map((r) => r.resource_arn);
  }

  async associate(s: Scope, id: string, arn: string): Promise<void> {
    await this.db.run('INSERT INTO synthetics_group_resources (account, region, group_id, resource_arn) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [s.account, s.region, id, arn]);
  }

  async disassociate(s: Scope, id: string, arn: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM synthetics_group_resources WHERE account = ? AND region = ? AND group_id = ? AND resource_arn = ?', [s.account, s.region, id, arn])).changes === 1;
  }

  async groupsOf(s: Scope, arn: string): Promise<GroupRecord[]> {
    const rows = (await this.db.all<GroupRow>(`SELECT g.id, g.name, g.created_at, g.modified_at, g.tags FROM synthetics_groups g JOIN synthetics_group_resources r
      ON r.account = g.account AND r.region = g.region AND r.group_id = g.id WHERE g.account = ? AND g.region = ? AND r.resource_arn = ? ORDER BY g.id`, [s.account, s.region, arn]));
    return rows.map(groupOf);
  }
}
