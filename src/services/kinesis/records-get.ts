/**
 * GetShardIterator and GetRecords (and SubscribeToShard's refusal). A read serves the shard's
 * records after the iterator's position from the store, which merges records still in the ingest
 * head with the engine's — no flush per poll. Records older than the stream's retention are not
 * served even before the retention job deletes them.
 */
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { comparePositions, type SeqPosition } from '../../store/telemetry/kinesis-record-head.ts';
import { invalidArgument, liveShards, resolveStream, shardIndexOf, shardNotFound, type KinesisDeps } from './deps.ts';
import type { ShardRow, StreamRow } from './repo.ts';
import { formatSequence, parseSequence, streamTagOf } from './sequence.ts';
import { childShards } from './shapes.ts';
import { parentsOf } from './shards.ts';

/** GetRecords: at most 10 MiB of data per call. */
const MAX_READ_BYTES = 10 * 1024 * 1024;
const DEFAULT_LIMIT = 10_000;

async function liveShard(deps: KinesisDeps, s: StreamRow, shardId: string): Promise<ShardRow> {
  const idx = shardIndexOf(shardId);
  const sh = idx === undefined ? undefined : (await liveShards(deps, s)).find((x) => x.idx === idx);
  if (!sh) throw shardNotFound(shardId, s);
  return sh;
}

function startAfter(s: StreamRow, shard: ShardRow, shardId: string, input: CallInput<'kinesis', 'GetShardIterator'>, deps: KinesisDeps): SeqPosition {
  switch (input.ShardIteratorType) {
    case 'TRIM_HORIZON': return { ms: 0, sub: -1 };
    case 'LATEST': return deps.seq.last();
    case 'AT_TIMESTAMP': {
      if (!input.Timestamp) throw invalidArgument('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
      return { ms: input.Timestamp.getTime(), sub: -1 };
    }
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const n = input.StartingSequenceNumber;
      if (n === undefined) throw invalidArgument(`Must specify StartingSequenceNumber for iterator of type ${input.ShardIteratorType}.`);
      const p = parseSequence(n);
      if (!p || p.shard !== shard.idx || p.streamTag !== streamTagOf(s.streamId)) {
        throw invalidArgument(`StartingSequenceNumber ${n} used in GetShardIterator on shard ${shardId} in stream ${s.name} under account ${s.account} is invalid because it did not come from this stream.`);
      }
      return input.ShardIteratorType === 'AT_SEQUENCE_NUMBER' ? { ms: p.ms, sub: p.sub - 1 } : { ms: p.ms, sub: p.sub };
    }
    default: throw invalidArgument(`ShardIteratorType ${String(input.ShardIteratorType)} is not valid.`);
  }
}

export async function getShardIterator(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'GetShardIterator'>): Promise<CallOutput<'kinesis', 'GetShardIterator'>> {
  const s = await resolveStream(deps, ctx, input);
  const shard = await liveShard(deps, s, input.ShardId!);
  const after = startAfter(s, shard, input.ShardId!, input, deps);
  return { ShardIterator: deps.iterators.issue({ account: s.account, region: s.region, streamId: s.streamId, shard: shard.idx, after, issuedAt: deps.clock.now() }) };
}

export async function getRecords(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'GetRecords'>): Promise<CallOutput<'kinesis', 'GetRecords'>> {
  const now = deps.clock.now();
  const it = deps.iterators.open(input.ShardIterator!, ctx, now);
  const s = await deps.repo.streamByStreamId(it.streamId);
  if (!s || s.account !== ctx.account || s.region !== ctx.region) {
    throw new ServiceError('ResourceNotFoundException', `The stream this shard iterator was issued for no longer exists under account ${ctx.account}.`);
  }
  const shard = (await liveShards(deps, s)).find((x) => x.idx === it.shard);
  if (!shard) throw new ServiceError('ResourceNotFoundException', `The shard this shard iterator was issued for no longer exists in stream ${s.name} under account ${s.account}.`);
  // Records past the retention period are gone for readers, whether or not retention deleted them yet.
  const horizon = { ms: now - s.retentionHours * 3_600_000, sub: -1 };
  const after = comparePositions(it.after, horizon) < 0 ? horizon : it.after;
  // A closed shard's last records may still be on their way into the WAL; its end is final only after them.
  if (shard.closedAt !== undefined) await deps.records.settled();
  const { rows, more } = await deps.records.read({
    account: s.account, region: s.region, stream: s.streamId, shard: shard.idx, after, limit: input.Limit ?? DEFAULT_LIMIT, maxBytes: MAX_READ_BYTES,
  });
  const tag = streamTagOf(s.streamId);
  const records: KinesisRecord[] = rows.map((r) => ({
    SequenceNumber: formatSequence({ ms: r.arrival, sub: r.sub }, r.shard, tag), ApproximateArrivalTimestamp: new Date(r.arrival),
    Data: r.data, PartitionKey: r.partitionKey, ...(s.encryptionType === 'KMS' ? { EncryptionType: 'KMS' as const } : {}),
  }));
  const last = rows.at(-1);
  const next = last ? { ms: last.arrival, sub: last.sub } : after;
  const millisBehind = more && last ? Math.max(0, now - last.arrival) : 0;
  if (shard.closedAt !== undefined && !more) {
    // The end of a closed shard: no next iterator; the shards it became instead.
    const all = await deps.repo.shards(s.id);
    return { Records: records, MillisBehindLatest: millisBehind, ChildShards: childShards(all, shard.idx, (c) => parentsOf(c, all)) };
  }
  const NextShardIterator = deps.iterators.issue({ account: s.account, region: s.region, streamId: s.streamId, shard: shard.idx, after: next, issuedAt: now });
  return { Records: records, NextShardIterator, MillisBehindLatest: millisBehind };
}

export function subscribeToShard(): never {
  throw invalidArgument(
    'SubscribeToShard (enhanced fan-out over HTTP/2 event streams) is not supported by Osprey. ' +
    'Read shards with GetShardIterator and GetRecords (KCL: use the polling retrieval mode).');
}
