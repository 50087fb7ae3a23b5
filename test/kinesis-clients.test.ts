import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startTestServer, awsEnv, type TestServer } from './helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ modules: ['kinesis'] });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

// boto3 1.26 (Debian's /usr/bin/python3): the stream waiter, a PutRecords batch with binary data,
// every shard read back in order, and modeled errors.
const BOTO = String.raw`
import boto3, sys, json
k = boto3.client('kinesis', endpoint_url=sys.argv[1])
k.create_stream(StreamName='boto', ShardCount=2)
k.get_waiter('stream_exists').wait(StreamName='boto', WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
recs = [{'Data': bytes([i % 256, 0, 255]) + ('rec-%d' % i).encode(), 'PartitionKey': 'pk-%d' % (i % 7)} for i in range(300)]
r = k.put_records(StreamName='boto', Records=recs)
assert r['FailedRecordCount'] == 0 and len(r['Records']) == 300
want = {}
for rec, res in zip(recs, r['Records']):
    want.setdefault(res['ShardId'], []).append((res['SequenceNumber'], rec['Data']))
got = {}
for s in k.list_shards(StreamName='boto')['Shards']:
    it = k.get_shard_iterator(StreamName='boto', ShardId=s['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']
    out = []
    while True:
        g = k.get_records(ShardIterator=it, Limit=100)
        out += [(x['SequenceNumber'], x['Data']) for x in g['Records']]
        if not g['Records']: break
        it = g['NextShardIterator']
    got[s['ShardId']] = out
assert got == want, (len(got), len(want))
try:
    k.describe_stream(StreamName='missing'); raise SystemExit('no error')
except k.exceptions.ResourceNotFoundException as e:
    assert e.response['Error']['Code'] == 'ResourceNotFoundException'
try:
    k.get_records(ShardIterator='bogus'); raise SystemExit('no error')
except k.exceptions.InvalidArgumentException:
    pass
print(json.dumps({'shards': sorted(got), 'records': sum(len(v) for v in got.values())}))
`;

test('boto3 1.26: waiter, put_records (binary), get_records round trip per shard in order, modeled errors', () => {
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO, server.url], { env: awsEnv(), encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { shards: ['shardId-000000000000', 'shardId-000000000001'], records: 300 });
});

