/**
 * Alarm history, from the metadata store (where every state change writes it in its own
 * transaction and DescribeAlarmHistory reads it) to the telemetry store's `alarm_history` table,
 * which SQL reads (Athena's `osprey.alarm_history`); and CloudWatch's 30-day retention of it.
 *
 * - Copy, about every second and at start (which backfills history written before the table
 *   existed): rows past the cursor (the last copied SQLite id), by id, in batches. Each batch is
 *   first recorded as pending (its id range), then inserted with the deduplication token
 *   `alarm-history-<source>-<first>-<last>`, then the cursor moves past it. After a crash anywhere in
 *   between, the pending range is inserted again as it was — same rows, same token — so ClickHouse
 *   stores it once, and rows written meanwhile go to the next batch. `source` is a random id this
 *   metadata store drew once: ids restart at 1 in another store (another process sharing a
 *   ClickHouse server, a new metadata file), and a bare id range would make its batches look like
 *   copies of this one's and be dropped. Nodes sharing a PostgreSQL store share its source; the
 *   cursor is per telemetry store: nodes with their own embedded stores each copy every row into
 *   theirs, nodes sharing a ClickHouse server share one cursor, and two of them copying the same
 *   range use the same token.
 * - Retention, every 5 minutes and at start: items older than 30 days are deleted from the metadata store (the
 *   telemetry table drops them by TTL), so DescribeAlarmHistory returns 30 days like CloudWatch.
 *
 * A SQLite store is one process's (the data directory is locked), so one job copies it: no lease.
 * Nodes sharing PostgreSQL may copy the same batch at once; its token makes ClickHouse keep one.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { PeriodicTask } from '../../../jobs/periodic-task.ts';
import type { Job } from '../../../server/module.ts';
import type { AlarmRepo } from '../../../store/meta/alarms.ts';
import type { Migration } from '../../../store/meta/db.ts';
import type { Dialect, MetaDb } from '../../../store/meta/sql/types.ts';
import type { TelemetryScope } from '../../../store/telemetry/scope.ts';
import { ALARM_HISTORY_RETENTION_DAYS, insertAlarmHistory } from '../../../store/telemetry/alarm-history.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';

export const ALARM_HISTORY_COPY_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'alarm history copy cursor',
    sql: `CREATE TABLE cw_alarm_history_copy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        source TEXT NOT NULL,
        copied_id INTEGER NOT NULL,
        pending_first INTEGER,
        pending_last INTEGER
      );
      INSERT INTO cw_alarm_history_copy (id, source, copied_id) VALUES (1, lower(hex(randomblob(8))), 0);`,
  },
  // Retention deletes by time across every scope.
  { id: 2, name: 'alarm history by time', sql: 'CREATE INDEX IF NOT EXISTS alarm_history_by_ts ON alarm_history (ts)' },
  {
    id: 3,
    name: 'alarm history copy cursor per telemetry store',
    // Nodes with their own embedded telemetry each copy the whole history into their store.
    sql: `CREATE TABLE cw_alarm_history_copy_scopes (
        scope TEXT PRIMARY KEY,
        copied_id INTEGER NOT NULL,
        pending_first INTEGER,
        pending_last INTEGER
      ) WITHOUT ROWID;`,
  },
];

/**
 * The list for a store's engine. SQLite runs the shipped list as it is (never edited). Migration 1
 * draws the source with SQLite's randomblob(), which PostgreSQL lacks: there it creates the same
 * table, and `AlarmHistoryCopyCursor.init` inserts the row with a source drawn here (on SQLite it
 * finds the migration's row and changes nothing).
 */
export function alarmHistoryCopyMigrations(dialect: Dialect): Migration[] {
  if (dialect === 'sqlite') return ALARM_HISTORY_COPY_MIGRATIONS;
  return ALARM_HISTORY_COPY_MIGRATIONS.map((m) => (m.id !== 1 ? m : { ...m, sql: m.sql.slice(0, m.sql.indexOf('INSERT INTO cw_alarm_history_copy')) }));
}

export interface CopyCursor {
  /** This metadata store's id in deduplication tokens. */
  source: string;
  /** Every row with an id up to this one is in the telemetry store. */
  copiedId: number;
  /** A batch recorded before its insert and not yet committed: it is inserted again first. */
  pending?: { first: number; last: number };
}

/**
 * The copy's cursor in the metadata store: one row per telemetry store (store/telemetry/scope.ts),
 * since each node with an embedded store copies the whole history into it; the source id is the
 * metadata store's, shared.
 */
export class AlarmHistoryCopyCursor {
  constructor(private readonly db: MetaDb, private readonly scope: TelemetryScope = { id: 'shared', shared: true }) {}

  /**
   * Creates the source row unless it exists (the SQLite migration created it already), and this
   * scope's cursor: a store that was the only one before cursors had scopes (SQLite, or a shared
   * server) continues from the old single cursor; another embedded store starts from the beginning.
   */
  async init(): Promise<void> {
    await this.db.run('INSERT INTO cw_alarm_history_copy (id, source, copied_id) VALUES (1, ?, 0) ON CONFLICT (id) DO NOTHING', [randomBytes(8).toString('hex')]);
    const adopt = this.db.dialect === 'sqlite' || this.scope.shared;
    await this.db.run(`INSERT INTO cw_alarm_history_copy_scopes (scope, copied_id, pending_first, pending_last)
      SELECT ?, ${adopt ? 'copied_id, pending_first, pending_last' : '0, NULL, NULL'} FROM cw_alarm_history_copy WHERE id = 1
      ON CONFLICT (scope) DO NOTHING`, [this.scope.id]);
  }

