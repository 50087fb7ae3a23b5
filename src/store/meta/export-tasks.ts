/**
 * CloudWatch Logs export tasks (CreateExportTask / DescribeExportTasks / CancelExportTask) and the
 * lease the background runner holds while it works on one.
 */
import { skipLocked } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

export type ExportTaskStatusCode = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | 'PENDING_CANCEL';

export interface ExportTaskRecord {
  taskId: string;
  account: string;
  region: string;
  taskName: string | null;
  logGroup: string;
  logStreamPrefix: string | null;
  /** ms since the epoch, both ends inclusive (see services/logs/export). */
  from: number;
  to: number;
  destination: string;
  /** As the caller gave it; null = not given (AWS then reports and uses `exportedlogs`). */
  destinationPrefix: string | null;
  status: ExportTaskStatusCode;
  statusMessage: string | null;
  createdAt: number;
  completedAt: number | null;
  /** How many times a runner has claimed the task (a restart claims it again). */
  attempts: number;
}

export type NewExportTask = Omit<ExportTaskRecord, 'status' | 'statusMessage' | 'completedAt' | 'attempts'>;

export interface ListExportTasksQuery {
  account: string;
  region: string;
  taskId?: string;
  status?: ExportTaskStatusCode;
  /** Exclusive: list tasks created before this position (newest first). */
  before?: number;
  limit: number;
}

export interface ExportTaskPage {
  tasks: ExportTaskRecord[];
  /** Position of the last task returned, for `before` on the next page. */
  positions: number[];
}

/** On either metadata engine (docs/metadata-store.md). */
export interface ExportTaskRepo {
  /** 'limit' when (account, region) already has a PENDING or RUNNING task. */
  insert(t: NewExportTask, message: string): Promise<'ok' | 'limit'>;
  hasActive(account: string, region: string): Promise<boolean>;
  get(account: string, region: string, taskId: string): Promise<ExportTaskRecord | undefined>;
  list(q: ListExportTasksQuery): Promise<ExportTaskPage>;
  /** PENDING/RUNNING → CANCELLED. */
  cancel(account: string, region: string, taskId: string, now: number, message: string): Promise<'cancelled' | 'finished' | 'missing'>;
  /**
   * Takes the oldest PENDING task, or a RUNNING one whose lease expired (its runner died), sets it
   * RUNNING under `owner` until now + leaseMs and counts the attempt.
   */
  claim(owner: string, now: number, leaseMs: number, message: string): Promise<ExportTaskRecord | undefined>;
  /** Extends the lease; false when the task is no longer this owner's RUNNING task (cancelled, taken over). */
  heartbeat(taskId: string, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** RUNNING (held by owner) → COMPLETED/FAILED; false if it was cancelled or taken over meanwhile. */
  finish(taskId: string, owner: string, status: 'COMPLETED' | 'FAILED', message: string, now: number): Promise<boolean>;
  /** Gives up a lease without changing the status, so the task is taken again at once (shutdown). */
  release(taskId: string, owner: string): Promise<void>;
  /**
   * Start-up with a process-local store: every RUNNING task belongs to a runner that no longer
   * exists, so its lease is dropped and it is claimed again (restarted from scratch).
   */
  releaseAll(): Promise<number>;
  /** Makes RUNNING tasks whose lease owner starts with one of `prefixes` claimable at once (their runners are dead). */
  releaseOwnedBy(prefixes: readonly string[]): Promise<number>;
}

/** The SQL for the metadata migration that creates `export_tasks` (applied by store/meta/migrations.ts). */
export const EXPORT_TASKS_MIGRATION = {
  name: 'logs: export tasks',
  sql: `
    CREATE TABLE export_tasks (
      id INTEGER PRIMARY KEY,
      task_id TEXT NOT NULL UNIQUE,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      task_name TEXT,
      log_group TEXT NOT NULL,
      log_stream_prefix TEXT,
      from_ts INTEGER NOT NULL,
      to_ts INTEGER NOT NULL,
      destination TEXT NOT NULL,
      destination_prefix TEXT,
      status TEXT NOT NULL,
      status_message TEXT,
      created_at INTEGER NOT NULL,
      completed_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_until INTEGER
    );
    CREATE INDEX export_tasks_by_scope ON export_tasks (account, region, id);
    CREATE INDEX export_tasks_by_status ON export_tasks (status, id);
    -- AWS: one active (PENDING or RUNNING) export task per account (and Region) at a time.
    CREATE UNIQUE INDEX export_tasks_one_active ON export_tasks (account, region)
      WHERE status IN ('PENDING', 'RUNNING');
  `,
} as const;

interface Row {
  id: number;
  task_id: string;
  account: string;
  region: string;
  task_name: string | null;
  log_group: string;
  log_stream_prefix: string | null;
  from_ts: number;
  to_ts: number;
  destination: string;
  destination_prefix: string | null;
  status: ExportTaskStatusCode;
  status_message: string | null;
  created_at: number;
  completed_at: number | null;
  attempts: number;
}

const toRecord = (r: Row): ExportTaskRecord => ({
  taskId: r.task_id,
  account: r.account,
  region: r.region,
  taskName: r.task_name,
  logGroup: r.log_group,
  logStreamPrefix: r.log_stream_prefix,
  from: r.from_ts,
  to: r.to_ts,
  destination: r.destination,
  destinationPrefix: r.destination_prefix,
  status: r.status,
  statusMessage: r.status_message,
  createdAt: r.created_at,
  completedAt: r.completed_at,
  attempts: r.attempts,
});

/** SQLite names the constraint kind in its code; PostgreSQL says unique_violation (23505). */
const isUniqueViolation = (e: unknown): boolean => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

const INSERT = `INSERT INTO export_tasks
  (task_id, account, region, task_name, log_group, log_stream_prefix, from_ts, to_ts, destination,
   destination_prefix, status, status_message, created_at)
  VALUES (@taskId, @account, @region, @taskName, @logGroup, @logStreamPrefix, @from, @to, @destination,
   @destinationPrefix, 'PENDING', @message, @createdAt)`;
const HAS_ACTIVE = `SELECT 1 AS found FROM export_tasks
  WHERE account = ? AND region = ? AND status IN ('PENDING', 'RUNNING') LIMIT 1`;
const GET = 'SELECT * FROM export_tasks WHERE account = ? AND region = ? AND task_id = ?';
const CANCEL = `UPDATE export_tasks
  SET status = 'CANCELLED', status_message = @message, completed_at = @now, lease_owner = NULL, lease_until = NULL
  WHERE account = @account AND region = @region AND task_id = @taskId AND status IN ('PENDING', 'RUNNING')`;
const HEARTBEAT = `UPDATE export_tasks SET lease_until = @until
  WHERE task_id = @taskId AND lease_owner = @owner AND status = 'RUNNING'`;
const FINISH = `UPDATE export_tasks
  SET status = @status, status_message = @message, completed_at = @now, lease_owner = NULL, lease_until = NULL
  WHERE task_id = @taskId AND lease_owner = @owner AND status = 'RUNNING'`;
const RELEASE = `UPDATE export_tasks SET lease_owner = NULL, lease_until = NULL
  WHERE task_id = ? AND lease_owner = ? AND status = 'RUNNING'`;
const RELEASE_ALL = `UPDATE export_tasks SET lease_owner = NULL, lease_until = NULL WHERE status = 'RUNNING'`;

export class ExportTaskStore implements ExportTaskRepo {
  /** The claim statement: its inner SELECT skips rows another node is claiming (PostgreSQL). */
  private readonly claimSql: string;

