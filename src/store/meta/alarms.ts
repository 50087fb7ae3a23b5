/**
 * CloudWatch alarms (metric and composite) and their history, in the metadata store.
 *
 * An alarm's configuration is a typed record (MetricAlarmConfig / CompositeAlarmConfig) spelled
 * with the Put*Alarm model member names and stored as JSON in that layout, so DescribeAlarms
 * returns what was put and rows written by earlier versions (the raw Put*Alarm input minus Tags)
 * load unchanged; state columns change with every evaluation.
 *
 * A state change, its history item and the deliveries of the actions it fires are written in one
 * transaction (`transition`): after a crash either all of it happened or none did, so no
 * notification is lost or sent for a state the alarm never had.
 */
import type { ComparisonOperator, StandardUnit, Statistic } from '@aws-sdk/client-cloudwatch';
import type { MetaChanges } from './changes.ts';
import type { NewOutboxRow, OutboxRepo } from './outbox.ts';
import { startsWith } from './prefix.ts';
import { inListNamed } from './sql/in-list.ts';
import { forUpdate } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

export type AlarmKind = 'MetricAlarm' | 'CompositeAlarm';
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmDimension { Name: string; Value: string }

/** One entry of a metric-math alarm's Metrics (a MetricDataQuery). */
export interface AlarmMetricQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: AlarmDimension[] };
    Period: number;
    Stat: string;
    Unit?: StandardUnit;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

/** What both alarm kinds configure: the name, the description and the actions per state. */
interface AlarmConfigBase {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
}

/** A validated PutMetricAlarm: one metric (MetricName … Unit) or a metric-math `Metrics` list. */
export interface MetricAlarmConfig extends AlarmConfigBase {
  MetricName?: string;
  Namespace?: string;
  Statistic?: Statistic;
  ExtendedStatistic?: string;
  Dimensions?: AlarmDimension[];
  Period?: number;
  Unit?: StandardUnit;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  /** Absent on anomaly-detection alarms, whose thresholds are the band (ThresholdMetricId). */
  Threshold?: number;
  ThresholdMetricId?: string;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
  EvaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  Metrics?: AlarmMetricQuery[];
}

