/**
 * AWS Health over Osprey's own incidents, through the real server and the SDK v3 Health client and
 * the AWS CLI: a disk "nearly full" (threshold forced to 100 % free) and a delivery backlog (an SNS
 * http subscription whose endpoint fails, then recovers) open and close incidents; the Describe*
 * operations, their filters, validation and paging; only the operator account sees them; each change
 * reaches an EventBridge rule on source aws.health as an "AWS Health Event"; incidents survive a restart.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DescribeAffectedEntitiesCommand, DescribeEntityAggregatesCommand, DescribeEventAggregatesCommand, DescribeEventDetailsCommand,
  DescribeEventsCommand, DescribeEventsForOrganizationCommand, DescribeEventTypesCommand, HealthClient, type Event,
} from '@aws-sdk/client-health';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { awsEnv, metadataOnPostgres, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { receiveMessages } from './helpers/sqs.ts';
import { until } from './helpers/until.ts';

const DISK = 'OSPREY_DISK_NEARLY_FULL';
const BACKLOG = 'OSPREY_DELIVERY_BACKLOG';
const MODULES = ['health', 'events', 'sqs', 'sns'];
const ENV = {
  OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
  OSPREY_HEALTH_INTERVAL_MS: '200', OSPREY_HEALTH_BACKLOG_SECONDS: '1',
  OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100', OSPREY_DELIVERY_MAX_BACKOFF_MS: '300',
};
let server: TestServer;
let health: HealthClient;
let endpoint: Receiver;

before(async () => {
  endpoint = await startReceiver();
  endpoint.status = 500;
  // No file system has 100 % free: the disk incident is open from the first pass.
  server = await startTestServer({ modules: MODULES, env: { ...ENV, OSPREY_HEALTH_DISK_FREE_PERCENT: '100' } });
  health = new HealthClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await endpoint?.close();
});

async function eventsOf(code: string, client = health): Promise<Event[]> {
  return (await client.send(new DescribeEventsCommand({ filter: { eventTypeCodes: [code] } }))).events ?? [];
}

const openEvent = (code: string) => until(`an open ${code} event`, async () => (await eventsOf(code)).find((e) => e.statusCode === 'open'), 15_000);

test('DescribeEventTypes lists the incident types Osprey reports, filtered by code or category', async () => {
  const all = await health.send(new DescribeEventTypesCommand({}));
  assert.deepEqual(all.eventTypes!.map((t) => t.code), [BACKLOG, DISK, 'OSPREY_NODE_LOST', 'OSPREY_STORE_UNAVAILABLE']);
  assert.ok(all.eventTypes!.every((t) => t.service === 'OSPREY' && t.category === 'issue'));
  const one = await health.send(new DescribeEventTypesCommand({ filter: { eventTypeCodes: [DISK] } }));
  assert.deepEqual(one.eventTypes!.map((t) => t.code), [DISK]);
  const none = await health.send(new DescribeEventTypesCommand({ filter: { eventTypeCategories: ['scheduledChange'] } }));
  assert.deepEqual(none.eventTypes, []);
});

test('healthy stores raise no incident', async () => {
  await openEvent(DISK);
  assert.deepEqual(await eventsOf('OSPREY_STORE_UNAVAILABLE'), []);
});

test('a nearly full disk is an open issue with the data directory as its impaired entity', async () => {
  const e = await openEvent(DISK);
  assert.match(e.arn!, /^arn:aws:health:global::event\/OSPREY\/OSPREY_DISK_NEARLY_FULL\/OSPREY_DISK_NEARLY_FULL_[0-9A-F]+$/);
  assert.equal(e.service, 'OSPREY');
  assert.equal(e.eventTypeCategory, 'issue');
  assert.equal(e.region, 'global');
  assert.ok(e.startTime instanceof Date && e.endTime === undefined);

  const details = await health.send(new DescribeEventDetailsCommand({ eventArns: [e.arn!, 'arn:aws:health:global::event/OSPREY/NOPE/NOPE_1'] }));
  assert.equal(details.successfulSet!.length, 1);
  assert.match(details.successfulSet![0]!.eventDescription!.latestDescription!, /below the 100 % threshold/);
  assert.deepEqual(details.failedSet!.map((f) => [f.eventArn, f.errorName]), [['arn:aws:health:global::event/OSPREY/NOPE/NOPE_1', 'EventNotFound']]);

  const entities = await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [e.arn!] } }));
  assert.equal(entities.entities!.length, 1);
  // With several nodes possible (PostgreSQL metadata) the entity names the node: host and data directory.
  assert.equal(entities.entities![0]!.entityValue, metadataOnPostgres ? `${hostname()}:${resolve(server.dataDir)}` : server.dataDir);
  assert.equal(entities.entities![0]!.statusCode, 'IMPAIRED');
  assert.equal(entities.entities![0]!.awsAccountId, ACCOUNT);
  const unimpaired = await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [e.arn!], statusCodes: ['UNIMPAIRED'] } }));
  assert.deepEqual(unimpaired.entities, []);

  const agg = await health.send(new DescribeEntityAggregatesCommand({ eventArns: [e.arn!] }));
  assert.deepEqual(agg.entityAggregates!.map((a) => [a.eventArn, a.count, a.statuses]), [[e.arn, 1, { IMPAIRED: 1 }]]);
  const byCategory = await health.send(new DescribeEventAggregatesCommand({ aggregateField: 'eventTypeCategory', filter: { eventStatusCodes: ['open'] } }));
  assert.ok(byCategory.eventAggregates!.some((a) => a.aggregateValue === 'issue' && a.count! >= 1));
  const closedOnly = await health.send(new DescribeEventsCommand({ filter: { eventTypeCodes: [DISK], eventStatusCodes: ['closed'] } }));
  assert.deepEqual(closedOnly.events, []);
  const future = await health.send(new DescribeEventsCommand({ filter: { startTimes: [{ from: new Date(Date.now() + 3_600_000) }] } }));
  assert.deepEqual(future.events, []);
});

test('another account sees none of Osprey\'s incidents, not even by ARN', async () => {
  const e = await openEvent(DISK);
  const other = new HealthClient({ ...sdkConfig(server.url), credentials: OTHER });
  assert.deepEqual((await other.send(new DescribeEventsCommand({}))).events, []);
  const details = await other.send(new DescribeEventDetailsCommand({ eventArns: [e.arn!] }));
  assert.deepEqual(details.successfulSet, []);
  assert.equal(details.failedSet![0]!.errorName, 'EventNotFound');
  assert.deepEqual((await other.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [e.arn!] } }))).entities, []);
  assert.deepEqual((await other.send(new DescribeEntityAggregatesCommand({}))).entityAggregates, []);
});

test('bad input gets AWS Health\'s errors', async () => {
  const token = await failure(health.send(new DescribeEventsCommand({ nextToken: 'bm90LWEtdG9rZW4' })));
  assert.equal(token.name, 'InvalidPaginationToken');
  const size = await failure(health.send(new DescribeEventTypesCommand({ maxResults: 5 })));
  assert.equal(size.name, 'ValidationException');
  const required = await failure(health.send(new DescribeEventDetailsCommand({ eventArns: [] })));
  assert.equal(required.name, 'ValidationException');
  const arn = await failure(health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: ['not-an-arn'] } })));
  assert.equal(arn.name, 'ValidationException');
  assert.equal(arn.status, 400);
  const locale = await failure(health.send(new DescribeEventsCommand({ locale: 'fr' })));
  assert.equal(locale.name, 'UnsupportedLocale');
  assert.deepEqual((await health.send(new DescribeEventTypesCommand({ locale: 'en_US', filter: { eventTypeCodes: [DISK] } }))).eventTypes!.length, 1);
  const org = await failure(health.send(new DescribeEventsForOrganizationCommand({})));
  assert.equal(org.name, 'NotImplemented');
  assert.equal(org.status, 501);
});

test('a delivery backlog opens an incident, the AWS Health Event reaches an EventBridge rule, and recovery closes both', async () => {
  const sqs = new SQSClient(sdkConfig(server.url));
  const eb = new EventBridgeClient(sdkConfig(server.url));
  const sns = new SNSClient(sdkConfig(server.url));
  const qArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:health-events`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'health-events', Attributes: { Policy: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: qArn }],
  }) } }));
  await eb.send(new PutRuleCommand({ Name: 'health', EventPattern: JSON.stringify({ source: ['aws.health'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'health', Targets: [{ Id: 'q', Arn: qArn }] }));

  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/hook` }));
  const opened = await openEvent(BACKLOG);
  const [entity] = (await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [opened.arn!] } }))).entities!;
  assert.equal(entity!.entityValue, 'delivery/sns', 'the outbox topic, never the subscriber\'s endpoint');

  const [first] = await receiveMessages(sqs, QueueUrl!, 1);
  const openMsg = JSON.parse(first!.Body!) as { source: string; 'detail-type': string; account: string; region: string; detail: Record<string, unknown> };
  assert.equal(openMsg.source, 'aws.health');
  assert.equal(openMsg['detail-type'], 'AWS Health Event');
  assert.equal(openMsg.account, ACCOUNT);
  assert.equal(openMsg.region, 'us-east-1');
  assert.equal(openMsg.detail.eventArn, opened.arn);
  assert.equal(openMsg.detail.statusCode, 'open');
  assert.equal(openMsg.detail.eventTypeCategory, 'issue');
  assert.deepEqual(openMsg.detail.affectedEntities, [{ entityValue: 'delivery/sns', status: 'IMPAIRED' }]);
  assert.match((openMsg.detail.eventDescription as { language: string; latestDescription: string }[])[0]!.latestDescription, /sns deliveries are pending/);

  endpoint.status = 200;
  const closed = await until('the backlog event closed', async () => (await eventsOf(BACKLOG)).find((e) => e.arn === opened.arn && e.statusCode === 'closed'), 15_000);
  assert.ok(closed.endTime! >= closed.startTime!);
  const [second] = await receiveMessages(sqs, QueueUrl!, 1);
  const closeMsg = JSON.parse(second!.Body!) as { detail: Record<string, unknown> };
  assert.equal(closeMsg.detail.statusCode, 'closed');
  assert.equal(typeof closeMsg.detail.endTime, 'string');
  assert.ok(endpoint.received.length >= 2, 'the confirmation was retried until the endpoint answered');
});

test('DescribeEvents pages with maxResults and nextToken, newest first', async () => {
  await openEvent(DISK);
  await until('two events', async () => ((await health.send(new DescribeEventsCommand({}))).events!.length >= 2 ? true : undefined), 15_000);
  const all = (await health.send(new DescribeEventsCommand({}))).events!;
  const seen: string[] = [];
  let nextToken: string | undefined;
  do {
    const p = await health.send(new DescribeEventsCommand({ maxResults: 1, nextToken }));
    assert.ok(p.events!.length <= 1);
    seen.push(...p.events!.map((e) => e.arn!));
    nextToken = p.nextToken;
  } while (nextToken);
  assert.deepEqual(seen, all.map((e) => e.arn));
  const starts = all.map((e) => e.startTime!.getTime());
  assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
});

test('the AWS CLI reads the events (aws health describe-events)', () => {
  const out = execFileSync('aws', ['health', 'describe-events', '--filter', `eventTypeCodes=${DISK}`, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8' });
  const r = JSON.parse(out) as { events: { eventTypeCode: string; statusCode: string }[] };
  assert.ok(r.events.length >= 1);
  assert.equal(r.events[0]!.eventTypeCode, DISK);
});

test('incidents survive a restart; the disk incident closes once the threshold is met', async () => {
  const before = await openEvent(DISK);
  await server.stop();
  server = await startTestServer({ dataDir: server.dataDir, modules: MODULES, env: { ...ENV, OSPREY_HEALTH_DISK_FREE_PERCENT: '1' } });
  health = new HealthClient(sdkConfig(server.url));
  const closed = await until('the disk event closed', async () => (await eventsOf(DISK)).find((e) => e.arn === before.arn && e.statusCode === 'closed'), 15_000);
  assert.equal(closed.startTime!.getTime(), before.startTime!.getTime());
  assert.ok(closed.endTime);
  const [entity] = (await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [before.arn!] } }))).entities!;
  assert.equal(entity!.statusCode, 'UNIMPAIRED');
  assert.ok((await eventsOf(BACKLOG)).length >= 1, 'the closed backlog incident is still listed');
});
