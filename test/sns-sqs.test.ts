/**
 * SNS → SQS through the real server and SDK v3 clients (and boto3 1.26): one publish fanned out to
 * queues with different filter policies, the signed JSON envelope vs raw delivery with SNS message
 * attributes as SQS ones, FIFO topic → FIFO queue order and deduplication, queue policies that
 * refuse SNS (nothing delivered; the message in the subscription's dead-letter queue with AWS's
 * attributes), and another account's queue confirmed through the queue.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import {
  AddPermissionCommand, ConfirmSubscriptionCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, PublishCommand, SNSClient, SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand, GetQueueAttributesCommand, SQSClient, type Message, type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { receiveMessages } from './helpers/sqs.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let sns: SNSClient;
let sqs: SQSClient;
let otherSqs: SQSClient;
let otherSns: SNSClient;

before(async () => {
  server = await startTestServer({
    modules: ['sns', 'sqs'],
    env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS, OSPREY_DELIVERY_POLL_MS: '100', OSPREY_DELIVERY_BACKOFF_MS: '50', OSPREY_DELIVERY_MAX_BACKOFF_MS: '200' },
  });
  sns = new SNSClient(sdkConfig(server.url));
  sqs = new SQSClient(sdkConfig(server.url));
  otherSns = new SNSClient({ ...sdkConfig(server.url), credentials: OTHER });
  otherSqs = new SQSClient({ ...sdkConfig(server.url), credentials: OTHER });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

/** The queue policy AWS documents for a topic's deliveries: sns.amazonaws.com, aws:SourceArn = the topic. */
const allowSns = (queueArn: string, topicArn: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }],
});

async function queue(name: string, opts: { topicArn?: string; fifo?: boolean; client?: SQSClient } = {}) {
  const client = opts.client ?? sqs;
  const account = client === otherSqs ? OTHER_ACCOUNT : ACCOUNT;
  const arn = `arn:aws:sqs:us-east-1:${account}:${name}`;
  const Attributes: Record<string, string> = opts.fifo ? { FifoQueue: 'true' } : {};
  if (opts.topicArn) Attributes.Policy = allowSns(arn, opts.topicArn);
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return { url: QueueUrl!, arn };
}

const receive = (url: string, n: number, client = sqs): Promise<Message[]> => receiveMessages(client, url, n);

const waiting = async (url: string, client = sqs) =>
  Number((await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);

test('one publish fans out to queues by their filter policies; envelope and raw deliveries carry the attributes', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
  const red = await queue('red-only', { topicArn: TopicArn });
  const byBody = await queue('kind-x', { topicArn: TopicArn });
  const raw = await queue('raw-all', { topicArn: TopicArn });
  const sub = (q: { arn: string }, Attributes: Record<string, string>) => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes }));
  const s1 = await sub(red, { FilterPolicy: JSON.stringify({ color: ['red'] }) });
  assert.match(s1.SubscriptionArn!, /^arn:aws:sns:us-east-1:000000000000:orders:/, 'a same-account queue is confirmed at once');
  await sub(byBody, { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ kind: ['x'] }) });
  await sub(raw, { RawMessageDelivery: 'true' });

  const attrs = (color: string) => ({
    color: { DataType: 'String', StringValue: color },
    n: { DataType: 'Number', StringValue: '42' },
    bin: { DataType: 'Binary', BinaryValue: Buffer.from([0, 255]) },
    tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
  });
  const blue = await sns.send(new PublishCommand({ TopicArn, Subject: 'first', Message: '{"kind":"x"}', MessageAttributes: attrs('blue'), MessageGroupId: 'tenant-1' }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"kind":"y"}', MessageAttributes: attrs('red') }));

  const [redMsg] = await receive(red.url, 1);
  const env = JSON.parse(redMsg!.Body!) as Record<string, unknown>;
  assert.equal(env.Message, '{"kind":"y"}', 'only the red message passed the attribute filter');
  for (const k of ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL']) assert.ok(env[k], k);
  assert.equal(env.Type, 'Notification');
  assert.equal(env.TopicArn, TopicArn);
  assert.deepEqual(env.MessageAttributes, {
    color: { Type: 'String', Value: 'red' }, n: { Type: 'Number', Value: '42' }, bin: { Type: 'Binary', Value: 'AP8=' }, tags: { Type: 'String.Array', Value: '["a","b"]' },
  });
  assert.equal(redMsg!.MessageAttributes, undefined, 'an envelope delivery has no SQS message attributes');

  const [bodyMsg] = await receive(byBody.url, 1);
  const benv = JSON.parse(bodyMsg!.Body!) as Record<string, unknown>;
  assert.deepEqual([benv.MessageId, benv.Subject, benv.Message], [blue.MessageId, 'first', '{"kind":"x"}'], 'the body filter passed kind x only');

  const raws = await receive(raw.url, 2);
  assert.deepEqual(raws.map((m) => m.Body).sort(), ['{"kind":"x"}', '{"kind":"y"}']);
  const a = raws.find((m) => m.Body === '{"kind":"x"}')!.MessageAttributes as Record<string, MessageAttributeValue>;
  assert.equal(a.color!.StringValue, 'blue');
  assert.deepEqual([a.n!.DataType, a.n!.StringValue], ['Number', '42']);
  assert.deepEqual([a.bin!.DataType, Buffer.from(a.bin!.BinaryValue!).toString('hex')], ['Binary', '00ff']);
  assert.deepEqual([a.tags!.DataType, a.tags!.StringValue], ['String.Array', '["a","b"]']);
  assert.equal(raws.find((m) => m.Body === '{"kind":"x"}')!.Attributes!.MessageGroupId, 'tenant-1', "a standard topic's group reaches the queue (fair queues)");
  assert.equal(await waiting(red.url), 0);
});

