/**
 * Kinesis streams as the destination of other services, with no `streams` mapping — the ARN as on
 * AWS: a Logs subscription filter (refused while the stream does not exist; then the control message
 * and gzip data messages, one partition key per log stream) and an EventBridge rule target
 * (KinesisParameters.PartitionKeyPath). Read back with GetRecords through SDK v3.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type _Record,
} from '@aws-sdk/client-kinesis';
import { ACCOUNT } from './helpers/accounts.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let kinesis: KinesisClient;
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;

before(async () => {
  server = await startTestServer({ modules: ['logs', 'events', 'kinesis'], env: { OSPREY_DELIVERY_POLL_MS: '100' } });
  kinesis = new KinesisClient(sdkConfig(server.url));
});
after(async () => {
  kinesis.destroy();
  await server.stop();
  server.cleanup();
});

/** Every record of every shard so far. */
async function allRecords(stream: string): Promise<_Record[]> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const out: _Record[] = [];
  for (const s of Shards ?? []) {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: s.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const r = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    out.push(...(r.Records ?? []));
  }
  return out;
}

test('a subscription filter delivers gzip CloudWatch Logs messages to Osprey\'s own stream', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/k/app' }));
  const put = () => logs.send(new PutSubscriptionFilterCommand({
    logGroupName: '/k/app', filterName: 'all', filterPattern: '', destinationArn: streamArn('k-logs'), roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
  }));
  await assert.rejects(put(), (e: Error) => e.name === 'InvalidParameterException' && /Could not deliver test message.*does not exist/.test(e.message));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'k-logs', ShardCount: 2 }));
  await put();
  for (const s of ['a', 'b']) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/k/app', logStreamName: s }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/k/app', logStreamName: s, logEvents: [{ timestamp: Date.now(), message: `hello ${s}` }] }));
  }
  const records = await until('the control message and both data messages', async () => {
    const r = await allRecords('k-logs');
    return r.length >= 3 ? r : undefined;
  }, 20_000);
  const messages = records.map((r) => ({ key: r.PartitionKey, m: JSON.parse(gunzipSync(r.Data!).toString('utf8')) }));
  assert.equal(messages.filter((x) => x.m.messageType === 'CONTROL_MESSAGE').length, 1);
  const data = messages.filter((x) => x.m.messageType === 'DATA_MESSAGE').sort((x, y) => x.m.logStream.localeCompare(y.m.logStream));
  assert.deepEqual(data.map((x) => [x.key, x.m.logGroup, x.m.logStream, x.m.logEvents[0].message, x.m.owner]), [
    ['a', '/k/app', 'a', 'hello a', ACCOUNT], ['b', '/k/app', 'b', 'hello b', ACCOUNT],
  ]);
  logs.destroy();
});

test('an EventBridge rule puts matched events on a stream, partitioned by KinesisParameters.PartitionKeyPath', async () => {
  const eb = new EventBridgeClient(sdkConfig(server.url));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'k-events', ShardCount: 1 }));
  await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }));
  await eb.send(new PutTargetsCommand({
    Rule: 'orders', Targets: [{ Id: 'k', Arn: streamArn('k-events'), KinesisParameters: { PartitionKeyPath: '$.detail.customer' } }],
  }));
  await eb.send(new PutEventsCommand({ Entries: [
    { Source: 'shop', DetailType: 'order', Detail: JSON.stringify({ customer: 'c-42', total: 9 }) },
    { Source: 'other', DetailType: 'order', Detail: '{}' },
  ] }));
  const [r] = await until('the event on the stream', async () => {
    const got = await allRecords('k-events');
    return got.length > 0 ? got : undefined;
  }, 20_000);
  const event = JSON.parse(Buffer.from(r!.Data!).toString('utf8'));
  assert.equal(r!.PartitionKey, 'c-42');
  assert.deepEqual([event.source, event['detail-type'], event.detail], ['shop', 'order', { customer: 'c-42', total: 9 }]);
  await new Promise((res) => setTimeout(res, 500));
  assert.equal((await allRecords('k-events')).length, 1, 'only the matching event');
  eb.destroy();
});
