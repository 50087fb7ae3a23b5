/** CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams. */
import { randomBytes } from 'node:crypto';
import { decodePageToken, encodePageToken } from '../../lib/page-token.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { invalidArgument, liveShards, resolveStream, shardIndexOf, streamArnOf, type KinesisDeps } from './deps.ts';
import { evenRanges } from './hash-keys.ts';
import type { NewShard, StreamMode, StreamRow } from './repo.ts';
import { formatSequence, streamTagOf } from './sequence.ts';
import { encryptionShape, modeShape, monitoringShape, shardShape } from './shapes.ts';
import { checkTags } from './tag-rules.ts';

export const DEFAULT_RETENTION_HOURS = 24;
/** An on-demand stream starts with 4 shards, as on AWS. */
export const ON_DEMAND_SHARDS = 4;
/** Kinesis: 10,000 shards per stream at most (the per-account quota usually binds first). */
const MAX_SHARDS_PER_STREAM = 10_000;

/** A new StreamId: AWS's shape, [a-z0-9]{20}-[a-z0-9]{3}. */
function newStreamId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(23);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!);
  return `${chars.slice(0, 20).join('')}-${chars.slice(20).join('')}`;
}

/** `count` shards over the whole key space, indexes from `firstIdx`, created `now`. */
export function newShards(deps: KinesisDeps, streamId: string, count: number, firstIdx: number, now: number): NewShard[] {
  const tag = streamTagOf(streamId);
  return evenRanges(count).map((r, i) => ({
    idx: firstIdx + i, parent: undefined, adjacentParent: undefined, hashStart: r.start, hashEnd: r.end,
    startingSeq: formatSequence(deps.seq.next(now), firstIdx + i, tag), endingSeq: undefined, createdAt: now, closedAt: undefined,
  }));
}

/** Refuses `added` more open shards beyond the account's shard quota. */
export async function checkShardQuota(deps: KinesisDeps, ctx: Ctx, added: number): Promise<void> {
  const open = await deps.repo.openShardCount(ctx.account, ctx.region);
  if (open + added > deps.limits.shards) {
    throw new ServiceError('LimitExceededException',
      `This request would exceed the shard limit for the account ${ctx.account} in ${ctx.region}. Current shard count for the account: ${open}. ` +
      `Limit: ${deps.limits.shards}. Number of additional shards that would have resulted from this request: ${added}.`);
  }
}

export async function createStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'CreateStream'>): Promise<CallOutput<'kinesis', 'CreateStream'>> {
  const name = input.StreamName!;
  // Without a mode, a stream with a ShardCount is provisioned and one without is on-demand.
  const mode: StreamMode = input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
  if (mode === 'PROVISIONED' && input.ShardCount === undefined) throw invalidArgument('ShardCount is required for a stream in PROVISIONED mode.');
  if (mode === 'ON_DEMAND' && input.ShardCount !== undefined) throw invalidArgument('ShardCount must not be specified for a stream in ON_DEMAND mode.');
  const count = mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : input.ShardCount!;
  if (count > MAX_SHARDS_PER_STREAM) throw invalidArgument(`ShardCount ${count} exceeds the ${MAX_SHARDS_PER_STREAM} shards a stream may have.`);
  if (await deps.repo.stream(ctx.account, ctx.region, name)) {
    throw new ServiceError('ResourceInUseException', `Stream ${name} under account ${ctx.account} already exists.`);
  }
  await checkShardQuota(deps, ctx, count);
  if (mode === 'ON_DEMAND' && await deps.repo.onDemandStreamCount(ctx.account, ctx.region) >= deps.limits.onDemandStreams) {
    throw new ServiceError('LimitExceededException', `Account ${ctx.account} already has ${deps.limits.onDemandStreams} on-demand streams in ${ctx.region}, the maximum.`);
  }
  const tags = input.Tags ?? {};
  checkTags(tags);
  const now = deps.clock.now();
  const streamId = newStreamId();
  await deps.repo.insertStream({
    account: ctx.account, region: ctx.region, name, streamId, mode, retentionHours: DEFAULT_RETENTION_HOURS, createdAt: now,
    encryptionType: 'NONE', keyId: undefined, shardMetrics: [], tags, maxRecordKib: input.MaxRecordSizeInKiB ?? 1024, nextShard: count,
  }, newShards(deps, streamId, count, 0, now));
  return {};
}

