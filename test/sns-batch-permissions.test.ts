/**
 * SNS behaviours found by running another project's AWS test-suite against Osprey (issue 13):
 * PublishBatch, AddPermission / RemovePermission, filter-policy limits and match values, Publish's
 * FIFO-only parameters and Subscribe's error order. Real clients: SDK v3 and boto3 1.26 (awsQuery),
 * against the real server (`osprey serve --modules sns`). One server for the file; each test uses
 * its own topics, and deliveries reach local HTTP receivers.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AddPermissionCommand,
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  RemovePermissionCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { sdkConfig, startTestServer, TEST_CREDENTIALS, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { failure } from './helpers/failure.ts';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestServer;
let sns: SNSClient;

before(async () => {
  server = await startTestServer({
    modules: ['sns'],
    env: {
      OSPREY_DELIVERY_POLL_MS: '100',
      OSPREY_DELIVERY_BACKOFF_MS: '50',
      OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
      OSPREY_ACCESS_KEYS: JSON.stringify([{ ...TEST_CREDENTIALS, accountId: ACCOUNT }]),
    },
  });
  sns = new SNSClient(sdkConfig(server.url, REGION));
});

after(async () => {
  sns?.destroy();
  await server?.stop();
  server?.cleanup();
});

/** A receiver for one test, closed when it ends. */
async function receiver(t: { after(fn: () => Promise<void>): void }): Promise<Receiver> {
  const r = await startReceiver();
  t.after(() => r.close());
  return r;
}

/** Waits until `rx` has received `count` requests, and returns their bodies parsed as JSON. */
async function bodies(rx: Receiver, count: number): Promise<{ text: string }[]> {
  const got = await until(`${count} requests at ${rx.url}`, () => (rx.received.length >= count ? rx.received.slice(0, count) : undefined));
  return got.map((r) => JSON.parse(r.body) as { text: string });
}

/** Waits a moment and checks nothing more arrived (for messages that must not be delivered). */
async function nothingMore(rx: Receiver, count: number): Promise<void> {
  await sleep(400);
  assert.equal(rx.received.length, count, `unexpected deliveries: ${rx.received.slice(count).map((r) => r.body).join(' | ')}`);
}

/** Runs a boto3 1.26 (Debian /usr/bin/python3) snippet with `sns` bound to a client of the test server; prints JSON. */
async function boto(body: string): Promise<unknown> {
  const script = [
    'import boto3, json, sys',
    'from botocore.exceptions import ClientError',
    `sns = boto3.client('sns', endpoint_url=${JSON.stringify(server.url)}, region_name=${JSON.stringify(REGION)},`,
    `  aws_access_key_id=${JSON.stringify(TEST_CREDENTIALS.accessKeyId)}, aws_secret_access_key=${JSON.stringify(TEST_CREDENTIALS.secretAccessKey)})`,
    body,
  ].join('\n');
  const { stdout } = await run('/usr/bin/python3', ['-c', script], { timeout: 60_000 });
  return JSON.parse(stdout) as unknown;
}

