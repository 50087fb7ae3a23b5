import { startsWith } from './prefix.ts';
import { inListNamed } from './sql/in-list.ts';
import type { Sql } from './sql/types.ts';

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

/** Log groups and streams, on either metadata engine (docs/metadata-store.md). */
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
  /** Takes bytes one node's retention deleted off each stream's storedBytes (never below 0). */
  subtractStoredBytes(k: GroupKey, bytesByStream: Map<string, number>): Promise<void>;
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


const INSERT_GROUP = `INSERT INTO log_groups
  (account, region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection, tags)
  VALUES (@account, @region, @name, @createdAt, @retentionDays, @kmsKeyId, @logGroupClass, @deletionProtection, @tags)
  ON CONFLICT (account, region, name) DO NOTHING`;
const GET_GROUP = `SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE g.account = ? AND g.region = ? AND g.name = ?`;
const DELETE_GROUP = 'DELETE FROM log_groups WHERE account = ? AND region = ? AND name = ?';
const INSERT_STREAM = `INSERT INTO log_streams (account, region, log_group, name, created_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, region, log_group, name) DO NOTHING`;
const GET_STREAM = 'SELECT * FROM log_streams WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const DELETE_STREAM = 'DELETE FROM log_streams WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const SET_STORED_BYTES = 'UPDATE log_streams SET stored_bytes = ? WHERE account = ? AND region = ? AND log_group = ? AND name = ?';
const SUBTRACT_STORED_BYTES = `UPDATE log_streams SET stored_bytes = CASE WHEN stored_bytes > @bytes THEN stored_bytes - @bytes ELSE 0 END
  WHERE account = @account AND region = @region AND log_group = @group AND name = @stream`;
// Scalar MIN/MAX are SQLite's; CASE says the same on both engines. One statement per batch: the
// increment happens in the row, so concurrent batches on PostgreSQL serialize on its row lock.
const INGEST = `UPDATE log_streams SET
    first_event_ts = CASE WHEN first_event_ts IS NULL OR first_event_ts > @firstTs THEN @firstTs ELSE first_event_ts END,
    last_event_ts = CASE WHEN last_event_ts IS NULL OR last_event_ts < @lastTs THEN @lastTs ELSE last_event_ts END,
    last_ingestion_time = @ingestionTime,
    stored_bytes = stored_bytes + @bytes,
    upload_sequence = upload_sequence + 1
  WHERE account = @account AND region = @region AND log_group = @group AND name = @stream
  RETURNING upload_sequence`;
const GROUP_TIME_RANGE = 'SELECT MIN(first_event_ts) AS first, MAX(last_event_ts) AS last FROM log_streams WHERE account = ? AND region = ? AND log_group = ?';
const GROUPS_WITH_RETENTION = `SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE g.retention_days IS NOT NULL ORDER BY g.account, g.region, g.name`;

export class LogsMetaStore implements LogsMetaRepo {
  constructor(private readonly db: Sql) {}

  async createGroup(g: Omit<LogGroupRecord, 'storedBytes'>): Promise<boolean> {
    const res = await this.db.run(INSERT_GROUP, {
      account: g.account,
      region: g.region,
      name: g.name,
      createdAt: g.createdAt,
      retentionDays: g.retentionDays,
      kmsKeyId: g.kmsKeyId,
      logGroupClass: g.logGroupClass,
      deletionProtection: g.deletionProtection ? 1 : 0,
      tags: JSON.stringify(g.tags),
    });
    return res.changes === 1;
  }

  async getGroup(k: GroupKey): Promise<LogGroupRecord | undefined> {
    const row = await this.db.get<GroupRow>(GET_GROUP, [k.account, k.region, k.name]);
    return row && toGroup(row);
  }

  async deleteGroup(k: GroupKey): Promise<boolean> {
    return (await this.db.run(DELETE_GROUP, [k.account, k.region, k.name])).changes === 1;
  }

  async listGroups(q: ListGroupsQuery): Promise<LogGroupRecord[]> {
    const where = ['g.account = @account', 'g.region = @region'];
    const params: Record<string, unknown> = { account: q.account, region: q.region, limit: q.limit };
    if (q.prefix !== undefined) {
      where.push(startsWith('g.name', q.prefix, params));
    }
    if (q.pattern !== undefined) {
      // A case-sensitive substring test: SQLite's instr, PostgreSQL's strpos (same arguments).
      where.push(`${this.db.dialect === 'postgres' ? 'strpos' : 'instr'}(g.name, @pattern) > 0`);
      params.pattern = q.pattern;
    }
    if (q.logGroupClass !== undefined) {
      where.push('g.log_group_class = @cls');
      params.cls = q.logGroupClass;
    }
    if (q.names !== undefined) {
      const names = inListNamed('names', q.names);
      where.push(`g.name IN ${names.sql}`);
      Object.assign(params, names.params);
    }
    if (q.after !== undefined) {
      where.push('g.name > @after');
      params.after = q.after;
    }
    const rows = await this.db.all<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE ${where.join(' AND ')} ORDER BY g.name LIMIT @limit`, params);
    return rows.map(toGroup);
  }

  async createStream(k: GroupKey, stream: string, createdAt: number): Promise<boolean> {
    return (await this.db.run(INSERT_STREAM, [k.account, k.region, k.name, stream, createdAt])).changes === 1;
  }

  async getStream(k: GroupKey, stream: string): Promise<LogStreamRecord | undefined> {
    const row = await this.db.get<StreamRow>(GET_STREAM, [k.account, k.region, k.name, stream]);
    return row && toStream(row);
  }

  async deleteStream(k: GroupKey, stream: string): Promise<boolean> {
    return (await this.db.run(DELETE_STREAM, [k.account, k.region, k.name, stream])).changes === 1;
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
    const rows = await this.db.all<StreamRow>(`SELECT * FROM log_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`, params);
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
    return (await this.db.run(sql, params)).changes === 1;
  }

  async groupTimeRange(k: GroupKey): Promise<{ first: number; last: number } | undefined> {
    const r = await this.db.get<{ first: number | null; last: number | null }>(GROUP_TIME_RANGE, [k.account, k.region, k.name]);
    return !r || r.first === null || r.last === null ? undefined : { first: r.first, last: r.last };
  }

  async groupsWithRetention(): Promise<LogGroupRecord[]> {
    return (await this.db.all<GroupRow>(GROUPS_WITH_RETENTION)).map(toGroup);
  }

  async setStoredBytes(k: GroupKey, bytesByStream: Map<string, number>): Promise<void> {
    if (bytesByStream.size === 0) return;
    await this.db.transaction(async (tx) => {
      for (const [stream, bytes] of bytesByStream) await tx.run(SET_STORED_BYTES, [bytes, k.account, k.region, k.name, stream]);
    });
  }

  async subtractStoredBytes(k: GroupKey, bytesByStream: Map<string, number>): Promise<void> {
    if (bytesByStream.size === 0) return;
    await this.db.transaction(async (tx) => {
      for (const [stream, bytes] of bytesByStream) {
        await tx.run(SUBTRACT_STORED_BYTES, { bytes, account: k.account, region: k.region, group: k.name, stream });
      }
    });
  }

  async recordIngest(k: GroupKey, stream: string, i: StreamIngest): Promise<number> {
    const row = await this.db.get<{ upload_sequence: number }>(INGEST, {
      firstTs: i.firstTs,
      lastTs: i.lastTs,
      ingestionTime: i.ingestionTime,
      bytes: i.bytes,
      account: k.account,
      region: k.region,
      group: k.name,
      stream,
    });
    return row?.upload_sequence ?? 0;
  }
}