  async read(): Promise<CopyCursor> {
    const r = (await this.db.get<{ source: string; copied_id: number; pending_first: number | null; pending_last: number | null }>(
      `SELECT c.source, s.copied_id, s.pending_first, s.pending_last FROM cw_alarm_history_copy c
       JOIN cw_alarm_history_copy_scopes s ON s.scope = ? WHERE c.id = 1`, [this.scope.id]))!;
    const cursor = { source: r.source, copiedId: Number(r.copied_id) };
    return r.pending_first === null || r.pending_last === null ? cursor : { ...cursor, pending: { first: Number(r.pending_first), last: Number(r.pending_last) } };
  }

  async begin(first: number, last: number): Promise<void> {
    await this.db.run('UPDATE cw_alarm_history_copy_scopes SET pending_first = ?, pending_last = ? WHERE scope = ?', [first, last, this.scope.id]);
  }

  async commit(last: number): Promise<void> {
    await this.db.run('UPDATE cw_alarm_history_copy_scopes SET copied_id = ?, pending_first = NULL, pending_last = NULL WHERE scope = ?', [last, this.scope.id]);
  }
}

export interface AlarmHistoryCopyDeps {
  history: Pick<AlarmRepo, 'historyAfter' | 'historyCommittedThrough' | 'pruneHistory'>;
  cursor: AlarmHistoryCopyCursor;
  engine: Pick<SqlEngine, 'insert'>;
  clock: Clock;
  log: Logger;
  /** Default 1 s. */
  intervalMs?: number;
  /** Default 5 minutes. */
  retentionIntervalMs?: number;
  /** Rows per insert (copy) and per delete (retention); default 1000. */
  batch?: number;
}

const DAY_MS = 86_400_000;
export const HISTORY_RETENTION_MS = ALARM_HISTORY_RETENTION_DAYS * DAY_MS;

export const dedupToken = (source: string, first: number, last: number): string => `alarm-history-${source}-${first}-${last}`;

export class AlarmHistoryCopy implements Job {
  readonly name = 'alarm-history';
  private readonly copier: PeriodicTask;
  private readonly retention: PeriodicTask;
  private readonly batch: number;
  private stopping = false;

  constructor(private readonly d: AlarmHistoryCopyDeps) {
    this.batch = d.batch ?? 1000;
    this.copier = new PeriodicTask('alarm-history-copy', d.intervalMs ?? 1000, async () => {
      await this.copyAll();
    }, d.log);
    this.retention = new PeriodicTask('alarm-history-retention', d.retentionIntervalMs ?? 5 * 60_000, async () => {
      await this.prune();
    }, d.log);
  }

  start(): void {
    this.stopping = false;
    for (const task of [this.copier, this.retention]) {
      task.start();
      task.kick();
    }
  }

  /** Ends between batches: a pass in progress finishes its current batch, then the job is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([this.copier.stop(), this.retention.stop()]);
  }

  /** Copies batches until none is left (or the job stops); resolves with how many rows it inserted. */
  async copyAll(): Promise<number> {
    let total = 0;
    while (!this.stopping) {
      const { rows, more } = await this.copyBatch();
      total += rows;
      if (!more) break;
      await yieldToLoop();
    }
    return total;
  }

  /** One batch: the pending one if a previous attempt did not commit, else the next rows past the cursor. */
  async copyBatch(): Promise<{ rows: number; more: boolean }> {
    const { source, copiedId, pending } = await this.d.cursor.read();
    if (pending) {
      // Rows of the range may have been pruned since; the token still names the whole range.
      const rows = await this.d.history.historyAfter(pending.first - 1, pending.last - pending.first + 1, pending.last);
      await insertAlarmHistory(this.d.engine, rows, dedupToken(source, pending.first, pending.last));
      await this.d.cursor.commit(pending.last);
      return { rows: rows.length, more: true };
    }
    // Only ids no transaction can still commit below: the cursor never moves past one that later appears.
    const rows = await this.d.history.historyAfter(copiedId, this.batch, await this.d.history.historyCommittedThrough());
    const first = rows[0];
    const last = rows.at(-1);
    if (first === undefined || last === undefined) return { rows: 0, more: false };
    await this.d.cursor.begin(first.id, last.id);
    await insertAlarmHistory(this.d.engine, rows, dedupToken(source, first.id, last.id));
    await this.d.cursor.commit(last.id);
    return { rows: rows.length, more: rows.length === this.batch };
  }

  /** Deletes every item older than 30 days from the metadata store; resolves with how many. */
  async prune(): Promise<number> {
    const before = this.d.clock.now() - HISTORY_RETENTION_MS;
    let total = 0;
    while (!this.stopping) {
      const n = await this.d.history.pruneHistory(before, this.batch);
      total += n;
      if (n < this.batch) break;
      await yieldToLoop();
    }
    return total;
  }
}
