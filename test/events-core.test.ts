/**
 * EventBridge through SDK v3: buses, rules, targets, PutEvents routed to a Lambda (HTTP) target
 * with an InputTransformer, non-matching events delivering nothing, a failing target retried into
 * its dead-letter queue with AWS's attributes and AWS/Events metrics, (account, region) isolation,
 * and AWS's errors for bad input.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand, DisableRuleCommand,
  EnableRuleCommand, EventBridgeClient, ListEventBusesCommand, ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand,
  ListTargetsByRuleCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand,
  RemoveTargetsCommand, TagResourceCommand, TestEventPatternCommand, UntagResourceCommand, UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure } from './helpers/failure.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:orders';
const FAILING_FN = 'arn:aws:lambda:us-east-1:000000000000:function:failing';
let server: TestServer;
let rx: Receiver;
let failing: Receiver;
let eb: EventBridgeClient;

before(async () => {
  rx = await startReceiver();
  failing = await startReceiver();
  failing.status = 500;
  server = await startTestServer({
    modules: ['events', 'logs', 'sns', 'cloudwatch'],
    env: {
      OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '100', OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
      OSPREY_LAMBDA_URLS: JSON.stringify({ [FN]: `${rx.url}/orders`, [FAILING_FN]: `${failing.url}/fail` }),
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
  eb = new EventBridgeClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await rx?.close();
  await failing?.close();
});

test('a rule with a pattern and an InputTransformer delivers the exact transformed body; a non-matching event delivers nothing', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
  await eb.send(new PutRuleCommand({
    Name: 'big-orders', EventBusName: 'orders',
    EventPattern: JSON.stringify({ source: ['shop'], 'detail-type': ['OrderPlaced'], detail: { total: [{ numeric: ['>=', 100] }] } }),
  }));
  await eb.send(new PutTargetsCommand({
    Rule: 'big-orders', EventBusName: 'orders',
    Targets: [{
      Id: 'fn', Arn: FN,
      InputTransformer: { InputPathsMap: { id: '$.detail.id', total: '$.detail.total' }, InputTemplate: '{"order": <id>, "amount": <total>, "rule": "<aws.events.rule-name>"}' },
    }],
  }));
  const put = await eb.send(new PutEventsCommand({
    Entries: [
      { EventBusName: 'orders', Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-1', total: 150 }) },
      { EventBusName: 'orders', Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-2', total: 5 }) },
    ],
  }));
  assert.equal(put.FailedEntryCount, 0);
  assert.equal(put.Entries?.length, 2);
  const got = await until('the transformed delivery', () => rx.received.find((r) => r.path === '/orders'));
  assert.deepEqual(JSON.parse(got.body), { order: 'o-1', amount: 150, rule: 'big-orders' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(rx.received.filter((r) => r.path === '/orders').length, 1, 'the non-matching event delivered nothing');
});

test('buses, rules and targets read back as written; AWS errors for bad input', async () => {
  const bus = await eb.send(new DescribeEventBusCommand({ Name: 'orders' }));
  assert.equal(bus.Arn, 'arn:aws:events:us-east-1:000000000000:event-bus/orders');
  const buses = await eb.send(new ListEventBusesCommand({}));
  assert.deepEqual(buses.EventBuses?.map((b) => b.Name), ['default', 'orders']);
  const rule = await eb.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'orders' }));
  assert.equal(rule.Arn, 'arn:aws:events:us-east-1:000000000000:rule/orders/big-orders');
  assert.equal(rule.State, 'ENABLED');
  assert.equal(rule.CreatedBy, '000000000000');
  const rules = await eb.send(new ListRulesCommand({ EventBusName: 'orders' }));
  assert.deepEqual(rules.Rules?.map((r) => r.Name), ['big-orders']);
  const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'orders' }));
  assert.equal(targets.Targets?.[0]?.InputTransformer?.InputPathsMap?.id, '$.detail.id');

  // Thunks, so each call starts only when its failure is awaited (no rejection goes unhandled meanwhile).
  const cases: [() => Promise<unknown>, string, RegExp][] = [
    [() => eb.send(new CreateEventBusCommand({ Name: 'orders' })), 'ResourceAlreadyExistsException', /Event bus orders already exists\./],
    [() => eb.send(new DescribeRuleCommand({ Name: 'nope' })), 'ResourceNotFoundException', /Rule nope does not exist on EventBus default\./],
    [() => eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source": "x"}' })), 'InvalidEventPatternException', /Event pattern is not valid/],
    [() => eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{not json' })), 'InvalidEventPatternException', /Event pattern is not valid/],
    [() => eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * * *)' })), 'ValidationException', /^Parameter ScheduleExpression is not valid\.$/],
    [() => eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'orders' })), 'ValidationException', /supported only on the default event bus/],
    [() => eb.send(new PutRuleCommand({ Name: 'bad' })), 'ValidationException', /EventPattern or ScheduleExpression/],
    [() => eb.send(new DeleteRuleCommand({ Name: 'big-orders', EventBusName: 'orders' })), 'ValidationException', /Rule can't be deleted since it has targets\./],
    [() => eb.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException', /Cannot delete event bus default\./],
    [() => eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) })), 'ValidationException', /length less than or equal to 10/],
    [() => eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: JSON.stringify({ x: 'y'.repeat(257 * 1024) }) }] })), 'ValidationException', /Total size of the entries in the request is over the limit\./],
    [() => eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'ghost', Source: 's', DetailType: 'd', Detail: '{}' }] })), 'ResourceNotFoundException', /Event bus ghost does not exist\./],
    [() => eb.send(new PutTargetsCommand({ Rule: 'big-orders', EventBusName: 'orders', Targets: [{ Id: 'q', Arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/c' }] })), 'ValidationException', /cannot deliver to ecs targets/],
  ];
  for (const [call, code, message] of cases) {
    const f = await failure(call());
    assert.equal(f.name, code, f.message);
    assert.match(f.message, message);
    assert.ok(f.status !== undefined && f.status < 500);
  }
  const entryErrors = await eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: 'not json' }, { DetailType: 'd', Detail: '{}' }] }));
  assert.equal(entryErrors.FailedEntryCount, 2);
  assert.deepEqual(entryErrors.Entries?.map((e) => e.ErrorCode), ['MalformedDetail', 'InvalidArgument']);
});

test('TestEventPattern answers like AWS', async () => {
  const event = JSON.stringify({ id: '1', account: '000000000000', source: 'shop', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 'X', detail: { n: 5 } });
  assert.equal((await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail": {"n": [{"numeric": [">", 1]}]}}' }))).Result, true);
  assert.equal((await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source": ["other"]}' }))).Result, false);
  const bad = await failure(eb.send(new TestEventPatternCommand({ Event: '{"testEvent": "value"}', EventPattern: '{"source": ["x"]}' })));
  assert.deepEqual([bad.name, bad.message], ['ValidationException', 'Parameter Event is not valid.']);
});

test('a failing target is retried with backoff, then dead-lettered to a log group with AWS attributes; FailedInvocations counts it', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/dlq/events' }));
  // EventBridge writes to a log group only when its resource policy lets events.amazonaws.com do so.
  await logs.send(new PutResourcePolicyCommand({
    policyName: 'events-dlq',
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/dlq/*' }] }),
  }));
  await eb.send(new PutRuleCommand({ Name: 'to-failing', EventPattern: JSON.stringify({ source: ['flaky'] }) }));
  await eb.send(new PutTargetsCommand({
    Rule: 'to-failing',
    Targets: [{ Id: 'f', Arn: FAILING_FN, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/dlq/events' } }],
  }));
  const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'flaky', DetailType: 'Ping', Detail: '{"n":1}' }] }));
  const dead = await until('the dead-letter log event', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/dlq/events' }));
    return out.events?.[0];
  }, 20_000);
  assert.equal(failing.received.length, 3, 'one attempt and MaximumRetryAttempts=2 retries');
  const gaps = failing.received.slice(1).map((r, i) => r.at - failing.received[i]!.at);
  assert.ok(gaps.every((g) => g >= 40), `retries are spaced by backoff: ${gaps.join(', ')} ms`);
  const body = JSON.parse(dead.message!) as { event: { id: string }; attributes: Record<string, string> };
  assert.equal(body.event.id, put.Entries?.[0]?.EventId);
  assert.equal(body.attributes.RULE_ARN, 'arn:aws:events:us-east-1:000000000000:rule/to-failing');
  assert.equal(body.attributes.TARGET_ARN, FAILING_FN);
  assert.equal(body.attributes.EXHAUSTED_RETRY_CONDITION, 'MaximumRetryAttempts');
  assert.equal(body.attributes.RETRY_ATTEMPTS, '2');
  assert.match(body.attributes.ERROR_MESSAGE!, /HTTP 500/);
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const stat = await until('FailedInvocations', async () => {
    const s = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Events', MetricName: 'FailedInvocations', Dimensions: [{ Name: 'RuleName', Value: 'to-failing' }],
      StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), Period: 60, Statistics: ['Sum'],
    }));
    return s.Datapoints?.length ? s.Datapoints : undefined;
  }, 15_000);
  assert.equal(stat.reduce((n, d) => n + (d.Sum ?? 0), 0), 1);
});

test('another account sees none of these buses, and puts on one only when its policy allows', async () => {
  const other = new EventBridgeClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
  assert.deepEqual((await other.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name), ['default']);
  assert.equal((await failure(other.send(new DescribeEventBusCommand({ Name: 'arn:aws:events:us-east-1:000000000000:event-bus/orders' })))).name, 'ResourceNotFoundException');
  const entry = { EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/orders', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":"x-1","total":500}' };
  assert.equal((await failure(other.send(new PutEventsCommand({ Entries: [entry] })))).name, 'AccessDeniedException');
  await eb.send(new PutPermissionCommand({ EventBusName: 'orders', Action: 'events:PutEvents', Principal: '111111111111', StatementId: 'partner' }));
  const ok = await other.send(new PutEventsCommand({ Entries: [entry] }));
  assert.equal(ok.FailedEntryCount, 0);
  const got = await until('the partner event', () => rx.received.find((r) => r.body.includes('x-1')));
  assert.deepEqual(JSON.parse(got.body), { order: 'x-1', amount: 500, rule: 'big-orders' });
  await eb.send(new RemoveTargetsCommand({ Rule: 'big-orders', EventBusName: 'orders', Ids: ['fn'] }));
});

test('UpdateEventBus, RemovePermission, Enable/DisableRule, ListRuleNamesByTarget and tags read back as AWS answers them', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'admin' }));
  const updated = await eb.send(new UpdateEventBusCommand({ Name: 'admin', Description: 'for admins', DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:dlq' } }));
  assert.deepEqual([updated.Description, updated.DeadLetterConfig?.Arn], ['for admins', 'arn:aws:sns:us-east-1:000000000000:dlq']);
  assert.equal((await eb.send(new DescribeEventBusCommand({ Name: 'admin' }))).Description, 'for admins');
  await eb.send(new PutPermissionCommand({ EventBusName: 'admin', Action: 'events:PutEvents', Principal: '111111111111', StatementId: 'a' }));
  await eb.send(new RemovePermissionCommand({ EventBusName: 'admin', StatementId: 'a' }));
  assert.equal((await eb.send(new DescribeEventBusCommand({ Name: 'admin' }))).Policy, undefined);
  const missing = await failure(eb.send(new RemovePermissionCommand({ EventBusName: 'admin', StatementId: 'a' })));
  assert.equal(missing.name, 'ResourceNotFoundException');

  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'r1', EventBusName: 'admin', EventPattern: '{"source":["x"]}', Tags: [{ Key: 'team', Value: 'obs' }] }));
  await eb.send(new DisableRuleCommand({ Name: 'r1', EventBusName: 'admin' }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'admin' }))).State, 'DISABLED');
  await eb.send(new EnableRuleCommand({ Name: 'r1', EventBusName: 'admin' }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: 'admin' }))).State, 'ENABLED');
  await eb.send(new PutTargetsCommand({ Rule: 'r1', EventBusName: 'admin', Targets: [{ Id: 't', Arn: FN }] }));
  assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: FN, EventBusName: 'admin' }))).RuleNames, ['r1']);
  await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
  await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['team'] }));
  assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
  const busTags = await eb.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:events:us-east-1:000000000000:event-bus/admin' }));
  assert.deepEqual(busTags.Tags, []);
  assert.equal((await failure(eb.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:events:us-east-1:111111111111:rule/r1' })))).name, 'ResourceNotFoundException');
});
