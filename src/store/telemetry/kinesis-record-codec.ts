/**
 * Kinesis records in the write-ahead log: one record per PutRecord/PutRecords request, whose body is
 * exactly the RowBinary the head later inserts into `kinesis_records` (as log-wal-codec.ts does for
 * log events): a record is encoded once, on its request, and never again.
 *
 * Record: a version byte (1), then each row's KINESIS_RECORD_COLUMNS in RowBinary: account, region,
 * stream (String), shard (UInt32), arrival (Int64 ms), sub (UInt32), partition_key, data (String:
 * LEB128 length + the bytes as sent, binary-safe).
 */
import type { RowBinaryReader } from './row-binary-reader.ts';
import type { RowBinaryWriter } from './row-binary.ts';
import { RowBinaryWalCodec } from './row-binary-wal-codec.ts';

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

export class KinesisRecordCodec extends RowBinaryWalCodec<KinesisRecordRow> {
  constructor() {
    super('kinesis', 1);
  }

  protected writeRow(w: RowBinaryWriter, r: KinesisRecordRow): void {
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

  protected readRow(r: RowBinaryReader): KinesisRecordRow {
    return {
      account: r.string(), region: r.string(), stream: r.string(), shard: r.uint32(), arrival: r.int64(), sub: r.uint32(),
      partitionKey: r.string(), data: r.bytes(),
    };
  }
}
