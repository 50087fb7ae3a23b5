/** Replays: the async repository the handlers and the replay runner use, and its SQLite implementation. */
import type { Scope } from '../../../lib/arn.ts';
import { PreparedStatements, type Db } from '../../../store/meta/db.ts';
import type { Cursor } from './archive-repo.ts';

export const ACTIVE_STATES = ['STARTING', 'RUNNING'] as const;

export interface Replay {
  account: string;
  region: string;
  name: string;
  archiveId: number;
  archiveName: string;
  bus: string;
  description?: string;
  /** Rule ARNs the replay is limited to (none: every rule of the bus). */
  filterArns?: string[];
  eventStart: number;
  eventEnd: number;
  state: string;
  stateReason?: string;
  startedAt: number;
  endedAt?: number;
  lastReplayed?: number;
  cursor?: Cursor;
}

export interface ReplayRepo {
  /** False when the scope already has a replay of that name. */
  create(r: Replay): Promise<boolean>;
  get(s: Scope, name: string): Promise<Replay | undefined>;
  list(s: Scope, o: { prefix?: string; state?: string; archiveName?: string; after?: string; limit: number }): Promise<Replay[]>;
  /** Replays STARTING or RUNNING in the scope (the concurrency quota). */
  countActive(s: Scope): Promise<number>;
  /** STARTING/RUNNING → CANCELLING; false when the replay was in another state. */
  cancel(s: Scope, name: string): Promise<boolean>;
  /** Leases up to `limit` unfinished replays whose lease is free or already `owner`'s. */
  claim(owner: string, now: number, leaseMs: number, limit: number): Promise<Replay[]>;
  /** Gives up `owner`'s leases (a clean stop: another process, or the next start, takes over at once). */
  release(owner: string): Promise<void>;
  /** Records progress (state RUNNING) and extends the lease; false when the replay left STARTING/RUNNING. */
  advance(r: Replay, p: { cursor?: Cursor; lastReplayed?: number; leaseUntil: number }): Promise<boolean>;
  /** Moves a replay in one of `from` to a final state; false when it was in none of them. */
  finish(r: Replay, from: readonly string[], to: string, reason: string | undefined, now: number): Promise<boolean>;
  /** Deletes replays that ended before `before`; returns how many. */
  purgeEnded(before: number): Promise<number>;
}

interface ReplayRow {
  account: string;
  region: string;
  name: string;
  archive_id: number;
  archive_name: string;
  bus: string;
  description: string | null;
  filter_arns: string | null;
  event_start: number;
  event_end: number;
  state: string;
  state_reason: string | null;
  started_at: number;
  ended_at: number | null;
  last_replayed: number | null;
  cursor_time: number | null;
  cursor_seq: number | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

const replayFrom = (r: ReplayRow): Replay => ({
  account: r.account, region: r.region, name: r.name, archiveId: r.archive_id, archiveName: r.archive_name, bus: r.bus,
  description: opt(r.description), filterArns: r.filter_arns === null ? undefined : (JSON.parse(r.filter_arns) as string[]),
  eventStart: r.event_start, eventEnd: r.event_end, state: r.state, stateReason: opt(r.state_reason), startedAt: r.started_at,
  endedAt: opt(r.ended_at), lastReplayed: opt(r.last_replayed),
  cursor: r.cursor_time === null || r.cursor_seq === null ? undefined : { time: r.cursor_time, seq: r.cursor_seq },
});

const KEY = 'account = ? AND region = ? AND name = ?';

export class SqliteReplayRepo implements ReplayRepo {
  private readonly statements: PreparedStatements;

  constructor(private readonly db: Db) {
    this.statements = new PreparedStatements(db);
  }

  private q(sql: string) {
    return this.statements.get(sql);
  }

  async create(r: Replay) {
    return this.q(
      `INSERT OR IGNORE INTO events_replays (account, region, name, archive_id, archive_name, bus, description, filter_arns, event_start, event_end, state, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(r.account, r.region, r.name, r.archiveId, r.archiveName, r.bus, r.description ?? null, r.filterArns ? JSON.stringify(r.filterArns) : null,
      r.eventStart, r.eventEnd, r.state, r.startedAt).changes > 0;
  }

  async get(s: Scope, name: string) {
    const r = this.q(`SELECT * FROM events_replays WHERE ${KEY}`).get(s.account, s.region, name) as ReplayRow | undefined;
    return r && replayFrom(r);
  }

  async list(s: Scope, o: { prefix?: string; state?: string; archiveName?: string; after?: string; limit: number }) {
    const rows = this.q(
      `SELECT * FROM events_replays WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
         AND (? IS NULL OR state = ?) AND (? IS NULL OR archive_name = ?) ORDER BY name LIMIT ?`,
    ).all(s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.state ?? null, o.state ?? null, o.archiveName ?? null,
      o.archiveName ?? null, o.limit) as ReplayRow[];
    return rows.map(replayFrom);
  }

  async countActive(s: Scope) {
    return (this.q("SELECT count(*) AS n FROM events_replays WHERE account = ? AND region = ? AND state IN ('STARTING', 'RUNNING')")
      .get(s.account, s.region) as { n: number }).n;
  }

  async cancel(s: Scope, name: string) {
    return this.q(`UPDATE events_replays SET state = 'CANCELLING' WHERE ${KEY} AND state IN ('STARTING', 'RUNNING')`)
      .run(s.account, s.region, name).changes > 0;
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number) {
    return this.db.transaction(() => {
      const rows = this.q(
        `SELECT * FROM events_replays WHERE state IN ('STARTING', 'RUNNING', 'CANCELLING') AND (lease_until < ? OR lease_owner = ?)
         ORDER BY started_at, name LIMIT ?`,
      ).all(now, owner, limit) as ReplayRow[];
      const lease = this.q(`UPDATE events_replays SET lease_owner = ?, lease_until = ? WHERE ${KEY}`);
      for (const r of rows) lease.run(owner, now + leaseMs, r.account, r.region, r.name);
      return rows.map(replayFrom);
    })();
  }

  async release(owner: string) {
    this.q('UPDATE events_replays SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ?').run(owner);
  }

  async advance(r: Replay, p: { cursor?: Cursor; lastReplayed?: number; leaseUntil: number }) {
    return this.q(
      `UPDATE events_replays SET state = 'RUNNING', cursor_time = coalesce(?, cursor_time), cursor_seq = coalesce(?, cursor_seq),
         last_replayed = coalesce(?, last_replayed), lease_until = ? WHERE ${KEY} AND state IN ('STARTING', 'RUNNING')`,
    ).run(p.cursor?.time ?? null, p.cursor?.seq ?? null, p.lastReplayed ?? null, p.leaseUntil, r.account, r.region, r.name).changes > 0;
  }

  async finish(r: Replay, from: readonly string[], to: string, reason: string | undefined, now: number) {
    const states = from.map(() => '?').join(', ');
    return this.q(
      `UPDATE events_replays SET state = ?, state_reason = ?, ended_at = ?, lease_owner = NULL, lease_until = 0 WHERE ${KEY} AND state IN (${states})`,
    ).run(to, reason ?? null, now, r.account, r.region, r.name, ...from).changes > 0;
  }

  async purgeEnded(before: number) {
    return this.q('DELETE FROM events_replays WHERE ended_at IS NOT NULL AND ended_at < ?').run(before).changes;
  }
}
