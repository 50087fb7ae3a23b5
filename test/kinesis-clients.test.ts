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
