/**
 * Kinesis's SQLite repository: streams, their shards and consumers. Each method is one statement or
 * one transaction on the in-process database (durable before the handler answers); statements are
 * prepared once.
 */
import { randomBytes } from 'node:crypto';
import { PreparedStatements, type Db } from '../../store/meta/db.ts';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface StreamRow {
  id: number;
  account: string;
  region: string;
  name: string;
  streamId: string;
  mode: StreamMode;
  retentionHours: number;
  createdAt: number;
  encryptionType: 'NONE' | 'KMS';
  keyId: string | undefined;
  shardMetrics: string[];
  tags: Record<string, string>;
  maxRecordKib: number;
  nextShard: number;
}

export interface ShardRow {
  stream: number;
  idx: number;
  parent: number | undefined;
  adjacentParent: number | undefined;
  hashStart: string;
  hashEnd: string;
  startingSeq: string;
  endingSeq: string | undefined;
  createdAt: number;
  closedAt: number | undefined;
}

export interface ConsumerRow {
  stream: number;
  name: string;
  createdAt: number;
  tags: Record<string, string>;
}

interface StreamDbRow {
  id: number; account: string; region: string; name: string; stream_id: string; mode: string; retention_hours: number;
  created_at: number; encryption_type: string; key_id: string | null; shard_metrics: string; tags: string;
  max_record_kib: number; next_shard: number;
}
interface ShardDbRow {
  stream: number; idx: number; parent: number | null; adjacent_parent: number | null; hash_start: string; hash_end: string;
  starting_seq: string; ending_seq: string | null; created_at: number; closed_at: number | null;
}
interface ConsumerDbRow { stream: number; name: string; created_at: number; tags: string }

const streamOf = (r: StreamDbRow): StreamRow => ({
  id: r.id, account: r.account, region: r.region, name: r.name, streamId: r.stream_id, mode: r.mode as StreamMode,
  retentionHours: r.retention_hours, createdAt: r.created_at, encryptionType: r.encryption_type === 'KMS' ? 'KMS' : 'NONE',
  keyId: r.key_id ?? undefined, shardMetrics: JSON.parse(r.shard_metrics) as string[], tags: JSON.parse(r.tags) as Record<string, string>,
  maxRecordKib: r.max_record_kib, nextShard: r.next_shard,
});
const shardOf = (r: ShardDbRow): ShardRow => ({
  stream: r.stream, idx: r.idx, parent: r.parent ?? undefined, adjacentParent: r.adjacent_parent ?? undefined,
  hashStart: r.hash_start, hashEnd: r.hash_end, startingSeq: r.starting_seq, endingSeq: r.ending_seq ?? undefined,
  createdAt: r.created_at, closedAt: r.closed_at ?? undefined,
});
const consumerOf = (r: ConsumerDbRow): ConsumerRow => ({ stream: r.stream, name: r.name, createdAt: r.created_at, tags: JSON.parse(r.tags) as Record<string, string> });

/** A new shard, before it has a row. */
export type NewShard = Omit<ShardRow, 'stream'>;

/** What a reshard does in one transaction: close these shards (at `endingSeq`), open those. */
export interface Reshard {
  close: { idx: number; endingSeq: string }[];
  open: NewShard[];
  closedAt: number;
}

export class KinesisRepo {
  private readonly st: PreparedStatements;