export async function deleteStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DeleteStream'>): Promise<CallOutput<'kinesis', 'DeleteStream'>> {
  const s = await resolveStream(deps, ctx, input);
  const consumers = (await deps.repo.consumers(s.id)).length;
  if (consumers > 0 && input.EnforceConsumerDeletion !== true) {
    throw new ServiceError('ResourceInUseException',
      `Stream ${s.name} under account ${s.account} has ${consumers} registered consumers; deregister them or set EnforceConsumerDeletion.`);
  }
  await deps.repo.deleteStream(s.id);
  deps.routes.forget(s.id);
  // The metadata is gone first (no new records can arrive), then the records themselves.
  await deps.records.settled();
  await deps.records.deleteStream(s.account, s.region, s.streamId);
  return {};
}

export async function describeStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DescribeStream'>): Promise<CallOutput<'kinesis', 'DescribeStream'>> {
  const s = await resolveStream(deps, ctx, input);
  const limit = input.Limit ?? 100;
  let shards = await liveShards(deps, s);
  if (input.ExclusiveStartShardId !== undefined) {
    const after = shardIndexOf(input.ExclusiveStartShardId);
    if (after === undefined) throw invalidArgument(`ExclusiveStartShardId ${input.ExclusiveStartShardId} is not a shard id (shardId-000000000000).`);
    shards = shards.filter((sh) => sh.idx > after);
  }
  return {
    StreamDescription: {
      StreamName: s.name, StreamARN: streamArnOf(s), StreamStatus: 'ACTIVE', StreamModeDetails: modeShape(s),
      Shards: shards.slice(0, limit).map(shardShape), HasMoreShards: shards.length > limit,
      RetentionPeriodHours: s.retentionHours, StreamCreationTimestamp: new Date(s.createdAt), EnhancedMonitoring: monitoringShape(s),
      ...encryptionShape(s),
    },
  };
}

export async function describeStreamSummary(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DescribeStreamSummary'>): Promise<CallOutput<'kinesis', 'DescribeStreamSummary'>> {
  const s = await resolveStream(deps, ctx, input);
  return {
    StreamDescriptionSummary: {
      StreamName: s.name, StreamARN: streamArnOf(s), StreamId: s.streamId, StreamStatus: 'ACTIVE', StreamModeDetails: modeShape(s),
      RetentionPeriodHours: s.retentionHours, StreamCreationTimestamp: new Date(s.createdAt), EnhancedMonitoring: monitoringShape(s),
      ...encryptionShape(s), OpenShardCount: (await deps.routes.get(s.id)).length, ConsumerCount: (await deps.repo.consumers(s.id)).length,
      MaxRecordSizeInKiB: s.maxRecordKib,
    },
  };
}

const summaryOf = (s: StreamRow) => ({
  StreamName: s.name, StreamARN: streamArnOf(s), StreamStatus: 'ACTIVE' as const, StreamModeDetails: modeShape(s), StreamCreationTimestamp: new Date(s.createdAt),
});

export async function listStreams(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListStreams'>): Promise<CallOutput<'kinesis', 'ListStreams'>> {
  if (input.NextToken !== undefined && input.ExclusiveStartStreamName !== undefined) {
    throw invalidArgument('NextToken and ExclusiveStartStreamName cannot be provided together.');
  }
  const after = input.NextToken !== undefined
    ? decodePageToken(input.NextToken, () => invalidArgument(`NextToken ${input.NextToken} is not a token ListStreams returned.`))
    : input.ExclusiveStartStreamName ?? '';
  // AWS answers at most 100 streams per call whatever the Limit.
  const limit = Math.min(input.Limit ?? 100, 100);
  const rows = await deps.repo.listStreams(ctx.account, ctx.region, after, limit + 1);
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  return {
    StreamNames: page.map((s) => s.name), HasMoreStreams: more, StreamSummaries: page.map(summaryOf),
    ...(more ? { NextToken: encodePageToken(page.at(-1)!.name) } : {}),
  };
}
