/** Archives and their events: the async repository the handlers, listener and jobs use, and its implementation on the metadata store. */
import type { Scope } from '../../../lib/arn.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';

export interface Archive {
  id: number;
  name: string;
  bus: string;
  description?: string;
  eventPattern?: string;
  /** Undefined or 0: kept forever. */
  retentionDays?: number;
  kmsKeyId?: string;
  state: string;
  stateReason?: string;
  createdAt: number;
  eventCount: number;
  sizeBytes: number;
}

export type NewArchive = Omit<Archive, 'id' | 'eventCount' | 'sizeBytes'>;
export type ArchivePatch = Partial<Pick<Archive, 'description' | 'eventPattern' | 'retentionDays' | 'kmsKeyId'>>;

/** One event to archive: `json` is stored as the bus carried it. */
export interface ArchiveAppend {
  archiveId: number;
  eventTime: number;
  archivedAt: number;
  json: string;
}

export interface ArchivedEvent {
  seq: number;
  eventTime: number;
  json: string;
}

/** Where a replay stands: the last event it dispatched. */
export interface Cursor {
  time: number;
  seq: number;
}

export interface ArchiveRepo {
  /** Undefined when the scope already has an archive of that name. */
  create(s: Scope, a: NewArchive): Promise<Archive | undefined>;
  get(s: Scope, name: string): Promise<Archive | undefined>;
  getById(id: number): Promise<Archive | undefined>;
  list(s: Scope, o: { prefix?: string; bus?: string; state?: string; after?: string; limit: number }): Promise<Archive[]>;
  update(s: Scope, name: string, patch: ArchivePatch): Promise<Archive | undefined>;
  /** Removes the archive now; its events are purged later, in batches (purgeDeleted). */
  delete(s: Scope, name: string): Promise<boolean>;
  /** The enabled archives of a bus. */
  ofBus(s: Scope, bus: string): Promise<Archive[]>;
  /** Stores events and moves the archives' counters, in one transaction. */
  append(rows: ArchiveAppend[]): Promise<void>;
  /** Events with start <= time < end, archived at or before `archivedBy`, after the cursor, in (time, seq) order. */
  eventsBetween(archiveId: number, o: { start: number; end: number; archivedBy?: number; after?: Cursor; limit: number }): Promise<ArchivedEvent[]>;
  /** Deletes up to `limit` events older than their archive's retention; returns how many. */
  expire(now: number, limit: number): Promise<number>;
  /** Deletes up to `limit` events of deleted archives; returns how many. */
  purgeDeleted(limit: number): Promise<number>;
}

interface ArchiveRow {
  id: number;
  name: string;
  bus: string;
  description: string | null;
  event_pattern: string | null;
  retention_days: number | null;
  kms_key_id: string | null;
  state: string;
  state_reason: string | null;
  created_at: number;
  event_count: number;
  size_bytes: number;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

const archiveFrom = (r: ArchiveRow): Archive => ({
  id: r.id, name: r.name, bus: r.bus, description: opt(r.description), eventPattern: opt(r.event_pattern), retentionDays: opt(r.retention_days),
  kmsKeyId: opt(r.kms_key_id), state: r.state, stateReason: opt(r.state_reason), createdAt: r.created_at, eventCount: r.event_count, sizeBytes: r.size_bytes,
});

const PATCH_COLUMNS: Record<keyof ArchivePatch, string> = {
  description: 'description', eventPattern: 'event_pattern', retentionDays: 'retention_days', kmsKeyId: 'kms_key_id',
};

const DAY_MS = 86_400_000;

export class ArchiveStore implements ArchiveRepo {
  constructor(private readonly db: Sql) {}

