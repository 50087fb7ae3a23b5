/**
 * EventBridge and EventBridge Scheduler → SQS through the real server and SDK v3 clients: rule
 * targets that are standard and FIFO queues (SqsParameters.MessageGroupId, the event id as
 * deduplication id), InputPath bodies, queue policies for events.amazonaws.com, failing targets
 * (a Lambda URL answering 500, a queue that refuses, a queue that does not exist) dead-lettered to an
 * SQS queue with AWS's message attributes, PutTargets' validation, and a schedule whose target is a queue.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, UpdateEventBusCommand, CreateEventBusCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { failure } from './helpers/failure.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { receiveMessages } from './helpers/sqs.ts';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';

const FAILING_FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:failing`;
const RULE_ARN = (name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`;
let server: TestServer;
let failing: Receiver;
let eb: EventBridgeClient;
let sqs: SQSClient;

before(async () => {
  failing = await startReceiver();
  failing.status = 500;
  server = await startTestServer({
    modules: ['events', 'sqs', 'scheduler'],
    env: {
      OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '50', OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
      OSPREY_LAMBDA_URLS: JSON.stringify({ [FAILING_FN]: `${failing.url}/fail` }),
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
    },
  });
  eb = new EventBridgeClient(sdkConfig(server.url));
  sqs = new SQSClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  await failing?.close();
});

/** A queue whose policy lets `service` send for sources matching `sourceArn` (ArnLike), as AWS documents for EventBridge targets. */
async function queue(name: string, allow?: { service: string; sourceArn: string }, extra: Record<string, string> = {}) {
  const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
  const Attributes: Record<string, string> = { ...(name.endsWith('.fifo') ? { FifoQueue: 'true' } : {}), ...extra };
  if (allow) {
    Attributes.Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: allow.service }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnLike: { 'aws:SourceArn': allow.sourceArn } } }],
    });
  }
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return { url: QueueUrl!, arn };
}

const events = { service: 'events.amazonaws.com', sourceArn: RULE_ARN('*') };

const receive = (url: string, n: number, client = sqs): Promise<Message[]> => receiveMessages(client, url, n);

const put = (detail: object, source = 'shop') =>
  eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Order', Detail: JSON.stringify(detail) }] }));

test('a rule delivers the event to a standard queue and the InputPath result to a FIFO queue with its message group', async () => {
  await eb.send(new PutRuleCommand({ Name: 'to-queues', EventPattern: JSON.stringify({ source: ['shop'] }) }));
  const std = await queue('orders', events);
  const fifo = await queue('orders.fifo', events);
  await eb.send(new PutTargetsCommand({
    Rule: 'to-queues',
    Targets: [
      { Id: 'std', Arn: std.arn },
      { Id: 'fifo', Arn: fifo.arn, InputPath: '$.detail', SqsParameters: { MessageGroupId: 'orders' } },
    ],
  }));
  const out = await put({ id: 7 });
  const eventId = out.Entries![0]!.EventId!;
  const [m] = await receive(std.url, 1);
  const event = JSON.parse(m!.Body!) as { id: string; source: string; detail: unknown };
  assert.deepEqual([event.id, event.source, event.detail], [eventId, 'shop', { id: 7 }]);
  const [f] = await receive(fifo.url, 1);
  assert.equal(f!.Body, '{"id":7}');
  assert.equal(f!.Attributes!.MessageGroupId, 'orders');
  assert.equal(f!.Attributes!.MessageDeduplicationId, eventId);
});

test('a failing Lambda target lands in the SQS dead-letter queue with AWS attributes once RetryPolicy is exhausted', async () => {
  await eb.send(new PutRuleCommand({ Name: 'failing', EventPattern: JSON.stringify({ source: ['fail.me'] }) }));
  const dlq = await queue('events-dlq', events);
  await eb.send(new PutTargetsCommand({
    Rule: 'failing',
    Targets: [{ Id: 'f', Arn: FAILING_FN, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlq.arn } }],
  }));
  const out = await put({ n: 1 }, 'fail.me');
  const [m] = await receive(dlq.url, 1);
  assert.equal((JSON.parse(m!.Body!) as { id: string }).id, out.Entries![0]!.EventId, 'the body is the event');
  const a = Object.fromEntries(Object.entries(m!.MessageAttributes!).map(([k, v]) => [k, v.StringValue]));
  assert.deepEqual({ ...a, ERROR_MESSAGE: undefined }, {
    RULE_ARN: RULE_ARN('failing'), TARGET_ARN: FAILING_FN, ERROR_CODE: 'INTERNAL_ERROR', ERROR_MESSAGE: undefined,
    EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '0',
  });
  assert.match(a.ERROR_MESSAGE!, /500/);
  assert.equal(failing.received.length, 1, 'MaximumRetryAttempts 0: one attempt');
});

