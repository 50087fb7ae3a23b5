import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TopicRecord } from '../../store/meta/sns.ts';
import { fifoIds, nextSequenceNumber } from './fifo.ts';
import { checkRedrivePolicy } from './redrive.ts';
import { checkQueueEndpoint } from './sqs-endpoint.ts';

const scope = { account: '000000000000', region: 'us-east-1', fifo: false };
const policy = (arn: unknown) => JSON.stringify({ deadLetterTargetArn: arn });

test('RedrivePolicy takes an SQS queue of the subscription account and region, of the topic kind', () => {
  assert.equal(checkRedrivePolicy(policy('arn:aws:sqs:us-east-1:000000000000:dlq'), scope), policy('arn:aws:sqs:us-east-1:000000000000:dlq'));
  assert.throws(() => checkRedrivePolicy('{', scope), /RedrivePolicy: failed to parse JSON/);
  assert.throws(() => checkRedrivePolicy(policy('arn:aws:sns:us-east-1:000000000000:t'), scope), /deadLetterTargetArn is an invalid arn/);
  assert.throws(() => checkRedrivePolicy(policy('arn:aws:sqs:us-east-1:111111111111:dlq'), scope), /account and region/);
  assert.throws(() => checkRedrivePolicy(policy('arn:aws:sqs:us-east-1:000000000000:dlq.fifo'), scope), /standard dead-letter queue/);
  assert.throws(() => checkRedrivePolicy(policy('arn:aws:sqs:us-east-1:000000000000:dlq'), { ...scope, fifo: true }), /FIFO dead-letter queue/);
  assert.throws(() => checkRedrivePolicy(JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:d', maxReceiveCount: 3 }), scope), /unknown field maxReceiveCount/);
});

test("sqs endpoints: a queue ARN in the topic's region, FIFO with FIFO only", () => {
  assert.deepEqual(checkQueueEndpoint('arn:aws:sqs:us-east-1:111111111111:q', { region: 'us-east-1', fifo: false }), { account: '111111111111', region: 'us-east-1', name: 'q' });
  assert.throws(() => checkQueueEndpoint('q', { region: 'us-east-1', fifo: false }), /Invalid parameter: SQS endpoint ARN/);
  assert.throws(() => checkQueueEndpoint('arn:aws:sqs:eu-west-1:111111111111:q', { region: 'us-east-1', fifo: false }), /region/);
  assert.throws(() => checkQueueEndpoint('arn:aws:sqs:us-east-1:111111111111:q', { region: 'us-east-1', fifo: true }), /Please use FIFO SQS queue/);
  assert.throws(() => checkQueueEndpoint('arn:aws:sqs:us-east-1:111111111111:q.fifo', { region: 'us-east-1', fifo: false }), /can not be subscribed to standard SNS topics/);
});

test('FIFO ids: group required, deduplication given or content-based; sequence numbers increase', () => {
  const topic = (attributes: Record<string, string>) => ({ attributes }) as TopicRecord;
  const fifo = topic({ FifoTopic: 'true' });
  assert.deepEqual(fifoIds(fifo, { MessageGroupId: 'g', MessageDeduplicationId: 'd', Message: 'm' }), { groupId: 'g', dedupId: 'd' });
  assert.throws(() => fifoIds(fifo, { MessageDeduplicationId: 'd' }), /MessageGroupId parameter is required for FIFO topics/);
  assert.throws(() => fifoIds(fifo, { MessageGroupId: 'g', Message: 'm' }), /ContentBasedDeduplication enabled or MessageDeduplicationId/);
  const content = fifoIds(topic({ FifoTopic: 'true', ContentBasedDeduplication: 'true' }), { MessageGroupId: 'g', Message: 'm' });
  assert.equal(content?.dedupId, '62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a');
  assert.equal(fifoIds(topic({}), { MessageGroupId: 'g' }), undefined);
  assert.throws(() => fifoIds(topic({}), { MessageDeduplicationId: 'd' }), /not valid for this topic type/);
  const a = nextSequenceNumber(1000);
  const b = nextSequenceNumber(1000);
  assert.equal(a.length, 20);
  assert.ok(b > a);
});
