import type { Db } from './db.ts';
import { startsWith } from './prefix.ts';

export interface LogGroupRecord {
  account: string;
  region: string;
  name: string;
  createdAt: number;
  retentionDays: number | null;
  kmsKeyId: string | null;
  logGroupClass: string;
  deletionProtection: boolean;
  tags: Record<string, string>;
  storedBytes: number;
}

export interface LogStreamRecord {
  name: string;
  createdAt: number;
  firstEventTs: number | null;
  lastEventTs: number | null;
  lastIngestionTime: number | null;
  storedBytes: number;
  uploadSequence: number;
}

export interface GroupKey {
  account: string;
  region: string;
  name: string;
}

export interface ListGroupsQuery {
  account: string;
  region: string;
  prefix?: string;
  /** Case-sensitive substring. */
  pattern?: string;
  logGroupClass?: string;
  names?: string[];
  /** Exclusive lower bound on name (pagination). */
  after?: string;
  limit: number;
}

export interface ListStreamsQuery {
  account: string;
  region: string;
  logGroup: string;
  prefix?: string;
  orderBy: 'LogStreamName' | 'LastEventTime';
  descending: boolean;
  offset: number;
  limit: number;
}

export interface StreamIngest {
  firstTs: number;
  lastTs: number;
  ingestionTime: number;
  bytes: number;
}

/**
 * Log groups and streams. Async signatures so a PostgreSQL implementation can stand in; the SQLite
 * one answers synchronously underneath (sub-millisecond statements).
 */
export interface LogsMetaRepo {
  createGroup(g: Omit<LogGroupRecord, 'storedBytes'>): Promise<boolean>;
  getGroup(k: GroupKey): Promise<LogGroupRecord | undefined>;
  deleteGroup(k: GroupKey): Promise<boolean>;
  listGroups(q: ListGroupsQuery): Promise<LogGroupRecord[]>;
  createStream(k: GroupKey, stream: string, createdAt: number): Promise<boolean>;
  getStream(k: GroupKey, stream: string): Promise<LogStreamRecord | undefined>;
  deleteStream(k: GroupKey, stream: string): Promise<boolean>;
  listStreams(q: ListStreamsQuery): Promise<LogStreamRecord[]>;
  recordIngest(k: GroupKey, stream: string, i: StreamIngest): Promise<number>;
  updateGroup(k: GroupKey, patch: GroupPatch): Promise<boolean>;
  /** Earliest and latest event timestamps over the group's streams (undefined when empty). */
  groupTimeRange(k: GroupKey): Promise<{ first: number; last: number } | undefined>;
  /** Groups with a retention policy, for the retention job. */
  groupsWithRetention(): Promise<LogGroupRecord[]>;
  /** Replaces each listed stream's storedBytes with the store's recount (after retention deletes). */
  setStoredBytes(k: GroupKey, bytesByStream: Map<string, number>): Promise<void>;
}

export interface GroupPatch {
  tags?: Record<string, string>;
  retentionDays?: number | null;
  kmsKeyId?: string | null;
}

interface GroupRow {
  account: string;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  deletion_protection: number;
  tags: string;
  stored_bytes: number;
}

interface StreamRow {
  name: string;
  created_at: number;
  first_event_ts: number | null;
  last_event_ts: number | null;
  last_ingestion_time: number | null;
  stored_bytes: number;
  upload_sequence: number;
}

const GROUP_COLUMNS = `g.account, g.region, g.name, g.created_at, g.retention_days, g.kms_key_id, g.log_group_class,
  g.deletion_protection, g.tags,
  (SELECT COALESCE(SUM(s.stored_bytes), 0) FROM log_streams s
    WHERE s.account = g.account AND s.region = g.region AND s.log_group = g.name) AS stored_bytes`;