/** A validated PutCompositeAlarm. */
export interface CompositeAlarmConfig extends AlarmConfigBase {
  AlarmRule: string;
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

export type AlarmConfig = MetricAlarmConfig | CompositeAlarmConfig;

interface AlarmIdentity {
  account: string;
  region: string;
  name: string;
  configUpdatedAt: number;
  tags: Record<string, string>;
}

/** What Put*Alarm defines: the kind decides the shape of the configuration. */
export type AlarmDefinition =
  | (AlarmIdentity & { kind: 'MetricAlarm'; config: MetricAlarmConfig })
  | (AlarmIdentity & { kind: 'CompositeAlarm'; config: CompositeAlarmConfig });

interface AlarmStateFields {
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData: string | null;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  /** Composite alarms: why actions are suppressed right now (ActionsSuppressedBy / Reason). */
  suppressedBy: string | null;
  suppressedReason: string | null;
}

export type AlarmRecord = AlarmDefinition & AlarmStateFields;
export type MetricAlarmRecord = Extract<AlarmRecord, { kind: 'MetricAlarm' }>;
export type CompositeAlarmRecord = Extract<AlarmRecord, { kind: 'CompositeAlarm' }>;

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

/** A history item with its row id (ids only grow: the copy to the telemetry store reads by id). */
export interface StoredHistoryItem extends HistoryItem {
  id: number;
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

/**
 * The alarm store. Every method that writes does all of its writing in one transaction (`transition`
 * and `fireHeldActions` include the outbox rows), so a caller never sees half a change.
 */
export interface AlarmRepo {
  /**
   * Bumped by every configuration change (put, delete, setConfig) on any node sharing the store,
   * so callers can cache derived indexes (the runner's watch index).
   */
  readonly configVersion: number;
  get(account: string, region: string, name: string): Promise<AlarmRecord | undefined>;
  /** Every alarm of every account (the evaluator's working set). */
  all(): Promise<AlarmRecord[]>;
  list(q: AlarmListQuery): Promise<AlarmRecord[]>;
  /** Creates or replaces the configuration (tags merge); a new alarm starts in INSUFFICIENT_DATA. */
  put(a: AlarmDefinition, history: HistoryItem, initialReason: string): Promise<{ created: boolean }>;
  /** Deletes the named alarms (all or nothing is the caller's check); their history stays, as in AWS. */
  delete(account: string, region: string, names: string[], history: HistoryItem[]): Promise<void>;
  setConfig(account: string, region: string, name: string, config: AlarmConfig, history?: HistoryItem): Promise<void>;
  setTags(account: string, region: string, name: string, tags: Record<string, string>): Promise<void>;
  /**
   * Records a new state, its history, and enqueues its action deliveries — atomically. `expected`
   * guards against a concurrent change: nothing is written if the stored state is no longer `expected`.
   */
  transition(account: string, region: string, name: string, expected: AlarmStateValue, c: StateChange): Promise<boolean>;
  setSuppression(account: string, region: string, name: string, by: string | null, reason: string | null): Promise<void>;
  /** Fires actions held back by a WaitPeriod, if the alarm is still in `state`; clears the suppression. */
  fireHeldActions(account: string, region: string, name: string, state: AlarmStateValue, actions: NewOutboxRow[],
    history: HistoryItem[], now: number): Promise<boolean>;
  history(q: HistoryQuery): Promise<HistoryItem[]>;
  /** Items of every scope with `afterId` < id ≤ `throughId` (default: no upper bound), by id, at most `limit`. */
  historyAfter(afterId: number, limit: number, throughId?: number): Promise<StoredHistoryItem[]>;
  /**
   * An id through which every history item is final (committed, or never will be): a reader by id
   * that stops there skips nothing. On PostgreSQL concurrent transactions commit ids out of order (a
   * transition holding id 5 may commit after id 6 is visible); SQLite has one writer, so every id.
   */
  historyCommittedThrough(): Promise<number>;
  /** Deletes up to `limit` items (any scope) whose timestamp is before `before` (epoch ms); resolves with how many. */
  pruneHistory(before: number, limit: number): Promise<number>;
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

interface HistoryRow {
  id: number; account: string; region: string; alarm_name: string; alarm_type: AlarmKind; ts: number; item_type: HistoryItem['itemType']; summary: string; data: string;
}

const toHistoryItem = (r: HistoryRow): HistoryItem =>
  ({ account: r.account, region: r.region, alarmName: r.alarm_name, alarmType: r.alarm_type, timestamp: r.ts, itemType: r.item_type, summary: r.summary, data: r.data });

/**
 * The stored JSON is the configuration record in model member names — the same layout earlier
 * versions wrote (their raw Put*Alarm input minus Tags), which was validated before it was stored;
 * so the parsed value is trusted to have the record's shape, by kind.
 */
function toRecord(r: Row): AlarmRecord {
  const state: AlarmStateFields = {
    stateValue: r.state_value, stateReason: r.state_reason, stateReasonData: r.state_reason_data,
    stateUpdatedAt: r.state_updated_at, stateTransitionedAt: r.state_transitioned_at,
    suppressedBy: r.suppressed_by, suppressedReason: r.suppressed_reason,
  };
  const identity: AlarmIdentity = {
    account: r.account, region: r.region, name: r.name, configUpdatedAt: r.config_updated_at,
    tags: JSON.parse(r.tags) as Record<string, string>,
  };
  return r.kind === 'CompositeAlarm'
    ? { ...identity, ...state, kind: 'CompositeAlarm', config: JSON.parse(r.config) as CompositeAlarmConfig }
    : { ...identity, ...state, kind: 'MetricAlarm', config: JSON.parse(r.config) as MetricAlarmConfig };
}

/** The "alarm configurations changed" signal (store/meta/changes.ts). */
export const ALARM_CONFIG_TOPIC = 'cloudwatch.alarms';

const FIND = 'SELECT * FROM alarms WHERE account = ? AND region = ? AND name = ?';
const INSERT_HISTORY = 'INSERT INTO alarm_history (account, region, alarm_name, alarm_type, ts, item_type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Writes that depend on the stored alarm (put's tag merge, transition's expected-state guard) read
 * it with a row lock inside their transaction: on PostgreSQL two nodes evaluating the same alarm
 * serialize on the row, and the second sees the first's state and is refused by its guard.
 */
export class AlarmStore implements AlarmRepo {
  configVersion = 0;

  constructor(private readonly db: Sql, private readonly outbox: OutboxRepo, private readonly changes?: MetaChanges) {
    // Another node's put or delete: indexes built from this node's reads are stale.
    changes?.subscribe(ALARM_CONFIG_TOPIC, () => void this.configVersion++);
  }

