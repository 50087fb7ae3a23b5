/**
 * CloudWatch alarms (metric and composite) and their history, in SQLite.
 *
 * An alarm's configuration is kept as the JSON of its Put*Alarm input (model member names), so
 * DescribeAlarms returns what was put; state columns change with every evaluation.
 *
 * A state change, its history item and the deliveries of the actions it fires are written in one
 * transaction (`transition`): after a crash either all of it happened or none did, so no
 * notification is lost or sent for a state the alarm never had.
 */
import type { Db } from './sqlite.ts';
import type { NewOutboxRow, OutboxRepo } from './outbox.ts';
import { startsWith } from './prefix.ts';

export type AlarmKind = 'MetricAlarm' | 'CompositeAlarm';
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmRecord {
  account: string;
  region: string;
  name: string;
  kind: AlarmKind;
  /** The Put*Alarm input as given (minus Tags), model member names. */
  config: Record<string, unknown>;
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData: string | null;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configUpdatedAt: number;
  tags: Record<string, string>;
  /** Composite alarms: why actions are suppressed right now (ActionsSuppressedBy / Reason). */
  suppressedBy: string | null;
  suppressedReason: string | null;
}

export interface HistoryItem {
  account: string;
  region: string;
  alarmName: string;
  alarmType: AlarmKind;
  timestamp: number;
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

export interface HistoryQuery {
  account: string;
  region: string;
  alarmName?: string;
  alarmTypes?: AlarmKind[];
  itemType?: string;
  startDate?: number;
  endDate?: number;
  ascending: boolean;
  offset: number;
  limit: number;
}

export interface AlarmListQuery {
  account: string;
  region: string;
  names?: string[];
  namePrefix?: string;
  kinds?: AlarmKind[];
  state?: AlarmStateValue;
  offset: number;
  limit: number;
}

export interface StateChange {
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData: string | null;
  at: number;
  /** History item (StateUpdate) to record with the change. */
  history: HistoryItem;
  /** Action deliveries to enqueue with the change (empty when actions are disabled). */
  actions: NewOutboxRow[];
  /** Extra history items (one per action fired). */
  actionHistory?: HistoryItem[];
  suppressedBy?: string | null;
  suppressedReason?: string | null;
}

export const ALARMS_SQL = `
  CREATE TABLE alarms (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    config TEXT NOT NULL,
    state_value TEXT NOT NULL,
    state_reason TEXT NOT NULL,
    state_reason_data TEXT,
    state_updated_at INTEGER NOT NULL,
    state_transitioned_at INTEGER NOT NULL,
    config_updated_at INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '{}',
    suppressed_by TEXT,
    suppressed_reason TEXT,
    PRIMARY KEY (account, region, name)
  ) WITHOUT ROWID;
  CREATE TABLE alarm_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    alarm_name TEXT NOT NULL,
    alarm_type TEXT NOT NULL,
    ts INTEGER NOT NULL,
    item_type TEXT NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX alarm_history_by_alarm ON alarm_history (account, region, alarm_name, ts);
  CREATE INDEX alarm_history_by_time ON alarm_history (account, region, ts);
`;

interface Row {
  account: string; region: string; name: string; kind: AlarmKind; config: string;
  state_value: AlarmStateValue; state_reason: string; state_reason_data: string | null;
  state_updated_at: number; state_transitioned_at: number; config_updated_at: number; tags: string;
  suppressed_by: string | null; suppressed_reason: string | null;
}

const toRecord = (r: Row): AlarmRecord => ({
  account: r.account, region: r.region, name: r.name, kind: r.kind, config: JSON.parse(r.config) as Record<string, unknown>,
  stateValue: r.state_value, stateReason: r.state_reason, stateReasonData: r.state_reason_data,
  stateUpdatedAt: r.state_updated_at, stateTransitionedAt: r.state_transitioned_at, configUpdatedAt: r.config_updated_at,
  tags: JSON.parse(r.tags) as Record<string, string>, suppressedBy: r.suppressed_by, suppressedReason: r.suppressed_reason,
});

export class SqliteAlarmRepo {
  /** Bumped by every configuration change (put, delete, setConfig), so callers can cache derived indexes. */
  configVersion = 0;

  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  get(account: string, region: string, name: string): AlarmRecord | undefined {
    const r = this.db.prepare('SELECT * FROM alarms WHERE account = ? AND region = ? AND name = ?').get(account, region, name) as Row | undefined;
    return r && toRecord(r);
  }

