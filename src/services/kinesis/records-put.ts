/**
 * PutRecord and PutRecords. Each record is routed by its hash key (MD5 of the partition key, or
 * the ExplicitHashKey) to the open shard whose range holds it, numbered by the sequence clock, and
 * the whole request is appended to the Kinesis write-ahead log as one record: the answer comes
 * once it is durable there (kill -9 safe) and readable by GetRecords.
 *
 * Throughput: Osprey does not enforce AWS's per-shard write limits (1 MiB/s and 1,000 records/s
 * per shard), so PutRecords never fails records with ProvisionedThroughputExceededException;
 * a server that cannot keep up answers 503 ServiceUnavailable (the ingest head is full), which the
 * SDKs retry.
 */
import type { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { KinesisRecordRow } from '../../store/telemetry/index.ts';
import { invalidArgument, resolveStream, shardIdOf, type KinesisDeps } from './deps.ts';
import { hashKeyOf, hexOfDecimal, rangeIndexFor } from './hash-keys.ts';
import type { StreamRow } from './repo.ts';
import { formatSequence, streamTagOf } from './sequence.ts';

/** PutRecords: data + partition keys of all records at most 5 MiB per request. */
const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

interface Entry { Data?: Uint8Array; PartitionKey?: string; ExplicitHashKey?: string }

/** The hash key (hex) of an entry, checking the entry's size against the stream's record limit. */
function hashKeyFor(s: StreamRow, e: Entry, i: number | undefined): string {
  const where = i === undefined ? '' : ` (record ${i})`;
  const bytes = e.Data!.length + Buffer.byteLength(e.PartitionKey!);
  const max = s.maxRecordKib * 1024;
  if (bytes > max) {
    throw invalidArgument(`The record${where} is ${bytes} bytes (data blob plus partition key), more than the ${max} bytes a record of stream ${s.name} may have.`);
  }
  if (e.ExplicitHashKey === undefined) return hashKeyOf(e.PartitionKey!);
  const hex = hexOfDecimal(e.ExplicitHashKey);
  if (hex === undefined) {
    throw invalidArgument(`Invalid ExplicitHashKey${where}. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${e.ExplicitHashKey}`);
  }
  return hex;
}

/**
 * Routes, numbers and stores entries. Everything from the shard lookup to the WAL append happens in
 * one synchronous turn, so a reshard (also synchronous) falls wholly before or after a request:
 * records numbered for a shard never come after its EndingSequenceNumber.
 */
async function store(deps: KinesisDeps, ctx: Ctx, s: StreamRow, entries: readonly Entry[]): Promise<PutRecordsResultEntry[]> {
  const keys = entries.map((e, i) => hashKeyFor(s, e, entries.length > 1 ? i : undefined));
  const shards = await deps.routes.get(s.id);
  const now = deps.clock.now();
  const tag = streamTagOf(s.streamId);
  const rows: KinesisRecordRow[] = new Array(entries.length);
  const out: PutRecordsResultEntry[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const shard = shards[rangeIndexFor(shards, keys[i]!)]!.idx;
    const pos = deps.seq.next(now);
    const data = entries[i]!.Data!;
    rows[i] = {
      account: s.account, region: s.region, stream: s.streamId, shard, arrival: pos.ms, sub: pos.sub, partitionKey: entries[i]!.PartitionKey!,
      data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length),
    };
    out[i] = { SequenceNumber: formatSequence(pos, shard, tag), ShardId: shardIdOf(shard) };
  }
  await deps.records.append(rows);
  return out;
}

export async function putRecord(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'PutRecord'>): Promise<CallOutput<'kinesis', 'PutRecord'>> {
  const s = await resolveStream(deps, ctx, input);
  // SequenceNumberForOrdering asks for a number above the given one for the same partition key:
  // every number issued here is above all earlier ones, so the guarantee holds without it.
  const [r] = await store(deps, ctx, s, [input]);
  return { ShardId: r!.ShardId!, SequenceNumber: r!.SequenceNumber!, EncryptionType: s.encryptionType };
}

export async function putRecords(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'PutRecords'>): Promise<CallOutput<'kinesis', 'PutRecords'>> {
  const s = await resolveStream(deps, ctx, input);
  const entries = input.Records ?? [];
  let total = 0;
  for (const e of entries) total += e.Data!.length + Buffer.byteLength(e.PartitionKey!);
  if (total > MAX_REQUEST_BYTES) {
    throw invalidArgument(`Records size exceeds 5 MB limit: the request's data blobs and partition keys total ${total} bytes (at most ${MAX_REQUEST_BYTES}).`);
  }
  const records = await store(deps, ctx, s, entries);
  // No record fails on its own here (no per-shard throttling), so FailedRecordCount is 0.
  return { FailedRecordCount: 0, Records: records, EncryptionType: s.encryptionType } as CallOutput<'kinesis', 'PutRecords'>;
}