test('AWS CLI v1: create-stream, wait, put-records / put-record, get-shard-iterator, get-records, errors', () => {
  const aws = (...args: string[]) => execFileSync('aws', ['kinesis', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8' });
  aws('create-stream', '--stream-name', 'cli', '--shard-count', '1');
  aws('wait', 'stream-exists', '--stream-name', 'cli');
  const put = JSON.parse(aws('put-records', '--stream-name', 'cli', '--records', JSON.stringify([
    { Data: 'first', PartitionKey: 'a' }, { Data: 'second', PartitionKey: 'b' },
  ]))) as { FailedRecordCount: number; Records: { SequenceNumber: string }[] };
  assert.equal(put.FailedRecordCount, 0);
  const one = JSON.parse(aws('put-record', '--stream-name', 'cli', '--partition-key', 'c', '--data', 'third')) as { SequenceNumber: string };
  assert.ok(one.SequenceNumber > put.Records[1]!.SequenceNumber);
  const { ShardIterator } = JSON.parse(aws('get-shard-iterator', '--stream-name', 'cli', '--shard-id', 'shardId-000000000000', '--shard-iterator-type', 'TRIM_HORIZON')) as { ShardIterator: string };
  const got = JSON.parse(aws('get-records', '--shard-iterator', ShardIterator)) as { Records: { Data: string; PartitionKey: string }[]; NextShardIterator: string; MillisBehindLatest: number };
  assert.deepEqual(got.Records.map((r) => Buffer.from(r.Data, 'base64').toString()), ['first', 'second', 'third']);
  assert.deepEqual(got.Records.map((r) => r.PartitionKey), ['a', 'b', 'c']);
  assert.equal(got.MillisBehindLatest, 0);
  const summary = JSON.parse(aws('describe-stream-summary', '--stream-name', 'cli')) as { StreamDescriptionSummary: { OpenShardCount: number; StreamStatus: string } };
  assert.deepEqual([summary.StreamDescriptionSummary.OpenShardCount, summary.StreamDescriptionSummary.StreamStatus], [1, 'ACTIVE']);
  assert.throws(() => aws('describe-stream', '--stream-name', 'missing'), /ResourceNotFoundException/);
  aws('delete-stream', '--stream-name', 'cli');
  aws('wait', 'stream-not-exists', '--stream-name', 'cli');
});

// boto3 1.26: the management operations of its era — resharding, retention, tags, enhanced
// monitoring, limits, consumers, encryption, stream mode, listing and deletion.
const BOTO_MANAGE = String.raw`
import boto3, sys, json
k = boto3.client('kinesis', endpoint_url=sys.argv[1])
k.create_stream(StreamName='mgmt', ShardCount=2)
arn = k.describe_stream_summary(StreamName='mgmt')['StreamDescriptionSummary']['StreamARN']
s0 = k.list_shards(StreamName='mgmt')['Shards'][0]
lo, hi = int(s0['HashKeyRange']['StartingHashKey']), int(s0['HashKeyRange']['EndingHashKey'])
k.split_shard(StreamName='mgmt', ShardToSplit=s0['ShardId'], NewStartingHashKey=str((lo + hi) // 2))
open_shards = sorted(k.list_shards(StreamName='mgmt', ShardFilter={'Type': 'AT_LATEST'})['Shards'], key=lambda s: int(s['HashKeyRange']['StartingHashKey']))
open_ids = [s['ShardId'] for s in open_shards]
assert len(open_ids) == 3, open_ids
k.merge_shards(StreamName='mgmt', ShardToMerge=open_ids[0], AdjacentShardToMerge=open_ids[1])
k.update_shard_count(StreamName='mgmt', TargetShardCount=4, ScalingType='UNIFORM_SCALING')
summary = k.describe_stream_summary(StreamName='mgmt')['StreamDescriptionSummary']
assert summary['OpenShardCount'] == 4, summary
k.increase_stream_retention_period(StreamName='mgmt', RetentionPeriodHours=48)
k.decrease_stream_retention_period(StreamName='mgmt', RetentionPeriodHours=36)
assert k.describe_stream(StreamName='mgmt')['StreamDescription']['RetentionPeriodHours'] == 36
try:
    k.increase_stream_retention_period(StreamName='mgmt', RetentionPeriodHours=9000); raise SystemExit('no error')
except k.exceptions.InvalidArgumentException:
    pass
k.add_tags_to_stream(StreamName='mgmt', Tags={'team': 'obs', 'env': 'dev'})
k.remove_tags_from_stream(StreamName='mgmt', TagKeys=['env'])
assert k.list_tags_for_stream(StreamName='mgmt')['Tags'] == [{'Key': 'team', 'Value': 'obs'}]
mon = k.enable_enhanced_monitoring(StreamName='mgmt', ShardLevelMetrics=['IncomingBytes'])
assert mon['DesiredShardLevelMetrics'] == ['IncomingBytes'], mon
k.disable_enhanced_monitoring(StreamName='mgmt', ShardLevelMetrics=['ALL'])
limits = k.describe_limits()
assert limits['OpenShardCount'] >= 4 and limits['ShardLimit'] > 0, limits
c = k.register_stream_consumer(StreamARN=arn, ConsumerName='app')['Consumer']
assert k.describe_stream_consumer(StreamARN=arn, ConsumerName='app')['ConsumerDescription']['ConsumerARN'] == c['ConsumerARN']
assert [x['ConsumerName'] for x in k.list_stream_consumers(StreamARN=arn)['Consumers']] == ['app']
k.deregister_stream_consumer(StreamARN=arn, ConsumerName='app')
k.start_stream_encryption(StreamName='mgmt', EncryptionType='KMS', KeyId='alias/aws/kinesis')
assert k.describe_stream_summary(StreamName='mgmt')['StreamDescriptionSummary']['EncryptionType'] == 'KMS'
k.stop_stream_encryption(StreamName='mgmt', EncryptionType='KMS', KeyId='alias/aws/kinesis')
k.update_stream_mode(StreamARN=arn, StreamModeDetails={'StreamMode': 'ON_DEMAND'})
assert k.describe_stream_summary(StreamName='mgmt')['StreamDescriptionSummary']['StreamModeDetails']['StreamMode'] == 'ON_DEMAND'
assert 'mgmt' in k.list_streams()['StreamNames']
k.delete_stream(StreamName='mgmt')
k.get_waiter('stream_not_exists').wait(StreamName='mgmt', WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
print('ok')
`;

test('boto3 1.26: split, merge, UpdateShardCount, retention, tags, enhanced monitoring, limits, consumers, encryption, stream mode, delete', () => {
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO_MANAGE, server.url], { env: awsEnv(), encoding: 'utf8' });
  assert.equal(out.trim(), 'ok');
});

