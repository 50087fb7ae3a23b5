/** Metric streams per (account, region), in SQLite, with each stream's delivery cursor. */
import type { Db, Migration } from '../../../store/meta/db.ts';
import { PreparedStatements } from '../../../store/meta/db.ts';
import type { StreamDefinition } from './definition.ts';

export interface Scope { account: string; region: string }

export interface MetricStreamRecord extends Scope {
  name: string;
  definition: StreamDefinition;
  state: 'running' | 'stopped';
  createdAt: number;
  updatedAt: number;
  /** The next minute (epoch ms, its start) to stream. */
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
];

type Row = Record<string, unknown>;

export class SqliteMetricStreamRepo {
  private readonly st: PreparedStatements;

  constructor(db: Db) {
    this.st = new PreparedStatements(db);
  }

  get(scope: Scope, name: string): MetricStreamRecord | undefined {
    const r = this.st.get('SELECT * FROM cw_metric_streams WHERE account = ? AND region = ? AND name = ?').get(scope.account, scope.region, name) as Row | undefined;
    return r && toRecord(r);
  }

  list(scope: Scope): MetricStreamRecord[] {
    return (this.st.get('SELECT * FROM cw_metric_streams WHERE account = ? AND region = ? ORDER BY name').all(scope.account, scope.region) as Row[]).map(toRecord);
  }

  running(): MetricStreamRecord[] {
    return (this.st.get("SELECT * FROM cw_metric_streams WHERE state = 'running' ORDER BY next_minute").all() as Row[]).map(toRecord);
  }

  put(r: MetricStreamRecord): void {
    this.st.get(`INSERT INTO cw_metric_streams (account, region, name, definition, state, created_at, updated_at, next_minute, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`)
      .run(r.account, r.region, r.name, JSON.stringify(r.definition), r.state, r.createdAt, r.updatedAt, r.nextMinute, JSON.stringify(r.tags));
  }

  /** Starting again streams from `nextMinute` (the current minute): a stopped stream skips its pause. */
  setState(scope: Scope, name: string, state: 'running' | 'stopped', nextMinute: number, now: number): boolean {
    const sql = state === 'running'
      ? "UPDATE cw_metric_streams SET state = 'running', next_minute = ?, updated_at = ? WHERE account = ? AND region = ? AND name = ? AND state = 'stopped'"
      : "UPDATE cw_metric_streams SET state = 'stopped', next_minute = ?, updated_at = ? WHERE account = ? AND region = ? AND name = ?";
    return this.st.get(sql).run(nextMinute, now, scope.account, scope.region, name).changes > 0;
  }

  advance(scope: Scope, name: string, nextMinute: number): void {
    this.st.get('UPDATE cw_metric_streams SET next_minute = ? WHERE account = ? AND region = ? AND name = ? AND next_minute < ?')
      .run(nextMinute, scope.account, scope.region, name, nextMinute);
  }

  setTags(scope: Scope, name: string, tags: Record<string, string>): void {
    this.st.get('UPDATE cw_metric_streams SET tags = ? WHERE account = ? AND region = ? AND name = ?').run(JSON.stringify(tags), scope.account, scope.region, name);
  }

  delete(scope: Scope, name: string): boolean {
    return this.st.get('DELETE FROM cw_metric_streams WHERE account = ? AND region = ? AND name = ?').run(scope.account, scope.region, name).changes > 0;
  }
}

const toRecord = (r: Row): MetricStreamRecord => ({
  account: String(r.account), region: String(r.region), name: String(r.name), definition: JSON.parse(String(r.definition)) as StreamDefinition,
  state: r.state === 'stopped' ? 'stopped' : 'running', createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  nextMinute: Number(r.next_minute), tags: JSON.parse(String(r.tags)) as Record<string, string>,
});