  constructor(private readonly db: Sql) {
    this.claimSql = `UPDATE export_tasks
      SET status = 'RUNNING', status_message = @message, lease_owner = @owner, lease_until = @until, attempts = attempts + 1
      WHERE id = (SELECT id FROM export_tasks
                  WHERE status = 'PENDING' OR (status = 'RUNNING' AND (lease_until IS NULL OR lease_until < @now))
                  ORDER BY id LIMIT 1${skipLocked(db)})
      RETURNING *`;
  }

  async insert(t: NewExportTask, message: string): Promise<'ok' | 'limit'> {
    try {
      await this.db.run(INSERT, {
        taskId: t.taskId,
        account: t.account,
        region: t.region,
        taskName: t.taskName,
        logGroup: t.logGroup,
        logStreamPrefix: t.logStreamPrefix,
        from: t.from,
        to: t.to,
        destination: t.destination,
        destinationPrefix: t.destinationPrefix,
        message,
        createdAt: t.createdAt,
      });
      return 'ok';
    } catch (e) {
      // Only the partial index can collide: task ids are random UUIDs.
      if (isUniqueViolation(e)) return 'limit';
      throw e;
    }
  }

  async hasActive(account: string, region: string): Promise<boolean> {
    return (await this.db.get(HAS_ACTIVE, [account, region])) !== undefined;
  }

  async get(account: string, region: string, taskId: string): Promise<ExportTaskRecord | undefined> {
    const row = await this.db.get<Row>(GET, [account, region, taskId]);
    return row && toRecord(row);
  }

  async list(q: ListExportTasksQuery): Promise<ExportTaskPage> {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit };
    if (q.taskId !== undefined) {
      where.push('task_id = @taskId');
      params.taskId = q.taskId;
    }
    if (q.status !== undefined) {
      where.push('status = @status');
      params.status = q.status;
    }
    if (q.before !== undefined) {
      where.push('id < @before');
      params.before = q.before;
    }
    // Newest first, as the CLI guide describes ("in reverse order of creation").
    const rows = await this.db.all<Row>(`SELECT * FROM export_tasks WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`, params);
    return { tasks: rows.map(toRecord), positions: rows.map((r) => r.id) };
  }

  async cancel(account: string, region: string, taskId: string, now: number, message: string): Promise<'cancelled' | 'finished' | 'missing'> {
    return this.db.transaction(async (tx) => {
      if ((await tx.run(CANCEL, { account, region, taskId, now, message })).changes === 1) return 'cancelled' as const;
      return (await tx.get(GET, [account, region, taskId])) ? ('finished' as const) : ('missing' as const);
    });
  }

  async claim(owner: string, now: number, leaseMs: number, message: string): Promise<ExportTaskRecord | undefined> {
    const row = await this.db.get<Row>(this.claimSql, { owner, now, until: now + leaseMs, message });
    return row && toRecord(row);
  }

  async heartbeat(taskId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return (await this.db.run(HEARTBEAT, { taskId, owner, until: now + leaseMs })).changes === 1;
  }

  async finish(taskId: string, owner: string, status: 'COMPLETED' | 'FAILED', message: string, now: number): Promise<boolean> {
    return (await this.db.run(FINISH, { taskId, owner, status, message, now })).changes === 1;
  }

  async release(taskId: string, owner: string): Promise<void> {
    await this.db.run(RELEASE, [taskId, owner]);
  }

  async releaseAll(): Promise<number> {
    return (await this.db.run(RELEASE_ALL)).changes;
  }

  async releaseOwnedBy(prefixes: readonly string[]): Promise<number> {
    let n = 0;
    for (const p of prefixes) {
      n += (await this.db.run(`UPDATE export_tasks SET lease_owner = NULL, lease_until = NULL
        WHERE status = 'RUNNING' AND substr(lease_owner, 1, ?) = ?`, [p.length, p])).changes;
    }
    return n;
  }
}