  /** After a committed configuration change, here and on the other nodes. */
  private async configChanged(): Promise<void> {
    this.configVersion++;
    await this.changes?.publish(ALARM_CONFIG_TOPIC);
  }

  async get(account: string, region: string, name: string): Promise<AlarmRecord | undefined> {
    return this.find(this.db, account, region, name);
  }

  async all(): Promise<AlarmRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM alarms ORDER BY account, region, name')).map(toRecord);
  }

  async list(q: AlarmListQuery): Promise<AlarmRecord[]> {
    const where = ['account = @account', 'region = @region'];
    let params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit, offset: q.offset };
    if (q.names !== undefined) { const l = inListNamed('names', q.names); where.push(`name IN ${l.sql}`); params = { ...params, ...l.params }; }
    if (q.namePrefix !== undefined) where.push(startsWith('name', q.namePrefix, params));
    if (q.kinds !== undefined) { const l = inListNamed('kinds', q.kinds); where.push(`kind IN ${l.sql}`); params = { ...params, ...l.params }; }
    if (q.state !== undefined) { where.push('state_value = @state'); params.state = q.state; }
    return (await this.db.all<Row>(`SELECT * FROM alarms WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit OFFSET @offset`, params)).map(toRecord);
  }

  async put(a: AlarmDefinition, history: HistoryItem, initialReason: string): Promise<{ created: boolean }> {
    const created = await this.db.transaction(async (tx) => {
      const existing = await this.find(tx, a.account, a.region, a.name, forUpdate(tx));
      if (existing === undefined) {
        // A concurrent put of the same new name (another node) inserts nothing here and merges below.
        const inserted = await tx.run(`INSERT INTO alarms (account, region, name, kind, config, state_value, state_reason, state_reason_data,
          state_updated_at, state_transitioned_at, config_updated_at, tags)
          VALUES (?, ?, ?, ?, ?, 'INSUFFICIENT_DATA', ?, NULL, ?, ?, ?, ?)
          ON CONFLICT (account, region, name) DO NOTHING`,
        [a.account, a.region, a.name, a.kind, JSON.stringify(a.config), initialReason, a.configUpdatedAt, a.configUpdatedAt, a.configUpdatedAt, JSON.stringify(a.tags)]);
        if (inserted.changes === 1) {
          await this.insertHistory(tx, history);
          return true;
        }
      }
      const cur = existing ?? await this.find(tx, a.account, a.region, a.name, forUpdate(tx));
      await tx.run('UPDATE alarms SET kind = ?, config = ?, config_updated_at = ?, tags = ? WHERE account = ? AND region = ? AND name = ?',
        [a.kind, JSON.stringify(a.config), a.configUpdatedAt, JSON.stringify({ ...cur?.tags, ...a.tags }), a.account, a.region, a.name]);
      await this.insertHistory(tx, history);
      return false;
    });
    await this.configChanged();
    return { created };
  }

