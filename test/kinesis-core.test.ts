import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  KinesisClient, CreateStreamCommand, DescribeStreamCommand, DescribeStreamSummaryCommand, ListStreamsCommand, DeleteStreamCommand,
  PutRecordCommand, PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand, ListShardsCommand, SplitShardCommand,
  MergeShardsCommand, UpdateShardCountCommand, DescribeLimitsCommand, waitUntilStreamExists, waitUntilStreamNotExists,
  AddTagsToStreamCommand, RemoveTagsFromStreamCommand, ListTagsForStreamCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
  IncreaseStreamRetentionPeriodCommand, DecreaseStreamRetentionPeriodCommand, StartStreamEncryptionCommand, StopStreamEncryptionCommand,
  EnableEnhancedMonitoringCommand, DisableEnhancedMonitoringCommand, UpdateStreamModeCommand, RegisterStreamConsumerCommand,
  DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, ListStreamConsumersCommand, SubscribeToShardCommand,
  type _Record, type GetRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, sdkConfig, TEST_CREDENTIALS, type TestServer } from './helpers/server.ts';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';

let server: TestServer;
let k: KinesisClient;
before(async () => {
  server = await startTestServer({ modules: ['kinesis'], env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS } });
  // SDK v3's Kinesis client speaks HTTP/2 (h2c against an http:// endpoint) by default; the second
  // account's client below uses HTTP/1.1, so both transports are covered.
  k = new KinesisClient(sdkConfig(server.url));
});
after(async () => {
  k?.destroy();
  await server?.stop();
  server?.cleanup();
});

const TWO_128 = 1n << 128n;
const md5Key = (pk: string): bigint => BigInt(`0x${createHash('md5').update(pk).digest('hex')}`);

async function create(name: string, shards: number): Promise<void> {
  await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client: k, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

async function iterator(name: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP', extra: { seq?: string; ts?: Date } = {}): Promise<string> {
  const r = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: type, StartingSequenceNumber: extra.seq, Timestamp: extra.ts }));
  return r.ShardIterator!;
}

/** Every record of a shard from an iterator until caught up (or the shard's end). */
async function readAll(it: string | undefined, limit?: number): Promise<{ records: _Record[]; last: GetRecordsCommandOutput }> {
  const records: _Record[] = [];
  for (;;) {
    const r = await k.send(new GetRecordsCommand({ ShardIterator: it, Limit: limit }));
    records.push(...r.Records!);
    if (!r.NextShardIterator || r.Records!.length === 0) return { records, last: r };
    it = r.NextShardIterator;
  }
}

const text = (r: _Record): string => Buffer.from(r.Data!).toString('utf8');

test('CreateStream → waitUntilStreamExists → DescribeStream: ACTIVE, ARN, shards splitting 0..2^128-1 evenly', async () => {
  await create('orders', 3);
  const d = (await k.send(new DescribeStreamCommand({ StreamName: 'orders' }))).StreamDescription!;
  assert.equal(d.StreamStatus, 'ACTIVE');
  assert.equal(d.StreamARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/orders');
  assert.equal(d.RetentionPeriodHours, 24);
  assert.equal(d.HasMoreShards, false);
  assert.deepEqual(d.Shards!.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  const step = TWO_128 / 3n;
  assert.deepEqual(d.Shards!.map((s) => [s.HashKeyRange!.StartingHashKey, s.HashKeyRange!.EndingHashKey]), [
    ['0', String(step - 1n)], [String(step), String(2n * step - 1n)], [String(2n * step), String(TWO_128 - 1n)],
  ]);
  for (const s of d.Shards!) assert.match(s.SequenceNumberRange!.StartingSequenceNumber!, /^\d{56}$/);
  const byArn = await k.send(new DescribeStreamSummaryCommand({ StreamARN: d.StreamARN }));
  assert.equal(byArn.StreamDescriptionSummary!.OpenShardCount, 3);
  assert.match(byArn.StreamDescriptionSummary!.StreamId!, /^[a-z0-9]{20}-[a-z0-9]{3}$/);
  const paged = await k.send(new DescribeStreamCommand({ StreamName: 'orders', Limit: 2, ExclusiveStartShardId: 'shardId-000000000000' }));
  assert.deepEqual(paged.StreamDescription!.Shards!.map((s) => s.ShardId), ['shardId-000000000001', 'shardId-000000000002']);
  await assert.rejects(k.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 })), { name: 'ResourceInUseException' });
  await assert.rejects(k.send(new DescribeStreamCommand({ StreamName: 'nope' })), { name: 'ResourceNotFoundException', message: 'Stream nope under account 000000000000 not found.' });
});

