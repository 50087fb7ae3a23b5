/**
 * Issue 24's acceptance on one machine: three Osprey nodes on one PostgreSQL metadata store (each
 * with its own embedded telemetry, as documented in docs/scaling.md). Metadata written on one node
 * is served by the others, scheduled occurrences fire once cluster-wide, outbox deliveries land
 * once with three delivery workers, a long poll on one node is woken by a send on another, and
 * killing the node that holds the alarm-evaluation lease moves evaluation to another node.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import pg from 'pg';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { until } from './helpers/until.ts';
import { bucketDirs, bucketMap, objects, s3Dest } from './helpers/firehose.ts';
import { postgresForTest, testOnPostgres } from './helpers/postgres-cluster.ts';

const LEASE_MS = 6000;
const cluster = await postgresForTest('the scale-out test');
let url: string;
let nodes: TestServer[] = [];
// One bucket directory for every node, as a shared file system or an S3 endpoint would be.
const buckets = bucketDirs(['fh-shared']);

before(async () => {
  if (!cluster) return;
  url = await cluster.createDatabase();
  // One at a time: the first creates the schema, the others find it (they would also wait on the migration lock).
  nodes = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(await startTestServer({ env: {
      OSPREY_METADATA_URL: url, OSPREY_LEASE_MS: String(LEASE_MS), OSPREY_DELIVERY_POLL_MS: '200', OSPREY_EXPORT_BUCKETS: bucketMap(buckets),
    } }));
  }
});

after(async () => {
  for (const n of nodes) {
    await n.stop();
    n.cleanup();
  }
});

const test = testOnPostgres(cluster);

const logs = (n: TestServer) => new CloudWatchLogsClient(sdkConfig(n.url));
const sqs = (n: TestServer) => new SQSClient(sdkConfig(n.url));

test('a log group created on node A is described on B and C', async () => {
  await logs(nodes[0]!).send(new CreateLogGroupCommand({ logGroupName: '/scale/one' }));
  // Telemetry stays per node here (no ClickHouse server): each node says what that cannot do.
  const warning = nodes[0]!.logs.map((l) => l.startsWith('{') ? JSON.parse(l) as { msg?: string; limits?: string[] } : {}).find((r) => r.msg === 'telemetry is per node');
  assert.ok(warning?.limits?.some((x) => x.includes('CloudTrail')), 'the per-node telemetry warning names the features it limits');
  for (const n of nodes.slice(1)) {
    const r = await logs(n).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/scale/' }));
    assert.deepEqual(r.logGroups?.map((g) => g.logGroupName), ['/scale/one']);
  }
});

test('a long poll on node C is woken by a send on node A', async () => {
  const { QueueUrl } = await sqs(nodes[0]!).send(new CreateQueueCommand({ QueueName: 'wake' }));
  const started = Date.now();
  const polling = sqs(nodes[2]!).send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await new Promise((r) => setTimeout(r, 500));
  const sent = Date.now();
  await sqs(nodes[0]!).send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
  const r = await polling;
  const woke = Date.now();
  assert.equal(r.Messages?.[0]?.Body, 'hello');
  assert.ok(woke - started < 5000, `long poll answered after ${woke - started} ms`);
  console.log(`# cross-node long-poll wake: ${woke - sent} ms after the send`);
});

test('1,000 deliveries from three delivery workers land exactly once', { timeout: 180_000 }, async (t) => {
  const rx: Receiver = await startReceiver();
  t.after(() => rx.close());
  const sns = nodes.map((n) => new SNSClient(sdkConfig(n.url)));
  const { TopicArn } = await sns[0]!.send(new CreateTopicCommand({ Name: 'fanout' }));
  await sns[0]!.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rx.url}/hook` }));
  const confirmation = await until('the subscription confirmation', () => rx.received.find((r) => r.body.includes('SubscriptionConfirmation')), 15_000);
  const subscribeUrl = (JSON.parse(confirmation.body) as { SubscribeURL: string }).SubscribeURL;
  assert.equal((await fetch(subscribeUrl)).status, 200);
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => sns[(i + j) % 3]!.send(new PublishCommand({ TopicArn, Message: `m${i + j}` }))));
  }
  const messages = () => rx.received.filter((r) => r.body.includes('"Type" : "Notification"') || r.body.includes('"Type":"Notification"'));
  await until('1,000 notifications', () => (messages().length >= 1000 ? true : undefined), 150_000);
  await new Promise((r) => setTimeout(r, 2000));
  const ids = messages().map((r) => (JSON.parse(r.body) as { MessageId: string }).MessageId);
  assert.equal(ids.length, 1000, 'a notification was delivered twice');
  assert.equal(new Set(ids).size, 1000);
});

test('Firehose: records put on all three nodes reach the bucket exactly once', { timeout: 120_000 }, async () => {
  const fh = (n: TestServer) => new FirehoseClient(sdkConfig(n.url));
  await fh(nodes[0]!).send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'across-nodes', ExtendedS3DestinationConfiguration: s3Dest('fh-shared', { BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 1 } }),
  }));
  const sent: string[] = [];
  for (let round = 0; round < 4; round++) {
    await Promise.all(nodes.map(async (n, i) => {
      const batch = Array.from({ length: 50 }, (_, k) => `r${round}-n${i}-${k}\n`);
      sent.push(...batch);
      const r = await fh(n).send(new PutRecordBatchCommand({ DeliveryStreamName: 'across-nodes', Records: batch.map((d) => ({ Data: Buffer.from(d) })) }));
      assert.equal(r.FailedPutCount, 0);
    }));
  }
  const delivered = async () => [...(await objects(buckets['fh-shared']!)).values()].flatMap((b) => b.toString().split('\n').filter(Boolean).map((l) => `${l}\n`));
  await until('every record in the bucket', async () => ((await delivered()).length >= sent.length ? true : undefined), 60_000);
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual((await delivered()).sort(), [...sent].sort(), 'each record once, whichever node it was put on');
});

test('schedules fire once per occurrence across three nodes over 5 minutes', { timeout: 420_000 }, async () => {
  const arn = 'arn:aws:sqs:us-east-1:000000000000:fires';
  // The queue's policy lets both services send (EventBridge rules and Scheduler schedules).
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'scheduler.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: arn,
  }] });
  const { QueueUrl } = await sqs(nodes[0]!).send(new CreateQueueCommand({ QueueName: 'fires', Attributes: { Policy } }));
  const attrs = await sqs(nodes[0]!).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  assert.equal(attrs.Attributes!.QueueArn, arn);
  const eb = new EventBridgeClient(sdkConfig(nodes[1]!.url));
  await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
  await eb.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'q', Arn: arn, Input: '{"from":"rule"}' }] }));
  await new SchedulerClient(sdkConfig(nodes[2]!.url)).send(new CreateScheduleCommand({
    Name: 'cron', ScheduleExpression: 'cron(* * * * ? *)', FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: arn, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: '{"from":"schedule"}' },
  }));
  const startedAt = Date.now();
  await new Promise((r) => setTimeout(r, 5 * 60_000 + 5000));
  const bodies: string[] = [];
  for (;;) {
    const r = await sqs(nodes[0]!).send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!r.Messages?.length) break;
    bodies.push(...r.Messages.map((m) => m.Body!));
  }
  const minutes = Math.floor((Date.now() - startedAt) / 60_000);
  const rule = bodies.filter((b) => b.includes('rule')).length;
  const schedule = bodies.filter((b) => b.includes('schedule')).length;
  // Each fires once a minute: 5 (or 6, by where the minute boundaries fall) — never twice a minute.
  for (const [what, n] of [['rule', rule], ['schedule', schedule]] as const) {
    assert.ok(n >= minutes - 1 && n <= minutes + 1, `${what} fired ${n} times in ${minutes} minutes`);
  }
});

test('kill -9 of the node holding the alarm lease: another node evaluates within one lease period', { timeout: 120_000 }, async () => {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const holder = await until('an alarm-evaluation lease holder', async () =>
      (await db.query<{ owner: string }>("SELECT owner FROM leases WHERE name = 'cloudwatch.alarms' AND expires_at > $1", [Date.now()])).rows[0]?.owner, 15_000);
    const pid = Number(holder.split(':')[1]);
    const victim = nodes.find((n) => n.child.pid === pid);
    assert.ok(victim, `the holder ${holder} is one of the nodes`);
    await victim.kill();
    const killedAt = Date.now();
    // The lease lapses (the victim cannot renew) and a survivor takes it at its next pass.
    const taker = await until('another node holding the lease', async () => {
      const owner = (await db.query<{ owner: string }>("SELECT owner FROM leases WHERE name = 'cloudwatch.alarms' AND expires_at > $1", [Date.now()])).rows[0]?.owner;
      return owner && owner !== holder ? owner : undefined;
    }, 3 * LEASE_MS);
    const takenAfter = Date.now() - killedAt;
    assert.ok(takenAfter <= LEASE_MS + LEASE_MS / 3 + 2000, `lease taken over ${takenAfter} ms after the kill`);
    console.log(`# alarm-evaluation lease taken over by ${taker} ${takenAfter} ms after the holder was killed (lease ${LEASE_MS} ms)`);
    const survivor = nodes.find((n) => n.child.pid === Number(taker.split(':')[1]))!;
    const cw = new CloudWatchClient(sdkConfig(survivor.url));
    // No data at all, missing data breaching: the new holder's evaluation fires it.
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'after-failover', Namespace: 'Scale', MetricName: 'Silent', Statistic: 'Sum', Period: 10,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching',
    }));
    await until('the alarm in ALARM', async () => {
      const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['after-failover'] }));
      return r.MetricAlarms?.[0]?.StateValue === 'ALARM' ? true : undefined;
    }, LEASE_MS + 20_000);
    nodes = nodes.filter((n) => n !== victim);
    victim.cleanup();
  } finally {
    await db.end();
  }
});

test('kill -9 of the Firehose delivery node: what it buffered and what the others stored is delivered by the next holder', { timeout: 120_000 }, async () => {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const fh = (n: TestServer) => new FirehoseClient(sdkConfig(n.url));
    // Buffered 5 s: the holder is killed with these records in its buffers, none delivered yet.
    await fh(nodes[0]!).send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'failover', ExtendedS3DestinationConfiguration: s3Dest('fh-shared', { Prefix: 'failover/', BufferingHints: { IntervalInSeconds: 5, SizeInMBs: 5 } }),
    }));
    const holder = await until('a Firehose delivery lease holder', async () =>
      (await db.query<{ owner: string }>("SELECT owner FROM leases WHERE name = 'firehose.delivery' AND expires_at > $1", [Date.now()])).rows[0]?.owner, 15_000);
    const victim = nodes.find((n) => n.child.pid === Number(holder.split(':')[1]));
    assert.ok(victim, `the holder ${holder} is one of the nodes`);
    const sent: string[] = [];
    await Promise.all(nodes.map(async (n, i) => {
      const batch = Array.from({ length: 50 }, (_, k) => `f-n${i}-${k}\n`);
      sent.push(...batch);
      await fh(n).send(new PutRecordBatchCommand({ DeliveryStreamName: 'failover', Records: batch.map((d) => ({ Data: Buffer.from(d) })) }));
    }));
    await victim.kill();
    nodes = nodes.filter((n) => n !== victim);
    victim.cleanup();
    const delivered = async () => [...(await objects(buckets['fh-shared']!, 'failover/')).values()].flatMap((b) => b.toString().split('\n').filter(Boolean).map((l) => `${l}\n`));
    await until('every record in the bucket', async () => ((await delivered()).length >= sent.length ? true : undefined), LEASE_MS + 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual((await delivered()).sort(), [...sent].sort(), 'each record once, including those the dead node had buffered');
  } finally {
    await db.end();
  }
});
