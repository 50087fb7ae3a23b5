/**
 * Timers: the next due time of every schedule a module runs (scheduled rules, Scheduler schedules),
 * leased per occurrence so that several Osprey processes sharing the metadata store fire each
 * occurrence once. A crash between claiming and settling re-fires that occurrence after the lease
 * runs out (at least once, never lost).
 */
import { skipLocked } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

export const TIMERS_SQL = `
  CREATE TABLE timers (
    module TEXT NOT NULL,
    key TEXT NOT NULL,
    next_fire_at INTEGER NOT NULL,
    spec TEXT NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (module, key)
  ) WITHOUT ROWID;
  CREATE INDEX timers_due ON timers (module, next_fire_at);
`;

export interface Timer {
  key: string;
  /** Epoch ms of the occurrence due next. */
  nextFireAt: number;
  /** What the owner computed the time from (an expression, a version), to notice changes. */
  spec: string;
}

export interface TimerRepo {
  list(module: string): Promise<Timer[]>;
  get(module: string, key: string): Promise<Timer | undefined>;
  upsert(module: string, t: Timer): Promise<void>;
  remove(module: string, key: string): Promise<void>;
  /** Leases up to `limit` due, unleased timers to `owner`. */
  /** Leases timers due by `dueBy` (default `now`: a runner firing ahead passes a later time). */
  claimDue(module: string, q: { now: number; dueBy?: number; owner: string; leaseMs: number; limit: number }): Promise<Timer[]>;
  /** After firing: the next occurrence (null = the timer is done), if `owner` still holds the lease. */
  settle(module: string, key: string, owner: string, next: number | null): Promise<void>;
  /** settle() for many timers in one transaction (a whole round of fires). */
  settleMany(module: string, owner: string, settled: { key: string; next: number | null }[]): Promise<void>;
  nextDueAt(module: string): Promise<number | undefined>;
  /** Per module: unexpired leases held by owners whose id starts with `ownerPrefix` (self-monitoring). */
  leasesHeld(now: number, ownerPrefix: string): Promise<{ module: string; held: number }[]>;
}

export class TimerStore implements TimerRepo {
  constructor(private readonly db: Sql) {}

  list(module: string) {
    return this.db.all<Timer>('SELECT key, next_fire_at AS nextFireAt, spec FROM timers WHERE module = ?', [module]);
  }

  get(module: string, key: string) {
    return this.db.get<Timer>('SELECT key, next_fire_at AS nextFireAt, spec FROM timers WHERE module = ? AND key = ?', [module, key]);
  }

  async upsert(module: string, t: Timer) {
    await this.db.run(
      `INSERT INTO timers (module, key, next_fire_at, spec) VALUES (?, ?, ?, ?)
       ON CONFLICT (module, key) DO UPDATE SET next_fire_at = excluded.next_fire_at, spec = excluded.spec, lease_owner = NULL, lease_until = 0`,
      [module, t.key, t.nextFireAt, t.spec]);
  }

  async remove(module: string, key: string) {
    await this.db.run('DELETE FROM timers WHERE module = ? AND key = ?', [module, key]);
  }

  claimDue(module: string, q: { now: number; dueBy?: number; owner: string; leaseMs: number; limit: number }) {
    return this.db.transaction(async (tx) => {
      const due = await tx.all<Timer>(
        `SELECT key, next_fire_at AS nextFireAt, spec FROM timers WHERE module = ? AND next_fire_at <= ? AND lease_until < ?
         ORDER BY next_fire_at LIMIT ?${skipLocked(tx)}`,
        [module, q.dueBy ?? q.now, q.now, q.limit]);
      for (const t of due) await tx.run('UPDATE timers SET lease_owner = ?, lease_until = ? WHERE module = ? AND key = ?', [q.owner, q.now + q.leaseMs, module, t.key]);
      return due;
    });
  }

  async settle(module: string, key: string, owner: string, next: number | null) {
    await this.settleOne(this.db, module, key, owner, next);
  }

  async settleMany(module: string, owner: string, settled: { key: string; next: number | null }[]) {
    await this.db.transaction(async (tx) => {
      for (const s of settled) await this.settleOne(tx, module, s.key, owner, s.next);
    });
  }

  private async settleOne(on: Sql, module: string, key: string, owner: string, next: number | null) {
    if (next === null) {
      await on.run('DELETE FROM timers WHERE module = ? AND key = ? AND lease_owner = ?', [module, key, owner]);
      return;
    }
    await on.run('UPDATE timers SET next_fire_at = ?, lease_owner = NULL, lease_until = 0 WHERE module = ? AND key = ? AND lease_owner = ?',
      [next, module, key, owner]);
  }

  async leasesHeld(now: number, ownerPrefix: string) {
    return this.db.all<{ module: string; held: number }>(
      'SELECT module, COUNT(*) AS held FROM timers WHERE lease_until > ? AND substr(lease_owner, 1, length(?)) = ? GROUP BY module ORDER BY module',
      [now, ownerPrefix, ownerPrefix]);
  }

  async nextDueAt(module: string) {
    const r = await this.db.get<{ t: number | null }>('SELECT min(next_fire_at) AS t FROM timers WHERE module = ?', [module]);
    return r?.t ?? undefined;
  }
}