  constructor(private readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  /** The key shard iterators are signed with, created on first use. */
  iteratorKey(): Buffer {
    const row = this.st.get('SELECT key FROM kinesis_iterator_key WHERE id = 1').get() as { key: Buffer } | undefined;
    if (row) return row.key;
    const key = randomBytes(32);
    this.st.get('INSERT OR IGNORE INTO kinesis_iterator_key (id, key) VALUES (1, ?)').run(key);
    return (this.st.get('SELECT key FROM kinesis_iterator_key WHERE id = 1').get() as { key: Buffer }).key;
  }

  stream(account: string, region: string, name: string): StreamRow | undefined {
    const r = this.st.get('SELECT * FROM kinesis_streams WHERE account = ? AND region = ? AND name = ?').get(account, region, name) as StreamDbRow | undefined;
    return r && streamOf(r);
  }

  streamByStreamId(streamId: string): StreamRow | undefined {
    const r = this.st.get('SELECT * FROM kinesis_streams WHERE stream_id = ?').get(streamId) as StreamDbRow | undefined;
    return r && streamOf(r);
  }

  /** Streams of a scope with names after `after`, by name. */
  listStreams(account: string, region: string, after: string, limit: number): StreamRow[] {
    return (this.st.get('SELECT * FROM kinesis_streams WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?')
      .all(account, region, after, limit) as StreamDbRow[]).map(streamOf);
  }

  allStreams(): StreamRow[] {
    return (this.st.get('SELECT * FROM kinesis_streams').all() as StreamDbRow[]).map(streamOf);
  }

  insertStream(s: Omit<StreamRow, 'id'>, shards: NewShard[]): StreamRow {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.st.get(
        'INSERT INTO kinesis_streams (account, region, name, stream_id, mode, retention_hours, created_at, encryption_type, key_id, shard_metrics, tags, max_record_kib, next_shard) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(s.account, s.region, s.name, s.streamId, s.mode, s.retentionHours, s.createdAt, s.encryptionType, s.keyId ?? null,
        JSON.stringify(s.shardMetrics), JSON.stringify(s.tags), s.maxRecordKib, s.nextShard);
      const id = Number(lastInsertRowid);
      for (const sh of shards) this.insertShard(id, sh);
      return { ...s, id };
    })();
  }

  deleteStream(id: number): void {
    this.db.transaction(() => {
      this.st.get('DELETE FROM kinesis_shards WHERE stream = ?').run(id);
      this.st.get('DELETE FROM kinesis_consumers WHERE stream = ?').run(id);
      this.st.get('DELETE FROM kinesis_streams WHERE id = ?').run(id);
    })();
  }

  /** Updates the stream's settings columns from `s` (everything but identity and shards). */
  updateStream(s: StreamRow): void {
    this.st.get('UPDATE kinesis_streams SET mode = ?, retention_hours = ?, encryption_type = ?, key_id = ?, shard_metrics = ?, tags = ? WHERE id = ?')
      .run(s.mode, s.retentionHours, s.encryptionType, s.keyId ?? null, JSON.stringify(s.shardMetrics), JSON.stringify(s.tags), s.id);
  }

  shards(stream: number): ShardRow[] {
    return (this.st.get('SELECT * FROM kinesis_shards WHERE stream = ? ORDER BY idx').all(stream) as ShardDbRow[]).map(shardOf);
  }

  shard(stream: number, idx: number): ShardRow | undefined {
    const r = this.st.get('SELECT * FROM kinesis_shards WHERE stream = ? AND idx = ?').get(stream, idx) as ShardDbRow | undefined;
    return r && shardOf(r);
  }

  /** Open shards of every stream in a scope (the account's shard quota). */
  openShardCount(account: string, region: string): number {
    return (this.st.get(
      'SELECT count(*) AS n FROM kinesis_shards JOIN kinesis_streams s ON s.id = kinesis_shards.stream WHERE s.account = ? AND s.region = ? AND closed_at IS NULL',
    ).get(account, region) as { n: number }).n;
  }

  onDemandStreamCount(account: string, region: string): number {
    return (this.st.get("SELECT count(*) AS n FROM kinesis_streams WHERE account = ? AND region = ? AND mode = 'ON_DEMAND'").get(account, region) as { n: number }).n;
  }

  /** Closes and opens shards in one transaction; the new shards take indexes from the stream's counter. */
  reshard(stream: StreamRow, change: Reshard): void {
    this.db.transaction(() => {
      for (const c of change.close) {
        this.st.get('UPDATE kinesis_shards SET ending_seq = ?, closed_at = ? WHERE stream = ? AND idx = ?').run(c.endingSeq, change.closedAt, stream.id, c.idx);
      }
      for (const sh of change.open) this.insertShard(stream.id, sh);
      const next = Math.max(stream.nextShard, ...change.open.map((s) => s.idx + 1));
      this.st.get('UPDATE kinesis_streams SET next_shard = ? WHERE id = ?').run(next, stream.id);
    })();
  }

  /** Forgets closed shards that left the retention window (AWS stops listing them). */
  dropShardsClosedBefore(stream: number, cutoff: number): void {
    this.st.get('DELETE FROM kinesis_shards WHERE stream = ? AND closed_at IS NOT NULL AND closed_at < ?').run(stream, cutoff);
  }

  /** The largest sequence number any shard boundary holds (seeds the sequence clock with the records' newest). */
  maxShardSequence(): string | undefined {
    const r = this.st.get('SELECT max(max(starting_seq), coalesce(max(ending_seq), \'\')) AS m FROM kinesis_shards').get() as { m: string | null };
    return r.m || undefined;
  }

  consumers(stream: number): ConsumerRow[] {
    return (this.st.get('SELECT * FROM kinesis_consumers WHERE stream = ? ORDER BY name').all(stream) as ConsumerDbRow[]).map(consumerOf);
  }

  consumer(stream: number, name: string): ConsumerRow | undefined {
    const r = this.st.get('SELECT * FROM kinesis_consumers WHERE stream = ? AND name = ?').get(stream, name) as ConsumerDbRow | undefined;
    return r && consumerOf(r);
  }

  insertConsumer(c: ConsumerRow): void {
    this.st.get('INSERT INTO kinesis_consumers (stream, name, created_at, tags) VALUES (?, ?, ?, ?)').run(c.stream, c.name, c.createdAt, JSON.stringify(c.tags));
  }

  setConsumerTags(stream: number, name: string, tags: Record<string, string>): void {
    this.st.get('UPDATE kinesis_consumers SET tags = ? WHERE stream = ? AND name = ?').run(JSON.stringify(tags), stream, name);
  }

  deleteConsumer(stream: number, name: string): void {
    this.st.get('DELETE FROM kinesis_consumers WHERE stream = ? AND name = ?').run(stream, name);
  }

  private insertShard(stream: number, s: NewShard): void {
    this.st.get(
      'INSERT INTO kinesis_shards (stream, idx, parent, adjacent_parent, hash_start, hash_end, starting_seq, ending_seq, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(stream, s.idx, s.parent ?? null, s.adjacentParent ?? null, s.hashStart, s.hashEnd, s.startingSeq, s.endingSeq ?? null, s.createdAt, s.closedAt ?? null);
  }
}
