import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageBatchCommand,
  ListQueuesCommand, AddPermissionCommand,
} from '@aws-sdk/client-sqs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';

let server: TestServer;
let mine: SQSClient;
let theirs: SQSClient;

before(async () => {
  server = await startTestServer({ modules: ['sqs'], env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS } });
  mine = new SQSClient(sdkConfig(server.url));
  theirs = new SQSClient({ ...sdkConfig(server.url), credentials: OTHER });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

test('two accounts: same queue name, separate queues; another account\'s queue is denied until its policy allows the action', async () => {
  const a = await mine.send(new CreateQueueCommand({ QueueName: 'acct-shared' }));
  const b = await theirs.send(new CreateQueueCommand({ QueueName: 'acct-shared' }));
  assert.equal(a.QueueUrl, `${server.url}/${ACCOUNT}/acct-shared`);
  assert.equal(b.QueueUrl, `${server.url}/${OTHER_ACCOUNT}/acct-shared`);
  await mine.send(new SendMessageCommand({ QueueUrl: a.QueueUrl, MessageBody: 'for me' }));
  const theirsGot = await theirs.send(new ReceiveMessageCommand({ QueueUrl: b.QueueUrl }));
  assert.equal(theirsGot.Messages, undefined, 'the other account\'s queue of the same name stays empty');
  assert.deepEqual((await theirs.send(new ListQueuesCommand({ QueueNamePrefix: 'acct-' }))).QueueUrls, [b.QueueUrl]);

  await assert.rejects(theirs.send(new SendMessageCommand({ QueueUrl: a.QueueUrl, MessageBody: 'intruder' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.$metadata?.httpStatusCode, 403);
    return true;
  });
  await mine.send(new AddPermissionCommand({ QueueUrl: a.QueueUrl, Label: 'other-sends', AWSAccountIds: [OTHER_ACCOUNT], Actions: ['SendMessage'] }));
  await theirs.send(new SendMessageCommand({ QueueUrl: a.QueueUrl, MessageBody: 'allowed' }));
  await assert.rejects(theirs.send(new ReceiveMessageCommand({ QueueUrl: a.QueueUrl })), { name: 'AccessDenied' });
  const got = await mine.send(new ReceiveMessageCommand({ QueueUrl: a.QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['SenderId'] }));
  assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['allowed', 'for me']);
  assert.equal(got.Messages?.find((m) => m.Body === 'allowed')?.Attributes?.SenderId, OTHER_ACCOUNT);
});

test('FIFO: concurrent senders in their own groups; every group is received in send order, sequence numbers increase', async () => {
  const { QueueUrl } = await mine.send(new CreateQueueCommand({ QueueName: 'acct-order.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }));
  const groups = ['g0', 'g1', 'g2', 'g3'];
  const perGroup = 40;
  await Promise.all(groups.map(async (g) => {
    for (let i = 0; i < perGroup; i += 10) {
      const Entries = Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `${g}:${i + j}`, MessageGroupId: g }));
      const r = await mine.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      assert.equal(r.Successful?.length, 10);
    }
  }));
  const seen = new Map<string, number[]>(groups.map((g) => [g, []]));
  let lastSeq = new Map<string, bigint>();
  for (let received = 0; received < groups.length * perGroup;) {
    const r = await mine.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['SequenceNumber', 'MessageGroupId'] }));
    assert.ok(r.Messages && r.Messages.length > 0, `stalled after ${received}`);
    for (const m of r.Messages) {
      const [g, n] = m.Body!.split(':') as [string, string];
      assert.equal(m.Attributes!.MessageGroupId, g);
      const seq = BigInt(m.Attributes!.SequenceNumber!);
      assert.ok(seq > (lastSeq.get(g) ?? -1n), `sequence numbers increase within ${g}`);
      lastSeq = lastSeq.set(g, seq);
      seen.get(g)!.push(Number(n));
    }
    await mine.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: r.Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    received += r.Messages.length;
  }
  for (const g of groups) assert.deepEqual(seen.get(g), Array.from({ length: perGroup }, (_, i) => i), `group ${g} in order, each once`);
});

test('high-throughput FIFO (DeduplicationScope messageGroup): one deduplication id is its own in each group', async () => {
  const { QueueUrl } = await mine.send(new CreateQueueCommand({
    QueueName: 'acct-ht.fifo', Attributes: { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
  }));
  const send = (group: string) => mine.send(new SendMessageCommand({ QueueUrl, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: 'same-id' }));
  const [a, b] = [await send('g1'), await send('g2')];
  assert.notEqual(a.MessageId, b.MessageId, 'the same id in another group is another message');
  assert.equal((await send('g1')).MessageId, a.MessageId, 'the same id in the same group is deduplicated');
  const got = await mine.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['g1', 'g2']);
});