  /** Every alarm of every account (the evaluator's working set). */
  all(): AlarmRecord[] {
    return (this.db.prepare('SELECT * FROM alarms').all() as Row[]).map(toRecord);
  }

  list(q: AlarmListQuery): AlarmRecord[] {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit, offset: q.offset };
    if (q.names !== undefined) { where.push('name IN (SELECT value FROM json_each(@names))'); params.names = JSON.stringify(q.names); }
    if (q.namePrefix !== undefined) where.push(startsWith('name', q.namePrefix, params));
    if (q.kinds !== undefined) { where.push('kind IN (SELECT value FROM json_each(@kinds))'); params.kinds = JSON.stringify(q.kinds); }
    if (q.state !== undefined) { where.push('state_value = @state'); params.state = q.state; }
    return (this.db.prepare(`SELECT * FROM alarms WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit OFFSET @offset`).all(params) as Row[]).map(toRecord);
  }

  /** Creates or replaces the configuration; a new alarm starts in INSUFFICIENT_DATA. */
  put(a: Omit<AlarmRecord, 'stateValue' | 'stateReason' | 'stateReasonData' | 'stateUpdatedAt' | 'stateTransitionedAt' | 'suppressedBy' | 'suppressedReason'>,
    history: HistoryItem, initialReason: string): { created: boolean } {
    return this.db.transaction(() => {
      const existing = this.get(a.account, a.region, a.name);
      if (existing === undefined) {
        this.db.prepare(`INSERT INTO alarms (account, region, name, kind, config, state_value, state_reason, state_reason_data,
          state_updated_at, state_transitioned_at, config_updated_at, tags)
          VALUES (?, ?, ?, ?, ?, 'INSUFFICIENT_DATA', ?, NULL, ?, ?, ?, ?)`)
          .run(a.account, a.region, a.name, a.kind, JSON.stringify(a.config), initialReason, a.configUpdatedAt, a.configUpdatedAt, a.configUpdatedAt, JSON.stringify(a.tags));
      } else {
        this.db.prepare('UPDATE alarms SET kind = ?, config = ?, config_updated_at = ?, tags = ? WHERE account = ? AND region = ? AND name = ?')
          .run(a.kind, JSON.stringify(a.config), a.configUpdatedAt, JSON.stringify({ ...existing.tags, ...a.tags }), a.account, a.region, a.name);
      }
      this.insertHistory(history);
      this.configVersion++;
      return { created: existing === undefined };
    })();
  }

  /** Deletes the named alarms (all or nothing is the caller's check); their history stays, as in AWS. */
  delete(account: string, region: string, names: string[], history: HistoryItem[]): void {
    this.db.transaction(() => {
      const del = this.db.prepare('DELETE FROM alarms WHERE account = ? AND region = ? AND name = ?');
      for (const n of names) del.run(account, region, n);
      for (const h of history) this.insertHistory(h);
      this.configVersion++;
    })();
  }