  async delete(account: string, region: string, names: string[], history: HistoryItem[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const n of names) await tx.run('DELETE FROM alarms WHERE account = ? AND region = ? AND name = ?', [account, region, n]);
      for (const h of history) await this.insertHistory(tx, h);
    });
    await this.configChanged();
  }

  async setConfig(account: string, region: string, name: string, config: AlarmConfig, history?: HistoryItem): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE alarms SET config = ? WHERE account = ? AND region = ? AND name = ?', [JSON.stringify(config), account, region, name]);
      if (history) await this.insertHistory(tx, history);
    });
    await this.configChanged();
  }

  async setTags(account: string, region: string, name: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE alarms SET tags = ? WHERE account = ? AND region = ? AND name = ?', [JSON.stringify(tags), account, region, name]);
  }

  async transition(account: string, region: string, name: string, expected: AlarmStateValue, c: StateChange): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const cur = await this.find(tx, account, region, name, forUpdate(tx));
      if (cur === undefined || cur.stateValue !== expected) return false;
      const transitioned = cur.stateValue !== c.stateValue;
      await tx.run(`UPDATE alarms SET state_value = ?, state_reason = ?, state_reason_data = ?, state_updated_at = ?,
        state_transitioned_at = ?, suppressed_by = ?, suppressed_reason = ? WHERE account = ? AND region = ? AND name = ?`,
      [c.stateValue, c.stateReason, c.stateReasonData, c.at, transitioned ? c.at : cur.stateTransitionedAt,
        c.suppressedBy === undefined ? cur.suppressedBy : c.suppressedBy,
        c.suppressedReason === undefined ? cur.suppressedReason : c.suppressedReason, account, region, name]);
      await this.insertHistory(tx, c.history);
      for (const h of c.actionHistory ?? []) await this.insertHistory(tx, h);
      // In this transaction: the deliveries commit with the state they announce, or not at all.
      await this.outbox.enqueue(c.actions, c.at, tx);
      return true;
    });
  }

  async setSuppression(account: string, region: string, name: string, by: string | null, reason: string | null): Promise<void> {
    await this.db.run('UPDATE alarms SET suppressed_by = ?, suppressed_reason = ? WHERE account = ? AND region = ? AND name = ?', [by, reason, account, region, name]);
  }

  async fireHeldActions(account: string, region: string, name: string, state: AlarmStateValue, actions: NewOutboxRow[],
    history: HistoryItem[], now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const cur = await this.find(tx, account, region, name, forUpdate(tx));
      if (cur === undefined || cur.stateValue !== state) return false;
      await tx.run('UPDATE alarms SET suppressed_by = NULL, suppressed_reason = NULL WHERE account = ? AND region = ? AND name = ?', [account, region, name]);
      for (const h of history) await this.insertHistory(tx, h);
      await this.outbox.enqueue(actions, now, tx);
      return true;
    });
  }

  async history(q: HistoryQuery): Promise<HistoryItem[]> {
    const where = ['account = @account', 'region = @region'];
    let params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit, offset: q.offset };
    if (q.alarmName !== undefined) { where.push('alarm_name = @name'); params.name = q.alarmName; }
    if (q.alarmTypes !== undefined) { const l = inListNamed('types', q.alarmTypes); where.push(`alarm_type IN ${l.sql}`); params = { ...params, ...l.params }; }
    if (q.itemType !== undefined) { where.push('item_type = @itemType'); params.itemType = q.itemType; }
    if (q.startDate !== undefined) { where.push('ts >= @start'); params.start = q.startDate; }
    if (q.endDate !== undefined) { where.push('ts <= @end'); params.end = q.endDate; }
    const dir = q.ascending ? 'ASC' : 'DESC';
    const rows = await this.db.all<HistoryRow>(`SELECT * FROM alarm_history WHERE ${where.join(' AND ')} ORDER BY ts ${dir}, id ${dir} LIMIT @limit OFFSET @offset`, params);
    return rows.map(toHistoryItem);
  }

  async historyAfter(afterId: number, limit: number, throughId = Number.MAX_SAFE_INTEGER): Promise<StoredHistoryItem[]> {
    const rows = await this.db.all<HistoryRow>('SELECT * FROM alarm_history WHERE id > ? AND id <= ? ORDER BY id LIMIT ?', [afterId, throughId, limit]);
    return rows.map((r) => ({ id: r.id, ...toHistoryItem(r) }));
  }

  async historyCommittedThrough(): Promise<number> {
    if (this.db.dialect === 'sqlite') return Number.MAX_SAFE_INTEGER;
    return this.db.transaction(async (tx) => {
      // SHARE waits for every transaction that inserted into the table (they hold ROW EXCLUSIVE
      // from their INSERT, which drew the id, to their commit) and keeps new ones out until this
      // commits: the largest id seen then has no uncommitted id below it. Held for one statement.
      await tx.run('LOCK TABLE alarm_history IN SHARE MODE');
      return Number((await tx.get<{ id: number | null }>('SELECT MAX(id) AS id FROM alarm_history'))?.id ?? 0);
    });
  }

  async pruneHistory(before: number, limit: number): Promise<number> {
    return (await this.db.run('DELETE FROM alarm_history WHERE id IN (SELECT id FROM alarm_history WHERE ts < ? ORDER BY ts, id LIMIT ?)', [before, limit])).changes;
  }

  private async find(on: Sql, account: string, region: string, name: string, lock = ''): Promise<AlarmRecord | undefined> {
    // Two texts at most (with and without the lock), each cached.
    const r = await on.get<Row>(lock ? FIND + lock : FIND, [account, region, name]);
    return r && toRecord(r);
  }

  private async insertHistory(on: Sql, h: HistoryItem): Promise<void> {
    await on.run(INSERT_HISTORY, [h.account, h.region, h.alarmName, h.alarmType, h.timestamp, h.itemType, h.summary, h.data]);
  }
}