test('a FIFO topic delivers to a FIFO queue in order, with the group and without duplicates', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ledger.fifo', Attributes: { FifoTopic: 'true' } }));
  const topicAttrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.deepEqual([topicAttrs.FifoTopic, topicAttrs.ContentBasedDeduplication], ['true', 'false']);
  assert.match((await failure(sns.send(new CreateTopicCommand({ Name: 'ledger', Attributes: { FifoTopic: 'true' } })))).message, /must end with \.fifo/);
  const standard = await queue('not-fifo', { topicArn: TopicArn });
  assert.deepEqual(await failure(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: standard.arn }))), {
    name: 'InvalidParameterException', message: 'Invalid parameter: Invalid parameter: Endpoint Reason: Please use FIFO SQS queue', status: 400,
  });
  const q = await queue('ledger.fifo', { topicArn: TopicArn, fifo: true });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));

  assert.match((await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageDeduplicationId: 'd' })))).message, /MessageGroupId parameter is required/);
  assert.match((await failure(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g' })))).message, /ContentBasedDeduplication/);
  const seqs: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const r = await sns.send(new PublishCommand({ TopicArn, Message: `entry ${i}`, MessageGroupId: 'acct-1', MessageDeduplicationId: `d${i}` }));
    seqs.push(r.SequenceNumber!);
  }
  assert.deepEqual([...seqs].sort(), seqs, 'sequence numbers increase');
  await sns.send(new PublishCommand({ TopicArn, Message: 'entry 3 again', MessageGroupId: 'acct-1', MessageDeduplicationId: 'd3' }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'entry 6', MessageGroupId: 'acct-1', MessageDeduplicationId: 'd6' }));

  await until('six messages', async () => ((await waiting(q.url)) === 6 ? true : undefined), 10_000);
  const got = await receive(q.url, 6);
  assert.deepEqual(got.map((m) => m.Body), ['entry 1', 'entry 2', 'entry 3', 'entry 4', 'entry 5', 'entry 6']);
  assert.ok(got.every((m) => m.Attributes?.MessageGroupId === 'acct-1'));
  assert.deepEqual(got.map((m) => m.Attributes?.MessageDeduplicationId), ['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
});

test('a queue whose policy does not let SNS send gets nothing; the message lands in the dead-letter queue with AWS attributes', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'denied' }));
  const noPolicy = await queue('no-policy');
  const otherTopicOnly = await queue('other-topic-only', { topicArn: `${TopicArn}-not-this` });
  const dlq = await queue('denied-dlq', { topicArn: TopicArn });
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn });
  const s1 = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: noPolicy.arn, Attributes: { RedrivePolicy }, ReturnSubscriptionArn: true }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: otherTopicOnly.arn, Attributes: { RedrivePolicy, RawMessageDelivery: 'true' } }));
  const got = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s1.SubscriptionArn }));
  assert.equal(got.Attributes!.RedrivePolicy, RedrivePolicy);
  assert.match((await failure(sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'sqs', Endpoint: noPolicy.arn, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:x` }) },
  })))).message, /RedrivePolicy/);

  await sns.send(new PublishCommand({ TopicArn, Message: 'can you hear me', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
  const dead = await receive(dlq.url, 2);
  for (const m of dead) {
    const a = m.MessageAttributes!;
    assert.equal(a.ErrorCode!.StringValue, 'AccessDenied');
    assert.match(a.ErrorMessage!.StringValue!, /denied/);
    assert.ok(a.RequestID!.StringValue);
  }
  const envelope = dead.find((m) => m.Body!.startsWith('{'))!;
  assert.equal((JSON.parse(envelope.Body!) as { Message: string }).Message, 'can you hear me');
  const rawDead = dead.find((m) => m.Body === 'can you hear me')!;
  assert.equal(rawDead.MessageAttributes!.k!.StringValue, 'v', 'a raw delivery keeps its attributes in the dead-letter queue');
  assert.equal(await waiting(noPolicy.url), 0);
  assert.equal(await waiting(otherTopicOnly.url), 0);
});

test('a raw delivery with more than ten attributes is a client-side error (SQS takes ten)', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'many-attributes' }));
  const q = await queue('many-raw', { topicArn: TopicArn });
  const envQ = await queue('many-env', { topicArn: TopicArn });
  const dlq = await queue('many-dlq', { topicArn: TopicArn });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: envQ.arn }));
  const MessageAttributes = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]));
  await sns.send(new PublishCommand({ TopicArn, Message: 'eleven', MessageAttributes }));
  const [env] = await receive(envQ.url, 1);
  assert.equal(Object.keys((JSON.parse(env!.Body!) as { MessageAttributes: object }).MessageAttributes).length, 11, 'the envelope carries all eleven');
  const [dead] = await receive(dlq.url, 1);
  assert.equal(dead!.Body, 'eleven');
  assert.match(dead!.MessageAttributes!.ErrorMessage!.StringValue!, /at most 10/);
  assert.equal(await waiting(q.url), 0);
});

test("another account's queue: pending until its owner confirms with the token SNS sent to the queue", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'shared' }));
  const q = await queue('their-queue', { topicArn: TopicArn, client: otherSqs });
  const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  const [confirmation] = await receive(q.url, 1, otherSqs);
  const c = JSON.parse(confirmation!.Body!) as { Type: string; Token: string; SubscribeURL: string; TopicArn: string; Signature: string };
  assert.equal(c.Type, 'SubscriptionConfirmation');
  assert.equal(c.TopicArn, TopicArn);
  assert.ok(c.Signature && c.SubscribeURL);
  const confirmed = await otherSns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: c.Token }));
  assert.match(confirmed.SubscriptionArn!, /^arn:aws:sns:us-east-1:000000000000:shared:/);
  await sns.send(new PublishCommand({ TopicArn, Message: 'across accounts' }));
  const [m] = await receive(q.url, 1, otherSqs);
  assert.equal((JSON.parse(m!.Body!) as { Message: string }).Message, 'across accounts');
  // The topic's account has no queue of that name: its own queues are not touched.
  assert.equal((await failure(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/${ACCOUNT}/their-queue`, AttributeNames: ['All'] })))).name, 'QueueDoesNotExist');
});

