// Shared by the tests that read what other services delivered to SQS queues.
import assert from 'node:assert/strict';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { until } from './until.ts';

/** Receives (with every attribute) until `n` messages came; FIFO queues hand them out in order. */
export async function receiveMessages(client: SQSClient, url: string, n: number): Promise<Message[]> {
  const got: Message[] = [];
  await until(`${n} messages in ${url}`, async () => {
    const r = await client.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'], VisibilityTimeout: 60,
    }));
    got.push(...(r.Messages ?? []));
    return got.length >= n ? true : undefined;
  }, 10_000);
  assert.equal(got.length, n);
  return got;
}