test('on-demand streams start with 4 shards; DescribeLimits counts shards and on-demand streams', async () => {
  await k.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
  const s = (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'od' }))).StreamDescriptionSummary!;
  assert.equal(s.StreamModeDetails!.StreamMode, 'ON_DEMAND');
  assert.equal(s.OpenShardCount, 4);
  const l = await k.send(new DescribeLimitsCommand({}));
  assert.equal(l.ShardLimit, 500);
  assert.ok(l.OpenShardCount! >= 4);
  assert.ok(l.OnDemandStreamCount! >= 1);
  await assert.rejects(k.send(new SplitShardCommand({ StreamName: 'od', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '1000' })), { name: 'ValidationException' });
});

test('ListStreams pages by Limit / NextToken / ExclusiveStartStreamName with StreamSummaries', async () => {
  for (const n of ['ls-a', 'ls-b', 'ls-c']) await k.send(new CreateStreamCommand({ StreamName: n, ShardCount: 1 }));
  const first = await k.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamName: 'ls' }));
  assert.deepEqual(first.StreamNames, ['ls-a', 'ls-b']);
  assert.equal(first.HasMoreStreams, true);
  assert.equal(first.StreamSummaries![0]!.StreamARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/ls-a');
  const second = await k.send(new ListStreamsCommand({ Limit: 1, NextToken: first.NextToken }));
  assert.deepEqual(second.StreamNames, ['ls-c']);
  await k.send(new DeleteStreamCommand({ StreamName: 'ls-c' }));
  await waitUntilStreamNotExists({ client: k, maxWaitTime: 10, minDelay: 1 }, { StreamName: 'ls-c' });
});

test('PutRecord/PutRecords route by MD5(partition key) (ExplicitHashKey overrides); GetRecords reads binary data in order at once', async () => {
  await create('route', 4);
  const shards = (await k.send(new ListShardsCommand({ StreamName: 'route' }))).Shards!;
  const shardFor = (key: bigint) => shards.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= key && key <= BigInt(s.HashKeyRange!.EndingHashKey!))!.ShardId;
  const one = await k.send(new PutRecordCommand({ StreamName: 'route', PartitionKey: 'user-1', Data: Buffer.from([0, 255, 1, 254]) }));
  assert.equal(one.ShardId, shardFor(md5Key('user-1')));
  assert.match(one.SequenceNumber!, /^\d{56}$/);
  const keys = Array.from({ length: 40 }, (_, i) => `pk-${i}`);
  const put = await k.send(new PutRecordsCommand({ StreamName: 'route', Records: [
    ...keys.map((pk, i) => ({ PartitionKey: pk, Data: Buffer.from(`r${i}`) })),
    { PartitionKey: 'x', ExplicitHashKey: String(TWO_128 - 1n), Data: Buffer.from('last-shard') },
  ] }));
  assert.equal(put.FailedRecordCount, 0);
  keys.forEach((pk, i) => assert.equal(put.Records![i]!.ShardId, shardFor(md5Key(pk)), pk));
  assert.equal(put.Records![40]!.ShardId, 'shardId-000000000003');
  // Read back every shard right away (no flush yet): per-shard order = put order, sequence numbers increasing.
  let seen = 0;
  for (const s of shards) {
    const { records, last } = await readAll(await iterator('route', s.ShardId!, 'TRIM_HORIZON'));
    assert.equal(last.MillisBehindLatest, 0);
    const expected = put.Records!.map((r, i) => ({ r, i })).filter(({ r }) => r.ShardId === s.ShardId);
    const fromPutRecords = records.filter((r) => r.PartitionKey !== 'user-1');
    assert.deepEqual(fromPutRecords.map((r) => r.SequenceNumber), expected.map(({ r }) => r.SequenceNumber));
    for (let i = 1; i < records.length; i++) assert.ok(records[i - 1]!.SequenceNumber! < records[i]!.SequenceNumber!);
    for (const r of records) assert.ok(r.ApproximateArrivalTimestamp instanceof Date);
    seen += records.length;
    if (s.ShardId === one.ShardId) assert.deepEqual([...records.find((r) => r.PartitionKey === 'user-1')!.Data!], [0, 255, 1, 254]);
  }
  assert.equal(seen, 42);
});

