/**
 * The trails repository in the metadata store. Every trail is cached in memory: the recorder asks
 * `trailsFor` on every data call (PutLogEvents, PutMetricData…), so that answer must cost a map
 * lookup, synchronously. The cache is reloaded after every write through this repository; other
 * nodes' writes (PostgreSQL) arrive by a notification, and at most a second late by a background
 * re-read should one be missed.
 */
import { forUpdate } from '../../../store/meta/sql/locking.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import type { Trail, TrailDeliveryStatus, TrailRepo } from './types.ts';

/** How often, on a shared (PostgreSQL) store, reads start a background re-read of the trails. */
const RECHECK_MS = 1000;
const CHANNEL = 'cloudtrail_trails';

interface Snapshot {
  all: Trail[];
  byArn: Map<string, Trail>;
  byScope: Map<string, Trail[]>;
}

const scopeKey = (account: string, region: string) => `${account}\u0000${region}`;
const snapshotOf = (all: Trail[]): Snapshot => ({ all, byArn: new Map(all.map((t) => [t.arn, t])), byScope: new Map() });

export class TrailStore implements TrailRepo {
  private snapshot = snapshotOf([]);
  /** Reloads started / the newest one applied: an older read finishing late never wins. */
  private started = 0;
  private applied = 0;
  private checkedAt = 0;
  private refreshing: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;

  private constructor(readonly db: MetaDb) {}

  /** Loads the trails and follows other nodes' changes until `close`. */
  static async open(db: MetaDb): Promise<TrailStore> {
    const store = new TrailStore(db);
    await store.reload();
    store.unlisten = db.listen(CHANNEL, () => store.refresh());
    return store;
  }

  close(): void {
    this.unlisten?.();
    this.unlisten = undefined;
  }

  trailsFor(account: string, region: string): readonly Trail[] {
    const snap = this.current();
    const key = scopeKey(account, region);
    let list = snap.byScope.get(key);
    if (!list) {
      // Home trails of the scope plus the account's multi-region trails homed elsewhere.
      list = snap.all.filter((t) => t.account === account && (t.region === region || t.isMultiRegionTrail));
      snap.byScope.set(key, list);
    }
    return list;
  }

  all(): readonly Trail[] {
    return this.current().all;
  }

  get(trailArn: string): Trail | undefined {
    return this.current().byArn.get(trailArn);
  }

  ofAccount(account: string): readonly Trail[] {
    return this.current().all.filter((t) => t.account === account);
  }

  async create(trail: Trail, tags: Record<string, string>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO cloudtrail_trails (arn, account, region, name, config, tags) VALUES (?, ?, ?, ?, ?, ?)',
        [trail.arn, trail.account, trail.region, trail.name, JSON.stringify(trail), JSON.stringify(tags)]);
      // A trail created again under a deleted one's ARN starts without its progress.
      await tx.run('DELETE FROM cloudtrail_trail_delivery WHERE arn = ?', [trail.arn]);
      await tx.notify(CHANNEL, trail.arn);
    });
    await this.reload();
  }

  async save(trail: Trail): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE cloudtrail_trails SET config = ? WHERE arn = ?', [JSON.stringify(trail), trail.arn]);
      await tx.notify(CHANNEL, trail.arn);
    });
    await this.reload();
  }

  async remove(trailArn: string): Promise<boolean> {
    const removed = await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM cloudtrail_trail_delivery WHERE arn = ?', [trailArn]);
      const { changes } = await tx.run('DELETE FROM cloudtrail_trails WHERE arn = ?', [trailArn]);
      await tx.notify(CHANNEL, trailArn);
      return changes > 0;
    });
    await this.reload();
    return removed;
  }

  async tags(trailArn: string): Promise<Record<string, string> | undefined> {
    const row = await this.db.get<{ tags: string }>('SELECT tags FROM cloudtrail_trails WHERE arn = ?', [trailArn]);
    return row ? (JSON.parse(row.tags) as Record<string, string>) : undefined;
  }

  async setTags(trailArn: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE cloudtrail_trails SET tags = ? WHERE arn = ?', [JSON.stringify(tags), trailArn]);
  }

  async cursor(trailArn: string): Promise<number> {
    const row = await this.db.get<{ cursor: number }>('SELECT cursor FROM cloudtrail_trail_delivery WHERE arn = ?', [trailArn]);
    return row?.cursor ?? 0;
  }

  async setCursor(trailArn: string, seq: number): Promise<void> {
    await this.db.run(`INSERT INTO cloudtrail_trail_delivery (arn, cursor) VALUES (?, ?)
      ON CONFLICT (arn) DO UPDATE SET cursor = excluded.cursor`, [trailArn, seq]);
  }

  async updateStatus(trailArn: string, patch: TrailDeliveryStatus): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Delivery and digest passes (possibly on other nodes) patch different fields: read under a lock.
      const row = await tx.get<{ status: string }>(`SELECT status FROM cloudtrail_trail_delivery WHERE arn = ?${forUpdate(tx)}`, [trailArn]);
      const next = { ...(row ? (JSON.parse(row.status) as TrailDeliveryStatus) : {}), ...patch };
      await tx.run(`INSERT INTO cloudtrail_trail_delivery (arn, status) VALUES (?, ?)
        ON CONFLICT (arn) DO UPDATE SET status = excluded.status`, [trailArn, JSON.stringify(next)]);
    });
  }

  async status(trailArn: string): Promise<TrailDeliveryStatus> {
    const row = await this.db.get<{ status: string }>('SELECT status FROM cloudtrail_trail_delivery WHERE arn = ?', [trailArn]);
    return row ? (JSON.parse(row.status) as TrailDeliveryStatus) : {};
  }

  /** Re-reads every trail (after a write here, or another node's). */
  async reload(): Promise<void> {
    const gen = ++this.started;
    this.checkedAt = Date.now();
    const rows = await this.db.all<{ config: string }>('SELECT config FROM cloudtrail_trails ORDER BY account, region, name, arn');
    if (gen < this.applied) return;
    this.applied = gen;
    this.snapshot = snapshotOf(rows.map((r) => JSON.parse(r.config) as Trail));
  }

  /** A background reload, one at a time; failures leave the current snapshot for the next try. */
  private refresh(): void {
    if (this.refreshing) return;
    this.refreshing = this.reload().catch(() => {}).finally(() => { this.refreshing = undefined; });
  }

  private current(): Snapshot {
    // SQLite is one process per data directory: its own writes reload the cache. PostgreSQL is
    // shared: notifications may be missed while reconnecting, so re-read now and then.
    if (this.db.dialect === 'postgres' && Date.now() - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = Date.now();
      this.refresh();
    }
    return this.snapshot;
  }
}
