/**
 * The trails repository over SQLite. Every trail is cached in memory: the recorder asks
 * `trailsFor` on every data call (PutLogEvents, PutMetricData…), so that answer must cost a map
 * lookup. The cache is dropped on every write through this repository and, at most once a second,
 * when another connection (another Osprey process on the same database) has committed.
 */
import { PreparedStatements, type Db } from '../../../store/meta/db.ts';
import type { Trail, TrailDeliveryStatus, TrailRepo } from './types.ts';

/** How often trailsFor looks for other connections' commits (PRAGMA data_version). */
const RECHECK_MS = 1000;

interface Snapshot {
  all: Trail[];
  byArn: Map<string, Trail>;
  byScope: Map<string, Trail[]>;
}

const scopeKey = (account: string, region: string) => `${account}\u0000${region}`;

export class SqliteTrailRepo implements TrailRepo {
  private readonly st: PreparedStatements;
  private snapshot: Snapshot | undefined;
  private dataVersion = -1;
  private checkedAt = 0;

  constructor(readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  trailsFor(account: string, region: string): readonly Trail[] {
    const snap = this.load();
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
    return this.load().all;
  }

  get(trailArn: string): Trail | undefined {
    return this.load().byArn.get(trailArn);
  }

  ofAccount(account: string): readonly Trail[] {
    return this.load().all.filter((t) => t.account === account);
  }

  create(trail: Trail, tags: Record<string, string>): void {
    this.db.transaction(() => {
      this.st.get('INSERT INTO cloudtrail_trails (arn, account, region, name, config, tags) VALUES (?, ?, ?, ?, ?, ?)')
        .run(trail.arn, trail.account, trail.region, trail.name, JSON.stringify(trail), JSON.stringify(tags));
      // A trail created again under a deleted one's ARN starts without its progress.
      this.st.get('DELETE FROM cloudtrail_trail_delivery WHERE arn = ?').run(trail.arn);
    })();
    this.invalidate();
  }

  save(trail: Trail): void {
    this.st.get('UPDATE cloudtrail_trails SET config = ? WHERE arn = ?').run(JSON.stringify(trail), trail.arn);
    this.invalidate();
  }

  remove(trailArn: string): boolean {
    const removed = this.db.transaction(() => {
      this.st.get('DELETE FROM cloudtrail_trail_delivery WHERE arn = ?').run(trailArn);
      return this.st.get('DELETE FROM cloudtrail_trails WHERE arn = ?').run(trailArn).changes > 0;
    })();
    this.invalidate();
    return removed;
  }

  tags(trailArn: string): Record<string, string> | undefined {
    const row = this.st.get('SELECT tags FROM cloudtrail_trails WHERE arn = ?').get(trailArn) as { tags: string } | undefined;
    return row ? (JSON.parse(row.tags) as Record<string, string>) : undefined;
  }

  setTags(trailArn: string, tags: Record<string, string>): void {
    this.st.get('UPDATE cloudtrail_trails SET tags = ? WHERE arn = ?').run(JSON.stringify(tags), trailArn);
  }

  cursor(trailArn: string): number {
    const row = this.st.get('SELECT cursor FROM cloudtrail_trail_delivery WHERE arn = ?').get(trailArn) as { cursor: number } | undefined;
    return row?.cursor ?? 0;
  }

  setCursor(trailArn: string, seq: number): void {
    this.st.get(`INSERT INTO cloudtrail_trail_delivery (arn, cursor) VALUES (?, ?)
      ON CONFLICT (arn) DO UPDATE SET cursor = excluded.cursor`).run(trailArn, seq);
  }

  updateStatus(trailArn: string, patch: TrailDeliveryStatus): void {
    this.db.transaction(() => {
      const next = { ...this.status(trailArn), ...patch };
      this.st.get(`INSERT INTO cloudtrail_trail_delivery (arn, status) VALUES (?, ?)
        ON CONFLICT (arn) DO UPDATE SET status = excluded.status`).run(trailArn, JSON.stringify(next));
    })();
  }

  status(trailArn: string): TrailDeliveryStatus {
    const row = this.st.get('SELECT status FROM cloudtrail_trail_delivery WHERE arn = ?').get(trailArn) as { status: string } | undefined;
    return row ? (JSON.parse(row.status) as TrailDeliveryStatus) : {};
  }

  private invalidate(): void {
    this.snapshot = undefined;
  }

  private load(): Snapshot {
    const now = Date.now();
    if (this.snapshot && now - this.checkedAt < RECHECK_MS) return this.snapshot;
    this.checkedAt = now;
    // data_version changes only when another connection commits: this process's own writes
    // invalidate the cache directly.
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (this.snapshot && version === this.dataVersion) return this.snapshot;
    this.dataVersion = version;
    const rows = this.st.get('SELECT config FROM cloudtrail_trails ORDER BY account, region, name').all() as Array<{ config: string }>;
    const all = rows.map((r) => JSON.parse(r.config) as Trail);
    this.snapshot = { all, byArn: new Map(all.map((t) => [t.arn, t])), byScope: new Map() };
    return this.snapshot;
  }
}