test('iterator types: AT/AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, Limit paging; survives the flush to the engine', async () => {
  await create('iters', 1);
  const shard = 'shardId-000000000000';
  const put = async (from: number, n: number) => (await k.send(new PutRecordsCommand({ StreamName: 'iters',
    Records: Array.from({ length: n }, (_, i) => ({ PartitionKey: 'p', Data: Buffer.from(`m${from + i}`) })) }))).Records!;
  const first = await put(0, 10);
  const latest = await iterator('iters', shard, 'LATEST');
  // Past the head's flush interval: the first ten are in the engine, the next ten in memory.
  await new Promise((r) => setTimeout(r, 1500));
  const beforeSecond = new Date();
  await new Promise((r) => setTimeout(r, 5));
  const second = await put(10, 10);
  const all = (await readAll(await iterator('iters', shard, 'TRIM_HORIZON'), 3)).records.map(text);
  assert.deepEqual(all, Array.from({ length: 20 }, (_, i) => `m${i}`));
  assert.deepEqual((await readAll(latest)).records.map(text), Array.from({ length: 10 }, (_, i) => `m${10 + i}`));
  assert.equal(text((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('iters', shard, 'AT_SEQUENCE_NUMBER', { seq: first[4]!.SequenceNumber }), Limit: 1 }))).Records![0]!), 'm4');
  assert.equal(text((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('iters', shard, 'AFTER_SEQUENCE_NUMBER', { seq: second[0]!.SequenceNumber }), Limit: 1 }))).Records![0]!), 'm11');
  assert.equal(text((await k.send(new GetRecordsCommand({ ShardIterator: await iterator('iters', shard, 'AT_TIMESTAMP', { ts: beforeSecond }), Limit: 1 }))).Records![0]!), 'm10');
  const page = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('iters', shard, 'TRIM_HORIZON'), Limit: 5 }));
  assert.equal(page.Records!.length, 5);
  assert.ok(page.MillisBehindLatest! >= 0);
  await assert.rejects(k.send(new GetShardIteratorCommand({ StreamName: 'route', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: first[0]!.SequenceNumber })),
    { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new GetShardIteratorCommand({ StreamName: 'iters', ShardId: 'shardId-000000000009', ShardIteratorType: 'LATEST' })), { name: 'ResourceNotFoundException' });
});

