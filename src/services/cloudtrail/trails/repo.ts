/**
 * The trails repository in the metadata store. Every trail is cached in memory (FollowedSnapshot):
 * the recorder asks `trailsFor` on every data call (PutLogEvents, PutMetricData…), so that answer
 * must cost a map lookup, synchronously.
 */
import { ScopedCursors } from '../../../store/meta/scoped-cursors.ts';
import { FollowedSnapshot } from '../../../store/meta/sql/followed-snapshot.ts';
import { forUpdate } from '../../../store/meta/sql/locking.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import type { Trail, TrailDeliveryStatus, TrailRepo } from './types.ts';

const CHANNEL = 'cloudtrail_trails';
/** Delivery cursors per telemetry scope (trails/schema.ts migration 2). */
export const DELIVERY_CURSORS = 'cloudtrail_delivery_cursors';

interface Snapshot {
  all: Trail[];
  byArn: Map<string, Trail>;
  byScope: Map<string, Trail[]>;
}

const scopeKey = (account: string, region: string) => `${account}\u0000${region}`;
const snapshotOf = (all: Trail[]): Snapshot => ({ all, byArn: new Map(all.map((t) => [t.arn, t])), byScope: new Map() });

const loadTrails = async (db: MetaDb): Promise<Snapshot> =>
  snapshotOf((await db.all<{ config: string }>('SELECT config FROM cloudtrail_trails ORDER BY account, region, name, arn'))
    .map((r) => JSON.parse(r.config) as Trail));

export class TrailStore implements TrailRepo {
  private readonly cursors: ScopedCursors;

  private constructor(readonly db: MetaDb, private readonly snapshot: FollowedSnapshot<Snapshot>, telemetryScope: string) {
    this.cursors = new ScopedCursors(db, DELIVERY_CURSORS, telemetryScope);
  }

  /**
   * Loads the trails and follows other nodes' changes until `close`. `telemetryScope` keys the
   * delivery cursors: the records' sequence numbers are those of this node's telemetry store.
   */
  static async open(db: MetaDb, telemetryScope = 'shared'): Promise<TrailStore> {
    return new TrailStore(db, await FollowedSnapshot.open(db, CHANNEL, loadTrails), telemetryScope);
  }

  close(): void {
    this.snapshot.close();
  }

  /** Re-reads every trail (after a write here). */
  reload(): Promise<void> {
    return this.snapshot.reload();
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
      await this.cursors.drop(trail.arn, tx);
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
      await this.cursors.drop(trailArn, tx);
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
    const scoped = await this.cursors.get(trailArn);
    if (scoped !== undefined) return scoped;
    // Written before cursors were kept per telemetry scope (one node): where that node had got to.
    const row = await this.db.get<{ cursor: number }>('SELECT cursor FROM cloudtrail_trail_delivery WHERE arn = ?', [trailArn]);
    return Number(row?.cursor ?? 0);
  }

  async setCursor(trailArn: string, seq: number): Promise<void> {
    await this.cursors.set(trailArn, seq);
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

  private current(): Snapshot {
    return this.snapshot.current();
  }
}
