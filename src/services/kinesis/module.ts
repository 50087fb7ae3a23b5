/**
 * Amazon Kinesis Data Streams (awsJson1_1): streams, shards and consumers in SQLite; records in the
 * telemetry store, acknowledged from its write-ahead log and read back by GetRecords straight from
 * the ingest head and the engine. Not served: SubscribeToShard (HTTP/2 event streams), CBOR bodies
 * (the protocol layer refuses them with a pointer to AWS_CBOR_DISABLE), resource policies, account
 * settings, warm throughput and record-size updates (501 after validation).
 */
import { telemetryTaskOf } from '../../jobs/telemetry-task.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { comparePositions, type SeqPosition } from '../../store/telemetry/kinesis-record-head.ts';
import {
  deregisterStreamConsumer, describeStreamConsumer, listStreamConsumers, registerStreamConsumer,
} from './consumers.ts';
import { kinesisLimits, OpenShardCache, type KinesisDeps } from './deps.ts';
import { ShardIterators } from './iterators.ts';
import { getRecords, getShardIterator, subscribeToShard } from './records-get.ts';
import { putRecord, putRecords } from './records-put.ts';
import { KinesisRepo } from './repo.ts';
import { expireRecords } from './retention.ts';
import { KINESIS_MIGRATIONS } from './schema.ts';
import { parseSequence, SequenceClock } from './sequence.ts';
import { listShards, mergeShards, splitShard, updateShardCount } from './shards.ts';
import {
  decreaseStreamRetentionPeriod, describeLimits, disableEnhancedMonitoring, enableEnhancedMonitoring, increaseStreamRetentionPeriod,
  startStreamEncryption, stopStreamEncryption, updateStreamMode,
} from './stream-settings.ts';
import { createStream, deleteStream, describeStream, describeStreamSummary, listStreams } from './streams.ts';
import {
  addTagsToStream, listTagsForResource, listTagsForStream, removeTagsFromStream, tagResource, untagResource,
} from './tags.ts';
import './operations.ts';

/** The newest position numbered before this start: stored records and shard boundaries. */
function sequenceFloor(stored: SeqPosition | undefined, shardMax: string | undefined): SeqPosition | undefined {
  const fromShards = shardMax !== undefined ? parseSequence(shardMax) : undefined;
  if (!fromShards) return stored;
  if (!stored) return fromShards;
  return comparePositions(fromShards, stored) > 0 ? fromShards : stored;
}

export async function createKinesis(env: Env): Promise<ServiceModule<'kinesis'>> {
  await env.migrate('kinesis', KINESIS_MIGRATIONS);
  const repo = new KinesisRepo(env.db);
  const records = env.telemetry.kinesisRecords;
  const deps: KinesisDeps = {
    repo, records, clock: env.clock, limits: kinesisLimits(env.config.quotas),
    seq: new SequenceClock(sequenceFloor(records.newest(), await repo.maxShardSequence())),
    iterators: new ShardIterators(await repo.iteratorKey()),
    routes: new OpenShardCache(repo, env.changes),
  };
  // Expired records are deleted every retentionIntervalMs (the setting other retention jobs use); reads skip them in between.
  // A shared telemetry store is swept by one node (a lease); embedded stores each by their node.
  const retention = telemetryTaskOf(env, 'kinesis-retention', env.config.retentionIntervalMs, () => expireRecords(deps));
  const handlers: ServiceHandlers<'kinesis'> = {
    CreateStream: (ctx, input) => createStream(deps, ctx, input),
    DeleteStream: (ctx, input) => deleteStream(deps, ctx, input),
    DescribeStream: (ctx, input) => describeStream(deps, ctx, input),
    DescribeStreamSummary: (ctx, input) => describeStreamSummary(deps, ctx, input),
    ListStreams: (ctx, input) => listStreams(deps, ctx, input),
    ListShards: (ctx, input) => listShards(deps, ctx, input),
    SplitShard: (ctx, input) => splitShard(deps, ctx, input),
    MergeShards: (ctx, input) => mergeShards(deps, ctx, input),
    UpdateShardCount: (ctx, input) => updateShardCount(deps, ctx, input),
    UpdateStreamMode: (ctx, input) => updateStreamMode(deps, ctx, input),
    IncreaseStreamRetentionPeriod: (ctx, input) => increaseStreamRetentionPeriod(deps, ctx, input),
    DecreaseStreamRetentionPeriod: (ctx, input) => decreaseStreamRetentionPeriod(deps, ctx, input),
    StartStreamEncryption: (ctx, input) => startStreamEncryption(deps, ctx, input),
    StopStreamEncryption: (ctx, input) => stopStreamEncryption(deps, ctx, input),
    EnableEnhancedMonitoring: (ctx, input) => enableEnhancedMonitoring(deps, ctx, input),
    DisableEnhancedMonitoring: (ctx, input) => disableEnhancedMonitoring(deps, ctx, input),
    DescribeLimits: (ctx) => describeLimits(deps, ctx),
    AddTagsToStream: (ctx, input) => addTagsToStream(deps, ctx, input),
    RemoveTagsFromStream: (ctx, input) => removeTagsFromStream(deps, ctx, input),
    ListTagsForStream: (ctx, input) => listTagsForStream(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
    RegisterStreamConsumer: (ctx, input) => registerStreamConsumer(deps, ctx, input),
    DeregisterStreamConsumer: (ctx, input) => deregisterStreamConsumer(deps, ctx, input),
    DescribeStreamConsumer: (ctx, input) => describeStreamConsumer(deps, ctx, input),
    ListStreamConsumers: (ctx, input) => listStreamConsumers(deps, ctx, input),
    PutRecord: (ctx, input) => putRecord(deps, ctx, input),
    PutRecords: (ctx, input) => putRecords(deps, ctx, input),
    GetShardIterator: (ctx, input) => getShardIterator(deps, ctx, input),
    GetRecords: (ctx, input) => getRecords(deps, ctx, input),
    SubscribeToShard: () => subscribeToShard(),
  };
  return {
    name: 'kinesis',
    handlers,
    jobs: [{ name: 'kinesis-retention', start: () => retention.start(), stop: () => retention.stop() }],
  };
}