test('PublishBatch delivers each entry like Publish does, filter policies included (SDK v3)', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch' }));
  await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/high`, Attributes: { FilterPolicy: JSON.stringify({ severity: ['high'] }) } }),
  );
  const out = await sns.send(
    new PublishBatchCommand({
      TopicArn,
      PublishBatchRequestEntries: [
        { Id: 'a-1', Message: 'first', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } },
        { Id: 'b_2', Message: 'second', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } },
        { Id: 'c3', Message: 'third', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } },
      ],
    }),
  );
  assert.deepEqual(
    out.Successful!.map((s) => s.Id),
    ['a-1', 'b_2', 'c3'],
  );
  assert.equal(new Set(out.Successful!.map((s) => s.MessageId)).size, 3);
  assert.deepEqual(out.Failed ?? [], []);
  assert.deepEqual((await bodies(rx, 2)).map((b) => b.text).sort(), ['first', 'third']);
  await nothingMore(rx, 2);
});

test('PublishBatch refuses bad batches with AWS codes and messages (SDK v3)', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch-errors' }));
  const send = (entries: { Id: string; Message: string; MessageStructure?: string }[], arn = TopicArn) =>
    failure(sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries })));

  const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, Message: 'x' }));
  assert.deepEqual(await send(eleven), { name: 'TooManyEntriesInBatchRequestException', message: 'The batch request contains more entries than permissible.', status: 400 });
  assert.deepEqual(await send([]), { name: 'EmptyBatchRequestException', message: "The batch request doesn't contain any entries.", status: 400 });
  assert.deepEqual(
    await send([{ Id: 'same', Message: 'a' }, { Id: 'same', Message: 'b' }]),
    { name: 'BatchEntryIdsNotDistinctException', message: 'Two or more batch entries in the request have the same Id.', status: 400 },
  );
  assert.deepEqual(await send([{ Id: 'message.id', Message: 'a' }]), {
    name: 'InvalidBatchEntryIdException',
    message: 'The Id of a batch entry in the batch request contains an impermissible character: message.id',
    status: 400,
  });
  const long = 'a'.repeat(81);
  assert.equal((await send([{ Id: long, Message: 'a' }])).message, `The Id of a batch entry in the batch request is too long: ${long}`);
  const ok80 = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a'.repeat(80), Message: 'a' }] }));
  assert.equal(ok80.Successful![0].Id, 'a'.repeat(80));

  const half = 262_144 / 2;
  assert.deepEqual(await send([{ Id: '1', Message: 'a'.repeat(half) }, { Id: '2', Message: 'b'.repeat(half + 1) }]), {
    name: 'BatchRequestTooLongException',
    message: 'The length of all the messages put together is more than the limit.',
    status: 400,
  });
  // One malformed entry fails the whole request, as in AWS.
  assert.deepEqual(await send([{ Id: '1', Message: 'fine' }, { Id: '2', Message: '{"x":"y"}', MessageStructure: 'json' }]), {
    name: 'InvalidParameterException',
    message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    status: 400,
  });
  const missing = await send([{ Id: '1', Message: 'a' }], `arn:aws:sns:${REGION}:${ACCOUNT}:nope`);
  assert.deepEqual([missing.name, missing.message, missing.status], ['NotFoundException', 'Topic does not exist', 404]);
});

test('PublishBatch and its errors through boto3 1.26 (awsQuery)', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch-boto' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url }));
  const out = (await boto(
    `
r = sns.publish_batch(TopicArn=${JSON.stringify(TopicArn)}, PublishBatchRequestEntries=[
  {'Id': 'one', 'Message': 'hello', 'Subject': 'S'},
  {'Id': 'two', 'Message': 'world', 'MessageAttributes': {'n': {'DataType': 'Number', 'StringValue': '3'}}}])
errors = []
for entries in ([{'Id': 'x', 'Message': 'a'}, {'Id': 'x', 'Message': 'b'}], [{'Id': 'a#b', 'Message': 'a'}]):
  try:
    sns.publish_batch(TopicArn=${JSON.stringify(TopicArn)}, PublishBatchRequestEntries=entries)
  except ClientError as e:
    errors.append([e.response['Error']['Code'], e.response['Error']['Message']])
print(json.dumps({'ok': [s['Id'] for s in r['Successful']], 'failed': r['Failed'], 'errors': errors}))
`,
  )) as { ok: string[]; failed: unknown[]; errors: string[][] };
  assert.deepEqual(out.ok, ['one', 'two']);
  assert.deepEqual(out.failed, []);
  assert.deepEqual(out.errors, [
    ['BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.'],
    ['InvalidBatchEntryId', 'The Id of a batch entry in the batch request contains an impermissible character: a#b'],
  ]);
  const texts = await bodies(rx, 2);
  await nothingMore(rx, 2);
  assert.ok(texts.some((x) => x.text.includes('hello')) && texts.some((x) => x.text.includes('world')));
});

test('AddPermission and RemovePermission edit the Policy that GetTopicAttributes reports', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'perm' }));
  const policy = async () => JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy!) as { Statement: Record<string, unknown>[] };

  await sns.send(new AddPermissionCommand({ TopicArn, Label: 'one', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }));
  await sns.send(new AddPermissionCommand({ TopicArn, Label: 'two', AWSAccountId: ['111122223333', '444455556666'], ActionName: ['Publish', 'Subscribe'] }));
  const p = await policy();
  assert.equal(p.Statement[0].Sid, '__default_statement_ID');
  assert.deepEqual(p.Statement[1], {
    Sid: 'one',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:root' },
    Action: 'SNS:Publish',
    Resource: TopicArn,
  });
  assert.deepEqual(p.Statement[2], {
    Sid: 'two',
    Effect: 'Allow',
    Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] },
    Action: ['SNS:Publish', 'SNS:Subscribe'],
    Resource: TopicArn,
  });

  assert.deepEqual(await failure(sns.send(new AddPermissionCommand({ TopicArn, Label: 'one', AWSAccountId: ['111122223333'], ActionName: ['Publish'] }))), {
    name: 'InvalidParameterException',
    message: 'Invalid parameter: Statement already exists',
    status: 400,
  });
  assert.equal(
    (await failure(sns.send(new AddPermissionCommand({ TopicArn, Label: 'three', AWSAccountId: ['111122223333'], ActionName: ['Fly'] })))).message,
    'Invalid parameter: Policy statement action out of service scope!',
  );
  const nope = `arn:aws:sns:${REGION}:${ACCOUNT}:nope`;
  assert.equal((await failure(sns.send(new AddPermissionCommand({ TopicArn: nope, Label: 'x', AWSAccountId: [ACCOUNT], ActionName: ['Publish'] })))).name, 'NotFoundException');
  assert.equal((await failure(sns.send(new RemovePermissionCommand({ TopicArn: nope, Label: 'x' })))).name, 'NotFoundException');

  await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'one' }));
  await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'never-added' })); // succeeds, changes nothing
  assert.deepEqual(
    (await policy()).Statement.map((s) => s.Sid),
    ['__default_statement_ID', 'two'],
  );
});

test('filter policies: true/false/null match values are accepted, and AWS limits are enforced with AWS messages', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fp' }));
  const body = { FilterPolicyScope: 'MessageBody' };
  const sub = await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url, ReturnSubscriptionArn: true, Attributes: { ...body, FilterPolicy: '{"on":[false],"gone":[null]}' } }),
  );
  await sns.send(new PublishCommand({ TopicArn, Message: '{"on":true,"gone":null}' }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"on":false,"gone":"x"}' }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"on":"false","gone":null}' }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"on":false,"gone":null}' }));
  assert.deepEqual(await bodies(rx, 1), [{ text: '{"on":false,"gone":null}' }]);
  await nothingMore(rx, 1);

  const subscribe = (policy: unknown, attrs: Record<string, string> = {}) =>
    failure(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/x`, Attributes: { ...attrs, FilterPolicy: JSON.stringify(policy) } })));
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  assert.deepEqual(await subscribe({ key: values(151) }), {
    name: 'InvalidParameterException',
    message: 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex',
    status: 400,
  });
  assert.equal((await subscribe({ key1: values(100), key2: values(51) })).message, 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex');
  assert.equal(
    (await subscribe({ k1: ['a'], k2: ['a'], k3: ['a'], k4: ['a'], k5: ['a'], k6: ['a'] })).message,
    'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys',
  );
  assert.equal((await subscribe({ key: [['v']] })).message, 'Invalid parameter: Attributes Reason: FilterPolicy: Match value must be String, number, true, false, or null');
  assert.equal((await subscribe({ key: [{ 'wrong-operator': true }] })).message, 'Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator');
  assert.equal(
    (await subscribe({ a: { b: ['c'] } })).message,
    'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy',
  );
  // AWS's documented nested example: 3 x 4 x 2 x 3 = 72 is fine; one more key of three values (216) is not.
  const nested = { key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } };
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/ok`, Attributes: { ...body, FilterPolicy: JSON.stringify(nested) } }));
  assert.equal((await subscribe({ ...nested, key_f: values(3) }, body)).message, 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex');

  const set = await failure(
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ key: values(151) }) })),
  );
  assert.equal(set.message, 'Invalid parameter: FilterPolicy: Filter policy is too complex');
  const set2 = await failure(
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"key_a":"value_one"}' })),
  );
  assert.equal(set2.message, 'Invalid parameter: FilterPolicy: "key_a" must be an object or an array');
  // AWS words this one without "FilterPolicy: " (SetSubscriptionAttributes on a MessageAttributes-scoped subscription).
  const plain = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/plain`, ReturnSubscriptionArn: true }));
  const set3 = await failure(
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":{"b":["c"]}}' })),
  );
  assert.equal(set3.message, 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
  const scope = await failure(
    sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain.SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'Body' })),
  );
  assert.equal(scope.message, 'Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes');
});

test('Publish refuses MessageDeduplicationId on a standard topic and takes a MessageGroupId', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'std' }));
  assert.deepEqual(await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageDeduplicationId: 'd-1' }))), {
    name: 'InvalidParameterException',
    message: 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    status: 400,
  });
  assert.ok((await sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'tenant-1' }))).MessageId);
  assert.match((await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'x'.repeat(129) })))).message, /MessageGroupId/);
  const batch = await failure(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'm', MessageDeduplicationId: 'd' }] })));
  assert.match(batch.message, /MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter/);
});

test('Subscribe to a missing topic answers NotFound before looking at the protocol', async () => {
  const e = await failure(sns.send(new SubscribeCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope`, Protocol: 'carrier-pigeon', Endpoint: 'x' })));
  assert.deepEqual(e, { name: 'NotFoundException', message: 'Topic does not exist', status: 404 });
});