  setConfig(account: string, region: string, name: string, config: Record<string, unknown>, history?: HistoryItem): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE alarms SET config = ? WHERE account = ? AND region = ? AND name = ?').run(JSON.stringify(config), account, region, name);
      if (history) this.insertHistory(history);
      this.configVersion++;
    })();
  }

  setTags(account: string, region: string, name: string, tags: Record<string, string>): void {
    this.db.prepare('UPDATE alarms SET tags = ? WHERE account = ? AND region = ? AND name = ?').run(JSON.stringify(tags), account, region, name);
  }

  /**
   * Records a new state (or the same state re-evaluated: only the reason and update time change),
   * its history, and enqueues its action deliveries — atomically. `expected` guards against a
   * concurrent change: nothing is written if the stored state is no longer `expected`.
   */
  transition(account: string, region: string, name: string, expected: AlarmStateValue, c: StateChange): boolean {
    return this.db.transaction(() => {
      const cur = this.get(account, region, name);
      if (cur === undefined || cur.stateValue !== expected) return false;
      const transitioned = cur.stateValue !== c.stateValue;
      this.db.prepare(`UPDATE alarms SET state_value = ?, state_reason = ?, state_reason_data = ?, state_updated_at = ?,
        state_transitioned_at = ?, suppressed_by = ?, suppressed_reason = ? WHERE account = ? AND region = ? AND name = ?`)
        .run(c.stateValue, c.stateReason, c.stateReasonData, c.at, transitioned ? c.at : cur.stateTransitionedAt,
          c.suppressedBy === undefined ? cur.suppressedBy : c.suppressedBy,
          c.suppressedReason === undefined ? cur.suppressedReason : c.suppressedReason, account, region, name);
      this.insertHistory(c.history);
      for (const h of c.actionHistory ?? []) this.insertHistory(h);
      // SqliteOutboxRepo.enqueue runs its statements synchronously before returning its promise,
      // so they join this transaction (as a savepoint).
      if (c.actions.length > 0) void this.outbox.enqueue(c.actions, c.at);
      return true;
    })();
  }

  setSuppression(account: string, region: string, name: string, by: string | null, reason: string | null): void {
    this.db.prepare('UPDATE alarms SET suppressed_by = ?, suppressed_reason = ? WHERE account = ? AND region = ? AND name = ?').run(by, reason, account, region, name);
  }

  /** Fires actions held back by a WaitPeriod, if the alarm is still in `state`; clears the suppression. */
  fireHeldActions(account: string, region: string, name: string, state: AlarmStateValue, actions: NewOutboxRow[], history: HistoryItem[], now: number): boolean {
    return this.db.transaction(() => {
      const cur = this.get(account, region, name);
      if (cur === undefined || cur.stateValue !== state) return false;
      this.db.prepare('UPDATE alarms SET suppressed_by = NULL, suppressed_reason = NULL WHERE account = ? AND region = ? AND name = ?').run(account, region, name);
      for (const h of history) this.insertHistory(h);
      if (actions.length > 0) void this.outbox.enqueue(actions, now);
      return true;
    })();
  }

  history(q: HistoryQuery): HistoryItem[] {
    const where = ['account = @account', 'region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit, offset: q.offset };
    if (q.alarmName !== undefined) { where.push('alarm_name = @name'); params.name = q.alarmName; }
    if (q.alarmTypes !== undefined) { where.push('alarm_type IN (SELECT value FROM json_each(@types))'); params.types = JSON.stringify(q.alarmTypes); }
    if (q.itemType !== undefined) { where.push('item_type = @itemType'); params.itemType = q.itemType; }
    if (q.startDate !== undefined) { where.push('ts >= @start'); params.start = q.startDate; }
    if (q.endDate !== undefined) { where.push('ts <= @end'); params.end = q.endDate; }
    const dir = q.ascending ? 'ASC' : 'DESC';
    const rows = this.db.prepare(`SELECT * FROM alarm_history WHERE ${where.join(' AND ')} ORDER BY ts ${dir}, id ${dir} LIMIT @limit OFFSET @offset`).all(params) as {
      account: string; region: string; alarm_name: string; alarm_type: AlarmKind; ts: number; item_type: HistoryItem['itemType']; summary: string; data: string;
    }[];
    return rows.map((r) => ({ account: r.account, region: r.region, alarmName: r.alarm_name, alarmType: r.alarm_type, timestamp: r.ts, itemType: r.item_type, summary: r.summary, data: r.data }));
  }

  private insertHistory(h: HistoryItem): void {
    this.db.prepare('INSERT INTO alarm_history (account, region, alarm_name, alarm_type, ts, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(h.account, h.region, h.alarmName, h.alarmType, h.timestamp, h.itemType, h.summary, h.data);
  }
}
