/** Metric streams per (account, region), in the metadata store, with their streaming cursors (one per telemetry store). */
import type { Migration } from '../../../store/meta/db.ts';
import { ScopedCursors, scopedCursorsSql } from '../../../store/meta/scoped-cursors.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { StreamDefinition } from './definition.ts';

export interface Scope { account: string; region: string }

export interface MetricStreamRecord extends Scope {
  name: string;
  definition: StreamDefinition;
  state: 'running' | 'stopped';
  createdAt: number;
  updatedAt: number;
  /** Where streaming (re)starts (epoch ms, a minute's start) on a node that has no cursor yet (nextMinute()). */
  nextMinute: number;
  tags: Record<string, string>;
}

export const METRIC_STREAM_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'metric streams',
    sql: `CREATE TABLE cw_metric_streams (
      account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, state TEXT NOT NULL,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, next_minute INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (account, region, name))`,
  },
  {
    id: 2,
    name: 'metric stream cursors per telemetry store',
    // With an embedded telemetry store per node, each node streams the points it stored, from its
    // own cursor; `next_minute` stays where streaming (re)starts for a node without one.
    sql: scopedCursorsSql('cw_metric_stream_cursors'),
  },
];

type Row = Record<string, unknown>;

const cursorKey = (scope: Scope, name: string): string => `${scope.account}:${scope.region}:${name}`;

export class MetricStreamStore {
  private readonly cursors: ScopedCursors;

  /** `telemetryScope` keys the streaming cursors (store/telemetry/scope.ts). */
  constructor(private readonly db: Sql, telemetryScope = 'shared') {
    this.cursors = new ScopedCursors(db, 'cw_metric_stream_cursors', telemetryScope);
  }

  async get(scope: Scope, name: string): Promise<MetricStreamRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM cw_metric_streams WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name]);
    return r && toRecord(r);
  }

  async list(scope: Scope): Promise<MetricStreamRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM cw_metric_streams WHERE account = ? AND region = ? ORDER BY name', [scope.account, scope.region])).map(toRecord);
  }

  async running(): Promise<MetricStreamRecord[]> {
    return (await this.db.all<Row>("SELECT * FROM cw_metric_streams WHERE state = 'running' ORDER BY next_minute, account, region, name")).map(toRecord);
  }

  async put(r: MetricStreamRecord): Promise<void> {
    await this.db.run(`INSERT INTO cw_metric_streams (account, region, name, definition, state, created_at, updated_at, next_minute, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    [r.account, r.region, r.name, JSON.stringify(r.definition), r.state, r.createdAt, r.updatedAt, r.nextMinute, JSON.stringify(r.tags)]);
  }

  /**
   * Starting again streams from `nextMinute` (the current minute) on every node: a stopped stream
   * skips its pause, so the nodes' cursors are dropped with the change.
   */
  async setState(scope: Scope, name: string, state: 'running' | 'stopped', nextMinute: number, now: number): Promise<boolean> {
    const sql = state === 'running'
      ? "UPDATE cw_metric_streams SET state = 'running', next_minute = ?, updated_at = ? WHERE account = ? AND region = ? AND name = ? AND state = 'stopped'"
      : "UPDATE cw_metric_streams SET state = 'stopped', next_minute = ?, updated_at = ? WHERE account = ? AND region = ? AND name = ?";
    return this.db.transaction(async (tx) => {
      const changed = (await tx.run(sql, [nextMinute, now, scope.account, scope.region, name])).changes > 0;
      if (changed) await this.cursors.drop(cursorKey(scope, name), tx);
      return changed;
    });
  }

  /** The first minute this node has not streamed yet. */
  async nextMinute(r: MetricStreamRecord): Promise<number> {
    return (await this.cursors.get(cursorKey(r, r.name))) ?? r.nextMinute;
  }

  async advance(scope: Scope, name: string, nextMinute: number): Promise<void> {
    await this.cursors.set(cursorKey(scope, name), nextMinute);
  }

  async setTags(scope: Scope, name: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE cw_metric_streams SET tags = ? WHERE account = ? AND region = ? AND name = ?', [JSON.stringify(tags), scope.account, scope.region, name]);
  }

  async delete(scope: Scope, name: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.cursors.drop(cursorKey(scope, name), tx);
      return (await tx.run('DELETE FROM cw_metric_streams WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name])).changes > 0;
    });
  }
}

const toRecord = (r: Row): MetricStreamRecord => ({
  account: String(r.account), region: String(r.region), name: String(r.name), definition: JSON.parse(String(r.definition)) as StreamDefinition,
  state: r.state === 'stopped' ? 'stopped' : 'running', createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  nextMinute: Number(r.next_minute), tags: JSON.parse(String(r.tags)) as Record<string, string>,
});