test('SplitShard and MergeShards: parents close with an EndingSequenceNumber; reading a parent to its end gives ChildShards and no iterator', async () => {
  await create('reshard', 1);
  const root = 'shardId-000000000000';
  await k.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'a', Data: Buffer.from('before') }));
  const half = String(1n << 127n);
  await k.send(new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: root, NewStartingHashKey: half }));
  const shards = (await k.send(new ListShardsCommand({ StreamName: 'reshard' }))).Shards!;
  assert.deepEqual(shards.map((s) => s.ShardId), [root, 'shardId-000000000001', 'shardId-000000000002']);
  assert.match(shards[0]!.SequenceNumberRange!.EndingSequenceNumber!, /^\d{56}$/);
  assert.deepEqual(shards.slice(1).map((s) => [s.ParentShardId, s.HashKeyRange!.StartingHashKey]), [[root, '0'], [root, half]]);
  const after = await k.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'a', Data: Buffer.from('after') }));
  assert.notEqual(after.ShardId, root);
  const end = await readAll(await iterator('reshard', root, 'TRIM_HORIZON'));
  assert.deepEqual(end.records.map(text), ['before']);
  assert.equal(end.last.NextShardIterator, undefined);
  assert.deepEqual(end.last.ChildShards!.map((c) => [c.ShardId, c.ParentShards]), [['shardId-000000000001', [root]], ['shardId-000000000002', [root]]]);
  await k.send(new MergeShardsCommand({ StreamName: 'reshard', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
  const open = (await k.send(new ListShardsCommand({ StreamName: 'reshard', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
  assert.deepEqual(open.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [['shardId-000000000003', 'shardId-000000000001', 'shardId-000000000002']]);
  const childEnd = await readAll(await iterator('reshard', 'shardId-000000000001', 'TRIM_HORIZON'));
  assert.deepEqual(childEnd.last.ChildShards!.map((c) => c.ParentShards), [['shardId-000000000001', 'shardId-000000000002']]);
  await assert.rejects(k.send(new MergeShardsCommand({ StreamName: 'reshard', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000003' })), { name: 'ResourceInUseException' });
  await assert.rejects(k.send(new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000003', NewStartingHashKey: '0' })), { name: 'InvalidArgumentException' });
});

test('UpdateShardCount (UNIFORM_SCALING) and ListShards paging, filters and token rules', async () => {
  await create('scale', 2);
  const r = await k.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }));
  assert.deepEqual([r.CurrentShardCount, r.TargetShardCount], [2, 4]);
  const open = (await k.send(new ListShardsCommand({ StreamName: 'scale', ShardFilter: { Type: 'AT_LATEST' } }))).Shards!;
  assert.equal(open.length, 4);
  assert.equal(open[3]!.HashKeyRange!.EndingHashKey, String(TWO_128 - 1n));
  const p1 = await k.send(new ListShardsCommand({ StreamName: 'scale', MaxResults: 4 }));
  assert.equal(p1.Shards!.length, 4);
  const p2 = await k.send(new ListShardsCommand({ NextToken: p1.NextToken, MaxResults: 4 }));
  assert.deepEqual(p2.Shards!.map((s) => s.ShardId), ['shardId-000000000004', 'shardId-000000000005']);
  assert.equal(p2.NextToken, undefined);
  const after = await k.send(new ListShardsCommand({ StreamName: 'scale', ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000003' } }));
  assert.deepEqual(after.Shards!.map((s) => s.ShardId), ['shardId-000000000004', 'shardId-000000000005']);
  await assert.rejects(k.send(new ListShardsCommand({ StreamName: 'scale', NextToken: p1.NextToken })), { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new UpdateShardCountCommand({ StreamName: 'scale', TargetShardCount: 9, ScalingType: 'UNIFORM_SCALING' })), { name: 'InvalidArgumentException' });
});

test('tags (stream and ARN APIs, consumers too), retention, encryption, enhanced monitoring, stream mode', async () => {
  await create('settings', 1);
  const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/settings';
  await k.send(new AddTagsToStreamCommand({ StreamName: 'settings', Tags: { team: 'a', env: 'dev' } }));
  await k.send(new TagResourceCommand({ ResourceARN: arn, Tags: { cost: '1' } }));
  await k.send(new RemoveTagsFromStreamCommand({ StreamName: 'settings', TagKeys: ['env'] }));
  const tags = await k.send(new ListTagsForStreamCommand({ StreamName: 'settings', Limit: 1 }));
  assert.deepEqual([tags.Tags, tags.HasMoreTags], [[{ Key: 'cost', Value: '1' }], true]);
  await k.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['cost'] }));
  assert.deepEqual((await k.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'team', Value: 'a' }]);
  await assert.rejects(k.send(new AddTagsToStreamCommand({ StreamName: 'settings', Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) })), { name: 'InvalidArgumentException' });

  await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 168 }));
  await assert.rejects(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 48 })), { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 8761 })), { name: 'InvalidArgumentException' });
  await k.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN: arn, RetentionPeriodHours: 24 }));
  await assert.rejects(k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 23 })), { name: 'InvalidArgumentException' });

  await k.send(new StartStreamEncryptionCommand({ StreamName: 'settings', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
  const put = await k.send(new PutRecordCommand({ StreamName: 'settings', PartitionKey: 'p', Data: Buffer.from('secret') }));
  assert.equal(put.EncryptionType, 'KMS');
  const got = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('settings', 'shardId-000000000000', 'TRIM_HORIZON') }));
  assert.deepEqual([text(got.Records![0]!), got.Records![0]!.EncryptionType], ['secret', 'KMS']);
  let sum = (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'settings' }))).StreamDescriptionSummary!;
  assert.deepEqual([sum.EncryptionType, sum.KeyId, sum.RetentionPeriodHours], ['KMS', 'alias/aws/kinesis', 24]);
  await k.send(new StopStreamEncryptionCommand({ StreamName: 'settings', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));

  const on = await k.send(new EnableEnhancedMonitoringCommand({ StreamName: 'settings', ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'] }));
  assert.deepEqual([on.CurrentShardLevelMetrics, on.DesiredShardLevelMetrics], [[], ['IncomingBytes', 'OutgoingRecords']]);
  const off = await k.send(new DisableEnhancedMonitoringCommand({ StreamName: 'settings', ShardLevelMetrics: ['ALL'] }));
  assert.deepEqual(off.DesiredShardLevelMetrics, []);

  await k.send(new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
  sum = (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'settings' }))).StreamDescriptionSummary!;
  assert.deepEqual([sum.StreamModeDetails!.StreamMode, sum.EncryptionType], ['ON_DEMAND', 'NONE']);
});