test('AWS CLI v1: every management operation, the ones newer than boto3 1.26, and what Osprey refuses', () => {
  const raw = (...args: string[]) => execFileSync('aws', ['kinesis', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const aws = <T = Record<string, unknown>>(...args: string[]): T => {
    const out = raw(...args).trim();
    return (out === '' ? {} : JSON.parse(out)) as T;
  };
  aws('create-stream', '--stream-name', 'cli-mgmt', '--shard-count', '2');
  aws('wait', 'stream-exists', '--stream-name', 'cli-mgmt');
  const arn = aws<{ StreamDescriptionSummary: { StreamARN: string } }>('describe-stream-summary', '--stream-name', 'cli-mgmt').StreamDescriptionSummary.StreamARN;
  type Shard = { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } };
  const shards = (...filter: string[]) => aws<{ Shards: Shard[] }>('list-shards', '--stream-name', 'cli-mgmt', ...filter).Shards
    .sort((a, b) => (BigInt(a.HashKeyRange.StartingHashKey) < BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1));
  const [s0] = shards();
  const mid = (BigInt(s0!.HashKeyRange.StartingHashKey) + BigInt(s0!.HashKeyRange.EndingHashKey)) / 2n;
  aws('split-shard', '--stream-name', 'cli-mgmt', '--shard-to-split', s0!.ShardId, '--new-starting-hash-key', String(mid));
  const open = shards('--shard-filter', 'Type=AT_LATEST');
  assert.equal(open.length, 3);
  aws('merge-shards', '--stream-name', 'cli-mgmt', '--shard-to-merge', open[0]!.ShardId, '--adjacent-shard-to-merge', open[1]!.ShardId);
  aws('update-shard-count', '--stream-name', 'cli-mgmt', '--target-shard-count', '4', '--scaling-type', 'UNIFORM_SCALING');
  assert.equal(aws<{ StreamDescription: { Shards: Shard[] } }>('describe-stream', '--stream-name', 'cli-mgmt').StreamDescription.Shards.length > 4, true, 'closed parents are listed too');

  aws('increase-stream-retention-period', '--stream-name', 'cli-mgmt', '--retention-period-hours', '48');
  aws('decrease-stream-retention-period', '--stream-name', 'cli-mgmt', '--retention-period-hours', '36');
  assert.throws(() => raw('increase-stream-retention-period', '--stream-name', 'cli-mgmt', '--retention-period-hours', '9000'), /InvalidArgumentException/);
  aws('enable-enhanced-monitoring', '--stream-name', 'cli-mgmt', '--shard-level-metrics', 'IncomingBytes');
  aws('disable-enhanced-monitoring', '--stream-name', 'cli-mgmt', '--shard-level-metrics', 'ALL');
  aws('start-stream-encryption', '--stream-name', 'cli-mgmt', '--encryption-type', 'KMS', '--key-id', 'alias/aws/kinesis');
  aws('stop-stream-encryption', '--stream-name', 'cli-mgmt', '--encryption-type', 'KMS', '--key-id', 'alias/aws/kinesis');
  aws('update-stream-mode', '--stream-arn', arn, '--stream-mode-details', 'StreamMode=ON_DEMAND');
  const summary = aws<{ StreamDescriptionSummary: { RetentionPeriodHours: number; EncryptionType: string; StreamModeDetails: { StreamMode: string } } }>(
    'describe-stream-summary', '--stream-name', 'cli-mgmt').StreamDescriptionSummary;
  assert.deepEqual([summary.RetentionPeriodHours, summary.EncryptionType, summary.StreamModeDetails.StreamMode], [36, 'NONE', 'ON_DEMAND']);
  assert.ok(aws<{ ShardLimit: number }>('describe-limits').ShardLimit > 0);

  aws('add-tags-to-stream', '--stream-name', 'cli-mgmt', '--tags', 'team=obs,env=dev');
  aws('remove-tags-from-stream', '--stream-name', 'cli-mgmt', '--tag-keys', 'env');
  aws('tag-resource', '--resource-arn', arn, '--tags', '{"tier":"gold"}');
  aws('untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
  assert.deepEqual(aws<{ Tags: unknown[] }>('list-tags-for-stream', '--stream-name', 'cli-mgmt').Tags, [{ Key: 'tier', Value: 'gold' }]);
  assert.deepEqual(aws<{ Tags: unknown[] }>('list-tags-for-resource', '--resource-arn', arn).Tags, [{ Key: 'tier', Value: 'gold' }]);

  const consumer = aws<{ Consumer: { ConsumerARN: string } }>('register-stream-consumer', '--stream-arn', arn, '--consumer-name', 'app').Consumer;
  assert.equal(aws<{ ConsumerDescription: { ConsumerARN: string } }>('describe-stream-consumer', '--consumer-arn', consumer.ConsumerARN).ConsumerDescription.ConsumerARN, consumer.ConsumerARN);
  assert.deepEqual(aws<{ Consumers: { ConsumerName: string }[] }>('list-stream-consumers', '--stream-arn', arn).Consumers.map((c) => c.ConsumerName), ['app']);
  // subscribe-to-shard: the CLI v1 has no event-stream operations (SDK v3's answer is in kinesis-core).
  aws('deregister-stream-consumer', '--stream-arn', arn, '--consumer-name', 'app');
  // Newer operations Osprey answers with AWS's NotImplemented (after validating the input).
  assert.throws(() => raw('get-resource-policy', '--resource-arn', arn), /NotImplemented/);
  assert.throws(() => raw('describe-account-settings'), /NotImplemented/);

  assert.ok(aws<{ StreamNames: string[] }>('list-streams').StreamNames.includes('cli-mgmt'));
  aws('delete-stream', '--stream-name', 'cli-mgmt', '--enforce-consumer-deletion');
  aws('wait', 'stream-not-exists', '--stream-name', 'cli-mgmt');
});
