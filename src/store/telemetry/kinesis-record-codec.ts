/**
 * Kinesis records in the write-ahead log: one record per PutRecord/PutRecords request, whose body is
 * exactly the RowBinary the head later inserts into `kinesis_records` (as log-wal-codec.ts does for
 * log events): a record is encoded once, on its request, and never again.
 *
 * Record: a version byte (1), then each row's KINESIS_RECORD_COLUMNS in RowBinary: account, region,
 * stream (String), shard (UInt32), arrival (Int64 ms), sub (UInt32), partition_key, data (String:
 * LEB128 length + the bytes as sent, binary-safe).
 */
import type { WalCodec } from '../ingest/types.ts';
import { RowBinaryReader } from './row-binary-reader.ts';
import { RowBinaryWriter } from './row-binary.ts';

/** One stored Kinesis record. (arrival, sub) is its sequence position within the process's sequence clock. */
export interface KinesisRecordRow {
  account: string;
  region: string;
  /** The stream's StreamId (unique per creation, so a recreated stream never sees its predecessor's records). */
  stream: string;
  /** Shard index (shardId-000000000007 → 7). */
  shard: number;
  /** Arrival time, epoch ms: the sequence number's time part. */
  arrival: number;
  /** Position within the millisecond. */
  sub: number;
  partitionKey: string;
  data: Buffer;
}

export const KINESIS_RECORD_COLUMNS = ['account', 'region', 'stream', 'shard', 'arrival', 'sub', 'partition_key', 'data'] as const;

const VERSION = 1;

export class KinesisRecordCodec implements WalCodec<KinesisRecordRow> {
  private readonly writer = new RowBinaryWriter(256 * 1024);
  /** Bodies by row array (the pipeline hands the same array to encode() and then to the head). */
  private readonly bodies = new WeakMap<readonly KinesisRecordRow[], Buffer>();

  encode(rows: readonly KinesisRecordRow[]): Buffer {
    const record = this.encodeRecord(rows);
    this.bodies.set(rows, record.subarray(1));
    return record;
  }

  decode(payload: Buffer): KinesisRecordRow[] {
    if (payload.length === 0 || payload[0] !== VERSION) {
      throw new Error(`kinesis WAL record: unknown version ${payload[0] ?? '(empty record)'}`);
    }
    const r = new RowBinaryReader(payload, 1);
    const rows: KinesisRecordRow[] = [];
    while (!r.done) {
      rows.push({
        account: r.string(), region: r.string(), stream: r.string(), shard: r.uint32(), arrival: r.int64(), sub: r.uint32(),
        partitionKey: r.string(), data: r.bytes(),
      });
    }
    this.bodies.set(rows, payload.subarray(1));
    return rows;
  }

  /** These rows as RowBinary: the bytes encode()/decode() produced for this very array, else a fresh encoding. */
  encodedBody(rows: readonly KinesisRecordRow[]): Buffer {
    const body = this.bodies.get(rows);
    if (body !== undefined) {
      this.bodies.delete(rows);
      return body;
    }
    return this.encodeRecord(rows).subarray(1);
  }

  private encodeRecord(rows: readonly KinesisRecordRow[]): Buffer {
    const w = this.writer;
    w.reset();
    w.uint8(VERSION);
    for (const r of rows) {
      if (!Number.isSafeInteger(r.arrival) || !Number.isInteger(r.sub) || !Number.isInteger(r.shard)) {
        throw new RangeError(`kinesis record: arrival, sub and shard must be integers (${r.arrival}, ${r.sub}, ${r.shard})`);
      }
      w.string(r.account);
      w.string(r.region);
      w.string(r.stream);
      w.uint32(r.shard);
      w.int64(r.arrival);
      w.uint32(r.sub);
      w.string(r.partitionKey);
      w.varUInt(r.data.length);
      w.raw(r.data);
    }
    const bytes = w.bytes();
    const record = Buffer.allocUnsafe(bytes.length);
    bytes.copy(record);
    return record;
  }
}