test('stream consumers: register, describe, list, tag, deregister; DeleteStream needs EnforceConsumerDeletion; SubscribeToShard is refused clearly', async () => {
  await create('fanout', 1);
  const StreamARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/fanout';
  const c = (await k.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app' }))).Consumer!;
  assert.match(c.ConsumerARN!, /^arn:aws:kinesis:us-east-1:000000000000:stream\/fanout\/consumer\/app:\d+$/);
  assert.equal(c.ConsumerStatus, 'ACTIVE');
  await assert.rejects(k.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app' })), { name: 'ResourceInUseException' });
  const d = await k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c.ConsumerARN }));
  assert.equal(d.ConsumerDescription!.StreamARN, StreamARN);
  await k.send(new TagResourceCommand({ ResourceARN: c.ConsumerARN, Tags: { owner: 'x' } }));
  assert.deepEqual((await k.send(new ListTagsForResourceCommand({ ResourceARN: c.ConsumerARN }))).Tags, [{ Key: 'owner', Value: 'x' }]);
  await k.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app2' }));
  const l1 = await k.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 1 }));
  assert.deepEqual(l1.Consumers!.map((x) => x.ConsumerName), ['app']);
  assert.deepEqual((await k.send(new ListStreamConsumersCommand({ StreamARN, NextToken: l1.NextToken }))).Consumers!.map((x) => x.ConsumerName), ['app2']);
  await k.send(new DeregisterStreamConsumerCommand({ StreamARN, ConsumerName: 'app2' }));
  await assert.rejects(k.send(new SubscribeToShardCommand({ ConsumerARN: c.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } })),
    (e: Error) => e.name === 'InvalidArgumentException' && /GetRecords/.test(e.message));
  await assert.rejects(k.send(new DeleteStreamCommand({ StreamName: 'fanout' })), { name: 'ResourceInUseException' });
  await k.send(new DeleteStreamCommand({ StreamName: 'fanout', EnforceConsumerDeletion: true }));
  await assert.rejects(k.send(new DescribeStreamConsumerCommand({ ConsumerARN: c.ConsumerARN })), { name: 'ResourceNotFoundException' });
});

test('limits and validation: 500 records, 5 MiB per request, 1 MiB per record, hash keys, partition keys', async () => {
  await create('limits', 1);
  const rec = (n: number, size = 1) => Array.from({ length: n }, () => ({ PartitionKey: 'p', Data: Buffer.alloc(size) }));
  await assert.rejects(k.send(new PutRecordsCommand({ StreamName: 'limits', Records: rec(501) })), { name: 'ValidationException' });
  await assert.rejects(k.send(new PutRecordsCommand({ StreamName: 'limits', Records: rec(6, 1024 * 1024 - 1) })), { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'p', Data: Buffer.alloc(1024 * 1024) })), { name: 'InvalidArgumentException' });
  await k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'p', Data: Buffer.alloc(1024 * 1024 - 1) }));
  await assert.rejects(k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'p', ExplicitHashKey: String(TWO_128), Data: Buffer.from('x') })), { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'x'.repeat(257), Data: Buffer.from('x') })), { name: 'ValidationException' });
  await assert.rejects(k.send(new PutRecordsCommand({ StreamName: 'missing', Records: rec(1) })), { name: 'ResourceNotFoundException' });
  await assert.rejects(k.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), { name: 'InvalidArgumentException' });
  await assert.rejects(k.send(new GetRecordsCommand({ ShardIterator: await iterator('limits', 'shardId-000000000000', 'LATEST'), Limit: 10001 })), { name: 'ValidationException' });
  const big = await readAll(await iterator('limits', 'shardId-000000000000', 'TRIM_HORIZON'));
  assert.equal(big.records[0]!.Data!.length, 1024 * 1024 - 1);
});

