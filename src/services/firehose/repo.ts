/** Firehose's SQLite repository: delivery streams, their buffered records and source checkpoints. */
import type { Tag } from '@aws-sdk/client-firehose';
import { PreparedStatements, type Db } from '../../store/meta/db.ts';
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
  private readonly st: PreparedStatements;

  constructor(readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  insert(s: Omit<StreamRow, 'id'>): StreamRow {
    const r = this.st.get(`INSERT INTO firehose_streams (account, region, name, type, version, destination, source, encryption, tags, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(s.account, s.region, s.name, s.type, s.version, JSON.stringify(s.destination),
      s.source ? JSON.stringify(s.source) : null, s.encryption ? JSON.stringify(s.encryption) : null, JSON.stringify(s.tags), s.createdAt, s.updatedAt);
    return { ...s, id: Number(r.lastInsertRowid) };
  }

  get(k: StreamKey): StreamRow | undefined {
    const r = this.st.get('SELECT * FROM firehose_streams WHERE account = ? AND region = ? AND name = ?').get(k.account, k.region, k.name) as DbRow | undefined;
    return r && fromRow(r);
  }

  byId(id: number): StreamRow | undefined {
    const r = this.st.get('SELECT * FROM firehose_streams WHERE id = ?').get(id) as DbRow | undefined;
    return r && fromRow(r);
  }

  all(): StreamRow[] {
    return (this.st.get('SELECT * FROM firehose_streams ORDER BY id').all() as DbRow[]).map(fromRow);
  }

  /** Names in the scope after `after`, in name order; one more than `limit` tells whether there are more. */
  names(account: string, region: string, type: string | undefined, after: string, limit: number): string[] {
    return (this.st.get(`SELECT name FROM firehose_streams WHERE account = ? AND region = ? AND (? IS NULL OR type = ?) AND name > ? ORDER BY name LIMIT ?`)
      .all(account, region, type ?? null, type ?? null, after, limit) as { name: string }[]).map((r) => r.name);
  }

  count(account: string, region: string): number {
    return (this.st.get('SELECT COUNT(*) AS n FROM firehose_streams WHERE account = ? AND region = ?').get(account, region) as { n: number }).n;
  }

  update(id: number, fields: { version?: number; destination?: StoredDestination; encryption?: Encryption; tags?: Tag[]; updatedAt: number }): void {
    const cur = this.byId(id);
    if (!cur) return;
    this.st.get('UPDATE firehose_streams SET version = ?, destination = ?, encryption = ?, tags = ?, updated_at = ? WHERE id = ?').run(
      fields.version ?? cur.version, JSON.stringify(fields.destination ?? cur.destination),
      (fields.encryption ?? cur.encryption) ? JSON.stringify(fields.encryption ?? cur.encryption) : null,
      JSON.stringify(fields.tags ?? cur.tags), fields.updatedAt, id);
  }

  delete(id: number): void {
    this.db.transaction(() => {
      this.st.get('DELETE FROM firehose_records WHERE stream_id = ?').run(id);
      this.st.get('DELETE FROM firehose_shard_checkpoints WHERE stream_id = ?').run(id);
      this.st.get('DELETE FROM firehose_streams WHERE id = ?').run(id);
    })();
  }

  /** Appends records (inside the caller's transaction); returns their sequence numbers. */
  addRecords(streamId: number, arrivedAt: number, data: Buffer[]): number[] {
    const ins = this.st.get('INSERT INTO firehose_records (stream_id, arrived_at, data) VALUES (?, ?, ?)');
    return data.map((d) => Number(ins.run(streamId, arrivedAt, d).lastInsertRowid));
  }

  records(streamId: number): RecordRow[] {
    return (this.st.get('SELECT seq, arrived_at, data FROM firehose_records WHERE stream_id = ? ORDER BY seq').all(streamId) as { seq: number; arrived_at: number; data: Buffer }[])
      .map((r) => ({ seq: r.seq, arrivedAt: r.arrived_at, data: r.data }));
  }

  deleteRecords(seqs: number[]): void {
    const del = this.st.get('DELETE FROM firehose_records WHERE seq = ?');
    this.db.transaction(() => {
      for (const s of seqs) del.run(s);
    })();
  }

  checkpoints(streamId: number): Map<string, { sequenceNumber: string | undefined; closed: boolean }> {
    const rows = this.st.get('SELECT shard_id, sequence_number, closed FROM firehose_shard_checkpoints WHERE stream_id = ?').all(streamId) as { shard_id: string; sequence_number: string | null; closed: number }[];
    return new Map(rows.map((r) => [r.shard_id, { sequenceNumber: r.sequence_number ?? undefined, closed: r.closed === 1 }]));
  }

  /** Stores records read from a shard and the shard's new position in one transaction. */
  addShardRecords(streamId: number, shardId: string, records: { arrivedAt: number; data: Buffer }[], sequenceNumber: string | undefined, closed: boolean): number[] {
    return this.db.transaction(() => {
      const ins = this.st.get('INSERT INTO firehose_records (stream_id, arrived_at, data) VALUES (?, ?, ?)');
      const seqs = records.map((r) => Number(ins.run(streamId, r.arrivedAt, r.data).lastInsertRowid));
      this.st.get(`INSERT INTO firehose_shard_checkpoints (stream_id, shard_id, sequence_number, closed) VALUES (?, ?, ?, ?)
        ON CONFLICT (stream_id, shard_id) DO UPDATE SET sequence_number = COALESCE(excluded.sequence_number, sequence_number), closed = excluded.closed`)
        .run(streamId, shardId, sequenceNumber ?? null, closed ? 1 : 0);
      return seqs;
    })();
  }
}