test('a queue target that refuses EventBridge or does not exist is dead-lettered at once with the reason', async () => {
  await eb.send(new PutRuleCommand({ Name: 'bad-queues', EventPattern: JSON.stringify({ source: ['bad.queues'] }) }));
  const refusing = await queue('no-events-policy');
  const dlq = await queue('bad-queues-dlq', events);
  const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:never-created`;
  await eb.send(new PutTargetsCommand({
    Rule: 'bad-queues',
    Targets: [
      { Id: 'refusing', Arn: refusing.arn, DeadLetterConfig: { Arn: dlq.arn } },
      { Id: 'missing', Arn: missing, DeadLetterConfig: { Arn: dlq.arn } },
    ],
  }));
  await put({}, 'bad.queues');
  const dead = await receive(dlq.url, 2);
  const byTarget = Object.fromEntries(dead.map((m) => [m.MessageAttributes!.TARGET_ARN!.StringValue, m.MessageAttributes!.ERROR_CODE!.StringValue]));
  assert.deepEqual(byTarget, { [refusing.arn]: 'NO_PERMISSIONS', [missing]: 'RESOURCE_NOT_FOUND' });
});

test("another account's queue is a target when its policy lets this account's rules send; one without a policy is dead-lettered", async () => {
  const otherSqs = new SQSClient({ ...sdkConfig(server.url), credentials: OTHER });
  const inbox = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:inbox`;
  const Policy = JSON.stringify({
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: inbox, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }],
  });
  const { QueueUrl } = await otherSqs.send(new CreateQueueCommand({ QueueName: 'inbox', Attributes: { Policy } }));
  await otherSqs.send(new CreateQueueCommand({ QueueName: 'closed' }));
  const closed = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:closed`;
  const dlq = await queue('cross-dlq', events);
  await eb.send(new PutRuleCommand({ Name: 'cross', EventPattern: JSON.stringify({ source: ['cross'] }) }));
  await eb.send(new PutTargetsCommand({
    Rule: 'cross', Targets: [{ Id: 'inbox', Arn: inbox, DeadLetterConfig: { Arn: dlq.arn } }, { Id: 'closed', Arn: closed, DeadLetterConfig: { Arn: dlq.arn } }],
  }));
  await put({ hello: 'there' }, 'cross');
  const [m] = await receive(QueueUrl!, 1, otherSqs);
  assert.deepEqual((JSON.parse(m!.Body!) as { detail: unknown }).detail, { hello: 'there' });
  const [dead] = await receive(dlq.url, 1);
  assert.deepEqual([dead!.MessageAttributes!.TARGET_ARN!.StringValue, dead!.MessageAttributes!.ERROR_CODE!.StringValue], [closed, 'NO_PERMISSIONS']);
});

test('PutTargets refuses a FIFO queue without SqsParameters and dead-letter queues that are not standard queues', async () => {
  await eb.send(new PutRuleCommand({ Name: 'validation', EventPattern: JSON.stringify({ source: ['v'] }) }));
  const fifo = `arn:aws:sqs:us-east-1:${ACCOUNT}:v.fifo`;
  assert.deepEqual(await failure(eb.send(new PutTargetsCommand({ Rule: 'validation', Targets: [{ Id: 't1', Arn: fifo }] }))), {
    name: 'ValidationException', message: 'Parameter(s) SqsParameters must be specified for target: t1.', status: 400,
  });
  const std = `arn:aws:sqs:us-east-1:${ACCOUNT}:v`;
  const dlqFifo = await failure(eb.send(new PutTargetsCommand({ Rule: 'validation', Targets: [{ Id: 't2', Arn: std, DeadLetterConfig: { Arn: fifo } }] })));
  assert.equal(dlqFifo.name, 'ValidationException');
  assert.match(dlqFifo.message, /standard SQS queue/);
  const dlqLambda = await failure(eb.send(new PutTargetsCommand({ Rule: 'validation', Targets: [{ Id: 't3', Arn: std, DeadLetterConfig: { Arn: FAILING_FN } }] })));
  assert.match(dlqLambda.message, /DeadLetterConfig.Arn is not valid/);
  await eb.send(new CreateEventBusCommand({ Name: 'with-dlq', DeadLetterConfig: { Arn: std } }));
  assert.equal((await failure(eb.send(new UpdateEventBusCommand({ Name: 'with-dlq', DeadLetterConfig: { Arn: fifo } })))).name, 'ValidationException');
  assert.deepEqual(await eb.send(new PutTargetsCommand({ Rule: 'validation', Targets: [{ Id: 'ok', Arn: fifo, SqsParameters: { MessageGroupId: 'g' } }] })).then((r) => r.FailedEntryCount), 0);
});

test('a schedule delivers its Input to a FIFO queue as scheduler.amazonaws.com', async () => {
  const scheduler = new SchedulerClient(sdkConfig(server.url));
  // SqsParameters (Scheduler API reference): a FIFO queue target needs content-based deduplication.
  const q = await queue('ticks.fifo', { service: 'scheduler.amazonaws.com', sourceArn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/*` }, { ContentBasedDeduplication: 'true' });
  const Target = { Arn: q.arn, RoleArn: `arn:aws:iam::${ACCOUNT}:role/s`, Input: 'tick <aws.scheduler.schedule-arn>' };
  assert.equal((await failure(scheduler.send(new CreateScheduleCommand({
    Name: 'no-group', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'OFF' }, Target,
  })))).name, 'ValidationException');
  const fireAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toISOString().slice(0, 19);
  await scheduler.send(new CreateScheduleCommand({
    Name: 'tick', ScheduleExpression: `at(${fireAt})`, FlexibleTimeWindow: { Mode: 'OFF' }, Target: { ...Target, SqsParameters: { MessageGroupId: 'ticks' } },
  }));
  const [m] = await receive(q.url, 1);
  assert.equal(m!.Body, `tick arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/tick`);
  assert.equal(m!.Attributes!.MessageGroupId, 'ticks');
});
