import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { silentLogger } from '../../lib/logger.ts';
import type { OutboxRow } from '../../store/meta/outbox.ts';
import type { SnsRepo, SubscriptionRecord } from '../../store/meta/sns.ts';
import { SnsDelivery } from './delivery.ts';
import type { NotificationRow } from './payload.ts';
import type { QueueMessage, QueueOutcome } from './sqs-endpoint.ts';
import { snsUrls } from './urls.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t.fifo';
const SUB = `${TOPIC}:0f1e2d3c`;
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q.fifo';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq.fifo';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

function harness(answer: (m: QueueMessage) => QueueOutcome, attributes: Record<string, string> = {}) {
  const sent: QueueMessage[] = [];
  const sub = { arn: SUB, confirmed: true, attributes } as SubscriptionRecord;
  const delivery = new SnsDelivery({
    repo: { getSubscription: async () => sub } as unknown as SnsRepo,
    urls: snsUrls(() => 'http://osprey.test', 'f'),
    signer: () => ({ key: privateKey, certUrl: 'http://osprey.test/cert.pem' }),
    lambdaUrl: () => undefined,
    log: silentLogger,
    timeoutMs: 1000,
    now: () => 0,
    queues: async (m) => {
      sent.push(m);
      return answer(m);
    },
  });
  const row = (id: number, message: string): OutboxRow => {
    const p: NotificationRow = {
      v: 1, kind: 'notification', account: '000000000000', region: 'us-east-1', topicArn: TOPIC, subscriptionArn: SUB, protocol: 'sqs',
      endpoint: QUEUE, messageId: `m${id}`, timestamp: '2026-01-01T00:00:00.000Z', signatureVersion: '1', message, raw: true,
      fifo: { groupId: 'g', dedupId: `d${id}`, sequenceNumber: String(id).padStart(20, '0') },
    };
    return { id, topic: 'sns', target: SUB, payload: JSON.stringify(p), attempts: 0 } as OutboxRow;
  };
  return { sent, delivery, row };
}

test("a FIFO subscription's rows are sent in order, and the ones after a failure wait for its retry", async () => {
  const h = harness((m) => (m.body === 'b' ? { ok: false, permanent: false, error: 'busy', code: 'InternalError' } : { ok: true }));
  const results = await h.delivery.deliver([h.row(1, 'a'), h.row(2, 'b'), h.row(3, 'c')], new AbortController().signal);
  assert.deepEqual(h.sent.map((m) => [m.body, m.group?.dedupId]), [['a', 'd1'], ['b', 'd2']]);
  assert.deepEqual(results.map((r) => r.ok), [true, false, false]);
});

test('a client-side failure goes to the dead-letter queue with ErrorCode, ErrorMessage and RequestID', async () => {
  const h = harness((m) => (m.queueArn === QUEUE ? { ok: false, permanent: true, error: 'AccessDenied: no', code: 'AccessDenied' } : { ok: true }),
    { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ }) });
  const [r] = await h.delivery.deliver([h.row(1, 'a')], new AbortController().signal);
  assert.equal(r!.ok, true);
  const dead = h.sent[1]!;
  assert.equal(dead.queueArn, DLQ);
  assert.deepEqual([dead.body, dead.group], ['a', { groupId: 'g', dedupId: 'd1' }]);
  assert.deepEqual([dead.attributes!.ErrorCode!.Value, dead.attributes!.ErrorMessage!.Value], ['AccessDenied', 'AccessDenied: no']);
  assert.ok(dead.attributes!.RequestID!.Value);
});