const toGroup = (r: GroupRow): LogGroupRecord => ({
  account: r.account,
  region: r.region,
  name: r.name,
  createdAt: r.created_at,
  retentionDays: r.retention_days,
  kmsKeyId: r.kms_key_id,
  logGroupClass: r.log_group_class,
  deletionProtection: r.deletion_protection === 1,
  tags: JSON.parse(r.tags) as Record<string, string>,
  storedBytes: r.stored_bytes,
});

const toStream = (r: StreamRow): LogStreamRecord => ({
  name: r.name,
  createdAt: r.created_at,
  firstEventTs: r.first_event_ts,
  lastEventTs: r.last_event_ts,
  lastIngestionTime: r.last_ingestion_time,
  storedBytes: r.stored_bytes,
  uploadSequence: r.upload_sequence,
});


export class SqliteLogsMetaRepo implements LogsMetaRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertGroup: db.prepare(`INSERT OR IGNORE INTO log_groups
        (account, region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection, tags)
        VALUES (@account, @region, @name, @createdAt, @retentionDays, @kmsKeyId, @logGroupClass, @deletionProtection, @tags)`),
      getGroup: db.prepare(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE g.account = ? AND g.region = ? AND g.name = ?`),
      deleteGroup: db.prepare('DELETE FROM log_groups WHERE account = ? AND region = ? AND name = ?'),
      insertStream: db.prepare(`INSERT OR IGNORE INTO log_streams (account, region, log_group, name, created_at)
        VALUES (?, ?, ?, ?, ?)`),
      getStream: db.prepare('SELECT * FROM log_streams WHERE account = ? AND region = ? AND log_group = ? AND name = ?'),
      deleteStream: db.prepare('DELETE FROM log_streams WHERE account = ? AND region = ? AND log_group = ? AND name = ?'),
      setStoredBytes: db.prepare('UPDATE log_streams SET stored_bytes = ? WHERE account = ? AND region = ? AND log_group = ? AND name = ?'),
      ingest: db.prepare(`UPDATE log_streams SET
          first_event_ts = MIN(COALESCE(first_event_ts, @firstTs), @firstTs),
          last_event_ts = MAX(COALESCE(last_event_ts, @lastTs), @lastTs),
          last_ingestion_time = @ingestionTime,
          stored_bytes = stored_bytes + @bytes,
          upload_sequence = upload_sequence + 1
        WHERE account = @account AND region = @region AND log_group = @group AND name = @stream
        RETURNING upload_sequence`),
    };
  }

  async createGroup(g: Omit<LogGroupRecord, 'storedBytes'>): Promise<boolean> {
    const res = this.stmts.insertGroup.run({
      ...g,
      deletionProtection: g.deletionProtection ? 1 : 0,
      tags: JSON.stringify(g.tags),
    });
    return res.changes === 1;
  }

  async getGroup(k: GroupKey): Promise<LogGroupRecord | undefined> {
    const row = this.stmts.getGroup.get(k.account, k.region, k.name) as GroupRow | undefined;
    return row && toGroup(row);
  }

  async deleteGroup(k: GroupKey): Promise<boolean> {
    return this.stmts.deleteGroup.run(k.account, k.region, k.name).changes === 1;
  }

  async listGroups(q: ListGroupsQuery): Promise<LogGroupRecord[]> {
    const where = ['g.account = @account', 'g.region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit };
    if (q.prefix !== undefined) {
      where.push(startsWith('g.name', q.prefix, params));
    }
    if (q.pattern !== undefined) {
      // instr is case-sensitive, unlike SQLite's LIKE for ASCII.
      where.push('instr(g.name, @pattern) > 0');
      params.pattern = q.pattern;
    }
    if (q.logGroupClass !== undefined) {
      where.push('g.log_group_class = @cls');
      params.cls = q.logGroupClass;
    }
    if (q.names !== undefined) {
      where.push(`g.name IN (SELECT value FROM json_each(@names))`);
      params.names = JSON.stringify(q.names);
    }
    if (q.after !== undefined) {
      where.push('g.name > @after');
      params.after = q.after;
    }
    const rows = this.db
      .prepare(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE ${where.join(' AND ')} ORDER BY g.name LIMIT @limit`)
      .all(params) as GroupRow[];
    return rows.map(toGroup);
  }

  async createStream(k: GroupKey, stream: string, createdAt: number): Promise<boolean> {
    return this.stmts.insertStream.run(k.account, k.region, k.name, stream, createdAt).changes === 1;
  }

  async getStream(k: GroupKey, stream: string): Promise<LogStreamRecord | undefined> {
    const row = this.stmts.getStream.get(k.account, k.region, k.name, stream) as StreamRow | undefined;
    return row && toStream(row);
  }

  async deleteStream(k: GroupKey, stream: string): Promise<boolean> {
    return this.stmts.deleteStream.run(k.account, k.region, k.name, stream).changes === 1;
  }

  async listStreams(q: ListStreamsQuery): Promise<LogStreamRecord[]> {
    const where = ['account = @account', 'region = @region', 'log_group = @group'];
    const params: Record<string, unknown> = {
      account: q.account,
      region: q.region,
      group: q.logGroup,
      limit: q.limit,
      offset: q.offset,
    };
    if (q.prefix !== undefined) {
      where.push(startsWith('name', q.prefix, params));
    }
    const dir = q.descending ? 'DESC' : 'ASC';
    // Streams without events sort as oldest, like CloudWatch's LastEventTime ordering.
    const order = q.orderBy === 'LastEventTime' ? `COALESCE(last_event_ts, 0) ${dir}, name ${dir}` : `name ${dir}`;
    const rows = this.db
      .prepare(`SELECT * FROM log_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all(params) as StreamRow[];
    return rows.map(toStream);
  }

  async updateGroup(k: GroupKey, patch: GroupPatch): Promise<boolean> {
    const sets: string[] = [];
    const params: Record<string, unknown> = { account: k.account, region: k.region, name: k.name };
    if (patch.tags !== undefined) {
      sets.push('tags = @tags');
      params.tags = JSON.stringify(patch.tags);
    }
    if (patch.retentionDays !== undefined) {
      sets.push('retention_days = @retentionDays');
      params.retentionDays = patch.retentionDays;
    }
    if (patch.kmsKeyId !== undefined) {
      sets.push('kms_key_id = @kmsKeyId');
      params.kmsKeyId = patch.kmsKeyId;
    }
    if (sets.length === 0) return (await this.getGroup(k)) !== undefined;
    const sql = `UPDATE log_groups SET ${sets.join(', ')} WHERE account = @account AND region = @region AND name = @name`;
    return this.db.prepare(sql).run(params).changes === 1;
  }

  async groupTimeRange(k: GroupKey): Promise<{ first: number; last: number } | undefined> {
    const r = this.db
      .prepare('SELECT MIN(first_event_ts) AS first, MAX(last_event_ts) AS last FROM log_streams WHERE account = ? AND region = ? AND log_group = ?')
      .get(k.account, k.region, k.name) as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? undefined : { first: r.first, last: r.last };
  }

  async groupsWithRetention(): Promise<LogGroupRecord[]> {
    const rows = this.db.prepare(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE g.retention_days IS NOT NULL`).all() as GroupRow[];
    return rows.map(toGroup);
  }

  async setStoredBytes(k: GroupKey, bytesByStream: Map<string, number>): Promise<void> {
    this.db.transaction(() => {
      for (const [stream, bytes] of bytesByStream) this.stmts.setStoredBytes.run(bytes, k.account, k.region, k.name, stream);
    })();
  }

  async recordIngest(k: GroupKey, stream: string, i: StreamIngest): Promise<number> {
    const row = this.stmts.ingest.get({ ...i, account: k.account, region: k.region, group: k.name, stream }) as
      | { upload_sequence: number }
      | undefined;
    return row?.upload_sequence ?? 0;
  }
}

