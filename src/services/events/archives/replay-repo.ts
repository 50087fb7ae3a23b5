/** Replays: the async repository the handlers and the replay runner use, and its implementation on the metadata store. */
import type { Scope } from '../../../lib/arn.ts';
import { inList } from '../../../store/meta/sql/in-list.ts';
import { skipLocked } from '../../../store/meta/sql/locking.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
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

export class ReplayStore implements ReplayRepo {
  constructor(private readonly db: Sql) {}

  async create(r: Replay) {
    return (await this.db.run(
      `INSERT INTO events_replays (account, region, name, archive_id, archive_name, bus, description, filter_arns, event_start, event_end, state, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [r.account, r.region, r.name, r.archiveId, r.archiveName, r.bus, r.description ?? null, r.filterArns ? JSON.stringify(r.filterArns) : null,
        r.eventStart, r.eventEnd, r.state, r.startedAt])).changes > 0;
  }

  async get(s: Scope, name: string) {
    const r = await this.db.get<ReplayRow>(`SELECT * FROM events_replays WHERE ${KEY}`, [s.account, s.region, name]);
    return r && replayFrom(r);
  }

  async list(s: Scope, o: { prefix?: string; state?: string; archiveName?: string; after?: string; limit: number }) {
    const rows = await this.db.all<ReplayRow>(
      `SELECT * FROM events_replays WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
         AND (? IS NULL OR state = ?) AND (? IS NULL OR archive_name = ?) ORDER BY name LIMIT ?`,
      [s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.state ?? null, o.state ?? null, o.archiveName ?? null,
        o.archiveName ?? null, o.limit]);
    return rows.map(replayFrom);
  }

  async countActive(s: Scope) {
    return (await this.db.get<{ n: number }>("SELECT count(*) AS n FROM events_replays WHERE account = ? AND region = ? AND state IN ('STARTING', 'RUNNING')",
      [s.account, s.region]))!.n;
  }

  async cancel(s: Scope, name: string) {
    return (await this.db.run(`UPDATE events_replays SET state = 'CANCELLING' WHERE ${KEY} AND state IN ('STARTING', 'RUNNING')`,
      [s.account, s.region, name])).changes > 0;
  }

  async claim(owner: string, now: number, leaseMs: number, limit: number) {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<ReplayRow>(
        `SELECT * FROM events_replays WHERE state IN ('STARTING', 'RUNNING', 'CANCELLING') AND (lease_until < ? OR lease_owner = ?)
         ORDER BY started_at, account, region, name LIMIT ?${skipLocked(tx)}`,
        [now, owner, limit]);
      for (const r of rows) await tx.run(`UPDATE events_replays SET lease_owner = ?, lease_until = ? WHERE ${KEY}`, [owner, now + leaseMs, r.account, r.region, r.name]);
      return rows.map(replayFrom);
    });
  }

  async release(owner: string) {
    await this.db.run('UPDATE events_replays SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = ?', [owner]);
  }

  async advance(r: Replay, p: { cursor?: Cursor; lastReplayed?: number; leaseUntil: number }) {
    return (await this.db.run(
      `UPDATE events_replays SET state = 'RUNNING', cursor_time = coalesce(CAST(? AS BIGINT), cursor_time), cursor_seq = coalesce(CAST(? AS BIGINT), cursor_seq),
         last_replayed = coalesce(CAST(? AS BIGINT), last_replayed), lease_until = ? WHERE ${KEY} AND state IN ('STARTING', 'RUNNING')`,
      [p.cursor?.time ?? null, p.cursor?.seq ?? null, p.lastReplayed ?? null, p.leaseUntil, r.account, r.region, r.name])).changes > 0;
  }

  async finish(r: Replay, from: readonly string[], to: string, reason: string | undefined, now: number) {
    const states = inList(from);
    return (await this.db.run(
      `UPDATE events_replays SET state = ?, state_reason = ?, ended_at = ?, lease_owner = NULL, lease_until = 0 WHERE ${KEY} AND state IN ${states.sql}`,
      [to, reason ?? null, now, r.account, r.region, r.name, ...states.params])).changes > 0;
  }

  async purgeEnded(before: number) {
    return (await this.db.run('DELETE FROM events_replays WHERE ended_at IS NOT NULL AND ended_at < ?', [before])).changes;
  }
}