test("a queue's owner subscribes it to another account's topic once the topic policy allows; no confirmation needed", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'announcements' }));
  const q = await queue('their-inbox', { topicArn: TopicArn, client: otherSqs });
  const refused = await failure(otherSns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn })));
  assert.deepEqual([refused.name, refused.status], ['AuthorizationErrorException', 403]);
  await sns.send(new AddPermissionCommand({ TopicArn, Label: 'let-them-subscribe', AWSAccountId: [OTHER_ACCOUNT], ActionName: ['Subscribe'] }));
  const sub = await otherSns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  assert.match(sub.SubscriptionArn!, /^arn:aws:sns:us-east-1:000000000000:announcements:/);
  const attrs = (await otherSns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
  assert.deepEqual([attrs.Owner, attrs.PendingConfirmation], [OTHER_ACCOUNT, 'false']);
  await sns.send(new PublishCommand({ TopicArn, Message: 'hello neighbours' }));
  const [m] = await receive(q.url, 1, otherSqs);
  assert.equal((JSON.parse(m!.Body!) as { Message: string }).Message, 'hello neighbours');
  await otherSns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
  // A marker queue in the topic's account shows when the next publish has been fanned out.
  const marker = await queue('announcements-marker', { topicArn: TopicArn });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: marker.arn }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'after unsubscribe' }));
  await receive(marker.url, 1);
  assert.equal(await waiting(q.url, otherSqs), 0, 'the unsubscribed queue got nothing more');
});

const BOTO = String.raw`
import boto3, json, sys
sns = boto3.client('sns', endpoint_url=sys.argv[1])
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
topic = sns.create_topic(Name='boto-topic')['TopicArn']
url = sqs.create_queue(QueueName='boto-sub')['QueueUrl']
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
policy = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'sns.amazonaws.com'}, 'Action': 'sqs:SendMessage', 'Resource': arn, 'Condition': {'ArnLike': {'aws:SourceArn': 'arn:aws:sns:*:*:boto-*'}}}]}
sqs.set_queue_attributes(QueueUrl=url, Attributes={'Policy': json.dumps(policy)})
sub = sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn, Attributes={'RawMessageDelivery': 'true'}, ReturnSubscriptionArn=True)['SubscriptionArn']
sns.publish(TopicArn=topic, Message='from boto3', MessageAttributes={'k': {'DataType': 'String', 'StringValue': 'v'}})
msgs = []
for _ in range(10):
    msgs += sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MessageAttributeNames=['All']).get('Messages', [])
    if msgs: break
print(json.dumps({'sub': sub, 'body': msgs[0]['Body'], 'k': msgs[0]['MessageAttributes']['k']['StringValue']}))
`;

test('boto3 1.26: subscribe a queue, publish, receive the raw message with its attribute', () => {
  const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', BOTO, server.url], { env: awsEnv(), encoding: 'utf8' })) as { sub: string; body: string; k: string };
  assert.match(out.sub, /^arn:aws:sns:us-east-1:000000000000:boto-topic:/);
  assert.deepEqual([out.body, out.k], ['from boto3', 'v']);
});