test('GetRecords returns at most 10 MiB per call, from memory or from the engine', async () => {
  await create('big', 1);
  const size = 1024 * 1024 - 10;
  for (const n of [4, 4, 3]) {
    await k.send(new PutRecordsCommand({ StreamName: 'big', Records: Array.from({ length: n }, () => ({ PartitionKey: 'p', Data: Buffer.alloc(size, 7) })) }));
  }
  const fromMemory = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('big', 'shardId-000000000000', 'TRIM_HORIZON') }));
  assert.equal(fromMemory.Records!.length, 10);
  assert.ok(fromMemory.MillisBehindLatest! >= 0);
  // Past the flush interval the same read is served by the engine, with the same budget.
  await new Promise((r) => setTimeout(r, 1500));
  const fromEngine = await k.send(new GetRecordsCommand({ ShardIterator: await iterator('big', 'shardId-000000000000', 'TRIM_HORIZON') }));
  assert.equal(fromEngine.Records!.length, 10);
  assert.equal(fromEngine.Records![9]!.Data!.length, size);
  assert.equal((await k.send(new GetRecordsCommand({ ShardIterator: fromEngine.NextShardIterator }))).Records!.length, 1);
});

test('two accounts: same stream names are separate; ARNs, iterators (forged or foreign) do not cross accounts', async () => {
  const other = new KinesisClient({ ...sdkConfig(server.url), credentials: OTHER, requestHandler: new NodeHttpHandler() });
  try {
    await create('shared-name', 1);
    await other.send(new CreateStreamCommand({ StreamName: 'shared-name', ShardCount: 1 }));
    await k.send(new PutRecordCommand({ StreamName: 'shared-name', PartitionKey: 'p', Data: Buffer.from('mine') }));
    const it = await iterator('shared-name', 'shardId-000000000000', 'TRIM_HORIZON');
    const otherIt = (await other.send(new GetShardIteratorCommand({ StreamName: 'shared-name', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
    assert.deepEqual((await other.send(new GetRecordsCommand({ ShardIterator: otherIt }))).Records, []);
    await assert.rejects(other.send(new GetRecordsCommand({ ShardIterator: it })), { name: 'AccessDeniedException' });
    // A forged iterator: the other account's token with this account's stream swapped in.
    const [body, mac] = otherIt.split('.');
    const mine = Buffer.from(it.split('.')[0]!, 'base64url').toString();
    const forged = `${Buffer.from(mine).toString('base64url')}.${mac}`;
    assert.notEqual(body, it.split('.')[0]);
    await assert.rejects(other.send(new GetRecordsCommand({ ShardIterator: forged })), { name: 'InvalidArgumentException' });
    await assert.rejects(other.send(new DescribeStreamCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/shared-name' })), { name: 'AccessDeniedException' });
    await assert.rejects(other.send(new PutRecordCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/shared-name', PartitionKey: 'p', Data: Buffer.from('x') })), { name: 'AccessDeniedException' });
    assert.ok(!(await other.send(new ListStreamsCommand({}))).StreamNames!.includes('orders'));
  } finally {
    other.destroy();
  }
});

test('DeleteStream deletes the records: a stream recreated under the same name starts empty', async () => {
  await create('recreate', 1);
  await k.send(new PutRecordCommand({ StreamName: 'recreate', PartitionKey: 'p', Data: Buffer.from('old') }));
  const oldIt = await iterator('recreate', 'shardId-000000000000', 'TRIM_HORIZON');
  await k.send(new DeleteStreamCommand({ StreamName: 'recreate' }));
  await assert.rejects(k.send(new GetRecordsCommand({ ShardIterator: oldIt })), { name: 'ResourceNotFoundException' });
  await create('recreate', 1);
  assert.deepEqual((await readAll(await iterator('recreate', 'shardId-000000000000', 'TRIM_HORIZON'))).records, []);
});

test('CBOR request bodies (Java SDK / KPL default) get a clear error naming AWS_CBOR_DISABLE', async () => {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(server.url);
  const body = Buffer.from([0xa1, 0x6a, ...Buffer.from('StreamName'), 0x61, 0x78]);
  const signer = new SignatureV4({ service: 'kinesis', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Sha256 });
  const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': 'Kinesis_20131202.DescribeStream' }, body });
  const res = await fetch(server.url, { method: 'POST', headers: req.headers, body });
  assert.equal(res.status, 400);
  const err = await res.json() as { __type: string; message: string };
  assert.match(err.__type, /SerializationException/);
  assert.match(err.message, /AWS_CBOR_DISABLE=1/);
});