  async create(s: Scope, a: NewArchive) {
    const r = await this.db.run(
      `INSERT INTO events_archives (account, region, name, bus, description, event_pattern, retention_days, kms_key_id, state, state_reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [s.account, s.region, a.name, a.bus, a.description ?? null, a.eventPattern ?? null, a.retentionDays ?? null, a.kmsKeyId ?? null, a.state,
        a.stateReason ?? null, a.createdAt]);
    return r.changes > 0 ? this.get(s, a.name) : undefined;
  }

  async get(s: Scope, name: string) {
    const r = await this.db.get<ArchiveRow>('SELECT * FROM events_archives WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && archiveFrom(r);
  }

  async getById(id: number) {
    const r = await this.db.get<ArchiveRow>('SELECT * FROM events_archives WHERE id = ?', [id]);
    return r && archiveFrom(r);
  }

  async list(s: Scope, o: { prefix?: string; bus?: string; state?: string; after?: string; limit: number }) {
    const rows = await this.db.all<ArchiveRow>(
      `SELECT * FROM events_archives WHERE account = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
         AND (? IS NULL OR bus = ?) AND (? IS NULL OR state = ?) ORDER BY name LIMIT ?`,
      [s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.after ?? '', o.bus ?? null, o.bus ?? null, o.state ?? null, o.state ?? null,
        o.limit]);
    return rows.map(archiveFrom);
  }

  async update(s: Scope, name: string, patch: ArchivePatch) {
    const entries = (Object.keys(PATCH_COLUMNS) as (keyof ArchivePatch)[]).filter((k) => patch[k] !== undefined);
    if (entries.length > 0) {
      const sets = entries.map((k) => `${PATCH_COLUMNS[k]} = ?`).join(', ');
      await this.db.run(`UPDATE events_archives SET ${sets} WHERE account = ? AND region = ? AND name = ?`,
        [...entries.map((k) => patch[k]!), s.account, s.region, name]);
    }
    return this.get(s, name);
  }

  async delete(s: Scope, name: string) {
    return this.db.transaction(async (tx) => {
      const r = await tx.get<{ id: number }>('DELETE FROM events_archives WHERE account = ? AND region = ? AND name = ? RETURNING id', [s.account, s.region, name]);
      if (r) await tx.run('INSERT INTO events_archive_purges (archive_id) VALUES (?) ON CONFLICT DO NOTHING', [r.id]);
      return r !== undefined;
    });
  }

  async ofBus(s: Scope, bus: string) {
    const rows = await this.db.all<ArchiveRow>("SELECT * FROM events_archives WHERE account = ? AND region = ? AND bus = ? AND state = 'ENABLED'",
      [s.account, s.region, bus]);
    return rows.map(archiveFrom);
  }

  async append(rows: ArchiveAppend[]) {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      const totals = new Map<number, { n: number; bytes: number }>();
      for (const r of rows) {
        const bytes = Buffer.byteLength(r.json);
        await tx.run('INSERT INTO events_archived (archive_id, event_time, archived_at, bytes, event) VALUES (?, ?, ?, ?, ?)',
          [r.archiveId, r.eventTime, r.archivedAt, bytes, r.json]);
        const t = totals.get(r.archiveId) ?? { n: 0, bytes: 0 };
        t.n += 1;
        t.bytes += bytes;
        totals.set(r.archiveId, t);
      }
      // An UPDATE adds to the counters under the row's lock: concurrent appends on PostgreSQL add up.
      for (const [id, t] of totals) {
        await tx.run('UPDATE events_archives SET event_count = event_count + ?, size_bytes = size_bytes + ? WHERE id = ?', [t.n, t.bytes, id]);
      }
    });
  }

  async eventsBetween(archiveId: number, o: { start: number; end: number; archivedBy?: number; after?: Cursor; limit: number }) {
    const a = o.after ?? { time: Number.MIN_SAFE_INTEGER, seq: 0 };
    const rows = await this.db.all<{ seq: number; event_time: number; event: string }>(
      `SELECT seq, event_time, event FROM events_archived WHERE archive_id = ? AND event_time >= ? AND event_time < ? AND archived_at <= ?
         AND (event_time > ? OR (event_time = ? AND seq > ?)) ORDER BY event_time, seq LIMIT ?`,
      [archiveId, o.start, o.end, o.archivedBy ?? Number.MAX_SAFE_INTEGER, a.time, a.time, a.seq, o.limit]);
    return rows.map((r) => ({ seq: r.seq, eventTime: r.event_time, json: r.event }));
  }

  async expire(now: number, limit: number) {
    const archives = await this.db.all<{ id: number; retention_days: number }>(
      'SELECT id, retention_days FROM events_archives WHERE retention_days > 0 AND event_count > 0 ORDER BY id');
    let deleted = 0;
    for (const a of archives) {
      if (deleted >= limit) break;
      deleted += await this.deleteBatch(a.id, now - a.retention_days * DAY_MS, limit - deleted);
    }
    return deleted;
  }

  /**
   * Deletes up to `limit` events of one archive archived before `before`, keeping its counters right:
   * one DELETE … RETURNING (what another node deleted first is not counted twice), then the counters.
   */
  private deleteBatch(archiveId: number, before: number, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<{ bytes: number }>(
        `DELETE FROM events_archived WHERE seq IN
           (SELECT seq FROM events_archived WHERE archive_id = ? AND archived_at < ? ORDER BY archived_at, seq LIMIT ?) RETURNING bytes`,
        [archiveId, before, limit]);
      if (rows.length === 0) return 0;
      const bytes = rows.reduce((n, r) => n + r.bytes, 0);
      await tx.run(
        `UPDATE events_archives SET event_count = CASE WHEN event_count > ? THEN event_count - ? ELSE 0 END,
           size_bytes = CASE WHEN size_bytes > ? THEN size_bytes - ? ELSE 0 END WHERE id = ?`,
        [rows.length, rows.length, bytes, bytes, archiveId]);
      return rows.length;
    });
  }

  async purgeDeleted(limit: number) {
    const ids = (await this.db.all<{ archive_id: number }>('SELECT archive_id FROM events_archive_purges ORDER BY archive_id')).map((r) => r.archive_id);
    let deleted = 0;
    for (const id of ids) {
      const want = limit - deleted;
      if (want <= 0) break;
      const n = (await this.db.run('DELETE FROM events_archived WHERE seq IN (SELECT seq FROM events_archived WHERE archive_id = ? LIMIT ?)', [id, want])).changes;
      deleted += n;
      if (n < want) await this.db.run('DELETE FROM events_archive_purges WHERE archive_id = ?', [id]);
    }
    return deleted;
  }
}
