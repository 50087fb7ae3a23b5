/**
 * Kinesis's metadata repository (SQLite or PostgreSQL): streams, their shards and consumers. Each
 * method is one statement or one transaction (committed before the handler answers).
 */
import { randomBytes } from 'node:crypto';
import { forUpdate } from '../../store/meta/sql/locking.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

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
  constructor(private readonly db: Sql) {}

  /** The key shard iterators are signed with, created on first use (the first writer's key wins). */
  async iteratorKey(): Promise<Buffer> {
    const row = await this.db.get<{ key: Buffer }>('SELECT key FROM kinesis_iterator_key WHERE id = 1');
    if (row) return row.key;
    await this.db.run('INSERT INTO kinesis_iterator_key (id, key) VALUES (1, ?) ON CONFLICT DO NOTHING', [randomBytes(32)]);
    return (await this.db.get<{ key: Buffer }>('SELECT key FROM kinesis_iterator_key WHERE id = 1'))!.key;
  }

  async stream(account: string, region: string, name: string): Promise<StreamRow | undefined> {
    const r = await this.db.get<StreamDbRow>('SELECT * FROM kinesis_streams WHERE account = ? AND region = ? AND name = ?', [account, region, name]);
    return r && streamOf(r);
  }

  async streamByStreamId(streamId: string): Promise<StreamRow | undefined> {
    const r = await this.db.get<StreamDbRow>('SELECT * FROM kinesis_streams WHERE stream_id = ?', [streamId]);
    return r && streamOf(r);
  }

  /** Streams of a scope with names after `after`, by name. */
  async listStreams(account: string, region: string, after: string, limit: number): Promise<StreamRow[]> {
    return (await this.db.all<StreamDbRow>('SELECT * FROM kinesis_streams WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
      [account, region, after, limit])).map(streamOf);
  }

  async allStreams(): Promise<StreamRow[]> {
    return (await this.db.all<StreamDbRow>('SELECT * FROM kinesis_streams ORDER BY id')).map(streamOf);
  }

  async insertStream(s: Omit<StreamRow, 'id'>, shards: NewShard[]): Promise<StreamRow> {
    return this.db.transaction(async (tx) => {
      const r = await tx.get<{ id: number }>(
        'INSERT INTO kinesis_streams (account, region, name, stream_id, mode, retention_hours, created_at, encryption_type, key_id, shard_metrics, tags, max_record_kib, next_shard) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [s.account, s.region, s.name, s.streamId, s.mode, s.retentionHours, s.createdAt, s.encryptionType, s.keyId ?? null,
          JSON.stringify(s.shardMetrics), JSON.stringify(s.tags), s.maxRecordKib, s.nextShard],
      );
      const id = r!.id;
      for (const sh of shards) await this.insertShard(tx, id, sh);
      return { ...s, id };
    });
  }

  async deleteStream(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM kinesis_shards WHERE stream = ?', [id]);
      await tx.run('DELETE FROM kinesis_consumers WHERE stream = ?', [id]);
      await tx.run('DELETE FROM kinesis_streams WHERE id = ?', [id]);
    });
  }

  /** Updates the stream's settings columns from `s` (everything but identity and shards). */
  async updateStream(s: StreamRow): Promise<void> {
    await this.db.run('UPDATE kinesis_streams SET mode = ?, retention_hours = ?, encryption_type = ?, key_id = ?, shard_metrics = ?, tags = ? WHERE id = ?',
      [s.mode, s.retentionHours, s.encryptionType, s.keyId ?? null, JSON.stringify(s.shardMetrics), JSON.stringify(s.tags), s.id]);
  }

  async shards(stream: number): Promise<ShardRow[]> {
    return (await this.db.all<ShardDbRow>('SELECT * FROM kinesis_shards WHERE stream = ? ORDER BY idx', [stream])).map(shardOf);
  }

  async shard(stream: number, idx: number): Promise<ShardRow | undefined> {
    const r = await this.db.get<ShardDbRow>('SELECT * FROM kinesis_shards WHERE stream = ? AND idx = ?', [stream, idx]);
    return r && shardOf(r);
  }

  /** Open shards of every stream in a scope (the account's shard quota). */
  async openShardCount(account: string, region: string): Promise<number> {
    return Number((await this.db.get<{ n: number }>(
      'SELECT count(*) AS n FROM kinesis_shards JOIN kinesis_streams s ON s.id = kinesis_shards.stream WHERE s.account = ? AND s.region = ? AND closed_at IS NULL',
      [account, region],
    ))!.n);
  }

  async onDemandStreamCount(account: string, region: string): Promise<number> {
    return Number((await this.db.get<{ n: number }>("SELECT count(*) AS n FROM kinesis_streams WHERE account = ? AND region = ? AND mode = 'ON_DEMAND'", [account, region]))!.n);
  }

  /**
   * Closes and opens shards in one transaction; the new shards take indexes from the stream's
   * counter. The stream row is locked first (PostgreSQL), so two reshards of a stream serialize.
   */
  async reshard(stream: StreamRow, change: Reshard): Promise<void> {
    await this.db.transaction(async (tx) => {
      const cur = await tx.get<{ next_shard: number }>(`SELECT next_shard FROM kinesis_streams WHERE id = ?${forUpdate(tx)}`, [stream.id]);
      for (const c of change.close) {
        await tx.run('UPDATE kinesis_shards SET ending_seq = ?, closed_at = ? WHERE stream = ? AND idx = ?', [c.endingSeq, change.closedAt, stream.id, c.idx]);
      }
      for (const sh of change.open) await this.insertShard(tx, stream.id, sh);
      const next = Math.max(cur?.next_shard ?? stream.nextShard, stream.nextShard, ...change.open.map((s) => s.idx + 1));
      await tx.run('UPDATE kinesis_streams SET next_shard = ? WHERE id = ?', [next, stream.id]);
    });
  }

  /** Forgets closed shards that left the retention window (AWS stops listing them). */
  async dropShardsClosedBefore(stream: number, cutoff: number): Promise<void> {
    await this.db.run('DELETE FROM kinesis_shards WHERE stream = ? AND closed_at IS NOT NULL AND closed_at < ?', [stream, cutoff]);
  }

  /** The largest sequence number any shard boundary holds (seeds the sequence clock with the records' newest). */
  async maxShardSequence(): Promise<string | undefined> {
    const r = await this.db.get<{ s: string | null; e: string | null }>('SELECT max(starting_seq) AS s, max(ending_seq) AS e FROM kinesis_shards');
    const s = r?.s ?? '';
    const e = r?.e ?? '';
    return (s > e ? s : e) || undefined;
  }

  async consumers(stream: number): Promise<ConsumerRow[]> {
    return (await this.db.all<ConsumerDbRow>('SELECT * FROM kinesis_consumers WHERE stream = ? ORDER BY name', [stream])).map(consumerOf);
  }

  async consumer(stream: number, name: string): Promise<ConsumerRow | undefined> {
    const r = await this.db.get<ConsumerDbRow>('SELECT * FROM kinesis_consumers WHERE stream = ? AND name = ?', [stream, name]);
    return r && consumerOf(r);
  }

  async insertConsumer(c: ConsumerRow): Promise<void> {
    await this.db.run('INSERT INTO kinesis_consumers (stream, name, created_at, tags) VALUES (?, ?, ?, ?)', [c.stream, c.name, c.createdAt, JSON.stringify(c.tags)]);
  }

  async setConsumerTags(stream: number, name: string, tags: Record<string, string>): Promise<void> {
    await this.db.run('UPDATE kinesis_consumers SET tags = ? WHERE stream = ? AND name = ?', [JSON.stringify(tags), stream, name]);
  }

  async deleteConsumer(stream: number, name: string): Promise<void> {
    await this.db.run('DELETE FROM kinesis_consumers WHERE stream = ? AND name = ?', [stream, name]);
  }

  private async insertShard(tx: Sql, stream: number, s: NewShard): Promise<void> {
    await tx.run(
      'INSERT INTO kinesis_shards (stream, idx, parent, adjacent_parent, hash_start, hash_end, starting_seq, ending_seq, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [stream, s.idx, s.parent ?? null, s.adjacentParent ?? null, s.hashStart, s.hashEnd, s.startingSeq, s.endingSeq ?? null, s.createdAt, s.closedAt ?? null],
    );
  }
}
