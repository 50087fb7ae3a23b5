import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageCommand,
  GetQueueAttributesCommand, ListQueuesCommand, GetQueueUrlCommand, ChangeMessageVisibilityCommand, PurgeQueueCommand,
  TagQueueCommand, ListQueueTagsCommand, DeleteQueueCommand, QueueDoesNotExist, QueueNameExists, PurgeQueueInProgress,
  StartMessageMoveTaskCommand, ListMessageMoveTasksCommand, DeleteMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let sqs: SQSClient;

before(async () => {
  server = await startTestServer({ modules: ['sqs'] });
  sqs = new SQSClient(sdkConfig(server.url));
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

test('CreateQueue returns <endpoint>/<account>/<name>, is idempotent, and refuses different attributes', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-a', Attributes: { VisibilityTimeout: '5' } }));
  assert.equal(QueueUrl, `${server.url}/000000000000/core-a`.replace(/000000000000/, QueueUrl!.split('/')[3]!));
  const again = await sqs.send(new CreateQueueCommand({ QueueName: 'core-a', Attributes: { VisibilityTimeout: '5' } }));
  assert.equal(again.QueueUrl, QueueUrl);
  await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: 'core-a', Attributes: { VisibilityTimeout: '6' } })), QueueNameExists);
  await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: 'bad', Attributes: { DelaySeconds: '901' } })), /DelaySeconds/);
  const url = await sqs.send(new GetQueueUrlCommand({ QueueName: 'core-a' }));
  assert.equal(url.QueueUrl, QueueUrl);
  await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), QueueDoesNotExist);
});

test('send, receive with attributes and MD5s, delete; counts in GetQueueAttributes', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-b' }));
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: 'héllo',
    MessageAttributes: { s: { DataType: 'String', StringValue: 'x' }, b: { DataType: 'Binary.raw', BinaryValue: Buffer.from([1, 2]) }, n: { DataType: 'Number', StringValue: '42' } },
  }));
  assert.equal(sent.MD5OfMessageBody, md5('héllo'));
  assert.ok(sent.MD5OfMessageAttributes);
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], VisibilityTimeout: 30 }));
  assert.equal(r.Messages?.length, 1);
  const m = r.Messages![0]!;
  assert.equal(m.Body, 'héllo');
  assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(Buffer.from(m.MessageAttributes!.b!.BinaryValue!), Buffer.from([1, 2]));
  assert.equal(m.Attributes!.ApproximateReceiveCount, '1');
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  assert.equal(attrs.Attributes!.ApproximateNumberOfMessagesNotVisible, '1');
  assert.match(attrs.Attributes!.QueueArn!, /^arn:aws:sqs:us-east-1:\d{12}:core-b$/);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
  assert.equal(after.Attributes!.ApproximateNumberOfMessagesNotVisible, '0');
});

test('long polling wakes as soon as a message arrives', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-poll' }));
  const t0 = Date.now();
  const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' })), 300);
  const r = await pending;
  const took = Date.now() - t0;
  assert.equal(r.Messages?.[0]?.Body, 'late');
  assert.ok(took < 3000, `took ${took} ms`);
  const t1 = Date.now();
  const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.equal(empty.Messages, undefined);
  assert.ok(Date.now() - t1 >= 950);
});

test('visibility expiry redelivers; a stale receipt handle deletes nothing, ChangeMessageVisibility refuses it', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-vis' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
  const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
  const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5, AttributeNames: ['ApproximateReceiveCount' as never] }));
  assert.equal(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
  const stale = first.Messages![0]!.ReceiptHandle!;
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: stale }));
  await assert.rejects(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: stale, VisibilityTimeout: 0 })), /ReceiptHandle/);
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: second.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
  const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal(third.Messages?.[0]?.Body, 'v');
});

test('RedrivePolicy moves a message to the DLQ after maxReceiveCount; a move task brings it back', async () => {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'core-dlq' }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({
    QueueName: 'core-src', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }), VisibilityTimeout: '0' },
  }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
  for (let i = 0; i < 2; i++) assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.length, 1);
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  const inDlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }));
  assert.equal(inDlq.Messages?.[0]?.Body, 'poison');
  assert.match(inDlq.Messages![0]!.Attributes!.DeadLetterQueueSourceArn!, /core-src$/);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
  assert.equal(back.Messages?.[0]?.Body, 'poison');
  const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
  assert.equal(tasks.Results?.[0]?.Status, 'COMPLETED');
});

test('FIFO: order per group, a group blocks while in flight, deduplication', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
  const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a1', MessageGroupId: 'A' }));
  const dup = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a1', MessageGroupId: 'A' }));
  assert.equal(dup.MessageId, a.MessageId);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a2', MessageGroupId: 'A' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b1', MessageGroupId: 'B' }));
  const r1 = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
  assert.equal(r1.Messages?.[0]?.Body, 'a1');
  const r2 = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.deepEqual(r2.Messages?.map((m) => m.Body), ['b1']);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: r1.Messages![0]!.ReceiptHandle }));
  const r3 = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ['SequenceNumber' as never] }));
  assert.deepEqual(r3.Messages?.map((m) => m.Body), ['a2']);
  assert.match(r3.Messages![0]!.Attributes!.SequenceNumber!, /^\d{20}$/);
});

test('batches report per-entry failures; ListQueues pages; tags; PurgeQueue once a minute; DeleteQueue', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-batch', tags: { team: 'x' } }));
  const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'ok' }, { Id: 'b', MessageBody: 'x', DelaySeconds: 901 }] }));
  assert.equal(res.Successful?.length, 1);
  assert.equal(res.Failed?.[0]?.Id, 'b');
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
  assert.equal(del.Successful?.length, 1);
  await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev' } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'x', env: 'dev' });
  const p1 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'core-', MaxResults: 2 }));
  assert.equal(p1.QueueUrls?.length, 2);
  assert.ok(p1.NextToken);
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  await assert.rejects(sqs.send(new PurgeQueueCommand({ QueueUrl })), PurgeQueueInProgress);
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  await assert.rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] })), QueueDoesNotExist);
});

test('messages up to 1 MiB are accepted by default (AWS\'s current limit); a queue\'s MaximumMessageSize lowers it', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-big' }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }));
  assert.equal(attrs.Attributes?.MaximumMessageSize, '1048576');
  const big = 'x'.repeat(1024 * 1024);
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: big }));
  assert.equal(sent.MD5OfMessageBody, md5(big));
  await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${big}y` })), /Message must be shorter than 1048576 bytes/);
  const { QueueUrl: small } = await sqs.send(new CreateQueueCommand({ QueueName: 'core-small', Attributes: { MaximumMessageSize: '1024' } }));
  await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl: small, MessageBody: 'x'.repeat(1025) })), /shorter than 1024 bytes/);
  await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: 'core-huge', Attributes: { MaximumMessageSize: '1048577' } })), /MaximumMessageSize/);
});
