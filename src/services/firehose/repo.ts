/** Firehose's metadata repository (SQLite or PostgreSQL): delivery streams, their buffered records and source checkpoints. */
import type { Tag } from '@aws-sdk/client-firehose';
import { inList } from '../../store/meta/sql/in-list.ts';
import { forUpdate } from '../../store/meta/sql/locking.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { StoredDestination } from './destination.ts';

export interface StreamKey {
  account: string;
  region: string;
  name: string;
}

export interface Encryption {
  KeyType: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK';
  KeyARN?: string;
  Status: 'ENABLED' | 'DISABLED';
}

export interface KinesisSource {
  streamArn: string;
  roleArn: string;
  startAt: number;
}

export interface StreamRow extends StreamKey {
  id: number;
  type: 'DirectPut' | 'KinesisStreamAsSource';
  version: number;
  destination: StoredDestination;
  source: KinesisSource | undefined;
  encryption: Encryption | undefined;
  tags: Tag[];
  createdAt: number;
  updatedAt: number;
}

interface DbRow {
  id: number; account: string; region: string; name: string; type: string; version: number; destination: string;
  source: string | null; encryption: string | null; tags: string; created_at: number; updated_at: number;
}

const fromRow = (r: DbRow): StreamRow => ({
  id: r.id, account: r.account, region: r.region, name: r.name, type: r.type as StreamRow['type'], version: r.version,
  destination: JSON.parse(r.destination) as StoredDestination, source: r.source ? JSON.parse(r.source) as KinesisSource : undefined,
  encryption: r.encryption ? JSON.parse(r.encryption) as Encryption : undefined, tags: JSON.parse(r.tags) as Tag[],
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export interface RecordRow {
  seq: number;
  arrivedAt: number;
  data: Buffer;
}

export class FirehoseRepo {
  constructor(readonly db: Sql) {}

  async insert(s: Omit<StreamRow, 'id'>): Promise<StreamRow> {
    const r = await this.db.get<{ id: number }>(`INSERT INTO firehose_streams (account, region, name, type, version, destination, source, encryption, tags, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [s.account, s.region, s.name, s.type, s.version, JSON.stringify(s.destination),
      s.source ? JSON.stringify(s.source) : null, s.encryption ? JSON.stringify(s.encryption) : null, JSON.stringify(s.tags), s.createdAt, s.updatedAt]);
    return { ...s, id: r!.id };
  }

  async get(k: StreamKey): Promise<StreamRow | undefined> {
    const r = await this.db.get<DbRow>('SELECT * FROM firehose_streams WHERE account = ? AND region = ? AND name = ?', [k.account, k.region, k.name]);
    return r && fromRow(r);
  }

  async byId(id: number, on: Sql = this.db): Promise<StreamRow | undefined> {
    const r = await on.get<DbRow>(`SELECT * FROM firehose_streams WHERE id = ?${on === this.db ? '' : forUpdate(on)}`, [id]);
    return r && fromRow(r);
  }

  async all(): Promise<StreamRow[]> {
    return (await this.db.all<DbRow>('SELECT * FROM firehose_streams ORDER BY id')).map(fromRow);
  }

  /** Names in the scope after `after`, in name order; one more than `limit` tells whether there are more. */
  async names(account: string, region: string, type: string | undefined, after: string, limit: number): Promise<string[]> {
    return (await this.db.all<{ name: string }>(`SELECT name FROM firehose_streams WHERE account = ? AND region = ? AND (? IS NULL OR type = ?) AND name > ? ORDER BY name LIMIT ?`,
      [account, region, type ?? null, type ?? null, after, limit])).map((r) => r.name);
  }

  async count(account: string, region: string): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM firehose_streams WHERE account = ? AND region = ?', [account, region]))!.n);
  }

  /** Read-modify-write of the row in one transaction (the row locked on PostgreSQL). */
  async update(id: number, fields: { version?: number; destination?: StoredDestination; encryption?: Encryption; tags?: Tag[]; updatedAt: number }): Promise<void> {
    await this.db.transaction(async (tx) => {
      const cur = await this.byId(id, tx);
      if (!cur) return;
      await tx.run('UPDATE firehose_streams SET version = ?, destination = ?, encryption = ?, tags = ?, updated_at = ? WHERE id = ?', [
        fields.version ?? cur.version, JSON.stringify(fields.destination ?? cur.destination),
        (fields.encryption ?? cur.encryption) ? JSON.stringify(fields.encryption ?? cur.encryption) : null,
        JSON.stringify(fields.tags ?? cur.tags), fields.updatedAt, id]);
    });
  }

  async delete(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM firehose_records WHERE stream_id = ?', [id]);
      await tx.run('DELETE FROM firehose_shard_checkpoints WHERE stream_id = ?', [id]);
      await tx.run('DELETE FROM firehose_streams WHERE id = ?', [id]);
    });
  }

  /** Appends records (inside the caller's transaction `tx`) with one statement per chunk; returns their sequence numbers in order. */
  async addRecords(streamId: number, arrivedAt: number, data: Buffer[], tx: Sql = this.db): Promise<number[]> {
    return insertRecords(tx, streamId, data.map((d) => ({ arrivedAt, data: d })));
  }

  async records(streamId: number): Promise<RecordRow[]> {
    return (await this.db.all<{ seq: number; arrived_at: number; data: Buffer }>('SELECT seq, arrived_at, data FROM firehose_records WHERE stream_id = ? ORDER BY seq', [streamId]))
      .map((r) => ({ seq: r.seq, arrivedAt: r.arrived_at, data: r.data }));
  }

  /** The sequence numbers of the stream's stored (undelivered) records. */
  async recordSeqs(streamId: number): Promise<number[]> {
    return (await this.db.all<{ seq: number }>('SELECT seq FROM firehose_records WHERE stream_id = ? ORDER BY seq', [streamId])).map((r) => Number(r.seq));
  }

  /** These stored records of the stream (those still there), by sequence number. */
  async recordsIn(streamId: number, seqs: number[]): Promise<RecordRow[]> {
    const out: RecordRow[] = [];
    for (let i = 0; i < seqs.length; i += CHUNK) {
      const l = inList(seqs.slice(i, i + CHUNK));
      const rows = await this.db.all<{ seq: number; arrived_at: number; data: Buffer }>(
        `SELECT seq, arrived_at, data FROM firehose_records WHERE stream_id = ? AND seq IN ${l.sql} ORDER BY seq`, [streamId, ...l.params]);
      for (const r of rows) out.push({ seq: Number(r.seq), arrivedAt: Number(r.arrived_at), data: r.data });
    }
    return out;
  }

  async deleteRecords(seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < seqs.length; i += CHUNK) {
        const l = inList(seqs.slice(i, i + CHUNK));
        await tx.run(`DELETE FROM firehose_records WHERE seq IN ${l.sql}`, l.params);
      }
    });
  }

  async checkpoints(streamId: number): Promise<Map<string, { sequenceNumber: string | undefined; closed: boolean }>> {
    const rows = await this.db.all<{ shard_id: string; sequence_number: string | null; closed: number }>(
      'SELECT shard_id, sequence_number, closed FROM firehose_shard_checkpoints WHERE stream_id = ?', [streamId]);
    return new Map(rows.map((r) => [r.shard_id, { sequenceNumber: r.sequence_number ?? undefined, closed: r.closed === 1 }]));
  }

  /** Stores records read from a shard and the shard's new position in one transaction. */
  async addShardRecords(streamId: number, shardId: string, records: { arrivedAt: number; data: Buffer }[], sequenceNumber: string | undefined, closed: boolean): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      const seqs = await insertRecords(tx, streamId, records);
      await tx.run(`INSERT INTO firehose_shard_checkpoints (stream_id, shard_id, sequence_number, closed) VALUES (?, ?, ?, ?)
        ON CONFLICT (stream_id, shard_id) DO UPDATE SET sequence_number = COALESCE(excluded.sequence_number, firehose_shard_checkpoints.sequence_number), closed = excluded.closed`,
      [streamId, shardId, sequenceNumber ?? null, closed ? 1 : 0]);
      return seqs;
    });
  }
}

/** Rows per multi-row statement: full chunks share one statement text (PutRecordBatch takes up to 500 records). */
const CHUNK = 100;
const insertTexts: string[] = [];
const insertSql = (n: number): string =>
  (insertTexts[n] ??= `INSERT INTO firehose_records (stream_id, arrived_at, data) VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')} RETURNING seq`);

async function insertRecords(tx: Sql, streamId: number, records: { arrivedAt: number; data: Buffer }[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    const params: unknown[] = [];
    for (const r of chunk) params.push(streamId, r.arrivedAt, r.data);
    const rows = await tx.all<{ seq: number }>(insertSql(chunk.length), params);
    // RETURNING does not promise an order; seqs are assigned in VALUES order.
    seqs.push(...rows.map((r) => r.seq).sort((a, b) => a - b));
  }
  return seqs;
}
