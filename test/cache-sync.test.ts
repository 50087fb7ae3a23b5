/**
 * Two nodes on one PostgreSQL metadata store: what one node changes, the other's in-memory copies
 * follow at once (store/meta/changes.ts) — queue attributes and deletions for SQS messages, alarms
 * created on one node evaluated when their data arrives on the other.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, DescribeAlarmHistoryCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import pg from 'pg';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { postgresForTest, testOnPostgres } from './helpers/postgres-cluster.ts';

const cluster = await postgresForTest('the cache-sync test');
let url: string;
let a: TestServer;
let b: TestServer;

before(async () => {
  if (!cluster) return;
  url = await cluster.createDatabase();
  // A first: it creates the schema and takes the alarm-evaluation lease, so B evaluates only on data.
  a = await startTestServer({ modules: ['sqs', 'cloudwatch'], env: { OSPREY_METADATA_URL: url } });
  b = await startTestServer({ modules: ['sqs', 'cloudwatch'], env: { OSPREY_METADATA_URL: url } });
});

after(async () => {
  for (const n of [a, b]) {
    if (!n) continue;
    await n.stop();
    n.cleanup();
  }
});

const test = testOnPostgres(cluster);

test('queue attributes set and a queue deleted on node A are honoured by node B at once', async () => {
  const [sqsA, sqsB] = [new SQSClient(sdkConfig(a.url)), new SQSClient(sdkConfig(b.url))];
  const { QueueUrl } = await sqsA.send(new CreateQueueCommand({ QueueName: 'synced' }));
  // Node B caches the queue (VisibilityTimeout 30 s) by using it.
  await sqsB.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
  assert.equal((await sqsB.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, 'one');

  await sqsA.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '0' } }));
  // B's copy drops when the NOTIFY arrives, a few ms after A answers (more on a loaded machine: a
  // CI run received 'two' once); the loop below measures that lag, here B is given it.
  await until('the visibility timeout on node B', async () => {
    const r = await sqsB.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
    return r.Attributes?.VisibilityTimeout === '0' ? true : undefined;
  }, 1000);
  await sqsB.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
  const first = await sqsB.send(new ReceiveMessageCommand({ QueueUrl }));
  const again = await sqsB.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.deepEqual([first.Messages?.[0]?.Body, again.Messages?.[0]?.Body], ['two', 'two'], 'received with a visibility timeout of 0 s on node B');

  // A write on A, then at once a read on B that answers from B's cache: how often is it already current?
  const lags: number[] = [];
  for (let i = 1; i <= 20; i++) {
    await sqsA.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: String(2048 + i) } }));
    const answered = performance.now();
    let reads = 0;
    await until('the attribute on node B', async () => {
      reads++;
      const r = await sqsB.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }));
      return r.Attributes?.MaximumMessageSize === String(2048 + i) ? true : undefined;
    }, 2000);
    lags.push(reads === 1 ? 0 : performance.now() - answered);
  }
  console.log(`# SetQueueAttributes on A → GetQueueAttributes on B: current on the first read ${lags.filter((l) => l === 0).length}/20, worst ${Math.max(...lags).toFixed(0)} ms`);
  // The other node's copy drops when the NOTIFY arrives (a few ms): a read sent at once can beat it
  // on a loaded machine (14–20 of 20 were current at once in runs here), so what is asserted is
  // that B follows within a second every time.
  assert.ok(Math.max(...lags) < 1000, `node B took ${Math.max(...lags).toFixed(0)} ms to follow a change`);

  await sqsA.send(new DeleteQueueCommand({ QueueUrl }));
  await until('node B to refuse the deleted queue', async () => {
    const refused = await sqsB.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })).then(() => false, (e: Error) => e.name === 'QueueDoesNotExist');
    return refused ? true : undefined;
  }, 1000);
  await assert.rejects(sqsB.send(new SendMessageCommand({ QueueUrl, MessageBody: 'lost' })), { name: 'QueueDoesNotExist' });
});

test('an alarm created on node A is evaluated on node B when its data arrives there', async () => {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const holder = (await db.query<{ owner: string }>("SELECT owner FROM leases WHERE name = 'cloudwatch.alarms'")).rows[0]?.owner;
  await db.end();
  assert.equal(Number(holder?.split(':')[1]), a.child.pid, 'node A evaluates on time; node B only when data arrives');
  const [cwA, cwB] = [new CloudWatchClient(sdkConfig(a.url)), new CloudWatchClient(sdkConfig(b.url))];
  const datum = (value: number) => new PutMetricDataCommand({ Namespace: 'Sync', MetricData: [{ MetricName: 'Depth', Value: value, Timestamp: new Date() }] });
  // Node B indexes which alarms watch which metric on its first data (none yet).
  await cwB.send(datum(1));
  await cwA.send(new PutMetricAlarmCommand({
    AlarmName: 'deep', Namespace: 'Sync', MetricName: 'Depth', Statistic: 'Maximum', Period: 60,
    EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
  }));
  const sent = Date.now();
  // A datum that reaches B before B's copy of the alarm index dropped (the NOTIFY is a few ms behind
  // the PutMetricAlarm answer; more on a loaded machine) is not evaluated against the new alarm, as
  // on AWS a datum before the alarm existed is not: data keeps coming, as it does from a real source.
  // Node A's own passes see no data (telemetry is per node) and may move it back: the history tells.
  let data = 0;
  await until('the alarm in ALARM', async () => {
    if (data++ < 20) await cwB.send(datum(10));
    const h = await cwB.send(new DescribeAlarmHistoryCommand({ AlarmName: 'deep', HistoryItemType: 'StateUpdate' }));
    return h.AlarmHistoryItems?.some((i) => i.HistorySummary?.endsWith('to ALARM')) ? true : undefined;
  }, 10_000);
  console.log(`# alarm created on A, data on B: ALARM ${Date.now() - sent} ms after the first datum (${data} data sent)`);
});
